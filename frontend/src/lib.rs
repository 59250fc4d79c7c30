//! Source languages of synth, lowered to the IR.
//!
//! - [`syn`]: the `.syn` language of source functions and synthesis tasks (logos lexer,
//!   LALRPOP grammar, type checking, lowering to [`ir::Module`] and [`ir::Spec`], diagnostics
//!   with source excerpts, and a printer from IR back to `.syn` source).
//! - [`sygus`]: the SyGuS-IF v2 reader, solution printer and `z3` check-script writer.
//! - [`export`]: IR functions as Rust and C source with exactly the IR semantics.
//!
//! ```
//! let file = frontend::syn::parse_syn("fn lowest_bit(x: u32) -> u32 { x & -x }").unwrap();
//! assert_eq!(ir::eval(&file.module["lowest_bit"], &[12]), 4);
//! let err = frontend::syn::parse_syn("fn f(x: u8) -> u8 { x + 256 }").unwrap_err();
//! assert!(err.render("f.syn", "fn f(x: u8) -> u8 { x + 256 }").starts_with("f.syn:1:25: error: literal `256`"));
//! ```
//!
//! Architecture invariant: the frontend parses and lowers; it never searches or verifies.

#![deny(missing_docs)]

pub mod export;
pub mod sygus;
pub mod syn;
