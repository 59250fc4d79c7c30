//! Repair: the smallest edit that makes a function meet its spec, proved like any answer.
//!
//! An *edit* replaces the value of one instruction of the original function (a *hole*) by a
//! synthesized term over the function's parameters and the instruction's own operands, so
//! that swapping an operator (`x + 1` to `x - 1`), changing a constant, swapping operands or
//! replacing a whole sub-term are all one edit. Its *size* is the replacement's instruction
//! count (constants free), at least 1 per hole. Edits are tried in order of size (1, 2, ...,
//! [`RepairOptions::max_edit`]); at each size every single hole in the function's order, then
//! every pair of holes (the first [`MAX_HOLE_PAIRS`] pairs, one search with two targets per
//! pair). The first one found is returned, so no smaller edit at one or two holes exists
//! (among the searches that finished within the budget: the report says when some ran out of
//! time).
//!
//! Each hole is a synthesis problem for the enumerative engine: a target `h(params, operands)`
//! whose constraints are the spec's, with the original function inlined into them and the
//! hole's value replaced by a call of `h`. In `defined` semantics the discipline is part of the
//! hole's problem when its inputs are exactly the parameters; for holes with operand inputs
//! only the repaired function's proof enforces it, so a replacement that relies on a guarded
//! case there is dropped and that hole gets no repair. The repaired function (the original with `h`
//! spliced in) is then proved against the whole spec, discipline included, by Z3 and run
//! natively against the interpreter before it is returned.

use std::time::{Duration, Instant};

use ir::{Formula, Function, FunctionBuilder, Node, NodeId, Problem, Sort, Spec, Target, Value};

use crate::search::cost::function_cost;
use crate::solve::{SolveError, SolveOptions, Status, solve_problem, spec_problem, validate};
use crate::verify::{ProblemVerdict, VerifyOptions, check_problem};

/// Budgets of a repair.
#[derive(Debug, Clone)]
pub struct RepairOptions {
    /// The whole repair (default 60 s).
    pub timeout: Duration,
    /// Largest edit size tried (default 3).
    pub max_edit: u32,
    /// The solve options of each hole's search (seed, threads, native checks, semantics).
    pub solve: SolveOptions,
}

impl Default for RepairOptions {
    fn default() -> Self {
        RepairOptions { timeout: Duration::from_secs(60), max_edit: 3, solve: SolveOptions::default() }
    }
}

/// How a repair ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RepairStatus {
    /// The function already meets its spec.
    AlreadyCorrect,
    /// A verified repair.
    Repaired,
    /// No edit up to the largest size was found within the budget.
    NoRepair,
    /// The solver could not decide whether the original meets the spec.
    Unknown,
}

/// The result of a repair (read back from JSON by `synth suite --merge`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RepairReport {
    /// The function's name.
    pub name: String,
    /// How it ended.
    pub status: RepairStatus,
    /// Inputs (one per parameter) on which the original violates the spec (from Z3; `None`
    /// when only examples constrain it or it is correct).
    pub counterexample: Option<Vec<u64>>,
    /// The size of the edit (instructions of the replacement, at least 1).
    pub edit_size: Option<u32>,
    /// The instructions replaced, as IR text (`; `-separated for two holes).
    pub replaced: Option<String>,
    /// Costs (size model) before and after.
    pub cost_before: u32,
    /// See `cost_before`.
    pub cost_after: Option<u32>,
    /// Random inputs on which the repaired function's native code agreed with the interpreter.
    pub native_checks: usize,
    /// Edit searches that ran out of time (the "smallest" claim covers only the others).
    pub undecided_holes: usize,
    /// Why there is no repair, when there is none.
    pub reason: Option<String>,
    /// Wall-clock time in milliseconds.
    pub time_ms: f64,
    /// The repaired function.
    #[serde(skip)]
    pub function: Option<Function>,
}

/// The values an edit may replace: every live instruction but constants, in body order.
fn holes(f: &Function) -> Vec<Value> {
    f.live_insts().iter().filter(|i| i.opcode != ir::Opcode::Iconst).map(|i| i.result).collect()
}

/// The hole's inputs: the function's parameters, then the hole's operands that are not
/// parameters (each once).
fn hole_inputs(f: &Function, hole: Value) -> Vec<Value> {
    let mut inputs: Vec<Value> = f.params.iter().map(|p| p.value).collect();
    if let Some(inst) = f.body.iter().find(|i| i.result == hole) {
        for a in &inst.args {
            if !inputs.contains(a) && f.body.iter().any(|i| i.result == *a && i.opcode != ir::Opcode::Iconst) {
                inputs.push(*a);
            }
        }
    }
    inputs
}

fn type_of(f: &Function, v: Value) -> ir::Type {
    f.params
        .iter()
        .find(|p| p.value == v)
        .map(|p| p.ty)
        .or_else(|| f.body.iter().find(|i| i.result == v).map(|i| i.ty))
        .expect("a value of the function")
}

