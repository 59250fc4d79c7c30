//! Review certificates (`synth solve --certificate DIR`): for each answer, what a reviewer needs
//! to trust it without re-deriving it.
//!
//! Files written for an answer named `NAME` (the task, or the SyGuS file's stem):
//! - `NAME.smt2`: the query whose `unsat` proves the answer for every input, self-contained
//!   (`z3 NAME.smt2` prints `unsat`): exactly the question the solver answered
//!   ([`crate::verify::smt2_problem_query`]), discipline included;
//! - `NAME.review.md`: the spec (the input file), the answer, a unified diff against the
//!   reference (`.syn` tasks with `equiv`), cost before and after, and exactly what was checked
//!   and how (the Z3 query and its time, the native inputs and seed, the guarantee that holds);
//! - the answer in every output form: `NAME.syn` (`.syn` tasks), `NAME.ir`, `NAME.sl` (a
//!   SyGuS `define-fun`).
//!
//! Invariant: a certificate is written only for a solved task whose answer the query proves
//! again here (Z3 through the library answers `unsat` on the same question); anything else is
//! an error and no file is left claiming otherwise.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use frontend::syn::SourceSignature;
use ir::{Function, Problem, Target};

use crate::solve::{Status, TaskReport, Verification};
use crate::verify::{ProblemVerdict, VerifyOptions, check_problem, smt2_problem_query};

/// Longest input file copied into the review (longer ones are referred to by path).
const MAX_SPEC_LINES: usize = 400;

/// Timeout of the re-check made while writing the certificate.
const RECHECK_TIMEOUT: Duration = Duration::from_secs(60);

/// What a certificate is about.
#[derive(Debug)]
pub struct Subject<'a> {
    /// The answer's name (task name or file stem); file names are derived from it.
    pub name: &'a str,
    /// The input file.
    pub source: &'a Path,
    /// The problem the answer was proved against (discipline included).
    pub problem: &'a Problem,
    /// One function per target of `problem`.
    pub solutions: &'a [Function],
    /// The solver's report.
    pub report: &'a TaskReport,
    /// The `.syn` signature of the answer (`.syn` tasks).
    pub signature: Option<&'a SourceSignature>,
    /// The reference function (`equiv`), with the name it has in the source.
    pub reference: Option<&'a Function>,
    /// The cost model of the task.
    pub cost_model: ir::CostModel,
    /// Seed of the random native checks.
    pub seed: u64,
}

/// The files written, for the JSON report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Written {
    /// The SMT-LIB query.
    pub smt2: PathBuf,
    /// The review page.
    pub review: PathBuf,
    /// The answer in each output form.
    pub answers: Vec<PathBuf>,
}

/// A file name for `name`: characters outside `[A-Za-z0-9_.-]` become `_`.
fn file_stem(name: &str) -> String {
    let stem: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || "_.-".contains(c) { c } else { '_' }).collect();
    if stem.is_empty() || stem.starts_with('.') { format!("answer{stem}") } else { stem }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The answer as `.syn` source, IR text and SyGuS `define-fun`s.
fn answer_forms(s: &Subject<'_>) -> Vec<(&'static str, String)> {
    let mut forms = Vec::new();
    if let (Some(sig), [f]) = (s.signature, s.solutions) {
        forms.push(("syn", frontend::syn::print_function(f, sig)));
    }
    let ir_text: Vec<String> = s
        .solutions
        .iter()
        .zip(&s.problem.targets)
        .map(|(f, t)| {
            let mut f = f.clone();
            f.name = t.name.clone();
            f.to_string()
        })
        .collect();
    forms.push(("ir", ir_text.join("\n")));
    let targets: Vec<Target> = s.problem.targets.iter().map(|t| Target { grammar: None, ..t.clone() }).collect();
    let bodies: Vec<frontend::sygus::Solution> =
        s.solutions.iter().map(|f| frontend::sygus::Solution::Function(f.clone())).collect();
    let sygus = if targets.len() == 1 {
        frontend::sygus::print_solution(&targets[0], &bodies[0])
    } else {
        frontend::sygus::print_solutions(&targets, &bodies)
    };
    forms.push(("sl", sygus + "\n"));
    forms
}

/// A unified diff of the reference against the answer, both printed as `.syn` source with the
/// task's signature (so only the bodies differ).
fn reference_diff(s: &Subject<'_>) -> Option<String> {
    let (sig, reference, [answer]) = (s.signature?, s.reference?, s.solutions) else { return None };
    let before = frontend::syn::print_function(reference, sig);
    let after = frontend::syn::print_function(answer, sig);
    let diff = similar::TextDiff::from_lines(&before, &after);
    Some(diff.unified_diff().context_radius(3).header("reference", "answer").to_string())
}

fn guarantee(r: &TaskReport) -> String {
    let mut text = match r.verified {
        Verification::Z3 => "Z3 proved that the answer meets the spec for every input".to_string(),
        Verification::Constraints => {
            "the constraints mention no variables; each was evaluated with the answer and holds".to_string()
        }
        Verification::Examples => format!("the answer matches all {} examples; nothing else is promised", r.examples),
        Verification::None => "not verified".to_string(),
    };
    if r.semantics == "defined" {
        text.push_str(
            ", and that it reaches no division by zero, `MIN / -1` or shift by the width or more where the \
             task forbids one: it means the same in Rust and C as in the proof",
        );
    } else if !r.relies_on.is_empty() {
        let _ = write!(
            text,
            ", in the IR's total semantics; it relies on {} for some inputs (see docs/semantics.md)",
            r.relies_on.join(" and ")
        );
    } else {
        text.push_str(", in the IR's total semantics");
    }
    text
}

