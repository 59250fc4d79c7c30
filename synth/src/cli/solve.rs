//! `synth FILE` / `synth solve FILE`: solve every task of a `.syn` file or a SyGuS-IF problem.

use std::path::{Path, PathBuf};

use crate::search::Progress;
use crate::solve::{SolveError, SolveOptions, Status, TaskReport, solve_problem, solve_spec};
use frontend::sygus::{self, Solution};
use frontend::syn::SourceSignature;

use super::budget::BudgetArgs;
use super::certificate::{Subject, Written, write_certificate};
use super::report::{combine, exit_status, human_count, json, spinner, summary};
use super::{EXIT_BAD_INPUT, EXIT_OK, EXIT_UNKNOWN, input};

/// How answers are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Emit {
    /// `.syn` source (for `.syn` tasks; SyGuS answers print as SyGuS).
    Syn,
    /// IR text.
    Ir,
    /// A Rust function that computes exactly the answer on every input (wrapping arithmetic,
    /// the IR's results for division by zero and over-wide shifts spelled out).
    Rust,
    /// A C99 function with fixed-width unsigned types that computes exactly the answer on every
    /// input, with no undefined behaviour.
    C,
}

/// Answers (functions with their source signatures) as text in the format `emit` names; Rust
/// and C get their helper prelude once.
fn emit_text(emit: Emit, answers: &[(ir::Function, SourceSignature)]) -> String {
    let each = |one: &dyn Fn(&ir::Function, &SourceSignature) -> String| -> Vec<String> {
        answers.iter().map(|(f, sig)| one(f, sig)).collect()
    };
    match emit {
        Emit::Syn => each(&|f, sig| frontend::syn::print_function(f, sig)).join("\n"),
        Emit::Ir => each(&|f, sig| {
            let mut f = f.clone();
            f.name = sig.name.clone();
            f.to_string()
        })
        .join("\n"),
        Emit::Rust => format!(
            "{}\n{}",
            frontend::export::rust_prelude(),
            each(&|f, sig| frontend::export::rust_function(f, sig)).join("\n")
        ),
        Emit::C => {
            format!(
                "{}\n{}",
                frontend::export::c_prelude(),
                each(&|f, sig| frontend::export::c_function(f, sig)).join("\n")
            )
        }
    }
}

/// Arguments of `synth solve`.
#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    /// A `.syn` file with `synth` tasks, or a SyGuS-IF v2 problem (`.sl`).
    pub file: PathBuf,
    #[command(flatten)]
    pub budget: BudgetArgs,
    /// Largest size (cost) to explore.
    #[arg(long, value_name = "N")]
    pub max_size: Option<u32>,
    /// Seed of the random tests (results are deterministic for a seed).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Format of `.syn` answers.
    #[arg(long, value_enum, default_value = "syn")]
    pub emit: Emit,
    /// Print one JSON object per task instead of text.
    #[arg(long)]
    pub json: bool,
    /// Solve only the task with this name.
    #[arg(long, value_name = "NAME")]
    pub task: Option<String>,
    /// Random inputs on which native code is compared with the interpreter before printing.
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub native_checks: usize,
    /// For SyGuS problems: keep searching for a cheaper answer after the first one.
    #[arg(long)]
    pub optimal: bool,
    /// `defined`: answers reach no division by zero, `MIN / -1` or shift by the width or more
    /// (where Rust panics and C is undefined) on inputs that meet `requires`, unless the
    /// reference does; `total`: the IR's semantics, where those cases have defined results
    /// (default: the task's `semantics` clause, else `defined` for .syn and `total` for SyGuS).
    #[arg(long, value_enum, value_name = "MODE")]
    pub semantics: Option<SemanticsArg>,
    /// Write a review certificate for each answer into DIR: `NAME.smt2` (the query whose
    /// `unsat` proves it; `z3 NAME.smt2` re-checks it), `NAME.review.md` (spec, answer, diff
    /// against the reference, cost, what was checked and how) and the answer as .syn/.ir/.sl.
    #[arg(long, value_name = "DIR")]
    pub certificate: Option<PathBuf>,
    /// Look for up to N verified answers that are pairwise different programs (the printed
    /// answer first), each with its cost under both `size` and `latency`, the Pareto-optimal
    /// ones marked; they get about twice the first answer's time.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub alternatives: u16,
    /// Search engines: `enum` (expression trees by cost), `dag` (straight-line programs by
    /// instruction count, shortest first), or `both` side by side within the one budget.
    #[arg(long, value_enum, default_value = "both", value_name = "ENGINE")]
    pub engine: EngineArg,
}

