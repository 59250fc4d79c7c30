//! The typed SSA intermediate representation of synth.
//!
//! Everything synth reads is lowered to this IR and everything it produces is an IR
//! [`Function`]. The crate owns the data structures, the text format (parse and print, which
//! round-trip), the verifier, the reference interpreter ([`eval`]) that defines the semantics of
//! `docs/semantics.md`, and the format-neutral task descriptions ([`Spec`], [`Problem`]).
//!
//! ```
//! let m = ir::parse_module("
//!     fn avg_floor(v0: i32, v1: i32) -> i32 {
//!       v2 = and v0, v1
//!       v3 = xor v0, v1
//!       v4 = iconst.i32 1
//!       v5 = lshr v3, v4
//!       v6 = add v2, v5
//!       ret v6
//!     }").unwrap();
//! assert_eq!(ir::eval(&m["avg_floor"], &[7, 10]), 8);
//! assert_eq!(ir::parse_module(&m.to_string()).unwrap(), m);
//! ```
//!
//! Architecture invariant: this crate names no Z3, egg or Cranelift type and does no file IO.

#![deny(missing_docs)]

mod error;
mod function;
pub mod guards;
mod interp;
mod opcode;
mod problem;
pub mod semantics;
mod spec;
#[cfg(feature = "proptest")]
pub mod testing;
mod text;
mod types;
mod verify;

pub use error::{Error, Errors, Location, Site, VerifyError, VerifyErrors};
pub use function::{Function, FunctionBuilder, Inst, Module, Param, Value};
pub use interp::{Interpreter, eval};
pub use opcode::{Opcode, Shape, UnknownOpcode};
pub use problem::{
    Derivation, Formula, Grammar, Node, NodeId, NonTerminal, Problem, Production, Safety, Sort, Surface, Target, Var,
    inline_into,
};
pub use spec::{CostModel, Example, Semantics, SourceType, Spec, SpecParam};
pub use text::{constant_text, parse_function, parse_module};
pub use types::{Type, UnknownType};
pub use verify::{result_type, verify_function, verify_module};
