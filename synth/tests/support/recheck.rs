//! An independent re-check of the answers the tests produce, sharing no code with
//! `synth::verify`: every claim is proved again by the `z3` command-line tool from SMT-LIB2 text
//! written by [`super::smtlib`], and every answer is compiled to native code (`backend::NativeFn`)
//! and run against the reference interpreter (`ir::Interpreter`) on edge-biased inputs (all of
//! them when the inputs have at most 16 bits together), where the claim itself is also evaluated.
//!
//! Entry points: [`recheck_problem`], [`recheck_spec`], [`recheck_equivalent`] for one claim, and
//! [`recheck_all`] for many claims with a single `z3` process. They panic on any disagreement with
//! a message that names the claim, the disagreeing input, and, for z3, the script, z3's output and
//! its model. A z3 answer other than `unsat` (`sat`, `unknown`, `timeout` after 60 s, an error)
//! is a failure; so is a missing `z3` tool (`apt-get install z3`): a re-check that skips is none.
//!
//! Invariants: the native run comes first (its messages are the most precise), then one `z3`
//! process per batch, scripts separated by `(reset)`; nothing here calls into `synth`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};

use backend::NativeFn;
use ir::{Function, Interpreter, Problem, Spec, Type};

use super::smtlib;

/// Random input rows per function or problem when its inputs have more than 16 bits.
pub const RANDOM_ROWS: usize = 4096;

/// Input bits up to which every input is tried.
pub const EXHAUSTIVE_BITS: u32 = 16;

/// z3's hard time limit per process, in seconds (`-T`).
const Z3_SECONDS: u32 = 60;

/// One claim about answers.
#[derive(Debug, Clone, Copy)]
pub enum Claim<'a> {
    /// `solutions` (one per target, in target order) solve `problem`.
    Problem {
        /// The problem.
        problem: &'a Problem,
        /// The answers.
        solutions: &'a [Function],
    },
    /// `answer` meets `spec` (reference, pre/postcondition, examples).
    Spec {
        /// The task.
        spec: &'a Spec,
        /// The answer.
        answer: &'a Function,
    },
    /// `f` and `g` agree on every input.
    Equivalent {
        /// One function.
        f: &'a Function,
        /// The other, with the same signature.
        g: &'a Function,
    },
}

impl Claim<'_> {
    fn describe(&self) -> String {
        match self {
            Claim::Problem { problem, .. } => format!("the answers solve problem `{}`", problem.name),
            Claim::Spec { spec, answer } => format!("fn {} meets the spec of task `{}`", answer.name, spec.name),
            Claim::Equivalent { f, g } => format!("fn {} equals fn {}", f.name, g.name),
        }
    }

    fn script(&self) -> String {
        match self {
            Claim::Problem { problem, solutions } => smtlib::problem_script(problem, solutions),
            Claim::Spec { spec, answer } => smtlib::spec_script(spec, answer),
            Claim::Equivalent { f, g } => smtlib::equivalence_script(f, g),
        }
    }

    fn functions(&self) -> String {
        let fs: Vec<&Function> = match self {
            Claim::Problem { solutions, .. } => solutions.iter().collect(),
            Claim::Spec { answer, .. } => vec![answer],
            Claim::Equivalent { f, g } => vec![f, g],
        };
        fs.iter().map(|f| f.to_string()).collect::<Vec<_>>().join("\n")
    }
}

/// Re-checks that `solutions` (one per target, in target order) solve `problem`.
///
/// # Panics
/// On any disagreement (see the module docs).
pub fn recheck_problem(problem: &Problem, solutions: &[Function]) {
    recheck_all(&[Claim::Problem { problem, solutions }]);
}

/// Re-checks that `answer` meets `spec`.
///
/// # Panics
/// On any disagreement (see the module docs).
pub fn recheck_spec(spec: &Spec, answer: &Function) {
    recheck_all(&[Claim::Spec { spec, answer }]);
}

