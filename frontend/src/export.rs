//! IR functions as Rust and C source that compute exactly the IR function on every input
//! (docs/semantics.md), for people who paste answers into their code.
//!
//! Every IR value is carried as a `u64` (`uint64_t` in C) holding its masked bits, so no
//! operation can overflow a signed type, promote to `int`, or hit undefined behaviour: additions
//! wrap (`wrapping_add` in Rust, unsigned arithmetic in C) and are masked to the width, and the
//! cases where Rust panics and C is undefined (division by zero, `MIN / -1`, shifts by the width
//! or more) are spelled out in small helper functions (`synth_sdiv`, `synth_shl`, ...) with the
//! IR's results. The helpers come once per file ([`rust_prelude`], [`c_prelude`]); each
//! function follows ([`rust_function`], [`c_function`]), or both at once ([`to_rust`],
//! [`to_c`]).
//!
//! Signatures: Rust uses the source types when known (`i32`, `u8`, `bool`), C uses fixed-width
//! unsigned types (`uint32_t`) and `bool`, so every conversion is defined. A type of odd width
//! (`i4`) travels in the next standard one (`u8`); its high bits are ignored on entry and zero
//! in the result.

use std::collections::HashSet;
use std::fmt::Write;

use ir::{Function, Opcode, Shape, SourceType, Type, Value};

use crate::syn::SourceSignature;

/// The helper functions every emitted Rust function may call (once per file).
pub fn rust_prelude() -> String {
    RUST_PRELUDE.to_string()
}

/// The includes and helper functions every emitted C function may call (once per file).
pub fn c_prelude() -> String {
    C_PRELUDE.to_string()
}

/// A standalone Rust file: the prelude and the function.
pub fn to_rust(f: &Function, sig: &SourceSignature) -> String {
    format!("{}\n{}", rust_prelude(), rust_function(f, sig))
}

/// A standalone C file: the prelude and the function.
pub fn to_c(f: &Function, sig: &SourceSignature) -> String {
    format!("{}\n{}", c_prelude(), c_function(f, sig))
}

/// The signature of an IR function with unsigned source types (`bool` for `i1`), for functions
/// that come without one (IR text, SyGuS).
pub fn unsigned_signature(f: &Function) -> SourceSignature {
    SourceSignature {
        name: f.name.clone(),
        params: f
            .params
            .iter()
            .map(|p| ir::SpecParam {
                name: format!("v{}", p.value.0),
                ty: if p.ty.is_bool() { SourceType::BOOL } else { SourceType::unsigned(p.ty) },
            })
            .collect(),
        ret: if f.ret_ty.is_bool() { SourceType::BOOL } else { SourceType::unsigned(f.ret_ty) },
    }
}

/// The language-specific pieces of the emitted code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Rust,
    C,
}

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

const C_KEYWORDS: &[&str] = &[
    "auto",
    "break",
    "case",
    "char",
    "const",
    "continue",
    "default",
    "do",
    "double",
    "else",
    "enum",
    "extern",
    "float",
    "for",
    "goto",
    "if",
    "inline",
    "int",
    "long",
    "register",
    "restrict",
    "return",
    "short",
    "signed",
    "sizeof",
    "static",
    "struct",
    "switch",
    "typedef",
    "union",
    "unsigned",
    "void",
    "volatile",
    "while",
    "bool",
    "true",
    "false",
    "main",
    "alignas",
    "alignof",
    "constexpr",
    "nullptr",
    "static_assert",
    "thread_local",
    "typeof",
    // Names of the C library a file is likely to include.
    "abs",
    "labs",
    "llabs",
    "div",
    "ldiv",
    "lldiv",
    "exit",
    "abort",
    "malloc",
    "calloc",
    "free",
    "rand",
    "srand",
    "printf",
    "puts",
    "time",
    "clock",
    "sqrt",
    "pow",
    "exp",
    "log",
    "floor",
    "ceil",
    "round",
    "index",
    "ffs",
    "memcpy",
    "memset",
    "strlen",
    "signal",
    "raise",
];