/// The `--engine` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EngineArg {
    /// The enumerator.
    Enum,
    /// The straight-line engine.
    Dag,
    /// Both, side by side.
    Both,
}

impl From<EngineArg> for crate::solve::Engine {
    fn from(e: EngineArg) -> Self {
        match e {
            EngineArg::Enum => crate::solve::Engine::Enum,
            EngineArg::Dag => crate::solve::Engine::Dag,
            EngineArg::Both => crate::solve::Engine::Both,
        }
    }
}

/// The `--semantics` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SemanticsArg {
    /// Defined behaviour in Rust and C.
    Defined,
    /// The IR's total semantics.
    Total,
}

impl From<SemanticsArg> for ir::Semantics {
    fn from(s: SemanticsArg) -> Self {
        match s {
            SemanticsArg::Defined => ir::Semantics::Defined,
            SemanticsArg::Total => ir::Semantics::Total,
        }
    }
}

impl SolveArgs {
    /// Options for the library.
    pub fn options(&self, sygus: bool) -> SolveOptions {
        let mut opts = SolveOptions {
            max_size: self.max_size,
            seed: self.seed,
            native_checks: self.native_checks,
            prove_optimal: !sygus || self.optimal,
            semantics: self.semantics.map(Into::into),
            alternatives: usize::from(self.alternatives),
            engine: self.engine.into(),
            ..SolveOptions::default()
        };
        self.budget.apply(&mut opts);
        opts
    }
}

fn progress_callback<'a>(bar: &'a indicatif::ProgressBar, task: &'a str) -> impl FnMut(Progress) + 'a {
    move |p: Progress| {
        bar.set_message(format!(
            "{task}: size {} done, {} candidates, {:.1} s",
            p.level,
            human_count(p.candidates),
            p.elapsed.as_secs_f64()
        ));
    }
}

/// Reports a solve error; returns the exit status.
fn report_error(file: &Path, task: &str, e: &SolveError) -> u8 {
    match e {
        SolveError::Search(crate::search::SearchError::Unsupported(_) | crate::search::SearchError::Invalid(_)) => {
            eprintln!("synth: {}: {task}: {e}", file.display());
            EXIT_BAD_INPUT
        }
        SolveError::Search(crate::search::SearchError::Resource(_)) => {
            eprintln!("synth: {}: {task}: {e}", file.display());
            EXIT_UNKNOWN
        }
        _ => {
            eprintln!("synth: {}: {task}: internal error: {e}", file.display());
            EXIT_UNKNOWN
        }
    }
}

pub fn run(args: &SolveArgs) -> u8 {
    match args.file.extension().and_then(|e| e.to_str()) {
        Some("sl") => run_sygus(args),
        _ => run_syn(args),
    }
}

