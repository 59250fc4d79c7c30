//! `synth eval FILE --fn NAME ARG...`: run a function in the reference interpreter.

use std::path::PathBuf;

use super::args::{format_result, parse_arg};
use super::{EXIT_BAD_INPUT, EXIT_OK, input};

/// Arguments of `synth eval` (and, with native code, `synth run`).
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The IR file.
    pub file: PathBuf,
    /// The function to run (may be omitted when the file has exactly one function).
    #[arg(long = "fn", value_name = "NAME")]
    pub function: Option<String>,
    /// Print the result as a signed number.
    #[arg(long)]
    pub signed: bool,
    /// Arguments: decimal (negative numbers wrap to the parameter's width), 0x hex or 0b binary.
    #[arg(allow_negative_numbers = true, value_name = "ARG")]
    pub args: Vec<String>,
}

/// Finds the function and parses the arguments, or prints why not.
pub fn select_call<'m>(m: &'m ir::Module, args: &EvalArgs) -> Result<(&'m ir::Function, Vec<u64>), u8> {
    let f = match &args.function {
        Some(name) => m.get(name).ok_or_else(|| {
            let names: Vec<&str> = m.names().collect();
            eprintln!("synth: no function `{name}` in {} (it has: {})", args.file.display(), names.join(", "));
            EXIT_BAD_INPUT
        })?,
        None if m.functions.len() == 1 => &m.functions[0],
        None => {
            let names: Vec<&str> = m.names().collect();
            eprintln!(
                "synth: {} has several functions; choose one with --fn ({})",
                args.file.display(),
                names.join(", ")
            );
            return Err(EXIT_BAD_INPUT);
        }
    };
    if args.args.len() != f.params.len() {
        eprintln!("synth: fn {} takes {} argument(s), {} given", f.name, f.params.len(), args.args.len());
        return Err(EXIT_BAD_INPUT);
    }
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

pub fn run(args: &EvalArgs) -> u8 {
    let m = match input::load_ir(&args.file) {
        Ok(m) => m,
        Err(status) => return status,
    };
    let (f, values) = match select_call(&m, args) {
        Ok(call) => call,
        Err(status) => return status,
    };
    let result = ir::eval(f, &values);
    println!("{}", format_result(result, f.ret_ty, args.signed));
    EXIT_OK
}
