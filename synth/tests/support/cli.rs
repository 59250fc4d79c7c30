//! Running the `synth` binary from the workspace root.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root (where `examples/` and `tests/` are).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("synth/ has a parent").to_path_buf()
}

/// Runs `synth ARGS` in the workspace root and waits for it (integration tests only: cargo
/// names the binary to them, not to unit tests, which include this module too).
pub fn synth(args: &[&str]) -> Output {
    let Some(binary) = option_env!("CARGO_BIN_EXE_synth") else {
        panic!("only integration tests run the synth binary");
    };
    Command::new(binary).args(args).current_dir(root()).output().expect("synth runs")
}

/// Process output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
