//! Production bodies with several instructions, compiled to a dense plan for column evaluation.
//!
//! A template's IR function takes the children's values then the target's parameters; the plan
//! names every operand by where its column lives (a child, a parameter, or an earlier step).

use ir::{Function, Opcode, Type, Value};

use super::columns;

/// Where an operand's column comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Src {
    /// The child with this index.
    Child(usize),
    /// The target parameter with this index.
    Param(usize),
    /// The result of an earlier step.
    Step(usize),
}

#[derive(Debug, Clone, PartialEq)]
struct Step {
    opcode: Opcode,
    ty: Type,
    operand_ty: Type,
    args: Vec<Src>,
    imm: u64,
}

/// A compiled template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// The IR body (children's values, then target parameters -> result).
    pub body: Function,
    steps: Vec<Step>,
    ret: Src,
}

impl Template {
    /// Compiles a verified body whose first `n_children` parameters are the children.
    pub fn new(body: Function, n_children: usize) -> Template {
        let body = body.without_dead_code();
        let mut srcs: std::collections::HashMap<Value, (Src, Type)> = std::collections::HashMap::new();
        for (i, p) in body.params.iter().enumerate() {
            let src = if i < n_children { Src::Child(i) } else { Src::Param(i - n_children) };
            srcs.insert(p.value, (src, p.ty));
        }
        let mut steps = Vec::new();
        for (k, inst) in body.body.iter().enumerate() {
            let operand = if inst.opcode == Opcode::Select { inst.args.get(1) } else { inst.args.first() };
            let operand_ty = operand.map_or(inst.ty, |v| srcs[v].1);
            steps.push(Step {
                opcode: inst.opcode,
                ty: inst.ty,
                operand_ty,
                args: inst.args.iter().map(|a| srcs[a].0).collect(),
                imm: inst.imm,
            });
            srcs.insert(inst.result, (Src::Step(k), inst.ty));
        }
        let ret = srcs[&body.ret].0;
        Template { body, steps, ret }
    }

    /// If the body ends in `select c, a, b` where `a` and `b` are two distinct children and `c`
    /// does not depend on them, the child positions (condition child, then, else).
    pub fn select_slots(&self) -> Option<(usize, usize, usize)> {
        let Src::Step(last) = self.ret else { return None };
        let step = &self.steps[last];
        if step.opcode != Opcode::Select {
            return None;
        }
        let (Src::Child(t), Src::Child(e)) = (step.args[1], step.args[2]) else { return None };
        if t == e {
            return None;
        }
        // The children the condition depends on, through earlier steps.
        let mut deps = std::collections::BTreeSet::new();
        let mut stack = vec![step.args[0]];
        while let Some(src) = stack.pop() {
            match src {
                Src::Child(c) => {
                    deps.insert(c);
                }
                Src::Param(_) => {}
                Src::Step(s) => stack.extend(self.steps[s].args.iter().copied()),
            }
        }
        let mut deps = deps.into_iter();
        match (deps.next(), deps.next()) {
            (Some(c), None) if c != t && c != e => Some((c, t, e)),
            _ => None,
        }
    }

    /// Evaluates into `out`; `temps` is scratch space reused across calls.
    pub fn eval(&self, children: &[&[u64]], params: &[&[u64]], out: &mut [u64], temps: &mut Vec<Vec<u64>>) {
        let n = out.len();
        if temps.len() < self.steps.len() {
            temps.resize_with(self.steps.len(), Vec::new);
        }
        for (k, step) in self.steps.iter().enumerate() {
            let (done, rest) = temps.split_at_mut(k);
            let dst = &mut rest[0];
            dst.clear();
            dst.resize(n, 0);
            if step.opcode == Opcode::Iconst {
                dst.fill(step.imm);
                continue;
            }
            let mut args: [&[u64]; 3] = [&[], &[], &[]];
            for (slot, src) in args.iter_mut().zip(&step.args) {
                *slot = match *src {
                    Src::Child(i) => children[i],
                    Src::Param(i) => params[i],
                    Src::Step(s) => done[s].as_slice(),
                };
            }
            columns::apply(step.opcode, step.ty, step.operand_ty, &args[..step.args.len()], dst);
        }
        match self.ret {
            Src::Child(i) => out.copy_from_slice(children[i]),
            Src::Param(i) => out.copy_from_slice(params[i]),
            Src::Step(s) => out.copy_from_slice(&temps[s]),
        }
    }
}
