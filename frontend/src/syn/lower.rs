//! Lowering a checked program to IR: one [`ir::Function`] per source function (calls inlined,
//! sub-expressions shared by [`CseBuilder`]) and one [`ir::Spec`] per task.
//!
//! `&&`, `||` and `if` become `and`, `or` and `select`: both sides are computed, which is fine
//! because every IR operation is total.

use std::collections::HashMap;

use ir::{Example, Function, Module, Opcode, Spec, Type, Value};

use super::ast::Span;
use super::callgraph::lowering_order;
use super::cse::CseBuilder;
use super::diag::{ErrorKind, SynError};
use super::file::{SourceSignature, SynFile};
use super::typed::{CheckedTask, Program, TExpr, TKind};

/// Lowers expressions into one function under construction.
struct Lowerer<'a> {
    fns: &'a [Option<Function>],
    b: CseBuilder,
    slots: Vec<Option<Value>>,
}

impl<'a> Lowerer<'a> {
    fn new(fns: &'a [Option<Function>], name: &str, params: &[Type], ret: Type) -> Self {
        let b = CseBuilder::new(name, params, ret);
        let slots = (0..params.len()).map(|i| Some(b.param(i))).collect();
        Lowerer { fns, b, slots }
    }

    fn expr(&mut self, e: &TExpr) -> Value {
        match &e.kind {
            TKind::Const(bits) => self.b.inst(Opcode::Iconst, e.ty.ty, &[], *bits),
            TKind::Local(slot) => self.slots[*slot].expect("checked programs define slots before use"),
            TKind::Op(op, args) => {
                let vs: Vec<Value> = args.iter().map(|a| self.expr(a)).collect();
                self.b.inst(*op, e.ty.ty, &vs, 0)
            }
            TKind::Block(lets, tail) => {
                for (slot, value) in lets {
                    let v = self.expr(value);
                    if self.slots.len() <= *slot {
                        self.slots.resize(*slot + 1, None);
                    }
                    self.slots[*slot] = Some(v);
                }
                self.expr(tail)
            }
            TKind::Call(index, args) => {
                let vs: Vec<Value> = args.iter().map(|a| self.expr(a)).collect();
                let callee = self.fns[*index].as_ref().expect("callees are lowered before their callers");
                self.inline(callee, &vs)
            }
        }
    }

    /// Copies `f`'s body with its parameters bound to `args`; returns the value of its result.
    fn inline(&mut self, f: &Function, args: &[Value]) -> Value {
        let mut map: HashMap<Value, Value> = f.params.iter().zip(args).map(|(p, &a)| (p.value, a)).collect();
        for inst in &f.body {
            let operands: Vec<Value> = inst.args.iter().map(|a| map[a]).collect();
            let v = self.b.inst(inst.opcode, inst.ty, &operands, inst.imm);
            map.insert(inst.result, v);
        }
        map[&f.ret]
    }

    /// Lowers the conjunction of `conds` (true if there are none) and finishes the function.
    fn finish_all(mut self, conds: &[TExpr]) -> Result<Function, SynError> {
        let mut acc: Option<Value> = None;
        for c in conds {
            let v = self.expr(c);
            acc = Some(match acc {
                Some(a) => self.b.inst(Opcode::And, Type::I1, &[a, v], 0),
                None => v,
            });
        }
        let ret = match acc {
            Some(v) => v,
            None => self.b.inst(Opcode::Iconst, Type::I1, &[], 1),
        };
        finish(self.b, ret)
    }
}

fn finish(b: CseBuilder, ret: Value) -> Result<Function, SynError> {
    b.finish(ret).map_err(|e| {
        SynError::new(
            ErrorKind::Internal,
            Span::default(),
            format!("internal error: lowering produced invalid IR: {e}"),
        )
    })
}

/// Lowers a program that checked without errors.
pub fn lower(program: &Program) -> Result<SynFile, SynError> {
    let mut lowered: Vec<Option<Function>> = vec![None; program.fns.len()];
    for index in lowering_order(&program.fns) {
        let f = &program.fns[index];
        let params: Vec<Type> = f.params.iter().map(|p| p.ty.ty).collect();
        let mut l = Lowerer::new(&lowered, &f.name, &params, f.ret.ty);
        let ret = l.expr(&f.body);
        lowered[index] = Some(finish(l.b, ret)?);
    }
    let fn_names: Vec<&str> = program.fns.iter().map(|f| f.name.as_str()).collect();
    let tasks = program
        .tasks
        .iter()
        .map(|t| lower_task(t, program, &lowered, &fn_names))
        .collect::<Result<Vec<Spec>, SynError>>()?;
    let functions = program
        .fns
        .iter()
        .map(|f| SourceSignature { name: f.name.clone(), params: f.params.clone(), ret: f.ret })
        .collect();
    let module = Module { functions: lowered.into_iter().flatten().collect() };
    Ok(SynFile { module, functions, tasks })
}

/// `base`, or `base_` etc. if a source function already has that name.
fn fresh_name(base: String, taken: &[&str]) -> String {
    let mut name = base;
    while taken.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Evaluates a constant expression (an example argument or result).
fn constant(e: &TExpr, fns: &[Option<Function>]) -> Result<u64, SynError> {
    let mut l = Lowerer::new(fns, "example", &[], e.ty.ty);
    let v = l.expr(e);
    Ok(ir::eval(&finish(l.b, v)?, &[]))
}

fn lower_task(t: &CheckedTask, program: &Program, fns: &[Option<Function>], taken: &[&str]) -> Result<Spec, SynError> {
    let params: Vec<Type> = t.params.iter().map(|p| p.ty.ty).collect();
    let pre = if t.requires.is_empty() {
        None
    } else {
        let name = fresh_name(format!("{}_pre", t.name), taken);
        Some(Lowerer::new(fns, &name, &params, Type::I1).finish_all(&t.requires)?)
    };
    let post = if t.ensures.is_empty() {
        None
    } else {
        let name = fresh_name(format!("{}_post", t.name), taken);
        let mut with_result = params.clone();
        with_result.push(t.ret.ty);
        Some(Lowerer::new(fns, &name, &with_result, Type::I1).finish_all(&t.ensures)?)
    };
    let mut examples = Vec::new();
    for ex in &t.examples {
        let args = ex.args.iter().map(|a| constant(a, fns)).collect::<Result<Vec<u64>, SynError>>()?;
        examples.push(Example { args, result: constant(&ex.value, fns)? });
    }
    // Constant hints: literals of the task's clauses, then of every function they reach.
    let mut constants: Vec<(Type, u64)> = Vec::new();
    let mut add = |cs: &[(Type, u64)]| {
        for c in cs {
            if !constants.contains(c) {
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
        semantics: ir::Semantics::Total,
    })
}