/// `name` as an identifier of the language: other characters become `_`, a leading digit or a
/// keyword gets a prefix, and names of the prelude's helpers are avoided.
fn identifier(name: &str, lang: Lang) -> String {
    let mut out: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "f_");
    }
    let keywords = if lang == Lang::Rust { RUST_KEYWORDS } else { C_KEYWORDS };
    if keywords.contains(&out.as_str()) || out.starts_with("synth_") || out == "_" || out.starts_with("v_") {
        out.insert_str(0, "u_");
    }
    out
}

/// The container of a width: the narrowest standard unsigned type holding it.
fn container(ty: Type) -> u32 {
    match ty.width() {
        1..=8 => 8,
        9..=16 => 16,
        17..=32 => 32,
        _ => 64,
    }
}

fn rust_type(ty: SourceType) -> String {
    if ty.ty.is_bool() { "bool".into() } else { format!("{}{}", if ty.signed { 'i' } else { 'u' }, container(ty.ty)) }
}

fn c_type(ty: Type) -> String {
    if ty.is_bool() { "bool".into() } else { format!("uint{}_t", container(ty)) }
}

fn hex(v: u64) -> String {
    if v < 10 { v.to_string() } else { format!("{v:#x}") }
}

/// A Rust function computing exactly `f` (see the module docs); needs [`rust_prelude`].
pub fn rust_function(f: &Function, sig: &SourceSignature) -> String {
    emit(f, sig, Lang::Rust)
}

/// A C function computing exactly `f` (see the module docs); needs [`c_prelude`].
pub fn c_function(f: &Function, sig: &SourceSignature) -> String {
    emit(f, sig, Lang::C)
}

/// `f` with each value compared with itself replaced by the constant result (compilers warn
/// about such comparisons) and dead code removed.
fn tidy(f: &Function) -> Function {
    let mut b = ir::FunctionBuilder::new(&f.name, &f.param_types(), f.ret_ty);
    let mut map: std::collections::HashMap<Value, Value> =
        f.params.iter().enumerate().map(|(i, p)| (p.value, b.param(i))).collect();
    for inst in &f.body {
        let args: Vec<Value> = inst.args.iter().map(|a| map[a]).collect();
        let v = if inst.opcode.shape() == Shape::Compare && args[0] == args[1] {
            let reflexive = matches!(inst.opcode, Opcode::Eq | Opcode::Ule | Opcode::Uge | Opcode::Sle | Opcode::Sge);
            b.iconst(Type::I1, u64::from(reflexive))
        } else {
            b.inst(inst.opcode, inst.ty, &args, inst.imm)
        };
        map.insert(inst.result, v);
    }
    match b.finish(map[&f.ret]) {
        Ok(g) => g.without_dead_code(),
        Err(_) => f.without_dead_code(),
    }
}

