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
    /// A `.syn` file with `repair NAME { ... }` items, or a `.ir` file (with `--fn` and
    /// `--equiv`).
    pub file: PathBuf,
    /// For a `.ir` file: the function to repair.
    #[arg(long = "fn", value_name = "NAME")]
    pub function: Option<String>,
    /// For a `.ir` file: the IR file holding the reference the function must equal on every
    /// input (its function of the same name, or its only function).
    #[arg(long, value_name = "REF_FILE")]
    pub equiv: Option<PathBuf>,
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

/// The language functions are printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Syn,
    Ir,
}

/// Repairs each item, prints the outcome, and returns the combined exit status.
pub fn run_repairs(repairs: &[&Repair], opts: &RepairOptions, json: bool, path: &str) -> u8 {
    run_repairs_as(repairs, opts, json, path, Form::Syn)
}

fn run_repairs_as(repairs: &[&Repair], opts: &RepairOptions, json: bool, path: &str, form: Form) -> u8 {
    let print = |f: &ir::Function, item: &Repair| match form {
        Form::Syn => print_function(f, &item.signature),
        Form::Ir => {
            let mut g = f.clone();
            g.name = item.spec.name.clone();
            g.to_string()
        }
    };
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
        let before = print(&item.original, item);
        let after = report.function.as_ref().map(|f| print(f, item));
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

/// `synth repair FILE.ir --fn NAME --equiv REF_FILE`: the function must equal the reference on
/// every input (the IR's total semantics); the repair is printed as IR text with a diff.
fn run_ir(args: &RepairArgs, module: &ir::Module) -> u8 {
    let path = args.file.display();
    let (Some(name), Some(ref_path)) = (&args.function, &args.equiv) else {
        eprintln!("synth: {path}: repairing IR needs --fn NAME and --equiv REF_FILE");
        return EXIT_BAD_INPUT;
    };
    let Some(original) = module.functions.iter().find(|f| &f.name == name) else {
        eprintln!("synth: {path}: no function named `{name}`");
        return EXIT_BAD_INPUT;
    };
    let references = match input::load_ir(ref_path) {
        Ok(m) => m,
        Err(status) => return status,
    };
    let reference = match references.functions.iter().find(|f| &f.name == name) {
        Some(f) => f,
        None if references.functions.len() == 1 => &references.functions[0],
        None => {
            eprintln!("synth: {}: no function named `{name}` (and more than one function)", ref_path.display());
            return EXIT_BAD_INPUT;
        }
    };
    if reference.param_types() != original.param_types() || reference.ret_ty != original.ret_ty {
        eprintln!("synth: {}: `{}` has another signature than `{name}`", ref_path.display(), reference.name);
        return EXIT_BAD_INPUT;
    }
    let mut spec = ir::Spec::equivalent_to(reference, ir::CostModel::Size, ir::Semantics::Total);
    spec.name = name.clone();
    let item = Repair { original: original.clone(), signature: frontend::export::unsigned_signature(original), spec };
    let opts = options(&args.budget, args.seed, args.native_checks, args.max_edit);
    run_repairs_as(&[&item], &opts, args.json, &path.to_string(), Form::Ir)
}

pub fn run(args: &RepairArgs) -> u8 {
    let file = match input::load(&args.file) {
        Ok(input::Input::Syn(f)) => f,
        Ok(input::Input::Ir(m)) => return run_ir(args, &m),
        Err(status) => return status,
    };
    if args.function.is_some() || args.equiv.is_some() {
        eprintln!("synth: {}: --fn and --equiv are for .ir files; a .syn file names its repairs", args.file.display());
        return EXIT_BAD_INPUT;
    }
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
