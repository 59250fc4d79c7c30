//! Reading input files: picks the format by extension and prints located errors.
//!
//! Every error about a file's contents is printed as `FILE:LINE:COL: error: ...` (a file that
//! is not UTF-8 included: the location is that of the first bad byte) and gives the bad-input
//! exit status.

use std::path::Path;

use frontend::sygus::SygusFile;
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

/// The 1-based line and column (in characters) of byte `offset` of `text`.
fn location_of(text: &str, offset: usize) -> ir::Location {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    ir::Location { line: u32::try_from(line).unwrap_or(u32::MAX), col: u32::try_from(col).unwrap_or(u32::MAX) }
}

/// Reads a UTF-8 text file, or prints why not (`synth: cannot read FILE: REASON`, or
/// `FILE:LINE:COL: error: invalid UTF-8 ...`) and returns the bad-input status.
pub fn read_file(path: &Path) -> Result<String, u8> {
    let bytes = std::fs::read(path).map_err(|e| {
        eprintln!("synth: cannot read {}: {e}", path.display());
        EXIT_BAD_INPUT
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let good = e.utf8_error().valid_up_to();
        // The prefix up to `good` is valid UTF-8 by definition.
        let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
        eprintln!(
            "{}:{}: error: invalid UTF-8 (byte 0x{:02x}); input files must be UTF-8 text",
            path.display(),
            location_of(prefix, prefix.len()),
            bytes[good]
        );
        EXIT_BAD_INPUT
    })
}

/// Most IR errors printed for one file.
const MAX_IR_ERRORS: usize = 100;

/// Parses an IR file, printing every error (up to 100) as `FILE:LINE:COL: error: ...` on failure.
pub fn load_ir(path: &Path) -> Result<ir::Module, u8> {
    let text = read_file(path)?;
    ir::parse_module(&text).map_err(|errors| {
        for e in errors.0.iter().take(MAX_IR_ERRORS) {
            eprintln!("{}:{e}", path.display());
        }
        if let Some(more) = errors.0.len().checked_sub(MAX_IR_ERRORS).filter(|&n| n > 0) {
            eprintln!("{}: and {more} more error{}", path.display(), if more == 1 { "" } else { "s" });
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

/// Reads a SyGuS-IF file, printing its first error as `FILE:LINE:COL: error: ...` on failure.
/// Returns the text too (check scripts and answers are built from it).
pub fn load_sygus(path: &Path) -> Result<(String, SygusFile), u8> {
    let text = read_file(path)?;
    match frontend::sygus::parse_sygus(&text) {
        Ok(file) => Ok((text, file)),
        Err(e) => {
            eprintln!("{}", e.render(&path.display().to_string()));
            Err(EXIT_BAD_INPUT)
        }
    }
}

/// Reads a file in the format its extension names: `.ir` or `.syn` (SyGuS files are read by the
/// commands that take them, with [`load_sygus`]).
pub fn load(path: &Path) -> Result<Input, u8> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("ir") => load_ir(path).map(Input::Ir),
        Some("syn") => load_syn(path).map(Input::Syn),
        Some("sl") => {
            eprintln!(
                "synth: {}: this command reads .ir and .syn files; SyGuS files (.sl) are solved with `synth FILE.sl` \
                 and checked with `synth check FILE.sl`",
                path.display()
            );
            Err(EXIT_BAD_INPUT)
        }
        Some(ext) => {
            eprintln!("synth: {}: unknown file type `.{ext}` (expected .ir, .syn or .sl)", path.display());
            Err(EXIT_BAD_INPUT)
        }
        None => {
            eprintln!("synth: {}: no file extension (expected .ir, .syn or .sl)", path.display());
            Err(EXIT_BAD_INPUT)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_lines_and_characters() {
        assert_eq!(location_of("", 0), ir::Location { line: 1, col: 1 });
        assert_eq!(location_of("ab\ncé", 6), ir::Location { line: 2, col: 3 });
    }
}
