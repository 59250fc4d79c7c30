//! Lowering a checked program to IR: one [`ir::Function`] per source function (calls inlined,
//! sub-expressions shared by [`CseBuilder`]) and one [`ir::Spec`] per task.
//!
//! `&&`, `||` and `if` become `and`, `or` and `select`: both sides are computed, which is fine
//! because every IR operation is total.
//!
//! Inlining copies the callee's already lowered (and shared) body, once per distinct call:
//! a call with the same callee and argument values as an earlier one reuses its result, so the
//! work is proportional to the lowered code, not to the source's call tree. Code whose calls
//! are genuinely different can still double with each level of calls (`f1(x) = f0(x) +
//! f0(x ^ 1)`, ...), so the instructions built are budgeted: at most
//! [`MAX_INLINED_INSTS`] per function or task and [`MAX_FILE_INSTS`] for the whole file, counted
//! before identical instructions are shared. Beyond a budget lowering stops with an error at
//! the function or task that crossed it. Invariant: lowering work is `O(MAX_FILE_INSTS)`.

use std::collections::HashSet;

use ir::{Example, Function, Module, Opcode, Spec, Type, Value};
use rustc_hash::FxHashMap;

use super::ast::Span;
use super::callgraph::lowering_order;
use super::cse::CseBuilder;
use super::diag::{ErrorKind, SynError};
use super::file::{Repair, SourceSignature, SynFile};
use super::typed::{CheckedFn, CheckedTask, Program, TExpr, TKind};

/// Most IR instructions one function (or one task's clauses) may expand to once calls are
/// inlined, counted before sharing (docs/syn-language.md, "Limits").
pub const MAX_INLINED_INSTS: usize = 100_000;

/// Most IR instructions a whole file may expand to once calls are inlined.
pub const MAX_FILE_INSTS: usize = 500_000;

/// The instruction budgets: how many instructions may still be built.
#[derive(Debug)]
struct Budget {
    /// Left for the function or task being lowered.
    item: usize,
    /// Left for the file.
    file: usize,
}

/// Why lowering stopped (the caller turns this into a located error).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stop {
    /// The function or task's own budget ran out.
    Item,
    /// The file's budget ran out.
    File,
    /// Bug: the lowered function does not verify.
    Invalid(String),
}

impl Budget {
    /// Spends `n` instructions.
    fn spend(&mut self, n: usize) -> Result<(), Stop> {
        if n > self.item {
            return Err(Stop::Item);
        }
        if n > self.file {
            return Err(Stop::File);
        }
        self.item -= n;
        self.file -= n;
        Ok(())
    }
}

/// Lowers expressions into one function under construction.
struct Lowerer<'a> {
    fns: &'a [Option<Function>],
    b: CseBuilder,
    slots: Vec<Option<Value>>,
    /// Results of calls already inlined, by callee and argument values.
    calls: FxHashMap<(usize, Vec<Value>), Value>,
    budget: &'a mut Budget,
}

impl<'a> Lowerer<'a> {
    fn new(fns: &'a [Option<Function>], budget: &'a mut Budget, name: &str, params: &[Type], ret: Type) -> Self {
        let b = CseBuilder::new(name, params, ret);
        let slots = (0..params.len()).map(|i| Some(b.param(i))).collect();
        Lowerer { fns, b, slots, calls: FxHashMap::default(), budget }
    }

    fn inst(&mut self, op: Opcode, ty: Type, args: &[Value], imm: u64) -> Result<Value, Stop> {
        self.budget.spend(1)?;
        Ok(self.b.inst(op, ty, args, imm))
    }

    fn expr(&mut self, e: &TExpr) -> Result<Value, Stop> {
        Ok(match &e.kind {
            TKind::Const(bits) => self.inst(Opcode::Iconst, e.ty.ty, &[], *bits)?,
            TKind::Local(slot) => self.slots[*slot].expect("checked programs define slots before use"),
            TKind::Op(op, args) => {
                let vs = args.iter().map(|a| self.expr(a)).collect::<Result<Vec<Value>, _>>()?;
                self.inst(*op, e.ty.ty, &vs, 0)?
            }
            TKind::Block(lets, tail) => {
                for (slot, value) in lets {
                    let v = self.expr(value)?;
                    if self.slots.len() <= *slot {
                        self.slots.resize(*slot + 1, None);
                    }
                    self.slots[*slot] = Some(v);
                }
                self.expr(tail)?
            }
            TKind::Call(index, args) => {
                let vs = args.iter().map(|a| self.expr(a)).collect::<Result<Vec<Value>, _>>()?;
                let key = (*index, vs);
                if let Some(&v) = self.calls.get(&key) {
                    return Ok(v);
                }
                let fns = self.fns;
                let callee = fns[*index].as_ref().expect("callees are lowered before their callers");
                let v = self.inline(callee, &key.1)?;
                self.calls.insert(key, v);
                v
            }
        })
    }