fn sort_of(ty: ir::Type) -> Sort {
    Sort::BitVec(ty.width())
}

/// One place to edit: the instruction's value and the inputs its replacement may use.
#[derive(Debug, Clone)]
struct Hole {
    value: Value,
    inputs: Vec<Value>,
}

/// Appends `f` applied to `args` to `formula`, with the value of hole `k` computed by a call of
/// target `k` on the hole's inputs; returns the result's node.
fn inline_with_holes(formula: &mut Formula, f: &Function, args: &[NodeId], holes: &[Hole]) -> NodeId {
    let mut map: std::collections::HashMap<Value, NodeId> =
        f.params.iter().map(|p| p.value).zip(args.iter().copied()).collect();
    for inst in &f.body {
        let node = if let Some(k) = holes.iter().position(|h| h.value == inst.result) {
            Node::Call { target: k, args: holes[k].inputs.iter().map(|v| map[v]).collect() }
        } else if inst.opcode == ir::Opcode::Iconst {
            Node::Const(inst.ty, inst.imm)
        } else {
            Node::Op { opcode: inst.opcode, ty: inst.ty, args: inst.args.iter().map(|a| map[a]).collect() }
        };
        let id = formula.push_root(node);
        map.insert(inst.result, id);
    }
    map[&f.ret]
}

/// The synthesis problem of a set of holes: the spec's constraints with every call of the
/// function replaced by the original with hole `k` as a call of target `k`.
fn holes_problem(problem: &Problem, f: &Function, holes: &[Hole]) -> Problem {
    let targets = holes
        .iter()
        .enumerate()
        .map(|(k, h)| Target {
            name: format!("{}_hole{k}", problem.targets[0].name),
            params: h.inputs.iter().enumerate().map(|(i, v)| (format!("a{i}"), sort_of(type_of(f, *v)))).collect(),
            ret: sort_of(type_of(f, h.value)),
            grammar: None,
        })
        .collect();
    let constraints = problem
        .constraints
        .iter()
        .map(|c| {
            let mut out = Formula::default();
            let mut map: Vec<NodeId> = Vec::with_capacity(c.nodes.len());
            for node in &c.nodes {
                let id = match node {
                    Node::Call { args, .. } => {
                        let args: Vec<NodeId> = args.iter().map(|a| map[*a]).collect();
                        inline_with_holes(&mut out, f, &args, holes)
                    }
                    Node::Op { opcode, ty, args } => out.push_root(Node::Op {
                        opcode: *opcode,
                        ty: *ty,
                        args: args.iter().map(|a| map[*a]).collect(),
                    }),
                    other => out.push_root(other.clone()),
                };
                map.push(id);
            }
            // The root must be last.
            let root = map[c.root()];
            if root != out.root() {
                out.push_root(Node::Op { opcode: ir::Opcode::Or, ty: ir::Type::I1, args: vec![root, root] });
            }
            out
        })
        .collect();
    // The discipline carries over for one hole whose inputs are exactly the parameters (its
    // guard cases are then over the problem's variables, which is what `Safety` describes);
    // otherwise the repaired function's own proof checks it.
    let single = holes.len() == 1 && holes[0].inputs.len() == f.params.len();
    let safety = if single { problem.safety.clone() } else { None };
    Problem { name: problem.name.clone(), targets, constraints, safety, ..problem.clone() }
}

/// `f` with the value of each hole computed by its replacement applied to the hole's inputs.
fn splice(f: &Function, holes: &[Hole], replacements: &[Function]) -> Option<Function> {
    let mut b = FunctionBuilder::new(&f.name, &f.param_types(), f.ret_ty);
    let mut map: std::collections::HashMap<Value, Value> =
        f.params.iter().enumerate().map(|(i, p)| (p.value, b.param(i))).collect();
    for inst in &f.body {
        let v = if let Some(k) = holes.iter().position(|h| h.value == inst.result) {
            let args: Vec<Value> = holes[k].inputs.iter().map(|v| map[v]).collect();
            ir::inline_into(&mut b, replacements.get(k)?, &args)
        } else {
            let args: Vec<Value> = inst.args.iter().map(|a| map[a]).collect();
            b.inst(inst.opcode, inst.ty, &args, inst.imm)
        };
        map.insert(inst.result, v);
    }
    b.finish(map[&f.ret]).ok().map(|g| crate::search::simplify(&g.without_dead_code()))
}

/// The size of an edit: each replacement's instruction count, at least 1 per hole.
fn edit_size(replacements: &[Function]) -> u32 {
    replacements.iter().map(|h| function_cost(ir::CostModel::Size, h).max(1)).sum()
}

/// Most pairs of holes tried for two-hole edits (the first ones in body order).
pub const MAX_HOLE_PAIRS: usize = 45;

