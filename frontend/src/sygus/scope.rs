//! The global names of a SyGuS file: `define-fun`s, `synth-fun`s (targets) and `declare-var`s.

use std::collections::HashMap;

use ir::{Location, Sort, Target, Var};

use super::emit::Macro;
use super::error::{Result, SygusError};

/// A `define-fun`: a macro, inlined wherever it is applied. Its body is lowered once, when it is
/// declared, into a DAG that applications copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// Its name.
    pub name: String,
    /// Its parameters with their sorts.
    pub params: Vec<(String, Sort)>,
    /// Its result sort.
    pub ret: Sort,
    /// Where the command starts.
    pub loc: Location,
    pub(crate) dag: Macro,
}

/// What a global name denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Global {
    /// `define-fun` number `n`.
    Def(usize),
    /// `synth-fun` number `n` (index into the problem's targets).
    Target(usize),
    /// `declare-var` number `n` (index into the problem's variables).
    Var(usize),
}

/// All global names declared so far.
#[derive(Debug, Clone, Default)]
pub(crate) struct Globals {
    pub defs: Vec<Definition>,
    pub targets: Vec<Target>,
    pub vars: Vec<Var>,
    pub names: HashMap<String, (Global, Location)>,
}

impl Globals {
    /// What `name` denotes, if it is global.
    pub fn get(&self, name: &str) -> Option<Global> {
        self.names.get(name).map(|g| g.0)
    }

    /// Declares `name`, which must be new and not a built-in operator.
    pub fn declare(&mut self, name: &str, loc: Location, global: Global) -> Result<()> {
        if let Some((_, earlier)) = self.names.get(name) {
            return Err(SygusError::invalid(loc, format!("`{name}` is already declared (first at {earlier})")));
        }
        if super::ops::is_builtin(name) {
            return Err(SygusError::invalid(loc, format!("`{name}` is a built-in symbol and cannot be redeclared")));
        }
        self.names.insert(name.to_string(), (global, loc));
        Ok(())
    }
}
