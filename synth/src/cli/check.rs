//! `synth check FILE`: parse and verify (`.ir`), parse, type-check and lower (`.syn`), or read
//! and lower a SyGuS-IF problem (`.sl`). Prints `ok: ...` (exit 0) or every error as
//! `FILE:LINE:COL: error: ...` (exit 2).

use std::path::PathBuf;

use super::EXIT_OK;
use super::input::{self, Input};

/// Arguments of `synth check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The file to check: IR text (`.ir`), source (`.syn`) or a SyGuS-IF problem (`.sl`).
    pub file: PathBuf,
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

pub fn run(args: &CheckArgs) -> u8 {
    if args.file.extension().is_some_and(|e| e == "sl") {
        return match input::load_sygus(&args.file) {
            Ok((_, file)) => {
                let p = &file.problem;
                println!(
                    "ok: {}, {}, {}, {}",
                    plural(p.targets.len(), "synth-fun"),
                    plural(file.definitions().len(), "define-fun"),
                    plural(p.vars.len(), "variable"),
                    plural(p.constraints.len(), "constraint")
                );
                EXIT_OK
            }
            Err(status) => status,
        };
    }
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
