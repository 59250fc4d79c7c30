//! `synth run FILE --fn NAME ARG...`: like `synth eval` (same arguments, output and errors, for
//! `.ir` and `.syn` files), but the function runs as native code JIT-compiled by the backend.

use backend::NativeFn;

use super::eval::{EvalArgs, run_with};

/// Compiles the chosen function, runs it on the arguments and prints the result.
pub fn run(args: &EvalArgs) -> u8 {
    run_with(args, &|f, values| {
        let native = NativeFn::compile(f).map_err(|e| format!("cannot compile fn {}: {e}", f.name))?;
        Ok(native.call(values))
    })
}