/// Writes the certificate of a solved task into `dir` (created if needed).
pub fn write_certificate(dir: &Path, s: &Subject<'_>) -> Result<Written, String> {
    if s.report.status != Status::Solved || s.solutions.len() != s.problem.targets.len() {
        return Err(format!("{}: no answer to certify", s.name));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let stem = file_stem(s.name);
    let query = smt2_problem_query(s.problem, s.solutions).map_err(|e| format!("{}: {e}", s.name))?;
    // The proof again, timed, on the same question the file asks.
    let start = Instant::now();
    let verdict = check_problem(s.problem, s.solutions, &VerifyOptions::with_timeout(RECHECK_TIMEOUT));
    let z3_ms = start.elapsed().as_secs_f64() * 1000.0;
    match verdict {
        Ok(ProblemVerdict::Holds) => {}
        other => return Err(format!("{}: the answer did not re-check ({other:?}); no certificate written", s.name)),
    }
    let smt2 = dir.join(format!("{stem}.smt2"));
    write(&smt2, &query)?;
    let mut answers = Vec::new();
    let forms = answer_forms(s);
    for (ext, text) in &forms {
        let path = dir.join(format!("{stem}.{ext}"));
        write(&path, text)?;
        answers.push(path);
    }
    let review = dir.join(format!("{stem}.review.md"));
    write(&review, &review_text(s, &stem, &forms, z3_ms))?;
    Ok(Written { smt2, review, answers })
}

fn review_text(s: &Subject<'_>, stem: &str, forms: &[(&'static str, String)], z3_ms: f64) -> String {
    let r = s.report;
    let mut out = String::new();
    let _ = writeln!(out, "# Review: `{}`\n", s.name);
    let _ = writeln!(out, "Source: `{}`.\n", s.source.display());
    let _ = writeln!(out, "**Guarantee:** {}.\n", guarantee(r));
    out.push_str("## The spec\n\n");
    match std::fs::read_to_string(s.source) {
        Ok(text) if text.lines().count() <= MAX_SPEC_LINES => {
            let lang = if s.signature.is_some() { "rust" } else { "lisp" };
            let _ = writeln!(out, "```{lang}\n{}\n```\n", text.trim_end());
        }
        Ok(text) => {
            let _ = writeln!(out, "The input file has {} lines; see `{}`.\n", text.lines().count(), s.source.display());
        }
        Err(e) => {
            let _ = writeln!(out, "The input file could not be read again ({e}).\n");
        }
    }
    out.push_str("## The answer\n\n");
    let (lang, text) = forms.first().map_or(("text", ""), |(ext, t)| (if *ext == "syn" { "rust" } else { "text" }, t));
    let _ = writeln!(out, "```{lang}\n{}\n```\n", text.trim_end());
    let others: Vec<String> = forms.iter().map(|(ext, _)| format!("`{stem}.{ext}`")).collect();
    let _ = writeln!(out, "Also as {}.\n", others.join(", "));
    if let Some(diff) = reference_diff(s) {
        let _ = writeln!(out, "## Against the reference\n\n```diff\n{}\n```\n", diff.trim_end());
    }
    out.push_str("## Cost\n\n");
    let before = match s.reference {
        Some(f) => format!("{} (the reference)", crate::search::cost::function_cost(s.cost_model, f)),
        None => "no reference".to_string(),
    };
    let claim = match r.optimality {
        crate::search::Optimality::Optimal => "optimal among expression trees: every cheaper tree was refuted",
        crate::search::Optimality::OverTriedConstants => {
            "optimal among expression trees whose constants were tried; trees with other constants were not ruled out"
        }
        crate::search::Optimality::ShortestStraightLine => {
            "shortest straight-line program over the allowed operators: every shorter length was refuted"
        }
        crate::search::Optimality::NotProven => "cheapest found; cheaper answers were not all ruled out",
    };
    let _ = writeln!(
        out,
        "| model | before | after | claim |\n|---|---|---|---|\n| {} | {before} | {} | {claim} |\n",
        r.cost_model,
        r.cost.map_or("-".into(), |c| c.to_string())
    );
    out.push_str("## What was checked, and how\n\n");
    let _ = writeln!(
        out,
        "- **Proof.** `{stem}.smt2` is the query the solver answered, self-contained SMT-LIB (`QF_BV`): \
         it asserts that some input violates the spec{}; `unsat` means no input does. Re-checked while \
         writing this certificate: `unsat` from Z3 (library) in {z3_ms:.1} ms. Re-check it yourself \
         with `z3 {stem}.smt2`.",
        if s.problem.safety.is_some() { " or reaches a forbidden guarded case" } else { "" }
    );
    let _ = writeln!(
        out,
        "- **Native code.** The answer was compiled with Cranelift and agreed with the interpreter on \
         {} random inputs (seed {}){}.",
        r.native_checks,
        s.seed,
        if r.reference_checks > 0 {
            format!(", and with the compiled reference on {} inputs where `requires` holds", r.reference_checks)
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        out,
        "- **Search.** {} candidates, {} counterexamples from Z3, {:.2} s in all; found by {}.",
        r.candidates,
        r.counterexamples,
        r.time_ms / 1000.0,
        r.found_by.as_deref().unwrap_or("enumeration")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(file_stem("abs"), "abs");
        assert_eq!(file_stem("../etc/passwd"), "answer.._etc_passwd");
        assert_eq!(file_stem(".hidden"), "answer.hidden");
        assert_eq!(file_stem("é x"), "__x");
        assert_eq!(file_stem(""), "answer");
    }
}