/// Re-checks that `f` and `g` agree on every input.
///
/// # Panics
/// On any disagreement (see the module docs).
pub fn recheck_equivalent(f: &Function, g: &Function) {
    recheck_all(&[Claim::Equivalent { f, g }]);
}

/// `functions` (named after the targets, in any order) in the order of `problem`'s targets.
pub fn in_target_order(problem: &Problem, functions: &[Function]) -> Result<Vec<Function>, String> {
    problem
        .targets
        .iter()
        .map(|t| {
            functions
                .iter()
                .find(|f| f.name == t.name)
                .cloned()
                .ok_or_else(|| format!("no answer for target {}", t.name))
        })
        .collect()
}

/// The answers of a solved problem's report: every target's function, or the only one.
pub fn solutions_of(functions: &[Function], function: Option<&Function>) -> Vec<Function> {
    if functions.is_empty() { function.into_iter().cloned().collect() } else { functions.to_vec() }
}

/// Re-checks every claim: each natively against the interpreter, then all with one `z3` process.
///
/// # Panics
/// On any disagreement (see the module docs).
pub fn recheck_all(claims: &[Claim<'_>]) {
    if let Err(message) = try_recheck_all(claims) {
        panic!("independent re-check failed: {message}");
    }
}

/// [`recheck_all`], returning the failure message instead of panicking.
pub fn try_recheck_all(claims: &[Claim<'_>]) -> Result<(), String> {
    for claim in claims {
        run_natively(claim)
            .map_err(|e| format!("{}: {e}\n--- functions ---\n{}", claim.describe(), claim.functions()))?;
    }
    let scripts: Vec<String> = claims.iter().map(Claim::script).collect();
    let names: Vec<String> = claims.iter().map(Claim::describe).collect();
    prove_all(&scripts, &names)
}

// ---------------------------------------------------------------------------------------------
// z3

/// Runs `z3 -smt2 -in -T:60` on `script` and returns its standard output.
pub fn run_z3(script: &str) -> Result<String, String> {
    let mut child = Command::new("z3")
        .args(["-smt2", "-in", &format!("-T:{Z3_SECONDS}")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the z3 command-line tool (apt-get install z3): {e}"))?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let text = script.to_string();
    // A separate writer, so a long script cannot block on a full output pipe.
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let out = child.wait_with_output().map_err(|e| format!("z3: {e}"))?;
    writer.join().expect("writer thread").map_err(|e| format!("writing to z3: {e}"))?;
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    Ok(text)
}

/// Asks one `z3` process about every script (separated by `(reset)`); each must be `unsat`.
/// `names` describe the scripts for the failure message.
pub fn prove_all(scripts: &[String], names: &[String]) -> Result<(), String> {
    if scripts.is_empty() {
        return Ok(());
    }
    let batch = scripts.join("(reset)\n");
    let output = run_z3(&batch)?;
    let answers: Vec<&str> = output.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if answers.len() == scripts.len() && answers.iter().all(|a| *a == "unsat") {
        return Ok(());
    }
    // Find the first script that fails on its own, for a precise message.
    for (i, script) in scripts.iter().enumerate() {
        prove_one(script).map_err(|e| format!("{}: {e}", names.get(i).map_or("a claim", String::as_str)))?;
    }
    Err(format!(
        "z3 did not answer `unsat` to every claim of the batch, yet does to each alone\n--- z3 output ---\n{output}"
    ))
}

/// Asks `z3` about one script, which must be `unsat`; for `sat`, the message has z3's model.
fn prove_one(script: &str) -> Result<(), String> {
    let output = run_z3(script)?;
    match output.trim() {
        "unsat" => Ok(()),
        "sat" => {
            let model = run_z3(&format!("{script}(get-model)\n")).unwrap_or_else(|e| e);
            Err(format!(
                "z3 refutes it (sat)\n--- script ---\n{script}--- z3 output ---\n{output}--- z3 model ---\n{model}"
            ))
        }
        other => {
            Err(format!("z3 answered `{other}`, not `unsat`\n--- script ---\n{script}--- z3 output ---\n{output}"))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Native code against the interpreter

/// A small deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The values of `ty` where the semantics have edge cases: 0, 1, 2, 3, the width and its
/// neighbours, `MIN`, `MAX` and their neighbours, -1, -2, alternating bit patterns.
pub fn edge_values(ty: Type) -> Vec<u64> {
    let w = u64::from(ty.width());
    let (m, min) = (ty.mask(), ty.signed_min());
    let mut values: Vec<u64> = [
        0,
        1,
        2,
        3,
        w - 1,
        w,
        w + 1,
        min,
        min.wrapping_add(1),
        min.wrapping_sub(1),
        m,
        m.wrapping_sub(1),
        0x5555_5555_5555_5555,
        0xaaaa_aaaa_aaaa_aaaa,
    ]
    .into_iter()
    .map(|v| ty.wrap(v))
    .collect();
    values.sort_unstable();
    values.dedup();
    values
}

/// An edge-biased value of `ty`: an edge value, a small or small negative number, one bit set or
/// clear, or random bits.
pub fn edge_biased(ty: Type, rng: &mut SplitMix) -> u64 {
    let w = u64::from(ty.width());
    let v = match rng.below(8) {
        0..=2 => {
            let edges = edge_values(ty);
            edges[rng.below(edges.len() as u64) as usize]
        }
        3 => rng.below(64),
        4 => 0u64.wrapping_sub(rng.below(64)),
        5 => 1 << rng.below(w),
        6 => !(1 << rng.below(w)),
        _ => rng.next(),
    };
    ty.wrap(v)
}

/// Input rows for parameters of `types`: all of them if they have at most [`EXHAUSTIVE_BITS`]
/// bits together (one empty row for no parameters), else [`RANDOM_ROWS`] edge-biased rows.
pub fn input_rows(types: &[Type], seed: u64) -> Vec<Vec<u64>> {
    let bits: u32 = types.iter().map(|t| t.width()).sum();
    if bits <= EXHAUSTIVE_BITS {
        return (0..1u64 << bits)
            .map(|mut i| {
                types
                    .iter()
                    .map(|t| {
                        let v = i & t.mask();
                        i >>= t.width();
                        v
                    })
                    .collect()
            })
            .collect();
    }
    let mut rng = SplitMix(seed);
    (0..RANDOM_ROWS).map(|_| types.iter().map(|&t| edge_biased(t, &mut rng)).collect()).collect()
}

/// `f` compiled to native code, with its interpreter.
struct Both {
    native: NativeFn,
    interp: Interpreter,
}

impl Both {
    fn new(f: &Function) -> Result<Both, String> {
        let interp = Interpreter::new(f).map_err(|e| format!("fn {} does not verify: {e}", f.name))?;
        let native = NativeFn::compile(f).map_err(|e| format!("fn {} does not compile: {e}", f.name))?;
        Ok(Both { native, interp })
    }

    /// Runs both on one row; they must agree.
    fn call(&self, f: &Function, row: &[u64]) -> Result<u64, String> {
        let (n, i) = (self.native.call(row), self.interp.eval(row));
        if n == i {
            Ok(n)
        } else {
            Err(format!(
                "native code of fn {} gives {n:#x} but the interpreter {i:#x} on input {}",
                f.name,
                hex_row(row)
            ))
        }
    }

    /// Runs both on every row (native code in one batch); returns the results.
    fn agree(&self, f: &Function, rows: &[Vec<u64>]) -> Result<Vec<u64>, String> {
        let flat: Vec<u64> = rows.iter().flatten().copied().collect();
        let mut out = vec![0; rows.len()];
        self.native.call_batch(&flat, &mut out);
        for (row, &n) in rows.iter().zip(&out) {
            let i = self.interp.eval(row);
            if n != i {
                return Err(format!(
                    "native code of fn {} gives {n:#x} but the interpreter {i:#x} on input {}",
                    f.name,
                    hex_row(row)
                ));
            }
        }
        Ok(out)
    }
}

/// `[0x1, 0xff]`.
fn hex_row(row: &[u64]) -> String {
    let items: Vec<String> = row.iter().map(|v| format!("{v:#x}")).collect();
    format!("[{}]", items.join(", "))
}

/// A seed derived from a function's text, so different answers get different random rows.
fn seed_of(f: &Function) -> u64 {
    f.to_string().bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

fn check_signature(f: &Function, params: &[Type], ret: Type, what: &str) -> Result<(), String> {
    if f.param_types() != params || f.ret_ty != ret {
        return Err(format!(
            "fn {} has signature {:?} -> {} but {what} needs {params:?} -> {ret}",
            f.name,
            f.param_types(),
            f.ret_ty
        ));
    }
    Ok(())
}

/// True if `f` reaches a guarded case on `args`: every instruction counts, or with `lazy` only
/// those the result demands (a `select` demands its condition and its taken branch). Written
/// apart from `ir::guards`.
fn reaches_guarded_case(f: &Function, args: &[u64], lazy: bool) -> bool {
    let mut values: std::collections::HashMap<ir::Value, u64> =
        f.params.iter().zip(args).map(|(p, &a)| (p.value, p.ty.wrap(a))).collect();
    let mut types: std::collections::HashMap<ir::Value, Type> = f.params.iter().map(|p| (p.value, p.ty)).collect();
    for inst in &f.body {
        let operand_ty = inst.args.first().map_or(inst.ty, |a| types[a]);
        let operands: Vec<u64> = inst.args.iter().map(|a| values[a]).collect();
        let v = match inst.opcode {
            ir::Opcode::Iconst => inst.imm,
            op => ir::semantics::apply(
                op,
                inst.ty,
                if op == ir::Opcode::Select { types[&inst.args[1]] } else { operand_ty },
                &operands,
            ),
        };
        values.insert(inst.result, v);
        types.insert(inst.result, inst.ty);
    }
    let mut demanded: std::collections::HashSet<ir::Value> = std::collections::HashSet::from([f.ret]);
    for inst in f.body.iter().rev() {
        if lazy && !demanded.contains(&inst.result) {
            continue;
        }
        let needed: Vec<ir::Value> = match inst.opcode {
            ir::Opcode::Select if lazy => {
                vec![inst.args[0], if values[&inst.args[0]] & 1 == 1 { inst.args[1] } else { inst.args[2] }]
            }
            _ => inst.args.clone(),
        };
        demanded.extend(needed);
        let (Some(a), Some(b)) = (inst.args.first(), inst.args.get(1)) else { continue };
        let (x, y, t) = (values[a], values[b], types[a]);
        let hit = match inst.opcode {
            ir::Opcode::Udiv | ir::Opcode::Urem => y == 0,
            ir::Opcode::Sdiv | ir::Opcode::Srem => y == 0 || (x == 1 << (t.width() - 1) && y == t.mask()),
            ir::Opcode::Shl | ir::Opcode::Lshr | ir::Opcode::Ashr => y >= u64::from(t.width()),
            _ => false,
        };
        if hit {
            return true;
        }
    }
    false
}

/// The native half of the re-check: native code agrees with the interpreter, and the claim holds
/// on every input row tried.
fn run_natively(claim: &Claim<'_>) -> Result<(), String> {
    match *claim {
        Claim::Equivalent { f, g } => {
            check_signature(g, &f.param_types(), f.ret_ty, "the other function")?;
            let rows = input_rows(&f.param_types(), seed_of(f));
            let left = Both::new(f)?.agree(f, &rows)?;
            let right = Both::new(g)?.agree(g, &rows)?;
            if let Some(k) = (0..rows.len()).find(|&k| left[k] != right[k]) {
                return Err(format!(
                    "fn {} gives {:#x} but fn {} gives {:#x} on input {}",
                    f.name,
                    left[k],
                    g.name,
                    right[k],
                    hex_row(&rows[k])
                ));
            }
            Ok(())
        }
        Claim::Spec { spec, answer } => {
            let types = spec.param_types();
            check_signature(answer, &types, spec.ret.ty, "the task")?;
            let rows = input_rows(&types, seed_of(answer));
            let both = Both::new(answer)?;
            let results = both.agree(answer, &rows)?;
            let pre = spec.pre.as_ref().map(|p| Interpreter::new(p).map_err(|e| e.to_string())).transpose()?;
            let assumed = |row: &[u64]| pre.as_ref().is_none_or(|p| p.eval(row) == 1);
            if let Some(reference) = &spec.reference {
                let expected = Both::new(reference)?.agree(reference, &rows)?;
                if let Some(k) = (0..rows.len()).find(|&k| assumed(&rows[k]) && results[k] != expected[k]) {
                    return Err(format!(
                        "the answer gives {:#x} but the reference fn {} gives {:#x} on input {}",
                        results[k],
                        reference.name,
                        expected[k],
                        hex_row(&rows[k])
                    ));
                }
            }
            if let Some(post) = &spec.post {
                let post_interp = Interpreter::new(post).map_err(|e| e.to_string())?;
                for (row, &result) in rows.iter().zip(&results) {
                    if !assumed(row) {
                        continue;
                    }
                    let mut with_result = row.clone();
                    with_result.push(result);
                    if post_interp.eval(&with_result) != 1 {
                        return Err(format!(
                            "the answer's result {result:#x} violates the postcondition on input {}",
                            hex_row(row)
                        ));
                    }
                }
            }
            for ex in &spec.examples {
                let got = both.call(answer, &ex.args)?;
                if got != ex.result {
                    return Err(format!("the answer gives {got:#x} on example {ex:?}"));
                }
            }
            if spec.semantics == ir::Semantics::Defined {
                for row in rows.iter().filter(|r| assumed(r)) {
                    let exempt = spec.reference.as_ref().is_some_and(|r| reaches_guarded_case(r, row, true));
                    if !exempt && reaches_guarded_case(answer, row, false) {
                        return Err(format!(
                            "the answer reaches a division by zero, MIN / -1 or an over-wide shift on input {}, which `semantics defined` forbids",
                            hex_row(row)
                        ));
                    }
                }
            }
            Ok(())
        }
        Claim::Problem { problem, solutions } => {
            if solutions.len() != problem.targets.len() {
                return Err(format!("{} answers for {} targets", solutions.len(), problem.targets.len()));
            }
            let mut compiled = Vec::with_capacity(solutions.len());
            for (t, f) in problem.targets.iter().zip(solutions) {
                check_signature(f, &t.param_types(), t.ret.ty(), &format!("target {}", t.name))?;
                let both = Both::new(f)?;
                both.agree(f, &input_rows(&f.param_types(), seed_of(f)))?;
                compiled.push(both);
            }
            let var_types: Vec<Type> = problem.vars.iter().map(|v| v.sort.ty()).collect();
            let seed = solutions.iter().map(seed_of).fold(problem.constraints.len() as u64, u64::wrapping_add);
            for row in input_rows(&var_types, seed) {
                for (c, formula) in problem.constraints.iter().enumerate() {
                    let mut mismatch = None;
                    let value = formula.eval(problem, &row, &mut |t, args| {
                        compiled[t].call(&solutions[t], args).unwrap_or_else(|e| {
                            mismatch.get_or_insert(e);
                            0
                        })
                    });
                    if let Some(e) = mismatch {
                        return Err(e);
                    }
                    if value != 1 {
                        let mut vars = String::new();
                        for (v, x) in problem.vars.iter().zip(&row) {
                            let _ = write!(vars, " {} = {x:#x};", v.name);
                        }
                        return Err(format!("constraint {c} is violated at{vars}"));
                    }
                }
            }
            Ok(())
        }
    }
}
