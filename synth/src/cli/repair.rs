//! `synth repair FILE.syn` (and the `repair` items of `synth FILE.syn`): the smallest edit that
//! makes a function meet its spec, printed as source with a unified diff against the original.

use std::path::PathBuf;
use std::time::Duration;

use frontend::syn::{Repair, format_value, print_function};

use crate::repair::{RepairOptions, RepairReport, RepairStatus, repair};
use crate::solve::SolveOptions;

use super::budget::BudgetArgs;
use super::report::combine;
use super::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, EXIT_UNKNOWN, input};

/// Arguments of `synth repair`.
#[derive(Debug, clap::Args)]
pub struct RepairArgs {
    /// A `.syn` file with `repair NAME { ... }` items.
    pub file: PathBuf,
    #[command(flatten)]
    pub budget: BudgetArgs,
    /// Repair only the function with this name.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Largest edit tried (instructions of the replacement).
    #[arg(long, default_value_t = 3, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=8))]
    pub max_edit: u32,
    /// Seed of the random tests.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Random inputs on which the repaired function's native code is compared with the
    /// interpreter.
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub native_checks: usize,
    /// Print one JSON object per repair instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The exit status of a repair: 0 repaired or already correct, 1 none found, 3 unknown.
fn exit_status(r: &RepairReport) -> u8 {
    match r.status {
        RepairStatus::AlreadyCorrect | RepairStatus::Repaired => EXIT_OK,
        RepairStatus::NoRepair => EXIT_FAILED,
        RepairStatus::Unknown => EXIT_UNKNOWN,
    }
}

/// Repairs each item, prints the outcome, and returns the combined exit status.
pub fn run_repairs(repairs: &[&Repair], opts: &RepairOptions, json: bool, path: &str) -> u8 {
    let mut status = EXIT_OK;
    for (i, item) in repairs.iter().enumerate() {
        let report = match repair(&item.original, &item.spec, opts) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("synth: {path}: repair `{}`: {e}", item.spec.name);
                status = combine(status, EXIT_UNKNOWN);
                continue;
            }
        };
        status = combine(status, exit_status(&report));
        let before = print_function(&item.original, &item.signature);
        let after = report.function.as_ref().map(|f| print_function(f, &item.signature));
        let diff = after.as_ref().map(|a| {
            similar::TextDiff::from_lines(&before, a).unified_diff().header("original", "repaired").to_string()
        });
        if json {
            let mut value = serde_json::to_value(&report).unwrap_or_default();
            if let Some(obj) = value.as_object_mut() {
                obj.insert("file".into(), path.into());
                obj.insert("repaired".into(), after.clone().into());
                obj.insert("diff".into(), diff.clone().into());
            }
            println!("{value}");
            continue;
        }
        if i > 0 {
            println!();
        }
        let name = &item.spec.name;
        if let Some(cex) = &report.counterexample {
            let args: Vec<String> = item
                .signature
                .params
                .iter()
                .zip(cex)
                .map(|(p, &v)| format!("{} = {}", p.name, format_value(v, p.ty)))
                .collect();
            let got = format_value(ir::eval(&item.original, cex), item.signature.ret);
            println!("// {name}: the original violates the spec at {} (it returns {got})", args.join(", "));
        }
        let secs = report.time_ms / 1000.0;
        match report.status {
            RepairStatus::AlreadyCorrect => println!("// {name}: already meets its spec; nothing to repair"),
            RepairStatus::Repaired => {
                let note = if report.undecided_holes > 0 {
                    format!(
                        " ({} smaller or equal edits were not all ruled out within the budget)",
                        report.undecided_holes
                    )
                } else {
                    String::new()
                };
                let checked = if item.spec.is_examples_only() {
                    format!("matches all {} examples (only examples were given)", item.spec.examples.len())
                } else {
                    "verified by z3 for all inputs".to_string()
                };
                println!(
                    "// {name}: repaired by an edit of size {}{note}; {checked}; native code agrees with the interpreter on {} random inputs; cost {} -> {}; {secs:.2} s",
                    report.edit_size.unwrap_or(0),
                    report.native_checks,
                    report.cost_before,
                    report.cost_after.unwrap_or(0),
                );
                if let (Some(after), Some(diff)) = (&after, &diff) {
                    println!("{}", after.trim_end());
                    print!("{diff}");
                }
            }
            RepairStatus::NoRepair => println!(
                "// {name}: no repair within budget ({}); {secs:.2} s",
                report.reason.as_deref().unwrap_or("budget exhausted")
            ),
            RepairStatus::Unknown => println!(
                "// {name}: unknown ({}); {secs:.2} s",
                report.reason.as_deref().unwrap_or("the solver gave up")
            ),
        }
    }
    status
}

/// The repair options for CLI budgets.
pub fn options(budget: &BudgetArgs, seed: u64, native_checks: usize, max_edit: u32) -> RepairOptions {
    let mut solve = SolveOptions { seed, native_checks, ..SolveOptions::default() };
    budget.apply(&mut solve);
    RepairOptions { timeout: solve.timeout.unwrap_or(Duration::from_secs(60)), max_edit, solve }
}

pub fn run(args: &RepairArgs) -> u8 {
    let file = match input::load(&args.file) {
        Ok(input::Input::Syn(f)) => f,
        Ok(input::Input::Ir(_)) => {
            eprintln!(
                "synth: {}: repair reads `repair NAME {{ ... }}` items of a .syn file (docs/syn-language.md)",
                args.file.display()
            );
            return EXIT_BAD_INPUT;
        }
        Err(status) => return status,
    };
    let repairs: Vec<&Repair> =
        file.repairs.iter().filter(|r| args.name.as_ref().is_none_or(|n| &r.spec.name == n)).collect();
    if repairs.is_empty() {
        match &args.name {
            Some(n) => eprintln!("synth: {}: no `repair {n}` item", args.file.display()),
            None => eprintln!("synth: {}: no `repair` items in this file", args.file.display()),
        }
        return EXIT_BAD_INPUT;
    }
    let opts = options(&args.budget, args.seed, args.native_checks, args.max_edit);
    run_repairs(&repairs, &opts, args.json, &args.file.display().to_string())
}
