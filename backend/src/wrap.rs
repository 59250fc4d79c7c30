//! The two Cranelift functions built around a lowered body: the *exported* function with the C
//! calling convention (what object files contain) and the *batch* loop (what the JIT calls).
//!
//! Exported function ABI: each parameter and the result is passed as its carrier, the C unsigned
//! integer of the carrier's width (`uint8_t` for `i1..i8`, `uint16_t` for `i9..i16`, `uint32_t`
//! for `i17..i32`, `uint64_t` for `i33..i64`). Only the low `width` bits of an argument are read
//! (an `i1` reads bit 0); the result holds the value's bits zero-extended (an `i1` is 0 or 1).
//! 8- and 16-bit carriers are zero-extended at the ABI boundary, as C compilers expect.
//!
//! Batch loop: `batch(rows: *const u64, out: *mut u64, count: usize, exported: *const u8)` reads
//! `count` rows of `param_count` `u64` each (row-major), masks every argument to its parameter
//! type, evaluates the function and stores each result zero-extended in `out`. The body is either
//! inlined into the loop (fast, the default) or reached through an indirect call of `exported`
//! (to test the exported function itself); `exported` is unused when the body is inlined.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self as clif, AbiParam, InstBuilder, MemFlagsData, Signature, types};
use cranelift_codegen::isa::{CallConv, TargetFrontendConfig};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

use crate::lower::{carrier, lower_body};

/// How the batch loop evaluates the function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BatchBody {
    /// The function body is emitted inside the loop: no call per row. The default.
    #[default]
    Inline,
    /// Each row calls the exported C-ABI function (the one object files contain) through a
    /// pointer. Slower; it exists so tests can run the exported function natively.
    CallExported,
}

/// Size of one row element in bytes.
const WORD: i64 = 8;

fn abi_param(ty: types::Type) -> AbiParam {
    let p = AbiParam::new(ty);
    if ty.bits() < 32 { p.uext() } else { p }
}

/// The C signature of the exported function of `f`.
pub(crate) fn exported_signature(f: &ir::Function, call_conv: CallConv) -> Signature {
    let mut sig = Signature::new(call_conv);
    sig.params.extend(f.params.iter().map(|p| abi_param(carrier(p.ty))));
    sig.returns.push(abi_param(carrier(f.ret_ty)));
    sig
}

/// The signature of the batch loop: `(rows, out, count, exported) -> ()`.
pub(crate) fn batch_signature(pointer: types::Type, call_conv: CallConv) -> Signature {
    let mut sig = Signature::new(call_conv);
    sig.params.extend([AbiParam::new(pointer); 4]);
    sig
}

/// Masks a carrier value to `ty`'s width (arguments may carry garbage above it).
fn mask_argument(b: &mut FunctionBuilder<'_>, ty: ir::Type, v: clif::Value) -> clif::Value {
    let c = carrier(ty);
    if ty.width() < c.bits() {
        let m = b.ins().iconst(c, ty.mask() as i64);
        b.ins().band(v, m)
    } else {
        v
    }
}

/// Fills `func` (whose signature is [`exported_signature`]) with the exported function of `f`.
pub(crate) fn build_exported(
    func: &mut clif::Function,
    fctx: &mut FunctionBuilderContext,
    config: TargetFrontendConfig,
    f: &ir::Function,
) {
    let mut b = FunctionBuilder::new(func, fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    let raw: Vec<clif::Value> = b.block_params(entry).to_vec();
    let params: Vec<clif::Value> = raw.iter().zip(&f.params).map(|(&v, p)| mask_argument(&mut b, p.ty, v)).collect();
    let result = lower_body(&mut b, f, &params);
    b.ins().return_(&[result]);
    b.seal_all_blocks();
    b.finalize(config);
}

/// Fills `func` (whose signature is [`batch_signature`]) with the batch loop over `f`.
///
/// `exported` is the signature of the exported function, used when `body` is
/// [`BatchBody::CallExported`].
pub(crate) fn build_batch(
    func: &mut clif::Function,
    fctx: &mut FunctionBuilderContext,
    config: TargetFrontendConfig,
    f: &ir::Function,
    body: BatchBody,
    pointer: types::Type,
    exported: Signature,
) {
    let mut b = FunctionBuilder::new(func, fctx);
    let entry = b.create_block();
    let looping = b.create_block();
    let exit = b.create_block();
    b.append_block_params_for_function_params(entry);
    let row_param = b.append_block_param(looping, pointer);
    let out_param = b.append_block_param(looping, pointer);

    b.switch_to_block(entry);
    let [rows, out, count, callee] = *b.block_params(entry) else { unreachable!("batch signature has 4 params") };
    let out_bytes = b.ins().imul_imm_u(count, WORD);
    let out_end = b.ins().iadd(out, out_bytes);
    let empty = b.ins().icmp_imm_u(IntCC::Equal, count, 0);
    b.ins().brif(empty, exit, &[], looping, &[rows.into(), out.into()]);

    b.switch_to_block(looping);
    let flags = MemFlagsData::trusted();
    let mut args = Vec::with_capacity(f.params.len());
    for (k, p) in f.params.iter().enumerate() {
        let word = b.ins().load(types::I64, flags, row_param, WORD as i32 * k as i32);
        let c = carrier(p.ty);
        let v = if c == types::I64 { word } else { b.ins().ireduce(c, word) };
        args.push(mask_argument(&mut b, p.ty, v));
    }
    let result = match body {
        BatchBody::Inline => lower_body(&mut b, f, &args),
        BatchBody::CallExported => {
            let sig = b.import_signature(exported);
            let call = b.ins().call_indirect(sig, callee, &args);
            b.inst_results(call)[0]
        }
    };
    let result = if carrier(f.ret_ty) == types::I64 { result } else { b.ins().uextend(types::I64, result) };
    b.ins().store(flags, result, out_param, 0);
    let next_row = b.ins().iadd_imm_u(row_param, WORD * f.params.len() as i64);
    let next_out = b.ins().iadd_imm_u(out_param, WORD);
    let more = b.ins().icmp(IntCC::UnsignedLessThan, next_out, out_end);
    b.ins().brif(more, looping, &[next_row.into(), next_out.into()], exit, &[]);

    b.switch_to_block(exit);
    b.ins().return_(&[]);
    b.seal_all_blocks();
    b.finalize(config);
}
