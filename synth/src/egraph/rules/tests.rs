//! The rule prover: every rule of the table, at every width it fires at, proved by Z3.
//!
//! A rule *instance* is the rule at one assignment of its type variables over widths 1, 4, 8,
//! 16, 32 and 64 (every combination for rules with several, as long as the left-hand side is
//! well-typed there and the rule fires there: its [`Widths`](super::Widths) and type
//! conditions allow it). Each instance becomes IR functions whose parameters are the pattern
//! variables: the claim `cond => lhs == rhs` is proved with [`crate::verify::check_equivalent`]
//! against the constant `true` (many instances are conjoined into one query; a query Z3
//! cannot decide in time is split, and a single undecided instance with constant variables is
//! proved case by case: Z3 enumerates every constant value the condition allows, with
//! [`crate::verify::check_spec`], and each case is proved with the constants substituted).
//! A counterexample names the rule, the types and the inputs, confirmed by the interpreter.
//!
//! The instances at which a rule must not fire (other widths, failed type conditions) are
//! checked on e-graphs: the rule's searcher finds no match in its own left-hand side there,
//! and does find one at every width where it fires.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ir::{Function, FunctionBuilder, Opcode, Type, Value};

use super::super::analysis::IrEGraph;
use super::super::convert::to_recexpr;
use super::super::pattern::{CompiledRule, PatNode, Rule, Side};
use super::{RuleSpec, Theory, Widths, all, compiled};
use crate::verify::{SpecVerdict, Verdict, VerifyOptions, check_equivalent, check_spec};

/// The widths every rule is proved at.
const WIDTHS: &[u32] = &[1, 4, 8, 16, 32, 64];

/// One rule at one full type assignment.
struct Instance<'a> {
    rule: &'a CompiledRule,
    tys: Vec<Type>,
}

impl Instance<'_> {
    fn describe(&self) -> String {
        let tys: Vec<String> = self
            .rule
            .tvars
            .iter()
            .zip(&self.tys)
            .filter(|(t, _)| t.fixed.is_none())
            .map(|(t, ty)| format!("{}={ty}", t.name.as_deref().unwrap_or("_")))
            .collect();
        format!("`{}` [{}] at {}", self.rule.name(), self.rule.spec.lhs, tys.join(" "))
    }

    fn param_types(&self) -> Vec<Type> {
        self.rule.param_types(&self.tys)
    }

    /// Emits `cond => lhs == rhs` with `vars` for the rule's variables.
    fn emit_claim(&self, b: &mut FunctionBuilder, vars: &[Value]) -> Value {
        let r = self.rule;
        let lhs = r.emit(b, &r.lhs, &self.tys, vars);
        let rhs = r.emit(b, &r.rhs, &self.tys, vars);
        let eq = b.binary(Opcode::Eq, lhs, rhs);
        match &r.cond {
            None => eq,
            Some(cond) => {
                let c = r.emit(b, cond, &self.tys, vars);
                let not_c = b.unary(Opcode::Not, c);
                b.binary(Opcode::Or, not_c, eq)
            }
        }
    }

    /// Both sides (and the condition) as functions: an error if one is ill-typed here.
    fn check_typing(&self) -> Result<(), String> {
        let r = self.rule;
        r.side_function(&r.lhs, &self.tys, "lhs").map_err(|e| format!("{}: lhs ill-typed: {e}", self.describe()))?;
        r.side_function(&r.rhs, &self.tys, "rhs").map_err(|e| format!("{}: rhs ill-typed: {e}", self.describe()))?;
        if let Some(cond) = &r.cond {
            r.side_function(cond, &self.tys, "cond")
                .map_err(|e| format!("{}: condition ill-typed: {e}", self.describe()))?;
        }
        Ok(())
    }
}

