//! The result of reading a `.syn` file, and its IR text form (`synth lower` prints it).

use std::fmt;

use ir::{Module, SourceType, Spec, SpecParam};

use super::value::format_value;

/// A lowered `.syn` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynFile {
    /// One IR function per source `fn`, in file order, with calls inlined.
    pub module: Module,
    /// The source signatures of those functions (same order): names and signedness the IR
    /// does not keep.
    pub functions: Vec<SourceSignature>,
    /// One spec per `synth` task, in file order.
    pub tasks: Vec<Spec>,
    /// One per `repair` item, in file order.
    pub repairs: Vec<Repair>,
}

/// A `repair NAME { ... }` item: the function as written and the spec it must meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The function to repair (its IR, calls inlined), named as in the source.
    pub original: ir::Function,
    /// Its source signature.
    pub signature: SourceSignature,
    /// The spec: a task named after the function, with its signature and the item's clauses.
    pub spec: Spec,
}

/// The signature of a source function as written: parameter names and source types.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceSignature {
    /// The function's name.
    pub name: String,
    /// Its parameters.
    pub params: Vec<SpecParam>,
    /// Its result type.
    pub ret: SourceType,
}

impl SynFile {
    /// The source signature of the function called `name`.
    pub fn signature(&self, name: &str) -> Option<&SourceSignature> {
        self.functions.iter().find(|s| s.name == name)
    }
}

impl SourceSignature {
    /// The signature of a task (the function it asks for).
    pub fn of_spec(spec: &Spec) -> SourceSignature {
        SourceSignature { name: spec.name.clone(), params: spec.params.clone(), ret: spec.ret }
    }
}

impl fmt::Display for SourceSignature {
    /// `name(x: i32, y: u8) -> bool`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ps: Vec<String> = self.params.iter().map(|p| format!("{}: {}", p.name, p.ty)).collect();
        write!(f, "{}({}) -> {}", self.name, ps.join(", "), self.ret)
    }
}

fn write_task(f: &mut fmt::Formatter<'_>, spec: &Spec) -> fmt::Result {
    writeln!(f, "// synth {}", SourceSignature::of_spec(spec))?;
    if let Some(r) = &spec.reference {
        writeln!(f, "//   equiv {}", r.name)?;
    }
    if let Some(p) = &spec.pre {
        writeln!(f, "//   requires {}", p.name)?;
    }
    if let Some(p) = &spec.post {
        writeln!(f, "//   ensures {}", p.name)?;
    }
    for ex in &spec.examples {
        let args: Vec<String> = ex.args.iter().zip(&spec.params).map(|(&a, p)| format_value(a, p.ty)).collect();
        writeln!(f, "//   example {}({}) == {}", spec.name, args.join(", "), format_value(ex.result, spec.ret))?;
    }
    if let Some(ops) = &spec.allowed_ops {
        let names: Vec<&str> = ops.iter().map(|o| o.name()).collect();
        writeln!(f, "//   using {}", names.join(", "))?;
    }
    writeln!(f, "//   cost {}", spec.cost)?;
    if let Some(t) = spec.timeout {
        if t.subsec_millis() == 0 {
            writeln!(f, "//   timeout {}s", t.as_secs())?;
        } else {
            writeln!(f, "//   timeout {}ms", t.as_millis())?;
        }
    }
    if let Some(n) = spec.max_size {
        writeln!(f, "//   max_size {n}")?;
    }
    if !spec.constants.is_empty() {
        let cs: Vec<String> =
            spec.constants.iter().map(|(t, c)| format!("{}: {t}", ir::constant_text(*t, *c))).collect();
        writeln!(f, "//   constants {}", cs.join(", "))?;
    }
    for (i, func) in [&spec.pre, &spec.post].into_iter().flatten().enumerate() {
        if i > 0 {
            writeln!(f)?;
        }
        write!(f, "{func}")?;
    }
    Ok(())
}

impl fmt::Display for SynFile {
    /// The module in IR text, then each task as comments followed by its `requires` and
    /// `ensures` functions; the whole text parses as an IR module.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.module)?;
        for (i, spec) in self.tasks.iter().enumerate() {
            if i > 0 || !self.module.functions.is_empty() {
                writeln!(f)?;
            }
            write_task(f, spec)?;
        }
        Ok(())
    }
}
