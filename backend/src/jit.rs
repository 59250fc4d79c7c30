//! [`NativeFn`]: an IR function JIT-compiled for this machine, behind a safe handle.
//!
//! Each handle owns a private `cranelift_jit::JITModule` holding the batch loop of one function
//! (see `wrap.rs`); the loop is the only entry point, so one call and a batch of rows both cost a
//! single native call. The module's memory is freed when the handle is dropped.

use std::fmt;

use cranelift_codegen::Context;
use cranelift_frontend::FunctionBuilderContext;
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{Module, default_libcall_names};

use crate::Error;
use crate::target::{CpuFeatures, Flavor, host_isa};
use crate::wrap::{BatchBody, batch_signature, build_batch, build_exported, exported_signature};

/// How [`NativeFn::compile_with`] builds the code; the default is what [`NativeFn::compile`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CompileOptions {
    /// How the batch loop reaches the function body.
    pub body: BatchBody,
    /// Which CPU features the code may use.
    pub cpu: CpuFeatures,
}

/// The machine-code entry point: `batch(rows, out, count, exported)`, see `wrap.rs`.
type BatchEntry = unsafe extern "C" fn(*const u64, *mut u64, usize, *const u8);

/// A JIT module whose memory is freed on drop (a bare `JITModule` leaks it).
struct OwnedModule(Option<JITModule>);

impl Drop for OwnedModule {
    fn drop(&mut self) {
        if let Some(module) = self.0.take() {
            // SAFETY: the module's code is reachable only through pointers held by the
            // `NativeFn` (or the failed compilation) that owns this value; they are dropped with
            // it, and dropping needs exclusive access, so no call is running or can start.
            unsafe { module.free_memory() };
        }
    }
}

/// An IR function compiled to native code for this machine.
///
/// Calls are exactly [`ir::eval`] on every input (the property tests check this), never trap,
/// and mask each argument to its parameter type first, as the interpreter does.
///
/// `NativeFn` is `Send` and `Sync`: calls only read the argument slice and write the output
/// slice they are given (the code keeps no state), so any number of threads may call one handle
/// at once; the JIT module behind it is only touched again when the handle is dropped.
///
/// ```
/// let m = ir::parse_module("
///     fn avg_floor(v0: i32, v1: i32) -> i32 {
///       v2 = and v0, v1
///       v3 = xor v0, v1
///       v4 = iconst.i32 1
///       v5 = lshr v3, v4
///       v6 = add v2, v5
///       ret v6
///     }").unwrap();
/// let f = backend::NativeFn::compile(&m["avg_floor"]).unwrap();
/// assert_eq!(f.call(&[7, 10]), 8);
/// let mut out = [0; 2];
/// f.call_batch(&[7, 10, 0xffff_ffff, 1], &mut out);
/// assert_eq!(out, [8, 0x8000_0000]);
/// ```
pub struct NativeFn {
    entry: BatchEntry,
    /// The exported function, which the entry calls with [`BatchBody::CallExported`]; null otherwise.
    exported: *const u8,
    param_types: Vec<ir::Type>,
    ret_type: ir::Type,
    /// Owns the memory `entry` and `exported` point into; declared last so it is dropped last.
    _module: OwnedModule,
}

// SAFETY: `JITModule` is `Send` (checked below), and the code pointers are plain addresses of
// immutable machine code that any thread may execute.
unsafe impl Send for NativeFn {}
// SAFETY: `&NativeFn` only gives access to `call`/`call_batch`, which run reentrant machine code
// that reads and writes nothing but the caller's slices, and to immutable type information. The
// `JITModule` (which is not `Sync`) is never reached through a shared reference.
unsafe impl Sync for NativeFn {}

const _: () = {
    const fn assert_send<T: Send>() {}
    assert_send::<JITModule>();
};

impl NativeFn {
    /// Compiles `f` for this machine with the default [`CompileOptions`]: the body inlined into
    /// the batch loop, all CPU features of this machine available.
    pub fn compile(f: &ir::Function) -> Result<NativeFn, Error> {
        Self::compile_with(f, CompileOptions::default())
    }