/// The conjunction of the instances' claims, each over its own parameters.
fn batch(instances: &[&Instance]) -> (Function, Function) {
    let types: Vec<Type> = instances.iter().flat_map(|i| i.param_types()).collect();
    let mut b = FunctionBuilder::new("claims", &types, Type::I1);
    let mut next = 0;
    let mut all = b.iconst(Type::I1, 1);
    for inst in instances {
        let n = inst.rule.vars.len();
        let vars: Vec<Value> = (next..next + n).map(|i| b.param(i)).collect();
        next += n;
        let claim = inst.emit_claim(&mut b, &vars);
        all = b.binary(Opcode::And, all, claim);
    }
    let claims = b.finish(all).expect("claims are well-typed");
    let mut t = FunctionBuilder::new("true", &types, Type::I1);
    let one = t.iconst(Type::I1, 1);
    (claims, t.finish(one).expect("a constant is well-typed"))
}

/// The instance's claim on concrete inputs, by the interpreter.
fn claim_holds(inst: &Instance, inputs: &[u64]) -> bool {
    let (f, _) = batch(&[inst]);
    ir::eval(&f, inputs) == 1
}

/// The outcome of proving a set of instances: failures (counterexamples or errors).
#[derive(Default)]
struct Report {
    failures: Vec<String>,
    instances: usize,
    queries: usize,
    /// Seconds per query, with what it proved.
    timings: Vec<(f64, String)>,
    case_splits: Vec<String>,
}

fn prove(instances: &[&Instance], timeout: Duration, report: &mut Report) {
    if instances.is_empty() {
        return;
    }
    let (claims, truth) = batch(instances);
    report.queries += 1;
    let t0 = Instant::now();
    let verdict = check_equivalent(&claims, &truth, &VerifyOptions::with_timeout(timeout));
    let what = if instances.len() == 1 { instances[0].describe() } else { format!("{} instances", instances.len()) };
    report.timings.push((t0.elapsed().as_secs_f64(), what));
    match verdict {
        Ok(Verdict::Equivalent) => {}
        Ok(Verdict::NotEquivalent(cex)) => {
            // Find the instances the counterexample refutes, report them, prove the rest.
            let mut at = 0;
            let mut rest = Vec::new();
            for inst in instances {
                let n = inst.rule.vars.len();
                let inputs = &cex.inputs[at..at + n];
                at += n;
                if claim_holds(inst, inputs) {
                    rest.push(*inst);
                } else {
                    let r = inst.rule;
                    let lhs = r.side_function(&r.lhs, &inst.tys, "lhs").expect("typed");
                    let rhs = r.side_function(&r.rhs, &inst.tys, "rhs").expect("typed");
                    report.failures.push(format!(
                        "{} is unsound: on {:?} ({}) the left-hand side gives {:#x}, the right-hand side {:#x}",
                        inst.describe(),
                        inputs,
                        r.vars.iter().map(|v| v.name.as_str()).collect::<Vec<_>>().join(", "),
                        ir::eval(&lhs, inputs),
                        ir::eval(&rhs, inputs),
                    ));
                }
            }
            if rest.len() == instances.len() {
                report.failures.push(format!("a counterexample refutes none of {} instances", instances.len()));
            } else {
                prove(&rest, timeout, report);
            }
        }
        Ok(Verdict::Unknown(_)) if instances.len() > 1 => {
            let (a, b) = instances.split_at(instances.len() / 2);
            prove(a, timeout, report);
            prove(b, timeout, report);
        }
        Ok(Verdict::Unknown(reason)) => {
            if !prove_by_cases(instances[0], report) {
                report.failures.push(format!("{}: Z3 gave up ({reason})", instances[0].describe()));
            }
        }
        Err(e) => report.failures.push(format!("{}: verifier error {e}", instances[0].describe())),
    }
}

/// `f` is the constant `true` (for every input), by Z3.
fn prove_true(f: &Function, timeout: Duration, report: &mut Report, what: &str) -> Result<Verdict, String> {
    let mut t = FunctionBuilder::new("true", &f.param_types(), Type::I1);
    let one = t.iconst(Type::I1, 1);
    let truth = t.finish(one).expect("a constant is well-typed");
    report.queries += 1;
    let t0 = Instant::now();
    let verdict = check_equivalent(f, &truth, &VerifyOptions::with_timeout(timeout)).map_err(|e| e.to_string());
    report.timings.push((t0.elapsed().as_secs_f64(), what.to_string()));
    verdict
}