fn run_syn(args: &SolveArgs) -> u8 {
    let file = match input::load(&args.file) {
        Ok(input::Input::Syn(f)) => f,
        Ok(input::Input::Ir(_)) => {
            eprintln!(
                "synth: {}: IR files have no synthesis tasks; write them in a .syn file (see docs/syn-language.md)",
                args.file.display()
            );
            return EXIT_BAD_INPUT;
        }
        Err(status) => return status,
    };
    let opts = args.options(false);
    let tasks: Vec<&ir::Spec> = file.tasks.iter().filter(|t| args.task.as_ref().is_none_or(|n| &t.name == n)).collect();
    let repairs: Vec<&frontend::syn::Repair> =
        file.repairs.iter().filter(|r| args.task.as_ref().is_none_or(|n| &r.spec.name == n)).collect();
    if tasks.is_empty() && repairs.is_empty() {
        match &args.task {
            Some(name) => eprintln!("synth: {}: no task named `{name}`", args.file.display()),
            None => eprintln!("synth: {}: no `synth` tasks or `repair` items in this file", args.file.display()),
        }
        return EXIT_BAD_INPUT;
    }
    let mut status = EXIT_OK;
    let path = args.file.display().to_string();
    for (i, spec) in tasks.iter().enumerate() {
        let bar = spinner(!args.json);
        let result = solve_spec(spec, &opts, &mut progress_callback(&bar, &spec.name));
        bar.finish_and_clear();
        let report = match result {
            Ok(r) => r,
            Err(e) => {
                status = combine(status, report_error(&args.file, &spec.name, &e));
                continue;
            }
        };
        let sig = SourceSignature { name: spec.name.clone(), params: spec.params.clone(), ret: spec.ret };
        let text = report.function.as_ref().map(|f| emit_text(args.emit, &[(f.clone(), sig.clone())]));
        let written = match (&args.certificate, &report.function) {
            (Some(dir), Some(f)) if report.status == Status::Solved => {
                let problem = crate::solve::spec_problem(spec, &opts);
                let subject = Subject {
                    name: &spec.name,
                    source: &args.file,
                    problem: &problem,
                    solutions: std::slice::from_ref(f),
                    report: &report,
                    signature: Some(&sig),
                    reference: spec.reference.as_ref(),
                    cost_model: spec.cost,
                    seed: args.seed,
                };
                certify(dir, &subject, &mut status)
            }
            _ => None,
        };
        if args.json {
            println!("{}", with_certificate(json(&report, &path, text.as_deref()), written.as_ref()));
        } else {
            if let Some(w) = &written {
                println!("// certificate: {}", w.review.display());
            }
            if i > 0 {
                println!();
            }
            println!("// {}", summary(&report));
            if let Some(text) = &text {
                if report.status == Status::Unknown {
                    println!("// undecided candidate:");
                }
                print!("{}", text.trim_end());
                println!();
            }
            if let Some(first) = report.alternatives.first().filter(|_| report.alternatives.len() > 1) {
                println!("// the answer above is {}", alternative_header(0, first, report.alternatives.len()));
            }
            for (k, alt) in report.alternatives.iter().enumerate().skip(1) {
                if let Some(f) = &alt.function {
                    println!("\n// {}", alternative_header(k, alt, report.alternatives.len()));
                    println!("{}", emit_text(args.emit, &[(f.clone(), sig.clone())]).trim_end());
                }
            }
        }
        status = combine(status, exit_status(&report));
    }
    if !repairs.is_empty() {
        if !tasks.is_empty() && !args.json {
            println!();
        }
        let repair_opts = super::repair::options(&args.budget, args.seed, args.native_checks, 3);
        status = combine(status, super::repair::run_repairs(&repairs, &repair_opts, args.json, &path));
    }
    status
}

