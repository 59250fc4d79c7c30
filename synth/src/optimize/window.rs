//! Windows of a function for Souper-style improvement: a sub-DAG rooted at one instruction and
//! cut at a few values (its inputs), taken out as a function of its own, and spliced back after
//! the enumerator found a cheaper equivalent.
//!
//! Cuts are enumerated bottom-up as in logic synthesis (k-feasible cuts): a value's cuts are
//! itself and the unions of one cut per operand, kept when they have at most `k` leaves;
//! parameters are leaves, constants are absorbed into the window. A window's *saving bound* is
//! the cost of the instructions that only it uses (the root included): replacing it removes at
//! most those.

use std::collections::{BTreeSet, HashMap, HashSet};

use ir::{CostModel, Function, FunctionBuilder, Opcode, Value};

use crate::search::cost::op_cost;

/// At most this many cuts are kept per value (the largest windows first).
const CUTS_PER_VALUE: usize = 8;

/// A window: `function` computes `root` from `leaves` (its parameters, in order).
#[derive(Debug, Clone)]
pub struct Window {
    /// The instruction the window computes.
    pub root: Value,
    /// The window's inputs, values of the enclosing function.
    pub leaves: Vec<Value>,
    /// The cone as a function of the leaves.
    pub function: Function,
    /// The cost of the instructions used only inside the window (what replacing it can save).
    pub exclusive_cost: u32,
}

/// Candidate windows of `f` with at most `k` inputs, largest saving bound first, each root once.
pub fn windows(f: &Function, k: usize, model: CostModel) -> Vec<Window> {
    let live = f.live_insts();
    let is_const: HashSet<Value> = live.iter().filter(|i| i.opcode == Opcode::Iconst).map(|i| i.result).collect();
    let mut cuts: HashMap<Value, Vec<BTreeSet<Value>>> = HashMap::new();
    for p in &f.params {
        cuts.insert(p.value, vec![BTreeSet::from([p.value])]);
    }
    for inst in &live {
        if inst.opcode == Opcode::Iconst {
            cuts.insert(inst.result, vec![BTreeSet::new()]);
            continue;
        }
        let mut combined: Vec<BTreeSet<Value>> = vec![BTreeSet::new()];
        for a in &inst.args {
            let mut next = Vec::new();
            for left in &combined {
                for right in &cuts[a] {
                    let union: BTreeSet<Value> = left.union(right).copied().collect();
                    if union.len() <= k && !next.contains(&union) {
                        next.push(union);
                    }
                }
            }
            combined = next;
        }
        // Prefer deep cuts (more instructions inside) by keeping those whose leaves are early.
        combined.sort_by_key(|c| c.iter().map(|v| v.0).sum::<u32>());
        combined.truncate(CUTS_PER_VALUE - 1);
        combined.push(BTreeSet::from([inst.result]));
        cuts.insert(inst.result, combined);
    }
    let uses = use_counts(f);
    let mut out = Vec::new();
    for inst in &live {
        if inst.opcode == Opcode::Iconst {
            continue;
        }
        let mut best: Option<Window> = None;
        for cut in &cuts[&inst.result] {
            if cut.contains(&inst.result) || cut.iter().any(|v| is_const.contains(v)) {
                continue;
            }
            let leaves: Vec<Value> = cut.iter().copied().collect();
            let Some(window) = extract(f, inst.result, &leaves, &uses, model) else { continue };
            if window.exclusive_cost >= 2 && best.as_ref().is_none_or(|b| window.exclusive_cost > b.exclusive_cost) {
                best = Some(window);
            }
        }
        out.extend(best);
    }
    out.sort_by_key(|w| std::cmp::Reverse(w.exclusive_cost));
    out
}

/// How many times each value is used (the result counts as a use).
fn use_counts(f: &Function) -> HashMap<Value, usize> {
    let mut uses: HashMap<Value, usize> = HashMap::new();
    for inst in f.live_insts() {
        for a in &inst.args {
            *uses.entry(*a).or_default() += 1;
        }
    }
    *uses.entry(f.ret).or_default() += 1;
    uses
}

