//! Top-level commands: the walk over a SyGuS-IF file that builds the [`SygusFile`].
//!
//! Supported: `set-logic` (`BV`, `QF_BV`), `set-option`/`set-info` (ignored), `define-fun`,
//! `synth-fun` (with or without a grammar), `declare-var`, `constraint`, `check-synth`, `exit`.
//! Any other command is `unsupported: command NAME`; after `check-synth` only `set-info`,
//! `set-option` and `exit` may follow.

use std::collections::HashSet;

use ir::{Location, Problem, Sort, Target, Var};

use super::SygusFile;
use super::emit::{FormulaEmitter, MacroEmitter};
use super::error::{Result, SygusError};
use super::grammar::lower_grammar;
use super::ops::Typed;
use super::scope::{Definition, Global, Globals};
use super::sexp::{SExp, read_all};
use super::sort::parse_sort;
use super::term::{Lowerer, MAX_FILE_STEPS};

/// The logics accepted by `set-logic`: the bit-vector-only ones.
pub const SUPPORTED_LOGICS: &[&str] = &["BV", "QF_BV"];

/// Reads a SyGuS-IF v2 problem over bit-vectors and Booleans and lowers it to an [`ir::Problem`].
///
/// The problem's name is the first `synth-fun`'s name (callers may replace it with a file name).
/// The returned problem passes [`Problem::check`].
pub fn parse_sygus(text: &str) -> Result<SygusFile> {
    let commands = read_all(text)?;
    let mut reader = Reader { work_left: MAX_FILE_STEPS, ..Reader::default() };
    for c in &commands {
        reader.command(c)?;
    }
    reader.finish(commands.first().map_or(Location { line: 1, col: 1 }, |c| c.loc))
}

#[derive(Default)]
struct Reader {
    logic: Option<String>,
    globals: Globals,
    constraints: Vec<ir::Formula>,
    checked: bool,
    seen_command: bool,
    /// What is left of the file's work budget ([`MAX_FILE_STEPS`]).
    work_left: usize,
}

/// Reads `((name Sort) ...)`.
pub(crate) fn sorted_vars(e: &SExp) -> Result<Vec<(String, Sort, Location)>> {
    let items = e.list().ok_or_else(|| SygusError::syntax(e.loc, "expected a parameter list ((name Sort) ...)"))?;
    let mut out: Vec<(String, Sort, Location)> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for item in items {
        let (name, sort) = match item.list() {
            Some([name, sort]) => match name.symbol() {
                Some(n) => (n, sort),
                None => return Err(SygusError::syntax(name.loc, "expected a parameter name")),
            },
            _ => return Err(SygusError::syntax(item.loc, "expected a parameter (name Sort)")),
        };
        if !seen.insert(name) {
            return Err(SygusError::invalid(item.loc, format!("parameter `{name}` appears twice")));
        }
        out.push((name.to_string(), parse_sort(sort)?, item.loc));
    }
    Ok(out)
}

fn symbol_at<'a>(items: &'a [SExp], i: usize, what: &str, loc: Location) -> Result<&'a str> {
    match items.get(i) {
        Some(e) => {
            e.symbol().ok_or_else(|| SygusError::syntax(e.loc, format!("expected {what}, found {}", e.describe())))
        }
        None => Err(SygusError::syntax(loc, format!("expected {what}"))),
    }
}

impl Reader {
    fn command(&mut self, c: &SExp) -> Result<()> {
        let Some(items) = c.list() else {
            return Err(SygusError::syntax(c.loc, format!("expected a command, found {}", c.describe())));
        };
        let name = symbol_at(items, 0, "a command name", c.loc)?;
        if self.checked && !["set-info", "set-option", "exit"].contains(&name) {
            return Err(SygusError::unsupported(c.loc, format!("command {name} after check-synth")));
        }
        let first = !self.seen_command;
        self.seen_command = true;
        match name {
            "set-logic" => self.set_logic(c, items, first),
            "set-option" | "set-info" => Ok(()),
            "define-fun" => self.define_fun(c, items),
            "synth-fun" => self.synth_fun(c, items),
            "declare-var" => self.declare_var(c, items),
            "constraint" => self.constraint(c, items),
            "check-synth" => {
                if items.len() != 1 {
                    return Err(SygusError::syntax(c.loc, "check-synth takes no arguments"));
                }
                self.checked = true;
                Ok(())
            }
            "exit" => Ok(()),
            other => Err(SygusError::unsupported(c.loc, format!("command {other}"))),
        }
    }