fn emit(f: &Function, sig: &SourceSignature, lang: Lang) -> String {
    let f = &tidy(f);
    let live: HashSet<Value> = f.body.iter().flat_map(|i| i.args.iter().copied()).chain([f.ret]).collect();
    let mut out = String::new();
    let name = identifier(&sig.name, lang);
    let mut used: HashSet<String> = HashSet::new();
    let params: Vec<String> = sig
        .params
        .iter()
        .zip(&f.params)
        .map(|(p, ip)| {
            let mut n = identifier(&p.name, lang);
            if lang == Lang::Rust && !live.contains(&ip.value) {
                n.insert(0, '_');
            }
            while !used.insert(n.clone()) {
                n.push('_');
            }
            n
        })
        .collect();
    let value = |v: Value| format!("v_{}", v.0);
    let _ = writeln!(
        out,
        "{} Computes exactly the IR function `{}` on every input (synth, docs/semantics.md).",
        if lang == Lang::Rust { "///" } else { "//" },
        f.name
    );
    match lang {
        Lang::Rust => {
            let list: Vec<String> =
                params.iter().zip(&sig.params).map(|(n, p)| format!("{n}: {}", rust_type(p.ty))).collect();
            let _ = writeln!(out, "pub fn {name}({}) -> {} {{", list.join(", "), rust_type(sig.ret));
        }
        Lang::C => {
            let list: Vec<String> =
                params.iter().zip(&f.params).map(|(n, p)| format!("{} {n}", c_type(p.ty))).collect();
            let list = if list.is_empty() { "void".to_string() } else { list.join(", ") };
            let _ = writeln!(out, "{} {name}({list}) {{", c_type(f.ret_ty));
        }
    }
    for ((n, p), sp) in params.iter().zip(&f.params).zip(&sig.params) {
        if !live.contains(&p.value) {
            if lang == Lang::C {
                let _ = writeln!(out, "    (void){n};");
            }
            continue;
        }
        let m = hex(p.ty.mask());
        let rhs = match lang {
            Lang::Rust if p.ty.is_bool() => format!("{n} as u64"),
            Lang::Rust if sp.ty.signed => format!("({n} as u{} as u64) & {m}", container(p.ty)),
            Lang::Rust => format!("({n} as u64) & {m}"),
            Lang::C if p.ty.is_bool() => format!("{n} ? 1 : 0"),
            Lang::C => format!("(uint64_t){n} & {m}"),
        };
        let _ = writeln!(out, "    {} {} = {rhs};", decl(lang), value(p.value));
    }
    for inst in &f.body {
        let operand_ty = match inst.opcode.shape() {
            Shape::Select => f.value_type(inst.args[1]).unwrap_or(inst.ty),
            Shape::Const => inst.ty,
            _ => f.value_type(inst.args[0]).unwrap_or(inst.ty),
        };
        let args: Vec<String> = inst.args.iter().map(|&a| value(a)).collect();
        let rhs = expression(inst.opcode, inst.ty, operand_ty, &args, inst.imm, lang);
        let _ = writeln!(out, "    {} {} = {rhs};", decl(lang), value(inst.result));
    }
    let ret = value(f.ret);
    let result = match lang {
        Lang::Rust if f.ret_ty.is_bool() => format!("{ret} != 0"),
        Lang::Rust if sig.ret.signed => format!("{ret} as u{} as {}", container(f.ret_ty), rust_type(sig.ret)),
        Lang::Rust => format!("{ret} as {}", rust_type(sig.ret)),
        Lang::C if f.ret_ty.is_bool() => format!("return {ret} != 0;"),
        Lang::C => format!("return ({}){ret};", c_type(f.ret_ty)),
    };
    let _ = writeln!(out, "    {result}");
    out.push_str("}\n");
    out
}

fn decl(lang: Lang) -> &'static str {
    match lang {
        Lang::Rust => "let",
        Lang::C => "uint64_t",
    }
}

