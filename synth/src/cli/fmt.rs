//! `synth fmt FILE`: print canonical IR text.

use std::path::PathBuf;

use super::{EXIT_OK, input};

/// Arguments of `synth fmt`.
#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// The IR file to format.
    pub file: PathBuf,
}

pub fn run(args: &FmtArgs) -> u8 {
    match input::load_ir(&args.file) {
        Ok(m) => {
            print!("{m}");
            EXIT_OK
        }
        Err(status) => status,
    }
}
