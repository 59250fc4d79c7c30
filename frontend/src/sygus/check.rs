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

use std::collections::{BTreeSet, HashMap, HashSet};

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

/// File order, except that an item waits for the items it mentions (cycles keep file order):
/// repeatedly the first item whose mentioned items are all out, else the first item left.
/// Takes `O((n + m) log n)` time for `n` items mentioning `m` names in all.
fn dependency_order(items: Vec<Item>) -> Vec<String> {
    // For each name, the items called so (a hostile file may reuse a name).
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        by_name.entry(item.name.as_str()).or_default().push(i);
    }
    // waiting[i]: how many of the names item i mentions are not out yet; users[name]: who waits.
    let mut waiting: Vec<usize> = vec![0; items.len()];
    let mut users: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        for u in &item.uses {
            if by_name.contains_key(u.as_str()) {
                waiting[i] += 1;
                users.entry(u.as_str()).or_default().push(i);
            }
        }
    }
    let mut ready: BTreeSet<usize> = (0..items.len()).filter(|&i| waiting[i] == 0).collect();
    let mut left: BTreeSet<usize> = (0..items.len()).collect();
    let mut out_names: HashSet<&str> = HashSet::new();
    let mut order = Vec::with_capacity(items.len());
    while let Some(&first) = left.first() {
        let next = ready.first().copied().unwrap_or(first);
        ready.remove(&next);
        left.remove(&next);
        order.push(next);
        let name = items[next].name.as_str();
        if out_names.insert(name) {
            for &user in users.get(name).into_iter().flatten() {
                waiting[user] -= 1;
                if waiting[user] == 0 && left.contains(&user) {
                    ready.insert(user);
                }
            }
        }
    }
    let mut texts: Vec<Option<String>> = items.into_iter().map(|i| Some(i.text)).collect();
    order.into_iter().filter_map(|i| texts[i].take()).collect()
}