    /// Copies `f`'s body with its parameters bound to `args`; returns the value of its result.
    fn inline(&mut self, f: &Function, args: &[Value]) -> Result<Value, Stop> {
        self.budget.spend(f.body.len())?;
        let mut map: FxHashMap<Value, Value> = f.params.iter().zip(args).map(|(p, &a)| (p.value, a)).collect();
        for inst in &f.body {
            let operands: Vec<Value> = inst.args.iter().map(|a| map[a]).collect();
            let v = self.b.inst(inst.opcode, inst.ty, &operands, inst.imm);
            map.insert(inst.result, v);
        }
        Ok(map[&f.ret])
    }

    /// Lowers the conjunction of `conds` (true if there are none) and finishes the function.
    fn finish_all(mut self, conds: &[TExpr]) -> Result<Function, Stop> {
        let mut acc: Option<Value> = None;
        for c in conds {
            let v = self.expr(c)?;
            acc = Some(match acc {
                Some(a) => self.inst(Opcode::And, Type::I1, &[a, v], 0)?,
                None => v,
            });
        }
        let ret = match acc {
            Some(v) => v,
            None => self.inst(Opcode::Iconst, Type::I1, &[], 1)?,
        };
        finish(self.b, ret)
    }
}

/// Ends a function (lowering a checked program builds valid IR, so this fails only on a bug).
fn finish(b: CseBuilder, ret: Value) -> Result<Function, Stop> {
    b.finish(ret).map_err(|e| Stop::Invalid(e.to_string()))
}

/// The error for lowering `what` (``fn `f` `` or ``task `t` ``, named at `span`) stopping.
fn stopped(what: &str, span: Span, stop: Stop) -> SynError {
    let (message, note) = match stop {
        Stop::Item => (
            format!("{what} expands to more than {MAX_INLINED_INSTS} instructions after inlining calls"),
            "calls are inlined, so a function that calls another one twice with different arguments is twice its size",
        ),
        Stop::File => (
            format!("the file expands to more than {MAX_FILE_INSTS} instructions after inlining calls (at {what})"),
            "calls are inlined into every function and task, and all of them count together",
        ),
        Stop::Invalid(e) => {
            let message = format!("internal error: lowering produced invalid IR: {e}");
            return SynError::new(ErrorKind::Internal, span, message);
        }
    };
    SynError::new(ErrorKind::TooLarge, span, message).with_note(note)
}

/// Lowers a program that checked without errors.
pub fn lower(program: &Program) -> Result<SynFile, SynError> {
    let mut lowered: Vec<Option<Function>> = vec![None; program.fns.len()];
    let mut budget = Budget { item: MAX_INLINED_INSTS, file: MAX_FILE_INSTS };
    for index in lowering_order(&program.fns) {
        let f = &program.fns[index];
        let params: Vec<Type> = f.params.iter().map(|p| p.ty.ty).collect();
        budget.item = MAX_INLINED_INSTS;
        let mut l = Lowerer::new(&lowered, &mut budget, &f.name, &params, f.ret.ty);
        let ret = l.expr(&f.body).map_err(|e| stopped(&format!("fn `{}`", f.name), f.span, e))?;
        lowered[index] = Some(finish(l.b, ret).map_err(|e| stopped(&format!("fn `{}`", f.name), f.span, e))?);
    }
    let fn_names: HashSet<&str> = program.fns.iter().map(|f| f.name.as_str()).collect();
    let tasks = program
        .tasks
        .iter()
        .map(|t| {
            budget.item = MAX_INLINED_INSTS;
            lower_task(t, program, &lowered, &fn_names, &mut budget)
                .map_err(|e| stopped(&format!("task `{}`", t.name), t.span, e))
        })
        .collect::<Result<Vec<Spec>, SynError>>()?;
    let functions = program.fns.iter().map(functions_sig).collect();
    let repairs = program
        .repairs
        .iter()
        .map(|(index, t)| {
            budget.item = MAX_INLINED_INSTS;
            let spec = lower_task(t, program, &lowered, &fn_names, &mut budget)
                .map_err(|e| stopped(&format!("repair `{}`", t.name), t.span, e))?;
            let original = lowered[*index].clone().ok_or_else(|| stopped_missing(&t.name, t.span))?;
            let signature = functions_sig(&program.fns[*index]);
            Ok(Repair { original, signature, spec })
        })
        .collect::<Result<Vec<Repair>, SynError>>()?;
    let module = Module { functions: lowered.into_iter().flatten().collect() };
    Ok(SynFile { module, functions, tasks, repairs })
}

/// The source signature of a checked function.
fn functions_sig(f: &CheckedFn) -> SourceSignature {
    SourceSignature { name: f.name.clone(), params: f.params.clone(), ret: f.ret }
}

/// The error for a repaired function that was not lowered (a bug: lowering covers every fn).
fn stopped_missing(name: &str, span: Span) -> SynError {
    SynError::new(ErrorKind::Internal, span, format!("fn `{name}` was not lowered"))
}

