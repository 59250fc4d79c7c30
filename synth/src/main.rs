//! The `synth` command-line tool; everything lives in the library's `cli` module.

fn main() -> std::process::ExitCode {
    synth::cli::main()
}
