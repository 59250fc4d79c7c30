//! Reading input files: picks the format by extension and prints located errors.

use std::path::Path;

use frontend::syn::SynFile;

use super::EXIT_BAD_INPUT;

/// A parsed input file, by format.
#[derive(Debug)]
pub enum Input {
    /// IR text (`.ir`).
    Ir(ir::Module),
    /// `.syn` source: functions lowered to IR, plus synthesis tasks.
    Syn(SynFile),
}

/// Reads a file, or prints `synth: cannot read FILE: REASON` and returns the bad-input status.
pub fn read_file(path: &Path) -> Result<String, u8> {
    std::fs::read_to_string(path).map_err(|e| {
        eprintln!("synth: cannot read {}: {e}", path.display());
        EXIT_BAD_INPUT
    })
}

/// Parses an IR file, printing every error as `FILE:LINE:COL: error: ...` on failure.
pub fn load_ir(path: &Path) -> Result<ir::Module, u8> {
    let text = read_file(path)?;
    ir::parse_module(&text).map_err(|errors| {
        for e in &errors.0 {
            eprintln!("{}:{e}", path.display());
        }
        EXIT_BAD_INPUT
    })
}

/// Reads a `.syn` file, printing every error (`FILE:LINE:COL: error: ...`, the source line and
/// a marker under the span) on failure.
pub fn load_syn(path: &Path) -> Result<SynFile, u8> {
    let text = read_file(path)?;
    frontend::syn::parse_syn(&text).map_err(|diagnostics| {
        eprint!("{}", diagnostics.render(&path.display().to_string(), &text));
        EXIT_BAD_INPUT
    })
}

/// Reads a file in the format its extension names: `.ir` or `.syn`.
pub fn load(path: &Path) -> Result<Input, u8> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("ir") => load_ir(path).map(Input::Ir),
        Some("syn") => load_syn(path).map(Input::Syn),
        Some("sl") => {
            eprintln!("synth: {}: SyGuS files (.sl) are not supported yet", path.display());
            Err(EXIT_BAD_INPUT)
        }
        Some(ext) => {
            eprintln!("synth: {}: unknown file type `.{ext}` (expected .ir or .syn)", path.display());
            Err(EXIT_BAD_INPUT)
        }
        None => {
            eprintln!("synth: {}: no file extension (expected .ir or .syn)", path.display());
            Err(EXIT_BAD_INPUT)
        }
    }
}