/// The conjunction of the instance's claim under each substitution (`Some(value)` replaces a
/// variable, `None` keeps it a parameter; the substitutions agree on which), each claim
/// weakened to `amount <u N || claim` if `residual` names an amount variable.
fn case_claims(inst: &Instance, substs: &[Vec<Option<u64>>], residual: Option<usize>) -> Function {
    let types = inst.param_types();
    let kept: Vec<usize> = (0..types.len()).filter(|&i| substs[0][i].is_none()).collect();
    let kept_types: Vec<Type> = kept.iter().map(|&i| types[i]).collect();
    let mut b = FunctionBuilder::new("cases", &kept_types, Type::I1);
    let params: Vec<Value> = (0..kept.len()).map(|k| b.param(k)).collect();
    let mut all = b.iconst(Type::I1, 1);
    for subst in substs {
        let vars: Vec<Value> = (0..types.len())
            .map(|i| match subst[i] {
                Some(value) => b.iconst(types[i], value),
                None => params[kept.iter().position(|&k| k == i).expect("a kept variable")],
            })
            .collect();
        let mut claim = inst.emit_claim(&mut b, &vars);
        if let Some(v) = residual {
            let width = b.iconst(types[v], u64::from(types[v].width()));
            let small = b.binary(Opcode::Ult, vars[v], width);
            claim = b.binary(Opcode::Or, small, claim);
        }
        all = b.binary(Opcode::And, all, claim);
    }
    b.finish(all).expect("claims are well-typed")
}

/// Proves the claims of `substs` in chunks (halving a chunk Z3 cannot decide); false with a
/// failure recorded on the first refuted or undecided one.
fn prove_cases(inst: &Instance, substs: &[Vec<Option<u64>>], residual: Option<usize>, report: &mut Report) -> bool {
    let mut pending: Vec<&[Vec<Option<u64>>]> = substs.chunks(256).collect();
    while let Some(chunk) = pending.pop() {
        let f = case_claims(inst, chunk, residual);
        let what = format!("{} ({} cases)", inst.describe(), chunk.len());
        match prove_true(&f, Duration::from_secs(10), report, &what) {
            Ok(Verdict::Equivalent) => {}
            Ok(Verdict::NotEquivalent(cex)) => {
                report.failures.push(format!("{} is unsound: a case fails on {:?}", inst.describe(), cex.inputs));
                return false;
            }
            Ok(Verdict::Unknown(_)) if chunk.len() > 1 => {
                let (a, b) = chunk.split_at(chunk.len() / 2);
                pending.push(a);
                pending.push(b);
            }
            Ok(Verdict::Unknown(why)) => {
                report.failures.push(format!("{}: undecided case {:?}: {why}", inst.describe(), chunk[0]));
                return false;
            }
            Err(e) => {
                report.failures.push(format!("{}: verifier error {e}", inst.describe()));
                return false;
            }
        }
    }
    true
}

