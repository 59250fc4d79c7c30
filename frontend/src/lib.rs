//! placeholder
//! - [`sygus`]: the SyGuS-IF v2 reader, solution printer and `z3` check-script writer.
pub mod sygus;
