//! `synth compile FILE -o OUT.o`: write a relocatable object file exporting every function of an
//! IR file with the C calling convention; `--emit clif` produces the Cranelift IR as text instead.

use std::path::PathBuf;

use super::{EXIT_BAD_INPUT, EXIT_OK, input};

/// What `synth compile` produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Emit {
    /// A relocatable object file for this machine (ELF, Mach-O or COFF).
    Obj,
    /// The Cranelift IR of each function, as text.
    Clif,
}

/// Arguments of `synth compile`.
#[derive(Debug, clap::Args)]
pub struct CompileArgs {
    /// The IR file.
    pub file: PathBuf,
    /// The output file (required for `--emit obj`; `--emit clif` prints to stdout without it).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// What to produce. Object files export each function under its IR name; an `iN` parameter
    /// or result is the C unsigned integer of the smallest width >= N among 8, 16, 32, 64
    /// (`i1` is a `uint8_t` holding 0 or 1), carrying the value's bits zero-extended.
    #[arg(long, value_enum, default_value = "obj")]
    pub emit: Emit,
}

/// Compiles the file and writes (or prints) the result.
pub fn run(args: &CompileArgs) -> u8 {
    if args.emit == Emit::Obj && args.output.is_none() {
        eprintln!("synth: compile needs an output file for an object: -o OUT.o (or --emit clif to print Cranelift IR)");
        return EXIT_BAD_INPUT;
    }
    let m = match input::load_ir(&args.file) {
        Ok(m) => m,
        Err(status) => return status,
    };
    let bytes = match args.emit {
        Emit::Obj => backend::emit_object(&m),
        Emit::Clif => m
            .functions
            .iter()
            .map(backend::clif_text)
            .collect::<Result<Vec<String>, _>>()
            .map(|texts| texts.join("\n").into_bytes()),
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("synth: cannot compile {}: {e}", args.file.display());
            return EXIT_BAD_INPUT;
        }
    };
    match &args.output {
        None => print!("{}", String::from_utf8_lossy(&bytes)),
        Some(out) => {
            if let Err(e) = std::fs::write(out, &bytes) {
                eprintln!("synth: cannot write {}: {e}", out.display());
                return EXIT_BAD_INPUT;
            }
            let names: Vec<&str> = m.names().collect();
            let n = names.len();
            println!("wrote {}: {n} function{} ({})", out.display(), if n == 1 { "" } else { "s" }, names.join(", "));
        }
    }
    EXIT_OK
}