/// Repairs `original` against `spec` (whose name, parameters and result are the function's).
pub fn repair(original: &Function, spec: &Spec, opts: &RepairOptions) -> Result<RepairReport, SolveError> {
    let start = Instant::now();
    let deadline = crate::search::deadline_after(start, opts.timeout);
    let problem = spec_problem(spec, &opts.solve);
    let mut report = RepairReport {
        name: spec.name.clone(),
        status: RepairStatus::NoRepair,
        counterexample: None,
        edit_size: None,
        replaced: None,
        cost_before: function_cost(ir::CostModel::Size, original),
        cost_after: None,
        native_checks: 0,
        undecided_holes: 0,
        reason: None,
        time_ms: 0.0,
        function: None,
    };
    let verify = VerifyOptions::with_timeout(opts.solve.query_timeout.min(opts.timeout));
    let finish = |mut r: RepairReport| {
        r.time_ms = start.elapsed().as_secs_f64() * 1000.0;
        Ok(r)
    };
    match check_problem(&problem, std::slice::from_ref(original), &verify) {
        Ok(ProblemVerdict::Holds) => {
            report.status = RepairStatus::AlreadyCorrect;
            return finish(report);
        }
        Ok(ProblemVerdict::Violated { vars }) => {
            report.counterexample = (!spec.is_examples_only()).then_some(vars);
        }
        Ok(ProblemVerdict::Unknown(reason)) => {
            report.status = RepairStatus::Unknown;
            report.reason = Some(format!("the solver could not decide whether the original is correct: {reason}"));
            return finish(report);
        }
        Err(e) => return Err(SolveError::Verification(e.to_string())),
    }
    let singles: Vec<Hole> =
        holes(original).into_iter().map(|v| Hole { value: v, inputs: hole_inputs(original, v) }).collect();
    // Edits in order of size; at each size, one hole first, then two.
    let pairs: Vec<Vec<Hole>> = (0..singles.len())
        .flat_map(|i| (i + 1..singles.len()).map(move |j| (i, j)))
        .take(MAX_HOLE_PAIRS)
        .map(|(i, j)| vec![singles[i].clone(), singles[j].clone()])
        .collect();
    let mut plans: Vec<(u32, Vec<Hole>)> = Vec::new();
    for size in 1..=opts.max_edit {
        plans.extend(singles.iter().map(|h| (size, vec![h.clone()])));
        if size >= 2 {
            plans.extend(pairs.iter().map(|p| (size, p.clone())));
        }
    }
    for (k, (size, plan)) in plans.iter().enumerate() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            report.reason = Some(format!("budget exhausted while trying edits of size {size}"));
            return finish(report);
        }
        // Share what is left among the searches still to run.
        let share = (left / (plans.len() - k) as u32).max(Duration::from_millis(100)).min(left);
        let sub = holes_problem(&problem, original, plan);
        let solve = SolveOptions {
            timeout: Some(share),
            max_size: Some(*size),
            prove_optimal: false,
            alternatives: 0,
            semantics: None,
            engine: crate::solve::Engine::Enum,
            native_checks: opts.solve.native_checks.min(1000),
            ..opts.solve.clone()
        };
        let r = match solve_problem(&sub, &solve, &mut |_| {}) {
            Ok(r) => r,
            Err(_) => continue,
        };
        let replacements: Vec<Function> =
            if r.functions.len() == plan.len() { r.functions.clone() } else { r.function.iter().cloned().collect() };
        match r.status {
            Status::Solved if replacements.len() == plan.len() && edit_size(&replacements) <= *size => {
                let Some(repaired) = splice(original, plan, &replacements) else { continue };
                // The whole function against the whole spec, discipline included.
                if !matches!(
                    check_problem(&problem, std::slice::from_ref(&repaired), &verify),
                    Ok(ProblemVerdict::Holds)
                ) {
                    continue;
                }
                let native_deadline = Instant::now() + Duration::from_secs(5);
                let checks = validate(
                    &problem,
                    std::slice::from_ref(&repaired),
                    opts.solve.native_checks,
                    10_000,
                    opts.solve.seed,
                    native_deadline,
                )
                .map_err(|e| SolveError::Verification(e.to_string()))?;
                report.status = RepairStatus::Repaired;
                report.edit_size = Some(edit_size(&replacements));
                let replaced: Vec<String> = plan
                    .iter()
                    .filter_map(|h| original.body.iter().find(|i| i.result == h.value))
                    .map(|i| {
                        let args: Vec<String> = i.args.iter().map(ToString::to_string).collect();
                        format!("{} = {} {}", i.result, i.opcode, args.join(", "))
                    })
                    .collect();
                report.replaced = Some(replaced.join("; "));
                report.cost_after = Some(function_cost(ir::CostModel::Size, &repaired));
                report.native_checks = checks;
                report.function = Some(repaired);
                return finish(report);
            }
            // Edits of this size at these holes were not all refuted.
            Status::Unknown => report.undecided_holes += 1,
            Status::NoSolution if r.largest_size.is_none_or(|l| l < *size) => report.undecided_holes += 1,
            _ => {}
        }
    }
    report.reason = Some(format!("no edit of size {} or less fixes it", opts.max_edit));
    finish(report)
}

#[cfg(test)]
mod tests;