/// Proves one instance case by case, when Z3 struggles with it symbolically (wide shifts by
/// a variable amount, wide divisions). Returns false if the instance has nothing to split on
/// (or too many cases); otherwise its outcome is in `report`.
///
/// - With a condition over `#` constants: each constant gets a pool of candidate values
///   (small numbers, powers of two and their neighbours, edge values); Z3 proves that no
///   value outside the pools meets the condition (a value it finds joins its pool and the
///   proof repeats); the cases are the combinations of pool values that meet the condition
///   (evaluated exactly, the condition reads only constants), each proved with the constants
///   substituted and the other variables symbolic.
/// - Else, with a variable used as a shift or rotate amount: the cases are each amount below
///   the width, substituted, and one symbolic case for the amounts at or above the width.
fn prove_by_cases(inst: &Instance, report: &mut Report) -> bool {
    const MAX_CASES: usize = 5000;
    let r = inst.rule;
    let types = inst.param_types();
    let n = types.len();
    let start = Instant::now();
    let constants: Vec<usize> = (0..n).filter(|&i| r.vars[i].constant).collect();
    let substs: Vec<Vec<Option<u64>>>;
    let mut residual = None;
    if let (Some(cond), false) = (&r.cond, constants.is_empty()) {
        let cond_fn = r.side_function(cond, &inst.tys, "cond").expect("typed");
        let cond_eval = ir::Interpreter::new(&cond_fn).expect("typed");
        let mut pools: Vec<Vec<u64>> = constants
            .iter()
            .map(|&v| {
                let ty = types[v];
                let w = u64::from(ty.width());
                let mut pool: Vec<u64> = (0..(2 * w + 2)).collect();
                for k in 0..w {
                    pool.extend([1u64 << k, (1u64 << k).wrapping_sub(1), (1u64 << k).wrapping_add(1)]);
                }
                pool.extend([ty.mask(), ty.signed_min(), ty.signed_max()]);
                let mut pool: Vec<u64> = pool.into_iter().map(|v| ty.wrap(v)).collect();
                pool.sort_unstable();
                pool.dedup();
                pool
            })
            .collect();
        // Keep the values the condition allows with some value of each other constant.
        let all_pools = pools.clone();
        for (k, &v) in constants.iter().enumerate() {
            pools[k].retain(|&value| {
                let mut args = vec![0u64; n];
                args[v] = value;
                cond_eval.eval(&args) == 1
                    || constants.iter().enumerate().filter(|&(j, _)| j != k).any(|(j, &o)| {
                        all_pools[j].iter().any(|&u| {
                            let mut args = args.clone();
                            args[o] = u;
                            cond_eval.eval(&args) == 1
                        })
                    })
            });
        }
        // Completeness: no value outside the pools meets the condition (a few rounds; a
        // condition met by many values, like `c >= N`, is left to the symbolic proof).
        for round in 0.. {
            if round == 4 || pools.iter().map(Vec::len).product::<usize>() > MAX_CASES * 4 {
                return false;
            }
            let mut pre = FunctionBuilder::new("pre", &types, Type::I1);
            let vars: Vec<Value> = (0..n).map(|i| pre.param(i)).collect();
            let c = r.emit(&mut pre, cond, &inst.tys, &vars);
            let mut outside = pre.iconst(Type::I1, 0);
            for (k, &v) in constants.iter().enumerate() {
                let mut out = pre.iconst(Type::I1, 1);
                for &value in &pools[k] {
                    let cv = pre.iconst(types[v], value);
                    let ne = pre.binary(Opcode::Ne, vars[v], cv);
                    out = pre.binary(Opcode::And, out, ne);
                }
                outside = pre.binary(Opcode::Or, outside, out);
            }
            let acc = pre.binary(Opcode::And, c, outside);
            let pre = pre.finish(acc).expect("typed");
            let mut f = FunctionBuilder::new("f", &types, Type::I1);
            let zero = f.iconst(Type::I1, 0);
            let f = f.finish(zero).expect("typed");
            let mut post_types = types.clone();
            post_types.push(Type::I1);
            let mut post = FunctionBuilder::new("post", &post_types, Type::I1);
            let no = post.iconst(Type::I1, 0);
            let post = post.finish(no).expect("typed");
            report.queries += 1;
            match check_spec(&f, Some(&pre), &post, &VerifyOptions::default()) {
                Ok(SpecVerdict::Holds) => break,
                Ok(SpecVerdict::Violated { inputs, .. }) => {
                    for (k, &v) in constants.iter().enumerate() {
                        if !pools[k].contains(&inputs[v]) {
                            pools[k].push(inputs[v]);
                        }
                    }
                }
                Ok(SpecVerdict::Unknown(why)) => {
                    report.failures.push(format!("{}: cannot enumerate the condition's cases: {why}", inst.describe()));
                    return true;
                }
                Err(e) => {
                    report.failures.push(format!("{}: verifier error {e}", inst.describe()));
                    return true;
                }
            }
        }
        // The combinations that meet the condition.
        let mut cases = Vec::new();
        let mut counter = vec![0usize; constants.len()];
        'product: loop {
            let mut args = vec![0u64; n];
            for (k, &v) in constants.iter().enumerate() {
                args[v] = pools[k][counter[k]];
            }
            if cond_eval.eval(&args) == 1 {
                let subst: Vec<Option<u64>> = (0..n).map(|i| constants.contains(&i).then_some(args[i])).collect();
                cases.push(subst);
            }
            let mut k = 0;
            loop {
                if k == constants.len() {
                    break 'product;
                }
                counter[k] += 1;
                if counter[k] < pools[k].len() {
                    break;
                }
                counter[k] = 0;
                k += 1;
            }
        }
        if cases.len() > MAX_CASES {
            return false;
        }
        if cases.is_empty() {
            report.case_splits.push(format!("{}: the condition never holds", inst.describe()));
            return true;
        }
        substs = cases;
    } else {
        // A variable used as a shift or rotate amount.
        let amount = |side: &Side| -> Option<usize> {
            side.nodes.iter().find_map(|node| match node {
                PatNode::Op(Opcode::Shl | Opcode::Lshr | Opcode::Ashr | Opcode::Rotl | Opcode::Rotr, kids) => {
                    match side.nodes[kids[1]] {
                        PatNode::Var(v) if !r.vars[v].constant => Some(v),
                        _ => None,
                    }
                }
                _ => None,
            })
        };
        let Some(v) = amount(&r.lhs).or_else(|| amount(&r.rhs)) else { return false };
        let w = u64::from(types[v].width());
        substs = (0..w).map(|value| (0..n).map(|i| (i == v).then_some(value)).collect()).collect();
        residual = Some(v);
    }
    if std::env::var("SYNTH_PROVER_TRACE").is_ok() {
        eprintln!("{}: {} cases after {:.2} s", inst.describe(), substs.len(), start.elapsed().as_secs_f64());
    }
    let ok = prove_cases(inst, &substs, None, report);
    // The amounts at or above the width, symbolically.
    let ok = ok
        && match residual {
            None => true,
            Some(v) => {
                let symbolic: Vec<Vec<Option<u64>>> = vec![vec![None; n]];
                let _ = v;
                prove_cases(inst, &symbolic, residual, report)
            }
        };
    if ok {
        report.case_splits.push(format!(
            "{} by {} cases in {:.2} s",
            inst.describe(),
            substs.len() + usize::from(residual.is_some()),
            start.elapsed().as_secs_f64()
        ));
    }
    true
}

