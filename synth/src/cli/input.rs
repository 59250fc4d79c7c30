//! Reading input files: picks the format by extension and prints located errors.

use std::path::Path;

use super::EXIT_BAD_INPUT;

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
