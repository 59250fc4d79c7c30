//! Native code for IR functions, generated with Cranelift.
//!
//! The backend lowers an [`ir::Function`] to Cranelift IR and compiles it for this machine:
//! [`NativeFn`] JIT-compiles it behind a safe handle that evaluates one argument row or a whole
//! batch of rows in one native call; [`emit_object`] writes a relocatable object file that exports
//! each function with the C calling convention; [`clif_text`] shows the Cranelift IR.
//!
//! The IR is total and Cranelift is not, so the lowering adds the guards of the semantics table
//! in `docs/semantics.md` (division by zero, `MIN / -1`, over-wide shifts, `clz`/`ctz` of 0) and
//! carries every width 1..=64 in the narrowest machine integer that holds it. Native code never
//! traps, and agrees with [`ir::eval`] on every input.
//!
//! ```
//! let m = ir::parse_module("
//!     fn clz4(v0: i4) -> i4 {
//!       v1 = clz v0
//!       ret v1
//!     }").unwrap();
//! let f = backend::NativeFn::compile(&m["clz4"]).unwrap();
//! assert_eq!(f.call(&[0b0010]), 2);
//! assert_eq!(f.call(&[0]), 4);
//! let object = backend::emit_object(&m).unwrap();
//! assert!(!object.is_empty());
//! ```
//!
//! Architecture invariant: this is the only crate that names Cranelift types, and none of them
//! appear in its public API.

#![deny(missing_docs)]

mod error;
mod jit;
mod lower;
mod object;
mod target;
mod wrap;

pub use error::Error;
pub use jit::{CompileOptions, NativeFn};
pub use object::{clif_text, emit_object, optimized_clif_instructions};
pub use target::CpuFeatures;
pub use wrap::BatchBody;
