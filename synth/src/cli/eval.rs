//! `synth eval FILE --fn NAME ARG...`: run a function in the reference interpreter.
//!
//! On `.ir` files arguments and results are bits (`--signed` prints the result signed); on
//! `.syn` files they follow the source types: `-5` for `i32`, `true` for `bool`, and the
//! result prints signed for `iN`, unsigned for `uN`, `true`/`false` for `bool`.

use std::path::PathBuf;

use frontend::syn::{SourceSignature, SynFile, format_value, parse_value};

use super::args::{format_result, parse_arg};
use super::input::{self, Input};
use super::{EXIT_BAD_INPUT, EXIT_OK};

/// Arguments of `synth eval` (and, with native code, `synth run`).
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The file: IR text (`.ir`) or source (`.syn`).
    pub file: PathBuf,
    /// The function to run (may be omitted when the file has exactly one function).
    #[arg(long = "fn", value_name = "NAME")]
    pub function: Option<String>,
    /// Print the result as a signed number.
    #[arg(long)]
    pub signed: bool,
    /// Arguments: decimal (negative numbers wrap to the parameter's width in .ir files and must
    /// fit the source type in .syn files), 0x hex or 0b binary; `true`/`false` for bool.
    #[arg(allow_negative_numbers = true, value_name = "ARG")]
    pub args: Vec<String>,
}

/// The function `args` names in `m` (or its only function), or prints why there is none.
fn pick_function<'m>(m: &'m ir::Module, args: &EvalArgs) -> Result<&'m ir::Function, u8> {
    match &args.function {
        Some(name) => m.get(name).ok_or_else(|| {
            let names: Vec<&str> = m.names().collect();
            eprintln!("synth: no function `{name}` in {} (it has: {})", args.file.display(), names.join(", "));
            EXIT_BAD_INPUT
        }),
        None if m.functions.len() == 1 => Ok(&m.functions[0]),
        None => {
            let names: Vec<&str> = m.names().collect();
            eprintln!(
                "synth: {} has several functions; choose one with --fn ({})",
                args.file.display(),
                names.join(", ")
            );
            Err(EXIT_BAD_INPUT)
        }
    }
}

fn check_count(name: &str, params: usize, args: &EvalArgs) -> Result<(), u8> {
    if args.args.len() != params {
        eprintln!("synth: fn {name} takes {params} argument(s), {} given", args.args.len());
        return Err(EXIT_BAD_INPUT);
    }
    Ok(())
}

/// Finds the function and parses the arguments, or prints why not.
pub fn select_call<'m>(m: &'m ir::Module, args: &EvalArgs) -> Result<(&'m ir::Function, Vec<u64>), u8> {
    let f = pick_function(m, args)?;
    check_count(&f.name, f.params.len(), args)?;
    let mut values = Vec::with_capacity(f.params.len());
    for (i, (text, p)) in args.args.iter().zip(&f.params).enumerate() {
        match parse_arg(text, p.ty) {
            Ok(v) => values.push(v),
            Err(e) => {
                eprintln!("synth: argument {} of fn {} ({}: {}): {e}", i + 1, f.name, p.value, p.ty);
                return Err(EXIT_BAD_INPUT);
            }
        }
    }
    Ok((f, values))
}

/// Like [`select_call`] for a `.syn` file: arguments parse by the source types of the function.
pub fn select_source_call<'f>(
    file: &'f SynFile,
    args: &EvalArgs,
) -> Result<(&'f ir::Function, &'f SourceSignature, Vec<u64>), u8> {
    let f = pick_function(&file.module, args)?;
    let Some(sig) = file.signature(&f.name) else {
        eprintln!("synth: fn {} has no source signature", f.name);
        return Err(EXIT_BAD_INPUT);
    };
    check_count(&f.name, sig.params.len(), args)?;
    let mut values = Vec::with_capacity(sig.params.len());
    for (i, (text, p)) in args.args.iter().zip(&sig.params).enumerate() {
        match parse_value(text, p.ty) {
            Ok(v) => values.push(v),
            Err(e) => {
                eprintln!("synth: argument {} of fn {} ({}: {}): {e}", i + 1, f.name, p.name, p.ty);
                return Err(EXIT_BAD_INPUT);
            }
        }
    }
    Ok((f, sig, values))
}

pub fn run(args: &EvalArgs) -> u8 {
    run_with(args, &|f, values| Ok(ir::eval(f, values)))
}

/// Computes a function's result on arguments (interpreter or native code).
pub type Executor = dyn Fn(&ir::Function, &[u64]) -> Result<u64, String>;

/// Formats a result for printing.
type ResultText = Box<dyn Fn(u64) -> String>;

/// Runs `eval`'s command line with `execute` computing the result (the interpreter, or native
/// code for `synth run`); an `Err` from `execute` is printed and exits with status 2.
pub fn run_with(args: &EvalArgs, execute: &Executor) -> u8 {
    let (result, text_of): (Result<u64, String>, ResultText) = match input::load(&args.file) {
        Ok(Input::Ir(m)) => {
            let (f, values) = match select_call(&m, args) {
                Ok(call) => call,
                Err(status) => return status,
            };
            let (ty, signed) = (f.ret_ty, args.signed);
            (execute(f, &values), Box::new(move |r| format_result(r, ty, signed)))
        }
        Ok(Input::Syn(file)) => {
            let (f, sig, values) = match select_source_call(&file, args) {
                Ok(call) => call,
                Err(status) => return status,
            };
            let (ret, signed) = (sig.ret, args.signed);
            let text = move |r| {
                if signed && !ret.ty.is_bool() { format_result(r, ret.ty, true) } else { format_value(r, ret) }
            };
            (execute(f, &values), Box::new(text))
        }
        Err(status) => return status,
    };
    match result {
        Ok(r) => {
            println!("{}", text_of(r));
            EXIT_OK
        }
        Err(e) => {
            eprintln!("synth: {e}");
            EXIT_BAD_INPUT
        }
    }
}