fn run_sygus(args: &SolveArgs) -> u8 {
    let file = match input::load_sygus(&args.file) {
        Ok((_, f)) => f,
        Err(s) => return s,
    };
    let opts = args.options(true);
    let path = args.file.display().to_string();
    let mut problem = file.problem.clone();
    problem.name = args.file.file_stem().map_or(problem.name, |s| s.to_string_lossy().into_owned());
    let bar = spinner(!args.json);
    let result = solve_problem(&problem, &opts, &mut progress_callback(&bar, &problem.name));
    bar.finish_and_clear();
    let report = match result {
        Ok(r) => r,
        Err(e) => return report_error(&args.file, &problem.name, &e),
    };
    let answer = match args.emit {
        Emit::Rust | Emit::C | Emit::Ir if report.status == Status::Solved => {
            let answers: Vec<(ir::Function, SourceSignature)> = report
                .functions
                .iter()
                .zip(&file.problem.targets)
                .map(|(f, target)| {
                    let mut f = f.clone();
                    f.name = target.name.clone();
                    let sig = frontend::export::unsigned_signature(&f);
                    (f, sig)
                })
                .collect();
            emit_text(args.emit, &answers)
        }
        _ => sygus_answer(&report, &file.problem),
    };
    let mut status = exit_status(&report);
    let written = match &args.certificate {
        Some(dir) if report.status == Status::Solved => {
            let solutions: Vec<ir::Function> = if report.functions.len() > 1 {
                report.functions.clone()
            } else {
                report.function.iter().cloned().collect()
            };
            match crate::solve::sygus_problem(&problem, &opts) {
                Ok(checked) => {
                    let subject = Subject {
                        name: &problem.name,
                        source: &args.file,
                        problem: &checked,
                        solutions: &solutions,
                        report: &report,
                        signature: None,
                        reference: None,
                        cost_model: ir::CostModel::Size,
                        seed: args.seed,
                    };
                    certify(dir, &subject, &mut status)
                }
                Err(e) => {
                    status = combine(status, report_error(&args.file, &problem.name, &e));
                    None
                }
            }
        }
        _ => None,
    };
    if args.json {
        println!("{}", with_certificate(json(&report, &path, Some(&answer)), written.as_ref()));
    } else {
        println!("{answer}");
        eprintln!("; {}", summary(&report));
        if let Some(w) = &written {
            eprintln!("; certificate: {}", w.review.display());
        }
        if let Some(first) = report.alternatives.first().filter(|_| report.alternatives.len() > 1) {
            eprintln!("; the answer above is {}", alternative_header(0, first, report.alternatives.len()));
        }
        for (k, alt) in report.alternatives.iter().enumerate().skip(1) {
            if let (Some(f), Some(target)) = (&alt.function, file.problem.targets.first()) {
                eprintln!("; {}", alternative_header(k, alt, report.alternatives.len()));
                eprintln!("{}", sygus::print_solution(target, &Solution::Function(f.clone())));
            }
        }
    }
    status
}

/// `alternative 2 of 3: size 3, latency 4, Pareto-optimal (without mul), verified like the
/// answer` for alternative `k` (0-based; 0 is the printed answer).
fn alternative_header(k: usize, alt: &crate::solve::Alternative, total: usize) -> String {
    let pareto = if alt.pareto { ", Pareto-optimal" } else { "" };
    let banned = if alt.banned.is_empty() { String::new() } else { format!(" (without {})", alt.banned.join(", ")) };
    format!(
        "alternative {} of {total}: size {}, latency {}{pareto}{banned}, verified like the answer",
        k + 1,
        alt.size,
        alt.latency
    )
}

/// Writes a certificate; a failure is reported and makes the exit status "unknown".
fn certify(dir: &Path, subject: &Subject<'_>, status: &mut u8) -> Option<Written> {
    match write_certificate(dir, subject) {
        Ok(w) => Some(w),
        Err(msg) => {
            eprintln!("synth: {msg}");
            *status = combine(*status, EXIT_UNKNOWN);
            None
        }
    }
}

/// A JSON report line with a `certificate` object naming the files written.
fn with_certificate(line: String, written: Option<&Written>) -> String {
    let Some(w) = written else { return line };
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&line) else { return line };
    if let (Some(obj), Ok(cert)) = (value.as_object_mut(), serde_json::to_value(w)) {
        obj.insert("certificate".into(), cert);
    }
    value.to_string()
}

/// The SyGuS answer text: the solutions like cvc5 prints them, `infeasible`, or `fail`.
pub fn sygus_answer(report: &TaskReport, problem: &ir::Problem) -> String {
    match report.status {
        Status::Solved => {
            let bodies: Vec<Solution> = match (&report.derivation, &report.function) {
                (Some(d), _) => vec![Solution::Derivation(d.clone())],
                _ if report.functions.len() > 1 => report
                    .functions
                    .iter()
                    .enumerate()
                    .map(|(t, f)| match report.derivations.get(t).cloned().flatten() {
                        Some(d) => Solution::Derivation(d),
                        None => Solution::Function(f.clone()),
                    })
                    .collect(),
                (None, Some(f)) => vec![Solution::Function(f.clone())],
                (None, None) => return sygus::print_fail(),
            };
            sygus::print_solutions(&problem.targets, &bodies)
        }
        Status::Infeasible => sygus::print_infeasible(),
        Status::NoSolution | Status::Unknown => sygus::print_fail(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_well() {
        assert_eq!(human_count(999), "999");
        assert_eq!(human_count(1_234_567), "1.2M");
    }
}