/// The expression of one instruction over masked `u64` operands (`ty` is the result type,
/// `operand_ty` the operands').
fn expression(op: Opcode, ty: Type, operand_ty: Type, args: &[String], imm: u64, lang: Lang) -> String {
    let w = operand_ty.width();
    let m = hex(ty.mask());
    let a = || args[0].as_str();
    let b = || args[1].as_str();
    let wrapping = |name: &str, c_op: &str| match lang {
        Lang::Rust => format!("{}.wrapping_{name}({}) & {m}", a(), b()),
        Lang::C => format!("({} {c_op} {}) & {m}", a(), b()),
    };
    let call = |helper: &str, extra: &[&str]| {
        let mut all: Vec<String> = args.to_vec();
        all.extend(extra.iter().map(|s| s.to_string()));
        format!("synth_{helper}({})", all.join(", "))
    };
    let width = w.to_string();
    let truth = |cond: String| match lang {
        Lang::Rust => format!("({cond}) as u64"),
        Lang::C => format!("(uint64_t)({cond})"),
    };

    match op {
        Opcode::Iconst => match lang {
            Lang::Rust => format!("{}_u64", hex(imm)),
            Lang::C => format!("UINT64_C({})", hex(imm)),
        },
        Opcode::Add => wrapping("add", "+"),
        Opcode::Sub => wrapping("sub", "-"),
        Opcode::Mul => wrapping("mul", "*"),
        Opcode::Neg => match lang {
            Lang::Rust => format!("{}.wrapping_neg() & {m}", a()),
            Lang::C => format!("(UINT64_C(0) - {}) & {m}", a()),
        },
        Opcode::And => format!("{} & {}", a(), b()),
        Opcode::Or => format!("{} | {}", a(), b()),
        Opcode::Xor => format!("{} ^ {}", a(), b()),
        Opcode::Not => match lang {
            Lang::Rust => format!("!{} & {m}", a()),
            Lang::C => format!("~{} & {m}", a()),
        },
        Opcode::Udiv => call("udiv", &[&width]),
        Opcode::Urem => call("urem", &[&width]),
        Opcode::Sdiv => call("sdiv", &[&width]),
        Opcode::Srem => call("srem", &[&width]),
        Opcode::Shl => call("shl", &[&width]),
        Opcode::Lshr => call("lshr", &[&width]),
        Opcode::Ashr => call("ashr", &[&width]),
        Opcode::Rotl => call("rotl", &[&width]),
        Opcode::Rotr => call("rotr", &[&width]),
        Opcode::Popcnt => call("popcnt", &[]),
        Opcode::Clz => call("clz", &[&width]),
        Opcode::Ctz => call("ctz", &[&width]),
        Opcode::Eq => truth(format!("{} == {}", a(), b())),
        Opcode::Ne => truth(format!("{} != {}", a(), b())),
        Opcode::Ult => truth(format!("{} < {}", a(), b())),
        Opcode::Ule => truth(format!("{} <= {}", a(), b())),
        Opcode::Ugt => truth(format!("{} > {}", a(), b())),
        Opcode::Uge => truth(format!("{} >= {}", a(), b())),
        Opcode::Slt | Opcode::Sle | Opcode::Sgt | Opcode::Sge => {
            // Signed order is unsigned order with the sign bit flipped.
            let sign = hex(1u64 << (w - 1));
            let rel = match op {
                Opcode::Slt => "<",
                Opcode::Sle => "<=",
                Opcode::Sgt => ">",
                _ => ">=",
            };
            truth(format!("({} ^ {sign}) {rel} ({} ^ {sign})", a(), b()))
        }
        Opcode::Select => match lang {
            Lang::Rust => format!("if {} != 0 {{ {} }} else {{ {} }}", args[0], args[1], args[2]),
            Lang::C => format!("{} != 0 ? {} : {}", args[0], args[1], args[2]),
        },
        Opcode::Zext => a().to_string(),
        Opcode::Trunc => format!("{} & {m}", a()),
        Opcode::Sext => call("sext", &[&width, &ty.width().to_string()]),
    }
}

const RUST_PRELUDE: &str = r#"// Helpers of code emitted by synth: each computes one IR operation on values of width `w`
// carried in a u64 with their high bits zero (docs/semantics.md), with the IR's result in the
// cases where Rust's own operator would panic or mask the shift amount.
#![allow(dead_code, clippy::all)]

