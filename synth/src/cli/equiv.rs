//! `synth equiv A.ir B.ir [--fn NAME] [--fn2 NAME2]`: prove two functions equivalent with Z3 or
//! print a counterexample; `--smt2` prints the query as an SMT-LIB2 script instead.

use std::path::PathBuf;
use std::time::Duration;

use crate::verify::{Verdict, VerifyError, VerifyOptions, check_equivalent, smt2_equivalence_query};

use super::args::format_result;
use super::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, EXIT_UNKNOWN, input};

/// Arguments of `synth equiv`.
#[derive(Debug, clap::Args)]
pub struct EquivArgs {
    /// The file with the first function (IR text).
    pub a: PathBuf,
    /// The file with the second function (may be the same file).
    pub b: PathBuf,
    /// The function in A (may be omitted when A has exactly one function).
    #[arg(long = "fn", value_name = "NAME")]
    pub function: Option<String>,
    /// The function in B (default: the --fn name, or B's only function).
    #[arg(long = "fn2", value_name = "NAME2")]
    pub function2: Option<String>,
    /// Give up with `unknown` after this many seconds.
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = parse_timeout)]
    pub timeout: Duration,
    /// Print the query as an SMT-LIB2 script (unsat = equivalent) instead of solving it.
    #[arg(long)]
    pub smt2: bool,
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    let secs: f64 = text.parse().map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if secs.is_finite() && secs > 0.0 && secs < 1e9 {
        Ok(Duration::from_secs_f64(secs))
    } else {
        Err(format!("the timeout must be a positive number of seconds, not `{text}`"))
    }
}

fn names(m: &ir::Module) -> String {
    m.names().collect::<Vec<_>>().join(", ")
}

/// Picks `name` from `m`, or its only function; `fallback` is tried when no name is given and
/// the module has several functions.
fn pick<'m>(
    m: &'m ir::Module,
    path: &std::path::Path,
    name: Option<&str>,
    fallback: Option<&str>,
    flag: &str,
) -> Result<&'m ir::Function, u8> {
    if let Some(name) = name {
        return m.get(name).ok_or_else(|| {
            eprintln!("synth: no function `{name}` in {} (it has: {})", path.display(), names(m));
            EXIT_BAD_INPUT
        });
    }
    if m.functions.len() == 1 {
        return Ok(&m.functions[0]);
    }
    fallback.and_then(|n| m.get(n)).ok_or_else(|| {
        eprintln!("synth: {} has several functions; choose one with {flag} ({})", path.display(), names(m));
        EXIT_BAD_INPUT
    })
}

fn call_text(f: &ir::Function, inputs: &[u64], label: &str, result: u64) -> String {
    let args: Vec<String> = inputs.iter().map(u64::to_string).collect();
    format!("{label}({}) = {}", args.join(", "), format_result(result, f.ret_ty, false))
}

pub fn run(args: &EquivArgs) -> u8 {
    let (ma, mb) = match (input::load_ir(&args.a), input::load_ir(&args.b)) {
        (Ok(ma), Ok(mb)) => (ma, mb),
        (Err(status), _) | (_, Err(status)) => return status,
    };
    let f = match pick(&ma, &args.a, args.function.as_deref(), None, "--fn") {
        Ok(f) => f,
        Err(status) => return status,
    };
    let name2 = args.function2.as_deref().or(args.function.as_deref());
    let g = match pick(&mb, &args.b, name2, Some(&f.name), "--fn2") {
        Ok(g) => g,
        Err(status) => return status,
    };
    if args.smt2 {
        return match smt2_equivalence_query(f, g) {
            Ok(script) => {
                print!("{script}");
                EXIT_OK
            }
            Err(e) => report_error(&e),
        };
    }
    match check_equivalent(f, g, &VerifyOptions::with_timeout(args.timeout)) {
        Ok(Verdict::Equivalent) => {
            println!("equivalent");
            EXIT_OK
        }
        Ok(Verdict::NotEquivalent(cex)) => {
            println!("not equivalent");
            for (p, v) in f.params.iter().zip(&cex.inputs) {
                println!("{} = {}", p.value, format_result(*v, p.ty, false));
            }
            let (left, right) = if f.name == g.name {
                (format!("{}:{}", args.a.display(), f.name), format!("{}:{}", args.b.display(), g.name))
            } else {
                (f.name.clone(), g.name.clone())
            };
            println!("{}", call_text(f, &cex.inputs, &left, cex.left));
            println!("{}", call_text(g, &cex.inputs, &right, cex.right));
            EXIT_FAILED
        }
        Ok(Verdict::Unknown(reason)) => {
            println!("unknown: {reason}");
            EXIT_UNKNOWN
        }
        Err(e) => report_error(&e),
    }
}

fn report_error(e: &VerifyError) -> u8 {
    match e {
        VerifyError::Inconsistent { .. } => {
            eprintln!("synth: internal error (please report): {e}");
            EXIT_UNKNOWN
        }
        _ => {
            eprintln!("synth: {e}");
            EXIT_BAD_INPUT
        }
    }
}
