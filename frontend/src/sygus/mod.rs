//! SyGuS-IF v2 (the SyGuS-Comp format) over bit-vectors: the reader, the solution printer, and
//! the writer of independent check scripts for `z3`.
//!
//! [`parse_sygus`] lowers a file to an [`ir::Problem`]: `synth-fun`s become [`ir::Target`]s
//! (with their [`ir::Grammar`]s), `declare-var`s the problem's variables, and each `constraint` a
//! [`ir::Formula`] in which `define-fun`s are inlined and `synth-fun` applications are
//! [`ir::Node::Call`]s. [`print_solution`] writes a [`Solution`] the way cvc5 does;
//! [`parse_solution`] and [`parse_derivations`] read solutions back; [`check_script`] builds the
//! script that lets `z3` confirm a solution without trusting synth's lowering. `docs/sygus.md`
//! lists what is supported.
//!
//! ```
//! use frontend::sygus::{Solution, parse_solution, parse_sygus, print_solution};
//! let file = parse_sygus("
//!     (set-logic BV)
//!     (synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))
//!     (declare-var x (_ BitVec 8))
//!     (constraint (= (f x) (bvand x (bvsub x #x01))))
//!     (check-synth)").unwrap();
//! let target = &file.problem.targets[0];
//! let solution = "(define-fun f ((x (_ BitVec 8))) (_ BitVec 8) (bvand x (bvsub x #x01)))";
//! let f = parse_solution(&file, solution).unwrap().remove(0);
//! assert_eq!(ir::eval(&f, &[12]), 8);
//! assert_eq!(print_solution(target, &Solution::Function(f)), solution);
//! ```
//!
//! Modules: `lexer` (logos tokens) → `sexp` (located s-expressions) → `command` (top-level
//! commands) → `term`/`ops` (term lowering and the operator table), `grammar` (productions),
//! over the emitters of `emit`; `print`, `solution` and `check` are the output side.

#![deny(missing_docs)]

mod check;
mod command;
mod emit;
mod error;
mod grammar;
mod lexer;
mod ops;
mod print;
mod scope;
mod sexp;
mod solution;
mod sort;
mod term;

pub use check::check_script;
pub use command::{SUPPORTED_LOGICS, parse_sygus};
pub use error::SygusError;
pub use print::{Solution, print_fail, print_infeasible, print_solution, print_solutions};
pub use scope::Definition;
pub use solution::{parse_derivations, parse_solution};
pub use sort::literal_text;

use emit::{FunctionEmitter, Refused};
use scope::{Global, Globals};

/// A SyGuS-IF file read and lowered.
#[derive(Debug, Clone)]
pub struct SygusFile {
    /// The logic of `set-logic` (`BV` if the file has none).
    pub logic: String,
    /// The synthesis problem: targets with their sorts and grammars, variables, constraints.
    pub problem: ir::Problem,
    globals: Globals,
}

impl SygusFile {
    /// The index of the target (`synth-fun`) named `name`.
    pub fn target_index(&self, name: &str) -> Option<usize> {
        match self.globals.get(name) {
            Some(Global::Target(t)) => Some(t),
            _ => None,
        }
    }

    /// The file's `define-fun`s, in order.
    pub fn definitions(&self) -> &[Definition] {
        &self.globals.defs
    }

    /// `define-fun` number `index` as an IR function (named after it), with every definition it
    /// uses inlined. Definitions that call a `synth-fun` or use a declared variable have no
    /// such function: that is an `unsupported` error.
    ///
    /// # Panics
    /// If `index` is out of range.
    pub fn definition_function(&self, index: usize) -> Result<ir::Function, SygusError> {
        let def = &self.globals.defs[index];
        let types: Vec<ir::Type> = def.params.iter().map(|p| p.1.ty()).collect();
        let mut emitter = FunctionEmitter::new(&def.name, &types, def.ret.ty());
        let params: Vec<ir::Value> = (0..types.len()).map(|i| emitter.param(i)).collect();
        let ret = def.dag.inline(&mut emitter, &params).map_err(|r| {
            let (what, loc) = match r {
                Refused::Var(i, loc) => (format!("declared variable `{}`", self.problem.vars[i].name), loc),
                Refused::Call(t, loc) => (format!("call of synth-fun `{}`", self.problem.targets[t].name), loc),
            };
            SygusError::unsupported(loc, format!("{what} outside a constraint"))
        })?;
        emitter.finish(ret).map_err(|e| SygusError::Internal(format!("define-fun {}: {e}", def.name)))
    }
}