fn synth_mask(w: u32) -> u64 { if w >= 64 { u64::MAX } else { (1u64 << w) - 1 } }
fn synth_negative(a: u64, w: u32) -> bool { (a >> (w - 1)) & 1 == 1 }
fn synth_neg(a: u64, w: u32) -> u64 { a.wrapping_neg() & synth_mask(w) }
/// Division by zero gives all ones.
fn synth_udiv(a: u64, b: u64, w: u32) -> u64 { if b == 0 { synth_mask(w) } else { a / b } }
/// Remainder by zero gives the dividend.
fn synth_urem(a: u64, b: u64, _w: u32) -> u64 { if b == 0 { a } else { a % b } }
/// Truncating signed division; by zero: 1 for a negative dividend, else -1; MIN / -1 = MIN.
fn synth_sdiv(a: u64, b: u64, w: u32) -> u64 {
    let (na, nb) = (synth_negative(a, w), synth_negative(b, w));
    if b == 0 { return if na { 1 } else { synth_mask(w) }; }
    let ua = if na { synth_neg(a, w) } else { a };
    let ub = if nb { synth_neg(b, w) } else { b };
    let q = ua / ub;
    if na != nb { synth_neg(q, w) } else { q & synth_mask(w) }
}
/// Signed remainder with the dividend's sign; by zero: the dividend; MIN % -1 = 0.
fn synth_srem(a: u64, b: u64, w: u32) -> u64 {
    if b == 0 { return a; }
    let na = synth_negative(a, w);
    let ua = if na { synth_neg(a, w) } else { a };
    let ub = if synth_negative(b, w) { synth_neg(b, w) } else { b };
    let r = ua % ub;
    if na { synth_neg(r, w) } else { r }
}
/// Shifts by the width or more give 0 (shl, lshr) or copies of the sign bit (ashr).
fn synth_shl(a: u64, b: u64, w: u32) -> u64 { if b >= w as u64 { 0 } else { (a << b) & synth_mask(w) } }
fn synth_lshr(a: u64, b: u64, w: u32) -> u64 { if b >= w as u64 { 0 } else { a >> b } }
fn synth_ashr(a: u64, b: u64, w: u32) -> u64 {
    let s = if b >= w as u64 { (w - 1) as u64 } else { b };
    let r = a >> s;
    if synth_negative(a, w) { (r | !(synth_mask(w) >> s)) & synth_mask(w) } else { r }
}
/// Rotates by the amount modulo the width.
fn synth_rotl(a: u64, b: u64, w: u32) -> u64 {
    let r = b % w as u64;
    if r == 0 { a } else { ((a << r) | (a >> (w as u64 - r))) & synth_mask(w) }
}
fn synth_rotr(a: u64, b: u64, w: u32) -> u64 {
    let r = b % w as u64;
    if r == 0 { a } else { ((a >> r) | (a << (w as u64 - r))) & synth_mask(w) }
}
fn synth_popcnt(a: u64) -> u64 { a.count_ones() as u64 }
/// Leading and trailing zeros within the width (the width for 0).
fn synth_clz(a: u64, w: u32) -> u64 { (a.leading_zeros() - (64 - w)) as u64 }
fn synth_ctz(a: u64, w: u32) -> u64 { if a == 0 { w as u64 } else { a.trailing_zeros() as u64 } }
fn synth_sext(a: u64, from: u32, to: u32) -> u64 {
    if synth_negative(a, from) { (a | !synth_mask(from)) & synth_mask(to) } else { a }
}
"#;

const C_PRELUDE: &str = r#"/* Helpers of code emitted by synth: each computes one IR operation on values of width `w`
   carried in a uint64_t with their high bits zero (docs/semantics.md), with the IR's result in
   the cases where C's own operator is undefined. Only unsigned arithmetic is used. */
#include <stdbool.h>
#include <stdint.h>

