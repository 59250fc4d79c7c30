//! The `.syn` language: source functions and synthesis tasks, lowered to the IR.
//!
//! ```text
//! fn abs_ref(x: i32) -> i32 { if x < 0 { -x } else { x } }
//!
//! synth abs(x: i32) -> i32 {
//!     equiv abs_ref;
//!     using add, sub, xor, ashr, iconst;
//!     cost latency;
//! }
//! ```
//!
//! The pipeline, one module per stage: [`token`](self) (logos lexer) → `grammar.lalrpop`
//! (LALRPOP parser with error recovery) → `ast` → `check` (names, types, literal ranges,
//! opcodes by signedness, tasks) and `callgraph` (recursion, via petgraph) → `typed` → `lower`
//! (inlining, hash-consing in `cse`) → [`SynFile`]. Errors from every stage are collected into
//! one [`Diagnostics`]; lowering runs only on an error-free program. `print` goes the other
//! way, from an IR function to readable source. docs/syn-language.md is the language reference.
//!
//! ```
//! let file = frontend::syn::parse_syn("
//!     fn avg(a: u32, b: u32) -> u32 { (a & b) + ((a ^ b) >> 1) }
//!     synth avg_fast(a: u32, b: u32) -> u32 { equiv avg; }
//! ").unwrap();
//! assert_eq!(ir::eval(&file.module["avg"], &[7, 10]), 8);
//! assert_eq!(file.tasks[0].name, "avg_fast");
//! let printed = frontend::syn::print_function(&file.module["avg"], &file.functions[0]);
//! assert_eq!(printed, "fn avg(a: u32, b: u32) -> u32 {\n    (a & b) + ((a ^ b) >> 1)\n}\n");
//! ```

mod ast;
mod callgraph;
mod check;
mod cse;
mod diag;
mod file;
mod lower;
mod parse;
mod print;
mod token;
mod typed;
mod value;

lalrpop_util::lalrpop_mod!(
    #[allow(clippy::all, clippy::pedantic, missing_docs, missing_debug_implementations, unused_qualifications)]
    grammar,
    "/syn/grammar.rs"
);

pub use ast::Span;
pub use diag::{Diagnostics, ErrorKind, SynError};
pub use file::{SourceSignature, SynFile};
pub use print::{PrintError, print_function, try_print_function};
pub use value::{format_value, parse_value};

/// Reads a `.syn` file: parses, checks and lowers it, or returns every error found.
pub fn parse_syn(source: &str) -> Result<SynFile, Diagnostics> {
    let mut errors = Vec::new();
    let file = parse::parse(source, &mut errors);
    let program = check::check(&file, &mut errors);
    if !errors.is_empty() {
        return Err(Diagnostics::new(errors));
    }
    lower::lower(&program).map_err(|e| Diagnostics::new(vec![e]))
}
