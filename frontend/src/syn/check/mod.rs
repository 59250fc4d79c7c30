//! Name resolution and type checking of a parsed file: signatures first (so functions may be
//! called before their definition), then function bodies, the call graph (recursion), and
//! tasks. All errors are collected; checking goes on after an error wherever it can.

mod expr;
mod task;

use std::collections::{HashMap, HashSet};

use ir::{SourceType, SpecParam};

use super::ast::{self, Ident, Item, Param, SynthDef};
use super::callgraph;
use super::diag::{ErrorKind, SynError, did_you_mean};
use super::typed::{CheckedFn, Program, TExpr, source_type};
use expr::{BodyChecker, unknown_type};

/// The builtin functions (they cannot be redefined).
pub const BUILTINS: &[&str] = &["popcnt", "clz", "ctz", "rotl", "rotr", "min", "max", "abs"];

/// A function's signature; `None` marks a type that had an error.
#[derive(Debug, Clone)]
pub struct Sig {
    params: Vec<Option<SourceType>>,
    ret: Option<SourceType>,
}

/// The names visible in expressions.
#[derive(Debug, Default)]
pub struct Signatures {
    /// Source function name to index (the first definition wins).
    index: HashMap<String, usize>,
    /// Signatures by function index.
    fns: Vec<Sig>,
    /// Task names (not callable; used for better messages).
    tasks: HashSet<String>,
}

/// Resolves parameter types, reporting unknown types and duplicate names.
fn params(list: &[Param], errors: &mut Vec<SynError>) -> Vec<(String, Option<SourceType>)> {
    let mut out: Vec<(String, Option<SourceType>)> = Vec::new();
    let mut first_of: HashMap<&str, &Param> = HashMap::new();
    for p in list {
        if let Some(first) = first_of.get(p.name.name.as_str()).copied() {
            errors.push(
                SynError::new(
                    ErrorKind::Duplicate,
                    p.name.span,
                    format!("parameter `{}` is declared twice", p.name.name),
                )
                .with_secondary(first.name.span, "first declared here"),
            );
        } else {
            first_of.insert(&p.name.name, p);
        }
        let ty = source_type(&p.ty.name);
        if ty.is_none() {
            errors.push(unknown_type(&p.ty));
        }
        out.push((p.name.name.clone(), ty));
    }
    out
}

fn ret_type(name: &Ident, errors: &mut Vec<SynError>) -> Option<SourceType> {
    let t = source_type(&name.name);
    if t.is_none() {
        errors.push(unknown_type(name));
    }
    t
}

fn spec_params(list: &[(String, Option<SourceType>)]) -> Vec<SpecParam> {
    list.iter().map(|(name, ty)| SpecParam { name: name.clone(), ty: ty.unwrap_or(SourceType::BOOL) }).collect()
}

/// Checks `file`, appending errors to `errors`. The program is complete and well-typed only
/// when no error was added.
pub fn check(file: &ast::File, errors: &mut Vec<SynError>) -> Program {
    let mut sigs = Signatures::default();
    let mut defined: HashMap<&str, &Ident> = HashMap::new();
    let mut fn_defs = Vec::new();
    let mut task_defs = Vec::new();
    let mut repair_defs = Vec::new();
    for item in &file.items {
        let name = match item {
            Item::Fn(f) => &f.name,
            Item::Synth(t) => &t.name,
            // A repair names an existing function; it defines nothing.
            Item::Repair(r) => {
                repair_defs.push(r);
                continue;
            }
            Item::Error => continue,
        };
        if let Some(first) = defined.get(name.name.as_str()) {
            errors.push(
                SynError::new(ErrorKind::Duplicate, name.span, format!("`{}` is defined twice", name.name))
                    .with_secondary(first.span, "first defined here"),
            );
        } else {
            defined.insert(&name.name, name);
        }
        match item {
            Item::Fn(f) => {
                if BUILTINS.contains(&f.name.name.as_str()) {
                    errors.push(SynError::new(
                        ErrorKind::Duplicate,
                        f.name.span,
                        format!("`{}` is a builtin function and cannot be redefined", f.name.name),
                    ));
                }
                let ps = params(&f.params, errors);
                let ret = ret_type(&f.ret, errors);
                sigs.index.entry(f.name.name.clone()).or_insert(sigs.fns.len());
                sigs.fns.push(Sig { params: ps.iter().map(|p| p.1).collect(), ret });
                fn_defs.push((f, ps, ret));
            }
            Item::Synth(t) => {
                sigs.tasks.insert(t.name.name.clone());
                task_defs.push(t);
            }
            Item::Repair(_) | Item::Error => {}
        }
    }

    let fn_asts: Vec<&ast::FnDef> = fn_defs.iter().map(|(f, _, _)| *f).collect();
    let mut fns = Vec::new();
    for (f, ps, ret) in fn_defs {
        let mut checker = BodyChecker::new(&sigs, errors, &ps);
        let body = match ret {
            Some(want) => checker.expect(&f.body, want, |ty| {
                format!("fn `{}` returns `{want}`, but its body has type `{ty}`", f.name.name)
            }),
            None => checker.expr(&f.body, None),
        };
        let (calls, constants) = (checker.calls, checker.constants);
        fns.push(CheckedFn {
            name: f.name.name.clone(),
            span: f.name.span,
            params: spec_params(&ps),
            ret: ret.unwrap_or(SourceType::BOOL),
            // An erroneous body is never lowered (errors stop the pipeline before lowering).
            body: body.unwrap_or_else(|| TExpr::constant(SourceType::BOOL, 0)),
            calls,
            constants,
        });
    }
    callgraph::report_recursion(&fns, errors);

    let tasks = task_defs.into_iter().map(|t| task::check_task(t, &sigs, &fns, errors)).collect();
    let mut repairs = Vec::new();
    let mut repaired: HashMap<&str, &Ident> = HashMap::new();
    for r in repair_defs {
        let Some(index) = fn_asts.iter().position(|f| f.name.name == r.name.name) else {
            let names = fn_asts.iter().map(|f| f.name.name.as_str());
            errors.push(
                SynError::new(
                    ErrorKind::UnknownName,
                    r.name.span,
                    format!("`repair {}`: no fn named `{}` in this file", r.name.name, r.name.name),
                )
                .with_note(
                    did_you_mean(&r.name.name, names).unwrap_or_else(|| "a repair names a fn of this file".into()),
                ),
            );
            continue;
        };
        let f = fn_asts[index];
        if let Some(first) = repaired.insert(&r.name.name, &r.name) {
            errors.push(
                SynError::new(ErrorKind::Duplicate, r.name.span, format!("`{}` is repaired twice", r.name.name))
                    .with_secondary(first.span, "first repaired here"),
            );
            continue;
        }
        // The spec is a task with the function's own signature and name.
        let as_task =
            SynthDef { name: r.name.clone(), params: f.params.clone(), ret: f.ret.clone(), clauses: r.clauses.clone() };
        repairs.push((index, task::check_task(&as_task, &sigs, &fns, errors)));
    }
    Program { fns, tasks, repairs }
}