/// The window of `f` rooted at `root` with inputs `leaves`, if the cone between them is closed.
fn extract(
    f: &Function,
    root: Value,
    leaves: &[Value],
    uses: &HashMap<Value, usize>,
    model: CostModel,
) -> Option<Window> {
    let index: HashMap<Value, usize> = f.body.iter().enumerate().map(|(i, inst)| (inst.result, i)).collect();
    // The cone: instructions reachable from the root without crossing a leaf.
    let mut cone: BTreeSet<usize> = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(v) = stack.pop() {
        if leaves.contains(&v) {
            continue;
        }
        let &i = index.get(&v)?; // a parameter that is not a leaf: not a closed cut
        if cone.insert(i) {
            stack.extend(f.body[i].args.iter().copied());
        }
    }
    let types: Vec<ir::Type> = leaves.iter().map(|&v| f.value_type(v)).collect::<Option<_>>()?;
    let mut b = FunctionBuilder::new(&format!("{}_window", f.name), &types, f.value_type(root)?);
    let mut map: HashMap<Value, Value> = leaves.iter().enumerate().map(|(i, &v)| (v, b.param(i))).collect();
    for &i in &cone {
        let inst = &f.body[i];
        let args: Vec<Value> = inst.args.iter().map(|a| map[a]).collect();
        let v = b.inst(inst.opcode, inst.ty, &args, inst.imm);
        map.insert(inst.result, v);
    }
    let function = b.finish(map[&root]).ok()?;
    // Instructions of the cone whose every use is inside the cone (the root always counts).
    let mut inside_uses: HashMap<Value, usize> = HashMap::new();
    for &i in &cone {
        for a in &f.body[i].args {
            *inside_uses.entry(*a).or_default() += 1;
        }
    }
    let exclusive_cost = cone
        .iter()
        .map(|&i| &f.body[i])
        .filter(|inst| inst.result == root || inside_uses.get(&inst.result) == uses.get(&inst.result))
        .map(|inst| op_cost(model, inst.opcode))
        .sum();
    Some(Window { root, leaves: leaves.to_vec(), function, exclusive_cost })
}

/// `f` with the window's root computed by `replacement` (a function of the window's leaves)
/// instead; instructions nothing uses any more are dropped.
pub fn splice(f: &Function, window: &Window, replacement: &Function) -> Option<Function> {
    let mut b = FunctionBuilder::new(&f.name, &f.param_types(), f.ret_ty);
    let mut map: HashMap<Value, Value> = f.params.iter().enumerate().map(|(i, p)| (p.value, b.param(i))).collect();
    for inst in &f.body {
        let v = if inst.result == window.root {
            let args: Vec<Value> = window.leaves.iter().map(|l| map[l]).collect();
            ir::inline_into(&mut b, replacement, &args)
        } else {
            let args: Vec<Value> = inst.args.iter().map(|a| map[a]).collect();
            b.inst(inst.opcode, inst.ty, &args, inst.imm)
        };
        map.insert(inst.result, v);
    }
    b.finish(map[&f.ret]).ok().map(|g| crate::search::simplify(&g))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_closed_cones_and_splice_back() {
        let f = ir::parse_function(
            "fn f(v0: i8, v1: i8) -> i8 {\n  v2 = add v0, v0\n  v3 = add v2, v2\n  v4 = iconst.i8 3\n  v5 = shl v0, v4\n  v6 = sub v5, v3\n  v7 = xor v6, v1\n  ret v7\n}\n",
        )
        .unwrap();
        let ws = windows(&f, 2, CostModel::Size);
        assert!(!ws.is_empty());
        for w in &ws {
            assert!(w.leaves.len() <= 2 && w.exclusive_cost >= 2, "{w:?}");
            // Splicing the window back unchanged keeps the function's meaning.
            let g = splice(&f, w, &w.function).unwrap();
            for x in 0..=255u64 {
                assert_eq!(ir::eval(&g, &[x, 7]), ir::eval(&f, &[x, 7]), "{w:?}");
            }
        }
        // The root `v6 = (x << 3) - 4x` over the single input x is among them, with its 4
        // exclusive instructions.
        assert!(ws.iter().any(|w| w.leaves.len() == 1 && w.exclusive_cost == 4), "{ws:?}");
    }
}
