//! The independent check of solutions: an SMT-LIB2 script for the `z3` command-line tool that
//! is `unsat` exactly when the solutions satisfy every constraint for all values of the
//! declared variables.
//!
//! The script is built from the s-expressions of the original file and of the solutions,
//! re-printed unchanged, so it does not depend on synth's own lowering: declared variables
//! become `declare-fun`s, the original `define-fun`s are kept, each `synth-fun` is replaced by its
//! solution's `define-fun`, and the constraints are asserted negated. Definitions come in file
//! order, except that one is moved after the definitions it uses (a solution may use a helper
//! defined after its `synth-fun`). The script ends with exactly two lines:
//! `(assert (not (and C1 C2 ...)))` and `(check-sat)`.

use std::collections::HashSet;

use super::error::{Result, SygusError};
use super::sexp::{Kind, SExp, read_all};
use super::solution::solution_defs;

/// A definition to emit, with the names it mentions.
struct Item {
    name: String,
    text: String,
    uses: HashSet<String>,
}

fn mentioned(e: &SExp, out: &mut HashSet<String>) {
    match &e.kind {
        Kind::Symbol(s) => {
            out.insert(s.clone());
        }
        Kind::List(items) => items.iter().for_each(|i| mentioned(i, out)),
        _ => {}
    }
}

fn item(name: &str, whole: &SExp, body: &SExp) -> Item {
    let mut uses = HashSet::new();
    mentioned(body, &mut uses);
    uses.remove(name);
    Item { name: name.to_string(), text: whole.to_string(), uses }
}

/// Builds the check script for `solutions` (printed `define-fun`s, optionally wrapped in
/// parentheses as cvc5 prints them) of the SyGuS-IF problem `original`.
pub fn check_script(original: &str, solutions: &str) -> Result<String> {
    let commands = read_all(original)?;
    let solution_items = read_all(solutions)?;
    let defs = solution_defs(&solution_items)?;
    let mut used = vec![false; defs.len()];
    let mut declarations = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    let mut constraints = Vec::new();
    for c in &commands {
        let Some(items_of_c) = c.list() else {
            return Err(SygusError::syntax(c.loc, format!("expected a command, found {}", c.describe())));
        };
        match (c.head(), items_of_c) {
            (Some("set-logic" | "set-option" | "set-info" | "check-synth" | "exit"), _) => {}
            (Some("declare-var"), [_, name, sort]) => {
                declarations.push(format!("(declare-fun {name} () {sort})"));
            }
            (Some("define-fun"), [_, name, _, _, body]) => {
                let name = name.symbol().ok_or_else(|| SygusError::syntax(name.loc, "expected a function name"))?;
                items.push(item(name, c, body));
            }
            (Some("synth-fun"), [_, name, ..]) => {
                let name = name.symbol().ok_or_else(|| SygusError::syntax(name.loc, "expected a function name"))?;
                let Some(i) = defs.iter().position(|d| d.name == name) else {
                    return Err(SygusError::invalid(c.loc, format!("no solution for synth-fun `{name}`")));
                };
                used[i] = true;
                items.push(item(name, defs[i].whole, defs[i].body));
            }
            (Some("constraint"), [_, term]) => constraints.push(term.to_string()),
            (Some(other), _) if ["declare-var", "define-fun", "synth-fun", "constraint"].contains(&other) => {
                return Err(SygusError::syntax(c.loc, format!("malformed {other} command")));
            }
            (Some(other), _) => return Err(SygusError::unsupported(c.loc, format!("command {other}"))),
            (None, _) => return Err(SygusError::syntax(c.loc, "expected a command name")),
        }
    }
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(SygusError::invalid(
            defs[i].name_loc,
            format!("`{}` is not a synth-fun of the problem", defs[i].name),
        ));
    }
    let mut script = String::new();
    for d in declarations {
        script.push_str(&d);
        script.push('\n');
    }
    for text in dependency_order(items) {
        script.push_str(&text);
        script.push('\n');
    }
    let claim = match constraints.len() {
        0 => "true".to_string(),
        1 => constraints.remove(0),
        _ => format!("(and {})", constraints.join(" ")),
    };
    script.push_str(&format!("(assert (not {claim}))\n(check-sat)\n"));
    Ok(script)
}

/// File order, except that an item waits for the items it mentions (cycles keep file order).
fn dependency_order(items: Vec<Item>) -> Vec<String> {
    let names: HashSet<String> = items.iter().map(|i| i.name.clone()).collect();
    let mut emitted: HashSet<String> = HashSet::new();
    let mut pending = items;
    let mut out = Vec::new();
    while !pending.is_empty() {
        let ready =
            pending.iter().position(|i| i.uses.iter().all(|u| !names.contains(u) || emitted.contains(u))).unwrap_or(0);
        let next = pending.remove(ready);
        emitted.insert(next.name.clone());
        out.push(next.text);
    }
    out
}
