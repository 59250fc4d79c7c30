//! Ahead-of-time output: relocatable object files and the Cranelift IR as text.
//!
//! Both build the *exported* function of `wrap.rs`, whose C ABI is documented there: each IR
//! function becomes a global symbol under its own name that C can declare with the carrier
//! types, e.g. `uint32_t avg_floor(uint32_t, uint32_t);` or `uint8_t is_pow2(uint32_t);`.

use cranelift_codegen::ir::UserFuncName;
use cranelift_codegen::{Context, verify_function};
use cranelift_frontend::FunctionBuilderContext;
use cranelift_module::{Linkage, Module, default_libcall_names};
use cranelift_object::{ObjectBuilder, ObjectModule};

use crate::Error;
use crate::target::{Flavor, host_isa};
use crate::wrap::{build_exported, exported_signature};

/// Compiles every function of `m` into one relocatable object file for this machine's
/// architecture (baseline CPU features, position-independent code), each exported under its IR
/// name with the C calling convention.
pub fn emit_object(m: &ir::Module) -> Result<Vec<u8>, Error> {
    ir::verify_module(m)?;
    if let Some(f) = m.functions.iter().find(|f| !is_c_identifier(&f.name)) {
        return Err(Error::BadSymbolName(f.name.clone()));
    }
    let isa = host_isa(Flavor::Object)?;
    let call_conv = isa.default_call_conv();
    let config = isa.frontend_config();
    let object_name = m.functions.first().map_or("synth", |f| f.name.as_str());
    let builder = ObjectBuilder::new(isa, object_name, default_libcall_names())
        .map_err(|e| Error::UnsupportedHost(e.to_string()))?;
    let mut module = ObjectModule::new(builder);
    let mut ctx: Context = module.make_context();
    let mut fctx = FunctionBuilderContext::new();
    for f in &m.functions {
        let codegen = |e: &dyn std::fmt::Display| Error::codegen(&f.name, e);
        let sig = exported_signature(f, call_conv);
        let id = module.declare_function(&f.name, Linkage::Export, &sig).map_err(|e| codegen(&e))?;
        ctx.func.signature = sig;
        build_exported(&mut ctx.func, &mut fctx, config, f);
        module.define_function(id, &mut ctx).map_err(|e| codegen(&e))?;
        module.clear_context(&mut ctx);
    }
    module.finish().emit().map_err(|e| Error::codegen(object_name, e))
}

/// The Cranelift IR of `f`'s exported function (before optimization), as Cranelift prints it.
pub fn clif_text(f: &ir::Function) -> Result<String, Error> {
    ir::verify_function(f)?;
    let isa = host_isa(Flavor::Object)?;
    let mut ctx = Context::new();
    ctx.func.signature = exported_signature(f, isa.default_call_conv());
    ctx.func.name = UserFuncName::testcase(&f.name);
    build_exported(&mut ctx.func, &mut FunctionBuilderContext::new(), isa.frontend_config(), f);
    verify_function(&ctx.func, &*isa).map_err(|e| Error::codegen(&f.name, e))?;
    Ok(ctx.func.display().to_string())
}

/// The number of Cranelift instructions in `f`'s exported function after Cranelift's own
/// mid-end optimizer (`opt_level=speed`: its e-graph rules, GVN, constant folding) has run,
/// before register allocation: the count to compare synth's optimizations with.
pub fn optimized_clif_instructions(f: &ir::Function) -> Result<usize, Error> {
    ir::verify_function(f)?;
    let isa = host_isa(Flavor::Object)?;
    let mut ctx = Context::new();
    ctx.func.signature = exported_signature(f, isa.default_call_conv());
    ctx.func.name = UserFuncName::testcase(&f.name);
    build_exported(&mut ctx.func, &mut FunctionBuilderContext::new(), isa.frontend_config(), f);
    let mut ctrl_plane = cranelift_codegen::control::ControlPlane::default();
    ctx.optimize(&*isa, &mut ctrl_plane).map_err(|e| Error::codegen(&f.name, format!("{e:?}")))?;
    let layout = &ctx.func.layout;
    Ok(layout.blocks().map(|b| layout.block_insts(b).count()).sum())
}

fn is_c_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
