//! Support shared by synth's integration tests (each test file includes it with `mod support;`):
//! the independent re-check of answers ([`recheck`]) and the SMT-LIB encoding it gives the `z3`
//! command-line tool ([`smtlib`]), and the compile-and-run check of Rust and C output
//! ([`native_export`]), and running the `synth` binary ([`cli`]). Nothing here calls into the
//! `synth` crate.

#![allow(dead_code, reason = "each test binary uses a different part")]

pub mod cli;
pub mod native_export;
pub mod recheck;
pub mod smtlib;