    fn set_logic(&mut self, c: &SExp, items: &[SExp], first: bool) -> Result<()> {
        let logic = symbol_at(items, 1, "a logic name", c.loc)?;
        if items.len() != 2 {
            return Err(SygusError::syntax(c.loc, "expected (set-logic NAME)"));
        }
        if !first || self.logic.is_some() {
            return Err(SygusError::invalid(c.loc, "set-logic must be the first command"));
        }
        if !SUPPORTED_LOGICS.contains(&logic) {
            return Err(SygusError::unsupported(items[1].loc, format!("logic {logic}")));
        }
        self.logic = Some(logic.to_string());
        Ok(())
    }

    fn define_fun(&mut self, c: &SExp, items: &[SExp]) -> Result<()> {
        let [_, _, params, ret, body] = items else {
            return Err(SygusError::syntax(c.loc, "expected (define-fun name ((param Sort) ...) Sort body)"));
        };
        let name = symbol_at(items, 1, "a function name", c.loc)?;
        let params = sorted_vars(params)?;
        let ret = parse_sort(ret)?;
        // The body is lowered (and sort-checked) once, here; applications copy the result.
        let mut lowerer = Lowerer::new(&self.globals, MacroEmitter::default()).with_file_budget(self.work_left);
        for (i, (p, sort, _)) in params.iter().enumerate() {
            let h = lowerer.emitter.param(i);
            lowerer.bind(p, Typed { h, sort: *sort });
        }
        let root = lowerer.lower_as(body, ret, &format!("the body of `{name}`"))?;
        self.work_left -= lowerer.steps();
        let def = Definition {
            name: name.to_string(),
            params: params.into_iter().map(|(n, s, _)| (n, s)).collect(),
            ret,
            loc: c.loc,
            dag: lowerer.emitter.finish(root),
        };
        self.globals.declare(name, items[1].loc, Global::Def(self.globals.defs.len()))?;
        self.globals.defs.push(def);
        Ok(())
    }

    fn synth_fun(&mut self, c: &SExp, items: &[SExp]) -> Result<()> {
        if items.len() < 4 {
            return Err(SygusError::syntax(c.loc, "expected (synth-fun name ((param Sort) ...) Sort [grammar])"));
        }
        let name = symbol_at(items, 1, "a function name", c.loc)?;
        let params = sorted_vars(&items[2])?;
        let ret = parse_sort(&items[3])?;
        let index = self.globals.targets.len();
        self.globals.declare(name, items[1].loc, Global::Target(index))?;
        self.globals.targets.push(Target {
            name: name.to_string(),
            params: params.into_iter().map(|(n, s, _)| (n, s)).collect(),
            ret,
            grammar: None,
        });
        if items.len() > 4 {
            let grammar = lower_grammar(&self.globals, index, &items[4..], &mut self.work_left)?;
            self.globals.targets[index].grammar = Some(grammar);
        }
        Ok(())
    }

    fn declare_var(&mut self, c: &SExp, items: &[SExp]) -> Result<()> {
        let [_, name, sort] = items else {
            return Err(SygusError::syntax(c.loc, "expected (declare-var name Sort)"));
        };
        let name_text = symbol_at(items, 1, "a variable name", c.loc)?;
        let sort = parse_sort(sort)?;
        self.globals.declare(name_text, name.loc, Global::Var(self.globals.vars.len()))?;
        self.globals.vars.push(Var { name: name_text.to_string(), sort });
        Ok(())
    }

    fn constraint(&mut self, c: &SExp, items: &[SExp]) -> Result<()> {
        let [_, term] = items else {
            return Err(SygusError::syntax(c.loc, "expected (constraint term)"));
        };
        let mut lowerer = Lowerer::new(&self.globals, FormulaEmitter::default()).with_file_budget(self.work_left);
        let root = lowerer.lower_as(term, Sort::Bool, "a constraint")?;
        self.work_left -= lowerer.steps();
        self.constraints.push(lowerer.emitter.finish(root));
        Ok(())
    }

    fn finish(self, start: Location) -> Result<SygusFile> {
        let Some(first) = self.globals.targets.first() else {
            return Err(SygusError::invalid(start, "the file has no synth-fun"));
        };
        let problem = Problem {
            name: first.name.clone(),
            targets: self.globals.targets.clone(),
            vars: self.globals.vars.clone(),
            constraints: self.constraints,
            safety: None,
        };
        problem.check().map_err(SygusError::Internal)?;
        Ok(SygusFile { logic: self.logic.unwrap_or_else(|| "BV".to_string()), problem, globals: self.globals })
    }
}
