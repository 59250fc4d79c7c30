//! The `synth` command-line tool; everything lives in the library's `cli` module.

/// The search allocates and frees large term banks; mimalloc returns and reuses that memory
/// with far fewer page faults than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    restore_sigpipe();
    synth::cli::main()
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`synth ... | head -1`) would panic;
/// restore the default action so the process ends quietly like other command-line tools.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any other thread exists; setting a signal's
    // disposition to its default is always valid.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
