//! `synth check FILE`: parse and verify.

use std::path::PathBuf;

use super::{EXIT_OK, input};

/// Arguments of `synth check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The file to check (IR text, `.ir`).
    pub file: PathBuf,
}

pub fn run(args: &CheckArgs) -> u8 {
    match input::load_ir(&args.file) {
        Ok(m) => {
            let n = m.functions.len();
            println!("ok: {n} function{}", if n == 1 { "" } else { "s" });
            EXIT_OK
        }
        Err(status) => status,
    }
}
