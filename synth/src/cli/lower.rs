//! `synth lower FILE.syn`: print the IR a source file lowers to.

use std::path::PathBuf;

use super::EXIT_OK;
use super::input::{self, Input};

/// Arguments of `synth lower`.
#[derive(Debug, clap::Args)]
pub struct LowerArgs {
    /// The source file (`.syn`; an `.ir` file is printed as it is).
    pub file: PathBuf,
}

/// Prints the module (one IR function per source function, calls inlined), then each task as
/// comments followed by its `requires`/`ensures` functions; the output is valid IR text.
pub fn run(args: &LowerArgs) -> u8 {
    match input::load(&args.file) {
        Ok(Input::Syn(file)) => {
            print!("{file}");
            EXIT_OK
        }
        Ok(Input::Ir(m)) => {
            print!("{m}");
            EXIT_OK
        }
        Err(status) => status,
    }
}
