//! The command-line interface: argument parsing (clap) and one module per subcommand.
//!
//! This layer is the only place that reads files and prints; it turns library results into
//! text and exit codes: 0 success (solved, verified, equivalent), 1 no solution or refuted,
//! 2 bad input, 3 unknown (solver gave up or timed out).

mod args;
mod budget;
mod certificate;
mod check;
mod compile;
mod equiv;
mod eval;
mod fmt;
mod input;
mod lower;
mod optimize;
mod plot;
mod repair;
mod report;
mod run;
mod solve;
mod suite;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status for success.
pub const EXIT_OK: u8 = 0;
/// Exit status when no solution was found or a claim was refuted.
pub const EXIT_FAILED: u8 = 1;
/// Exit status for bad input (unreadable file, syntax or type errors, bad arguments).
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit status when the solver could not decide.
pub const EXIT_UNKNOWN: u8 = 3;

#[derive(Debug, Parser)]
#[command(
    name = "synth",
    version,
    about = "Program synthesis over a small typed IR: synthesize, verify (Z3) and compile (Cranelift) loop-free functions.",
    long_about = "synth reads source (.syn), SyGuS-IF (.sl) and IR text (.ir) and finds, proves and runs loop-free \
        bit-vector functions.\n\n\
        `synth FILE.syn` (or `synth solve FILE`) solves every `synth` task of a file: it searches for the cheapest \
        function that meets the spec, proves it with Z3, runs it natively against the interpreter, and prints it. \
        `synth FILE.sl` does the same for a SyGuS-IF problem and prints the answer as cvc5 would. \
        `synth repair FILE.syn` fixes buggy functions with the smallest proved edit; `synth optimize` finds cheaper \
        proved-equivalent versions of existing functions.\n\n\
        Exit status: 0 success, 1 no solution / refuted / infeasible, 2 bad input, 3 unknown (solver gave up)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Solve every task of a .syn file or a SyGuS-IF (.sl) problem (also `synth FILE`).
    Solve(solve::SolveArgs),
    /// Run every task of many files (.syn tasks, .sl problems) and print a table or JSON lines.
    Suite(suite::SuiteArgs),
    /// Parse and type-check a file (.ir, .syn or .sl); print `ok: ...` or every error as FILE:LINE:COL.
    Check(check::CheckArgs),
    /// Run a function in the reference interpreter and print its result.
    Eval(eval::EvalArgs),
    /// Print a file in canonical IR text.
    Fmt(fmt::FmtArgs),
    /// Run a function as JIT-compiled native code and print its result (same arguments and output as `eval`).
    Run(eval::EvalArgs),
    /// Compile every function of a file to a relocatable object file (C ABI), or print its Cranelift IR.
    Compile(compile::CompileArgs),
    /// Prove two functions equivalent with Z3, or print inputs on which they differ.
    Equiv(equiv::EquivArgs),
    /// Print the IR a .syn file lowers to (its functions, then its tasks as comments and IR).
    Lower(lower::LowerArgs),
    /// Find cheaper versions of the functions of a .ir or .syn file, each proved equivalent by Z3.
    Optimize(optimize::OptimizeArgs),
    /// Fix the functions named by `repair NAME { ... }` items of a .syn file with the smallest
    /// edit that meets their spec (also done by `synth FILE.syn`).
    Repair(repair::RepairArgs),
}

/// Runs the tool with the process arguments and returns the exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse_from(with_default_subcommand(std::env::args_os().collect()));
    let status = match cli.command {
        Command::Solve(a) => solve::run(&a),
        Command::Suite(a) => suite::run(&a),
        Command::Check(a) => check::run(&a),
        Command::Eval(a) => eval::run(&a),
        Command::Fmt(a) => fmt::run(&a),
        Command::Run(a) => run::run(&a),
        Command::Compile(a) => compile::run(&a),
        Command::Equiv(a) => equiv::run(&a),
        Command::Lower(a) => lower::run(&a),
        Command::Optimize(a) => optimize::run(&a),
        Command::Repair(a) => repair::run(&a),
    };
    ExitCode::from(status)
}

/// `synth FILE ...` means `synth solve FILE ...`: inserts `solve` when the first argument is
/// neither an option nor a subcommand.
fn with_default_subcommand(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    use clap::CommandFactory;
    if let Some(first) = args.get(1).and_then(|a| a.to_str()) {
        let is_subcommand = first == "help" || Cli::command().get_subcommands().any(|c| c.get_name() == first);
        if !first.starts_with('-') && !is_subcommand {
            args.insert(1, "solve".into());
        }
    }
    args
}