/// Every instance of `rules` (the widths at which each fires), after checking their typing.
fn instances_of<'a>(rules: &'a [&'a CompiledRule], widths: &[u32], failures: &mut Vec<String>) -> Vec<Instance<'a>> {
    let mut out = Vec::new();
    for rule in rules {
        let (fires, _) = rule.assignments(widths);
        if fires.is_empty() {
            failures.push(format!("`{}` fires at no width", rule.name()));
        }
        for tys in fires {
            let inst = Instance { rule, tys };
            match inst.check_typing() {
                Ok(()) => out.push(inst),
                Err(e) => failures.push(e),
            }
        }
    }
    out
}

/// Proves `rules` at every width they fire at; the failures.
///
/// Instances with a condition over constants at widths of 32 and more go straight to a case
/// split (Z3 struggles with wide symbolic shift amounts and divisors); the others are proved
/// symbolically, many per query, grouped by width.
fn prove_rules(rules: &[&CompiledRule], widths: &[u32]) -> Report {
    let mut report = Report::default();
    let instances = instances_of(rules, widths, &mut report.failures);
    report.instances = instances.len();
    let mut groups: Vec<Vec<&Instance>> = vec![Vec::new(); 4];
    for inst in &instances {
        let widest = inst.tys.iter().map(|t| t.width()).max().unwrap_or(1);
        if widest >= 32 && prove_by_cases(inst, &mut report) {
            continue;
        }
        let g = match widest {
            0..=8 => 0,
            9..=16 => 1,
            17..=32 => 2,
            _ => 3,
        };
        groups[g].push(inst);
    }
    let size: usize = std::env::var("SYNTH_PROVER_CHUNK").ok().and_then(|s| s.parse().ok()).unwrap_or(100);
    for group in groups {
        for chunk in group.chunks(size) {
            prove(chunk, Duration::from_secs(10), &mut report);
        }
    }
    report
}

#[test]
fn every_rule_compiles_and_names_are_unique() {
    let rules = compiled().unwrap();
    assert_eq!(rules.len(), all().len());
    let mut names: Vec<&str> = all().iter().map(|r| r.name).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(names.len(), before, "duplicate rule names");
    for name in names {
        assert!(
            name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !name.starts_with('-')
                && !name.ends_with('-'),
            "`{name}` is not kebab-case"
        );
    }
    assert!(all().len() >= 50);
}

#[test]
fn every_rule_is_proved_at_every_width_it_fires_at() {
    let start = Instant::now();
    let rules: Vec<&CompiledRule> = compiled().unwrap().iter().map(|r| r.as_ref()).collect();
    let report = prove_rules(&rules, WIDTHS);
    eprintln!(
        "proved {} rules, {} instances ({} split in cases), with {} Z3 queries in {:.2} s",
        rules.len(),
        report.instances,
        report.case_splits.len(),
        report.queries,
        start.elapsed().as_secs_f64(),
    );
    let mut timings = report.timings.clone();
    timings.sort_by(|a, b| b.0.total_cmp(&a.0));
    let trace = std::env::var("SYNTH_PROVER_TRACE").is_ok();
    for (t, what) in timings.iter().take(if trace { 30 } else { 0 }) {
        eprintln!("{t:.3} s {what}");
    }
    for &(lo, hi) in [(0.0, 0.005), (0.005, 0.02), (0.02, 0.1), (0.1, 1.0), (1.0, 100.0)].iter().filter(|_| trace) {
        let sel: Vec<f64> = timings.iter().map(|t| t.0).filter(|&t| t >= lo && t < hi).collect();
        eprintln!("[{lo}, {hi}): {} queries, {:.2} s", sel.len(), sel.iter().sum::<f64>());
    }
    assert!(report.failures.is_empty(), "{}", report.failures.join("\n"));
}

/// Unsound rules (not in the table) that the prover must refute (at narrow widths, where
/// counterexamples are quick to find).
#[test]
fn the_prover_refutes_unsound_rules() {
    const UNSOUND: &[RuleSpec] = &[
        // 0 / 0 is all ones, not 1
        RuleSpec::new(Theory::Arith, "udiv-self", "(udiv ?x ?x)", "1"),
        // only true at width 1
        RuleSpec::new(Theory::Boolean, "add-to-xor", "(add ?x ?y)", "(xor ?x ?y)"),
        // the sum of the amounts may reach the width
        RuleSpec::new(Theory::Shift, "shl-shl-unconditional", "(shl (shl ?x #a) #b)", "(shl ?x (add #a #b))"),
        // the sum of the amounts may wrap
        RuleSpec::new(Theory::Shift, "shl-shl-wrapping", "(shl (shl ?x #a) #b)", "(shl ?x (add #a #b))")
            .when("(ult (add #a #b) w)"),
        // -x / y != -(x / y) for y == 0
        RuleSpec::new(Theory::Arith, "sdiv-neg", "(sdiv (neg ?x) ?y)", "(neg (sdiv ?x ?y))"),
        // a zext of a trunc loses the high bits
        RuleSpec::new(Theory::Cast, "zext-trunc", "(zext.T (trunc.U ?x:S))", "?x").types("T == S"),
        RuleSpec::new(Theory::Cast, "trunc-sext-zext", "(trunc.T (sext.U ?x:S))", "(zext.T ?x)").types("T > S"),
    ];
    for spec in UNSOUND {
        let rule = CompiledRule::compile(spec).unwrap();
        let report = prove_rules(&[&rule], &[1, 4, 8]);
        assert!(
            report.failures.iter().any(|f| f.contains("is unsound")),
            "`{}` was not refuted: {:?}",
            spec.name,
            report.failures
        );
    }
}

/// The lhs of `rule` at `tys` as an e-graph, with constant variables set to `constants`.
fn lhs_egraph(rule: &CompiledRule, tys: &[Type], constants: &[u64]) -> (IrEGraph, egg::Id) {
    let types = rule.param_types(tys);
    let mut b = FunctionBuilder::new("lhs", &types, tys[rule.lhs.tvars[rule.lhs.root()]]);
    let mut k = 0;
    let vars: Vec<Value> = (0..types.len())
        .map(|i| {
            if rule.vars[i].constant {
                k += 1;
                b.iconst(types[i], constants[k - 1])
            } else {
                b.param(i)
            }
        })
        .collect();
    let root = rule.emit(&mut b, &rule.lhs, tys, &vars);
    let f = b.finish(root).expect("a well-typed lhs");
    let mut g = IrEGraph::default();
    let id = g.add_expr(&to_recexpr(&f).unwrap());
    g.rebuild();
    (g, id)
}

/// Constants for the `#` variables meeting the rule's condition at `tys`, by trying small and
/// edge values.
fn satisfying_constants(rule: &Arc<CompiledRule>, tys: &[Type]) -> Option<Vec<u64>> {
    let n = rule.vars.iter().filter(|v| v.constant).count();
    let types: Vec<Type> = rule.vars.iter().filter(|v| v.constant).map(|v| tys[v.tvar]).collect();
    let candidates = |ty: Type| -> Vec<u64> {
        let mut c: Vec<u64> = (0..70).map(|v| ty.wrap(v)).collect();
        c.extend([ty.mask(), ty.signed_min(), ty.signed_max(), 1 << (ty.width() / 2)].map(|v| ty.wrap(v)));
        c
    };
    let mut counter = vec![0usize; n];
    loop {
        let values: Vec<u64> = (0..n).map(|k| candidates(types[k])[counter[k]]).collect();
        let (g, id) = lhs_egraph(rule, tys, &values);
        if Rule(Arc::clone(rule)).search_root(&g, id) {
            return Some(values);
        }
        let mut k = 0;
        while k < n {
            counter[k] += 1;
            if counter[k] < candidates(types[k]).len() {
                break;
            }
            counter[k] = 0;
            k += 1;
        }
        if k >= n {
            return None;
        }
    }
}

impl Rule {
    /// True if the rule matches at class `root`.
    fn search_root(&self, g: &IrEGraph, root: egg::Id) -> bool {
        use egg::Searcher;
        self.search(g).iter().any(|m| g.find(m.eclass) == g.find(root))
    }
}

#[test]
fn rules_fire_exactly_where_they_hold() {
    let mut failures = Vec::new();
    let mut restricted = 0;
    for rule in compiled().unwrap() {
        let (fires, not) = rule.assignments(WIDTHS);
        let n_constants = rule.vars.iter().filter(|v| v.constant).count();
        for tys in &fires {
            // It matches its own left-hand side (for some constants meeting the condition).
            if satisfying_constants(rule, tys).is_none() {
                failures.push(format!("`{}` does not match its own left-hand side at {tys:?}", rule.name()));
            }
        }
        if rule.spec.widths != Widths::All || rule.spec.types.is_some() {
            restricted += 1;
        }
        for tys in &not {
            // It never matches where it does not hold, whatever the constants.
            for value in [0, 1, 2, 3, u64::MAX] {
                let (g, id) = lhs_egraph(rule, tys, &vec![value; n_constants]);
                if Rule(rule.clone()).search_root(&g, id) {
                    failures.push(format!("`{}` fires at {tys:?}, where it is not allowed", rule.name()));
                }
            }
        }
    }
    assert!(restricted >= 10, "{restricted}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
