//! `synth optimize FILE.ir|FILE.syn`: cheaper versions of existing functions, each proved
//! equivalent to its input by Z3, printed in the input's language.

use std::path::PathBuf;
use std::time::Duration;

use ir::{CostModel, Semantics};

use crate::optimize::{OptimizeOptions, Optimized, Proof, optimize};

use super::budget::{parse_seconds, parse_threads};
use super::report::combine;
use super::solve::SemanticsArg;
use super::{EXIT_BAD_INPUT, EXIT_OK, EXIT_UNKNOWN, input};

/// Arguments of `synth optimize`.
#[derive(Debug, clap::Args)]
pub struct OptimizeArgs {
    /// An IR file (`.ir`) or a `.syn` file; every function in it is optimized unless `--fn`.
    pub file: PathBuf,
    /// Optimize only this function.
    #[arg(long = "fn", value_name = "NAME")]
    pub function: Option<String>,
    /// The cost to lower: `size` (instructions) or `latency` (summed cycles, docs/search.md).
    #[arg(long, value_enum, default_value = "size")]
    pub cost: CostArg,
    /// `defined` (default for .syn): the result reaches no division by zero, MIN / -1 or
    /// over-wide shift that the input does not; `total` (default for .ir): the IR's semantics.
    #[arg(long, value_enum, value_name = "MODE")]
    pub semantics: Option<SemanticsArg>,
    /// List the steps: the rewrite rules the e-graph applied (with explanations) and the
    /// windows the enumerator replaced.
    #[arg(long)]
    pub explain: bool,
    /// Time budget per function in seconds, proof included (default 30).
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub timeout: Option<Duration>,
    /// Seconds the enumerator may spend on the windows of a function per round (default 1;
    /// more finds more, e.g. `--effort 10`).
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub effort: Option<Duration>,
    /// Worker threads of the enumerator (default: all cores).
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Random inputs on which the result runs natively against the interpreter and the input.
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub native_checks: usize,
    /// Skip equality saturation (enumerator only).
    #[arg(long)]
    pub no_egraph: bool,
    /// Skip the enumerator (e-graph only).
    #[arg(long)]
    pub no_enumerator: bool,
    /// Print the optimized function even when Z3 could not prove it (marked unproved).
    #[arg(long)]
    pub keep_unproved: bool,
    /// Print one JSON object per function instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The `--cost` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CostArg {
    /// Number of instructions.
    Size,
    /// Summed latency.
    Latency,
}

/// The header line of one result (without comment markers).
fn header(name: &str, r: &Optimized, cost: CostModel, semantics: Semantics) -> String {
    let proof = match &r.proof {
        Proof::Verified if r.steps.is_empty() => "no cheaper version found; unchanged".to_string(),
        Proof::Verified => {
            let defined = if semantics == Semantics::Defined { ", with defined behaviour in Rust and C" } else { "" };
            format!(
                "verified by z3{defined}; native code agrees with the interpreter and the input on {} random inputs",
                r.native_checks
            )
        }
        Proof::Unknown(why) => format!("NOT PROVED (z3: {why})"),
    };
    format!("{name}: cost {} -> {} ({cost}), {proof}; {:.2} s", r.cost_before, r.cost_after, r.time_ms / 1000.0)
}

pub fn run(args: &OptimizeArgs) -> u8 {
    let (functions, syn) = match args.file.extension().and_then(|e| e.to_str()) {
        Some("syn") => match input::load_syn(&args.file) {
            Ok(f) => (f.module.functions.clone(), Some(f)),
            Err(s) => return s,
        },
        _ => match input::load_ir(&args.file) {
            Ok(m) => (m.functions, None),
            Err(s) => return s,
        },
    };
    let selected: Vec<&ir::Function> =
        functions.iter().filter(|f| args.function.as_ref().is_none_or(|n| &f.name == n)).collect();
    if selected.is_empty() {
        match &args.function {
            Some(name) => eprintln!("synth: {}: no function named `{name}`", args.file.display()),
            None => eprintln!("synth: {}: no functions", args.file.display()),
        }
        return EXIT_BAD_INPUT;
    }
    let cost = match args.cost {
        CostArg::Size => CostModel::Size,
        CostArg::Latency => CostModel::Latency,
    };
    let semantics =
        args.semantics.map_or(if syn.is_some() { Semantics::Defined } else { Semantics::Total }, Into::into);
    let mut opts = OptimizeOptions {
        cost,
        semantics,
        egraph: !args.no_egraph,
        enumerator: !args.no_enumerator,
        keep_unproved: args.keep_unproved,
        native_checks: args.native_checks,
        explain: args.explain,
        ..OptimizeOptions::default()
    };
    if let Some(t) = args.timeout {
        opts.timeout = t;
    }
    if let Some(e) = args.effort {
        opts.enumerator_budget = e;
        opts.window_timeout = (e / 3).max(opts.window_timeout);
    }
    if let Some(t) = args.threads {
        opts.threads = t;
    }
    let mut status = EXIT_OK;
    for (i, f) in selected.iter().enumerate() {
        let result = match optimize(f, &opts) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("synth: {}: {}: {e}", args.file.display(), f.name);
                status = combine(status, EXIT_UNKNOWN);
                continue;
            }
        };
        if matches!(result.proof, Proof::Unknown(_)) {
            status = combine(status, EXIT_UNKNOWN);
        }
        let text = match &syn {
            Some(file) => match file.signature(&f.name) {
                Some(sig) => frontend::syn::print_function(&result.function, sig),
                None => result.function.to_string(),
            },
            None => result.function.to_string(),
        };
        if args.json {
            let mut value = serde_json::to_value(&result).unwrap_or_default();
            if let Some(obj) = value.as_object_mut() {
                obj.insert("function".into(), f.name.clone().into());
                obj.insert("file".into(), args.file.display().to_string().into());
                obj.insert("cost_model".into(), cost.to_string().into());
                obj.insert("semantics".into(), semantics.to_string().into());
                obj.insert("result".into(), text.into());
            }
            println!("{value}");
            continue;
        }
        if i > 0 {
            println!();
        }
        println!("// {}", header(&f.name, &result, cost, semantics));
        if args.explain {
            for step in &result.steps {
                let engine = match step.engine {
                    crate::optimize::Engine::Egraph => "e-graph",
                    crate::optimize::Engine::Enumerator => "enumerator",
                };
                println!(
                    "// {engine}: cost {} -> {}: {}",
                    step.cost_before,
                    step.cost_after,
                    step.detail.replace('\n', "\n//   ")
                );
            }
        }
        print!("{}", text.trim_end());
        println!();
    }
    status
}