    /// Compiles `f` with the given options. The non-default options exist for tests: with
    /// [`BatchBody::CallExported`] and [`CpuFeatures::Baseline`] every row runs through the same
    /// C-ABI function, built for the same CPU, that [`crate::emit_object`] puts in object files.
    pub fn compile_with(f: &ir::Function, options: CompileOptions) -> Result<NativeFn, Error> {
        ir::verify_function(f)?;
        let CompileOptions { body, cpu } = options;
        let isa = host_isa(Flavor::Jit(cpu))?;
        let call_conv = isa.default_call_conv();
        let pointer = isa.pointer_type();
        let config = isa.frontend_config();
        let mut module = OwnedModule(Some(JITModule::new(JITBuilder::with_isa(isa, default_libcall_names()))));
        let jit = module.0.as_mut().expect("module is present until drop");
        let codegen = |e: &dyn fmt::Display| Error::codegen(&f.name, e);

        let mut ctx: Context = jit.make_context();
        let mut fctx = FunctionBuilderContext::new();
        let exported_sig = exported_signature(f, call_conv);
        let exported_id = match body {
            BatchBody::Inline => None,
            BatchBody::CallExported => {
                let id = jit.declare_anonymous_function(&exported_sig).map_err(|e| codegen(&e))?;
                ctx.func.signature = exported_sig.clone();
                build_exported(&mut ctx.func, &mut fctx, config, f);
                jit.define_function(id, &mut ctx).map_err(|e| codegen(&e))?;
                jit.clear_context(&mut ctx);
                Some(id)
            }
        };
        let batch_sig = batch_signature(pointer, call_conv);
        let batch_id = jit.declare_anonymous_function(&batch_sig).map_err(|e| codegen(&e))?;
        ctx.func.signature = batch_sig;
        build_batch(&mut ctx.func, &mut fctx, config, f, body, pointer, exported_sig);
        jit.define_function(batch_id, &mut ctx).map_err(|e| codegen(&e))?;
        jit.clear_context(&mut ctx);
        jit.finalize_definitions().map_err(|e| codegen(&e))?;

        let entry_ptr = jit.get_finalized_function(batch_id);
        let exported = exported_id.map_or(std::ptr::null(), |id| jit.get_finalized_function(id));
        // SAFETY: `batch_id` was defined with `batch_signature` and the host's default calling
        // convention, which is `extern "C"`; its parameters are pointer-sized as in `BatchEntry`.
        let entry = unsafe { std::mem::transmute::<*const u8, BatchEntry>(entry_ptr) };
        Ok(NativeFn { entry, exported, param_types: f.param_types(), ret_type: f.ret_ty, _module: module })
    }

    /// The parameter types, in order.
    pub fn param_types(&self) -> &[ir::Type] {
        &self.param_types
    }

    /// The result type.
    pub fn ret_type(&self) -> ir::Type {
        self.ret_type
    }

    /// Runs the function on one argument row and returns the result's masked bits.
    ///
    /// Arguments are masked to their parameter types first (extra high bits are ignored).
    ///
    /// # Panics
    /// If `args.len()` differs from the number of parameters.
    pub fn call(&self, args: &[u64]) -> u64 {
        assert_eq!(
            args.len(),
            self.param_types.len(),
            "native fn takes {} argument(s), {} given",
            self.param_types.len(),
            args.len()
        );
        let mut out = 0u64;
        // SAFETY: the loop reads `param_types.len()` words from `args` (checked above) and writes
        // one word to `out`.
        unsafe { (self.entry)(args.as_ptr(), &mut out, 1, self.exported) };
        out
    }

    /// Runs the function on many argument rows: `rows` holds `out.len()` rows of
    /// `param_types().len()` arguments each, row after row, and result `i` is written to `out[i]`.
    /// One native call does the whole batch; nothing is allocated. With no parameters, `rows` is
    /// empty and `out.len()` says how many results to produce.
    ///
    /// Arguments are masked to their parameter types first, as in [`NativeFn::call`].
    ///
    /// # Panics
    /// If `rows.len() != out.len() * param_types().len()`.
    pub fn call_batch(&self, rows: &[u64], out: &mut [u64]) {
        let width = self.param_types.len();
        assert!(
            out.len().checked_mul(width) == Some(rows.len()),
            "call_batch: {} argument words for {} row(s) of {} argument(s)",
            rows.len(),
            out.len(),
            width
        );
        // SAFETY: the loop reads `out.len() * width == rows.len()` words from `rows` and writes
        // `out.len()` words to `out`; it does nothing when `out` is empty.
        unsafe { (self.entry)(rows.as_ptr(), out.as_mut_ptr(), out.len(), self.exported) };
    }
}

impl fmt::Debug for NativeFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NativeFn")
            .field("param_types", &self.param_types)
            .field("ret_type", &self.ret_type)
            .field("entry", &(self.entry as *const u8))
            .finish_non_exhaustive()
    }
}
