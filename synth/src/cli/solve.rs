//! `synth FILE` / `synth solve FILE`: solve every task of a `.syn` file or a SyGuS-IF problem.

use std::path::{Path, PathBuf};

use crate::search::Progress;
use crate::solve::{SolveError, SolveOptions, Status, TaskReport, solve_problem, solve_spec};
use frontend::sygus::{self, Solution};
use frontend::syn::SourceSignature;

use super::budget::BudgetArgs;
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
    if tasks.is_empty() {
        match &args.task {
            Some(name) => eprintln!("synth: {}: no task named `{name}`", args.file.display()),
            None => eprintln!("synth: {}: no `synth` tasks in this file", args.file.display()),
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
        if args.json {
            println!("{}", json(&report, &path, text.as_deref()));
        } else {
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
        }
        status = combine(status, exit_status(&report));
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
    if args.json {
        println!("{}", json(&report, &path, Some(&answer)));
    } else {
        println!("{answer}");
        eprintln!("; {}", summary(&report));
    }
    exit_status(&report)
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