/// `base`, or `base_` etc. if a source function already has that name.
fn fresh_name(base: String, taken: &HashSet<&str>) -> String {
    let mut name = base;
    while taken.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Evaluates a constant expression (an example argument or result).
fn constant(e: &TExpr, fns: &[Option<Function>], budget: &mut Budget) -> Result<u64, Stop> {
    let mut l = Lowerer::new(fns, budget, "example", &[], e.ty.ty);
    let v = l.expr(e)?;
    Ok(ir::eval(&finish(l.b, v)?, &[]))
}

/// Lowers a task; its clauses and examples share one instruction budget.
fn lower_task(
    t: &CheckedTask,
    program: &Program,
    fns: &[Option<Function>],
    taken: &HashSet<&str>,
    budget: &mut Budget,
) -> Result<Spec, Stop> {
    let params: Vec<Type> = t.params.iter().map(|p| p.ty.ty).collect();
    let pre = if t.requires.is_empty() {
        None
    } else {
        let name = fresh_name(format!("{}_pre", t.name), taken);
        Some(Lowerer::new(fns, budget, &name, &params, Type::I1).finish_all(&t.requires)?)
    };
    let post = if t.ensures.is_empty() {
        None
    } else {
        let name = fresh_name(format!("{}_post", t.name), taken);
        let mut with_result = params.clone();
        with_result.push(t.ret.ty);
        Some(Lowerer::new(fns, budget, &name, &with_result, Type::I1).finish_all(&t.ensures)?)
    };
    let mut examples = Vec::new();
    for ex in &t.examples {
        let args = ex.args.iter().map(|a| constant(a, fns, budget)).collect::<Result<Vec<u64>, _>>()?;
        examples.push(Example { args, result: constant(&ex.value, fns, budget)? });
    }
    // Constant hints: literals of the task's clauses, then of every function they reach.
    let mut constants: Vec<(Type, u64)> = Vec::new();
    let mut seen: HashSet<(Type, u64)> = HashSet::new();
    let mut add = |cs: &[(Type, u64)]| {
        for c in cs {
            if seen.insert(*c) {
                constants.push(*c);
            }
        }
    };
    add(&t.constants);
    let mut stack: Vec<usize> = t.calls.iter().rev().copied().collect();
    let mut visited = vec![false; program.fns.len()];
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut visited[i], true) {
            continue;
        }
        add(&program.fns[i].constants);
        stack.extend(program.fns[i].calls.iter().rev().map(|c| c.0));
    }
    Ok(Spec {
        name: t.name.clone(),
        params: t.params.clone(),
        ret: t.ret,
        reference: t.equiv.and_then(|i| fns[i].clone()),
        pre,
        post,
        examples,
        allowed_ops: t.allowed_ops.clone(),
        cost: t.cost,
        timeout: t.timeout,
        max_size: t.max_size,
        constants,
        semantics: t.semantics,
    })
}

#[cfg(test)]
mod tests {
    use crate::syn::parse_syn;

    /// `f0`, then `fN(x) = f(N-1)(x) OP f(N-1)(ARG)` for N = 1..=n.
    fn chain(n: usize, arg: &str) -> String {
        let mut text = String::from("fn f0(x: u32) -> u32 { x * 3 + 1 }\n");
        for i in 1..=n {
            let a = arg.replace('N', &i.to_string());
            text.push_str(&format!("fn f{i}(x: u32) -> u32 {{ f{p}(x) + f{p}({a}) }}\n", p = i - 1));
        }
        text
    }

    #[test]
    fn calls_with_equal_arguments_are_inlined_once() {
        // Written as a tree of 2^40 calls; every level calls the one below on the same value.
        let file = parse_syn(&chain(40, "x")).unwrap();
        assert!(file.module["f40"].body.len() < 100, "{}", file.module["f40"].body.len());
        assert_eq!(ir::eval(&file.module["f2"], &[1]), 16);
    }

    #[test]
    fn doubling_chains_stop_at_the_budget_with_a_located_error() {
        let start = std::time::Instant::now();
        let text = chain(20, "x ^ N");
        let err = parse_syn(&text).unwrap_err();
        assert!(start.elapsed().as_secs() < 2, "took {:?}", start.elapsed());
        let e = &err.errors()[0];
        assert!(e.message.ends_with("expands to more than 100000 instructions after inlining calls"), "{}", e.message);
        let line = text[..e.span.start].matches('\n').count() + 1;
        assert!(e.message.starts_with(&format!("fn `f{}`", line - 1)), "{} at line {line}", e.message);
        // f(f(x)) chains too.
        let mut text = String::from("fn f0(x: u32) -> u32 { x * 3 + 1 }\n");
        for i in 1..=20 {
            text.push_str(&format!("fn f{i}(x: u32) -> u32 {{ f{p}(f{p}(x)) }}\n", p = i - 1));
        }
        let err = parse_syn(&text).unwrap_err();
        assert!(err.errors()[0].message.contains("expands to more than"), "{err}");
    }
}
