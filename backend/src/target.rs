//! The host target: Cranelift ISAs for the JIT and for object files, built once per process.
//!
//! The JIT ISA uses every feature of the machine it runs on (`cranelift-native` detection) unless
//! asked for the baseline; the object-file ISA targets the host architecture with baseline features
//! only, so an object runs on any machine of that architecture, not only on the one that compiled it.

use std::sync::OnceLock;

use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};

use crate::Error;

/// Which CPU features generated code may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CpuFeatures {
    /// Everything this machine has (detected at run time). The JIT default.
    #[default]
    Native,
    /// The architecture's baseline only, as in object files (so tests can run that code natively).
    Baseline,
}

/// What the ISA is used for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Flavor {
    /// Code run in this process: no position independence (cranelift-jit needs it off).
    Jit(CpuFeatures),
    /// Code in a relocatable object: baseline features, position independent.
    Object,
}

/// The ISA for `flavor`; built on first use and shared afterwards (an `OwnedTargetIsa` is an `Arc`).
pub(crate) fn host_isa(flavor: Flavor) -> Result<OwnedTargetIsa, Error> {
    static JIT_NATIVE: OnceLock<Result<OwnedTargetIsa, String>> = OnceLock::new();
    static JIT_BASELINE: OnceLock<Result<OwnedTargetIsa, String>> = OnceLock::new();
    static OBJECT: OnceLock<Result<OwnedTargetIsa, String>> = OnceLock::new();
    let cell = match flavor {
        Flavor::Jit(CpuFeatures::Native) => &JIT_NATIVE,
        Flavor::Jit(CpuFeatures::Baseline) => &JIT_BASELINE,
        Flavor::Object => &OBJECT,
    };
    cell.get_or_init(|| build_isa(flavor)).clone().map_err(Error::UnsupportedHost)
}

fn build_isa(flavor: Flavor) -> Result<OwnedTargetIsa, String> {
    let mut flags = settings::builder();
    let pic = matches!(flavor, Flavor::Object);
    // Cranelift's IR verifier runs in debug builds (so the tests check every function the
    // lowering emits); release builds skip it, which saves 10-30% of the compile time.
    let verify = if cfg!(debug_assertions) { "true" } else { "false" };
    let settings = [
        ("opt_level", "speed"),
        ("enable_verifier", verify),
        ("is_pic", if pic { "true" } else { "false" }),
        ("use_colocated_libcalls", "false"),
        // Frames larger than a page (big functions that spill) touch each page in order, so a
        // stack overflow hits the guard page instead of skipping past it.
        ("enable_probestack", "true"),
        ("probestack_strategy", "inline"),
    ];
    for (name, value) in settings {
        flags.set(name, value).map_err(|e| format!("setting {name}={value}: {e}"))?;
    }
    let native_features = matches!(flavor, Flavor::Jit(CpuFeatures::Native));
    let isa_builder = cranelift_native::builder_with_options(native_features).map_err(str::to_string)?;
    isa_builder.finish(settings::Flags::new(flags)).map_err(|e| e.to_string())
}
