//! `synth check FILE`: parse and verify (`.ir`), or parse, type-check and lower (`.syn`).

use std::path::PathBuf;

use super::EXIT_OK;
use super::input::{self, Input};

/// Arguments of `synth check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The file to check: IR text (`.ir`) or source (`.syn`).
    pub file: PathBuf,
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

pub fn run(args: &CheckArgs) -> u8 {
    match input::load(&args.file) {
        Ok(Input::Ir(m)) => {
            println!("ok: {}", plural(m.functions.len(), "function"));
            EXIT_OK
        }
        Ok(Input::Syn(file)) => {
            println!("ok: {}, {}", plural(file.module.functions.len(), "function"), plural(file.tasks.len(), "task"));
            EXIT_OK
        }
        Err(status) => status,
    }
}