static inline uint64_t synth_mask(uint32_t w) { return w >= 64 ? UINT64_MAX : (UINT64_C(1) << w) - 1; }
static inline bool synth_negative(uint64_t a, uint32_t w) { return ((a >> (w - 1)) & 1) != 0; }
static inline uint64_t synth_neg(uint64_t a, uint32_t w) { return (UINT64_C(0) - a) & synth_mask(w); }
/* Division by zero gives all ones. */
static inline uint64_t synth_udiv(uint64_t a, uint64_t b, uint32_t w) { return b == 0 ? synth_mask(w) : a / b; }
/* Remainder by zero gives the dividend. */
static inline uint64_t synth_urem(uint64_t a, uint64_t b, uint32_t w) { (void)w; return b == 0 ? a : a % b; }
/* Truncating signed division; by zero: 1 for a negative dividend, else -1; MIN / -1 = MIN. */
static inline uint64_t synth_sdiv(uint64_t a, uint64_t b, uint32_t w) {
    bool na = synth_negative(a, w), nb = synth_negative(b, w);
    if (b == 0) return na ? 1 : synth_mask(w);
    uint64_t ua = na ? synth_neg(a, w) : a;
    uint64_t ub = nb ? synth_neg(b, w) : b;
    uint64_t q = ua / ub;
    return na != nb ? synth_neg(q, w) : (q & synth_mask(w));
}
/* Signed remainder with the dividend's sign; by zero: the dividend; MIN % -1 = 0. */
static inline uint64_t synth_srem(uint64_t a, uint64_t b, uint32_t w) {
    if (b == 0) return a;
    bool na = synth_negative(a, w);
    uint64_t ua = na ? synth_neg(a, w) : a;
    uint64_t ub = synth_negative(b, w) ? synth_neg(b, w) : b;
    uint64_t r = ua % ub;
    return na ? synth_neg(r, w) : r;
}
/* Shifts by the width or more give 0 (shl, lshr) or copies of the sign bit (ashr). */
static inline uint64_t synth_shl(uint64_t a, uint64_t b, uint32_t w) { return b >= w ? 0 : (a << b) & synth_mask(w); }
static inline uint64_t synth_lshr(uint64_t a, uint64_t b, uint32_t w) { return b >= w ? 0 : a >> b; }
static inline uint64_t synth_ashr(uint64_t a, uint64_t b, uint32_t w) {
    uint64_t s = b >= w ? (uint64_t)(w - 1) : b;
    uint64_t r = a >> s;
    return synth_negative(a, w) ? (r | ~(synth_mask(w) >> s)) & synth_mask(w) : r;
}
/* Rotates by the amount modulo the width. */
static inline uint64_t synth_rotl(uint64_t a, uint64_t b, uint32_t w) {
    uint64_t r = b % w;
    return r == 0 ? a : ((a << r) | (a >> (w - r))) & synth_mask(w);
}
static inline uint64_t synth_rotr(uint64_t a, uint64_t b, uint32_t w) {
    uint64_t r = b % w;
    return r == 0 ? a : ((a >> r) | (a << (w - r))) & synth_mask(w);
}
static inline uint64_t synth_popcnt(uint64_t a) { uint64_t n = 0; while (a) { n += a & 1; a >>= 1; } return n; }
/* Leading and trailing zeros within the width (the width for 0). */
static inline uint64_t synth_clz(uint64_t a, uint32_t w) { uint64_t n = 0; for (uint32_t i = w; i > 0 && !((a >> (i - 1)) & 1); i--) n++; return n; }
static inline uint64_t synth_ctz(uint64_t a, uint32_t w) { uint64_t n = 0; for (uint32_t i = 0; i < w && !((a >> i) & 1); i++) n++; return n; }
static inline uint64_t synth_sext(uint64_t a, uint32_t from, uint32_t to) {
    return synth_negative(a, from) ? (a | ~synth_mask(from)) & synth_mask(to) : a;
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_valid() {
        assert_eq!(identifier("f-1", Lang::Rust), "f_1");
        assert_eq!(identifier("1f", Lang::C), "f_1f");
        assert_eq!(identifier("match", Lang::Rust), "u_match");
        assert_eq!(identifier("int", Lang::C), "u_int");
        assert_eq!(identifier("synth_udiv", Lang::C), "u_synth_udiv");
    }

    #[test]
    fn guarded_operations_use_helpers() {
        let f =
            ir::parse_function("fn d(v0: i32, v1: i32) -> i32 {\n  v2 = sdiv v0, v1\n  v3 = shl v2, v1\n  ret v3\n}\n")
                .unwrap();
        let rust = rust_function(&f, &unsigned_signature(&f));
        assert!(rust.contains("synth_sdiv(v_0, v_1, 32)") && rust.contains("synth_shl(v_2, v_1, 32)"), "{rust}");
        let c = c_function(&f, &unsigned_signature(&f));
        assert!(c.starts_with("// Computes exactly") && c.contains("uint32_t d(uint32_t v0, uint32_t v1)"), "{c}");
    }
}
