//! `synth run FILE --fn NAME ARG...`: like `synth eval` (same arguments, output and errors), but
//! the function runs as native code JIT-compiled by the backend.

use backend::NativeFn;

use super::args::format_result;
use super::eval::{EvalArgs, select_call};
use super::{EXIT_BAD_INPUT, EXIT_OK, input};

/// Compiles the chosen function, runs it on the arguments and prints the result.
pub fn run(args: &EvalArgs) -> u8 {
    let m = match input::load_ir(&args.file) {
        Ok(m) => m,
        Err(status) => return status,
    };
    let (f, values) = match select_call(&m, args) {
        Ok(call) => call,
        Err(status) => return status,
    };
    let native = match NativeFn::compile(f) {
        Ok(native) => native,
        Err(e) => {
            eprintln!("synth: cannot compile fn {}: {e}", f.name);
            return EXIT_BAD_INPUT;
        }
    };
    println!("{}", format_result(native.call(&values), f.ret_ty, args.signed));
    EXIT_OK
}
