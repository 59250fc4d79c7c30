//! IR to readable `.syn` source: how synthesized functions are shown to people.
//!
//! Every IR value gets a source type: parameters as declared, `i1` as `bool`, results of
//! signed opcodes (`sdiv srem ashr sext`) as `iN`, of unsigned ones (`udiv urem lshr zext`) as
//! `uN`, and other results as their first operand. An operand whose source type has the wrong
//! signedness for its opcode is converted with a same-width `as` (a no-op on bits), so
//! `lshr` on an `i32` value prints as `(x as u32) >> 1`. Values used more than once are bound
//! with `let`; the others are written inline with as few parentheses as precedence allows.
//!
//! Invariants that make the output mean exactly the IR function: every printed expression
//! except a bare literal has a type fixed by its operands (a literal whose type no operand
//! fixes gets a suffix, `5u8`), and operations on `bool` that the language does not have
//! (`add.i1`, `ult.i1`, ...) are written with the equivalent logic operators.

use std::collections::HashMap;

use ir::{Function, Opcode, SourceType, Type, Value};

use super::file::SourceSignature;

/// Why a function cannot be printed as `.syn` source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    /// User error: the signature does not describe the function.
    #[error("the signature {sig} does not match the IR function ({ir})")]
    Signature {
        /// The source signature.
        sig: String,
        /// The IR parameter and result types.
        ir: String,
    },
    /// User error: a value has a width `.syn` has no type for.
    #[error("value {value} has type {ty}; .syn types have 1, 8, 16, 32 or 64 bits")]
    Width {
        /// The value.
        value: Value,
        /// Its IR type.
        ty: Type,
    },
    /// User error: the function does not verify.
    #[error("the function does not verify: {0}")]
    Invalid(String),
}

/// Prints `f` as a `.syn` function with the names and types of `sig`; if that is impossible
/// (see [`try_print_function`]), returns the IR text behind a comment saying why.
pub fn print_function(f: &Function, sig: &SourceSignature) -> String {
    try_print_function(f, sig).unwrap_or_else(|e| format!("// cannot print as .syn source: {e}\n{f}"))
}

/// Prints `f` as a `.syn` function named `sig.name` with the parameters and result type of
/// `sig`, which must have the IR types of `f`; every value of `f` must be 1, 8, 16, 32 or 64
/// bits wide.
pub fn try_print_function(f: &Function, sig: &SourceSignature) -> Result<String, PrintError> {
    ir::verify_function(f).map_err(|e| PrintError::Invalid(e.to_string()))?;
    let matches = sig.params.len() == f.params.len()
        && sig.params.iter().zip(&f.params).all(|(s, p)| s.ty.ty == p.ty)
        && sig.ret.ty == f.ret_ty;
    if !matches {
        let ps: Vec<String> = f.params.iter().map(|p| p.ty.to_string()).collect();
        return Err(PrintError::Signature { sig: sig.to_string(), ir: format!("({}) -> {}", ps.join(", "), f.ret_ty) });
    }
    let live = f.live_insts();
    for (value, ty) in f.params.iter().map(|p| (p.value, p.ty)).chain(live.iter().map(|i| (i.result, i.ty))) {
        if !ty.is_standard() {
            return Err(PrintError::Width { value, ty });
        }
    }
    let mut uses: HashMap<Value, usize> = HashMap::new();
    for inst in &live {
        for a in &inst.args {
            *uses.entry(*a).or_default() += 1;
        }
    }
    *uses.entry(f.ret).or_default() += 1;

    let mut p = Printer { values: HashMap::new(), lets: Vec::new() };
    for (param, s) in f.params.iter().zip(&sig.params) {
        p.values.insert(param.value, Val::Expr(Piece::atom(s.name.clone()), s.ty));
    }
    let taken: Vec<&str> = sig.params.iter().map(|s| s.name.as_str()).collect();
    let mut counter = 0;
    for inst in live {
        let val = if inst.opcode == Opcode::Iconst {
            Val::Const(inst.imm, inst.ty)
        } else {
            let (piece, ty) = p.inst(inst.opcode, inst.ty, &inst.args);
            if uses.get(&inst.result).copied().unwrap_or(0) > 1 || piece.depth > MAX_INLINE_DEPTH {
                let name = loop {
                    counter += 1;
                    let name = format!("t{counter}");
                    if !taken.contains(&name.as_str()) {
                        break name;
                    }
                };
                p.lets.push(format!("    let {name} = {};", piece.text));
                Val::Expr(Piece::atom(name), ty)
            } else {
                Val::Expr(piece, ty)
            }
        };
        p.values.insert(inst.result, val);
    }
    let body = p.arg(f.ret, sig.ret).text;
    let params: Vec<String> = sig.params.iter().map(|s| format!("{}: {}", s.name, s.ty)).collect();
    let mut out = format!("fn {}({}) -> {} {{\n", sig.name, params.join(", "), sig.ret);
    for l in &p.lets {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(&format!("    {body}\n}}\n"));
    Ok(out)
}

// Precedence levels, loosest first (see the grammar); `if` pieces get 0.
const OR: u8 = 1;
const AND: u8 = 2;
const CMP: u8 = 3;
const BIT_OR: u8 = 4;
const BIT_XOR: u8 = 5;
const BIT_AND: u8 = 6;
const SHIFT: u8 = 7;
const SUM: u8 = 8;
const PRODUCT: u8 = 9;
const CAST: u8 = 10;
const UNARY: u8 = 11;
const ATOM: u8 = 12;

/// Printed text, the precedence of its outermost operator, and a bound on how deeply its
/// syntax tree nests (counting possible parentheses).
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    prec: u8,
    depth: usize,
}

/// Inline expressions deeper than this are bound with `let`, so that the output stays far
/// below the checker's nesting limit.
const MAX_INLINE_DEPTH: usize = 48;

impl Piece {
    fn atom(text: String) -> Piece {
        Piece { text, prec: ATOM, depth: 1 }
    }

    /// A piece built from `parts`.
    fn over(text: String, prec: u8, parts: &[&Piece]) -> Piece {
        Piece { text, prec, depth: 2 + parts.iter().map(|p| p.depth).max().unwrap_or(0) }
    }

    /// The text, parenthesized unless it binds at least as tightly as `min`.
    fn at(&self, min: u8) -> String {
        if self.prec < min { format!("({})", self.text) } else { self.text.clone() }
    }
}

/// How a value is referred to.
#[derive(Debug, Clone)]
enum Val {
    /// A constant, printed where it is used, in the type the use needs.
    Const(u64, Type),
    /// An expression or `let` name with its source type.
    Expr(Piece, SourceType),
}

struct Printer {
    values: HashMap<Value, Val>,
    lets: Vec<String>,
}

fn source(ty: Type, signed: bool) -> SourceType {
    if ty.is_bool() { SourceType::BOOL } else { SourceType { ty, signed } }
}

/// A literal of source type `ty`; with `suffix` it names its type (`5u8`, `-1i32`).
fn literal(bits: u64, ty: SourceType, suffix: bool) -> Piece {
    if ty.ty.is_bool() {
        return Piece::atom(if bits & 1 == 1 { "true" } else { "false" }.to_string());
    }
    let signed = ty.ty.to_signed(bits);
    let mut text = if ty.signed && (-0xffff..0).contains(&signed) {
        signed.to_string()
    } else if bits <= 0xffff {
        bits.to_string()
    } else {
        format!("{bits:#x}")
    };
    if suffix {
        text.push_str(&ty.to_string());
    }
    let prec = if text.starts_with('-') { UNARY } else { ATOM };
    Piece { text, prec, depth: 2 }
}

fn binary(symbol: &str, prec: u8, a: &Piece, b: &Piece) -> Piece {
    // Casts as operands are parenthesized for readability: `(x as u32) >> 1`.
    let side = |p: &Piece, min: u8| if p.prec == CAST { format!("({})", p.text) } else { p.at(min) };
    let (left_min, right_min) = if prec == CMP { (CMP + 1, CMP + 1) } else { (prec, prec + 1) };
    Piece::over(format!("{} {symbol} {}", side(a, left_min), side(b, right_min)), prec, &[a, b])
}

fn not(a: &Piece) -> Piece {
    Piece::over(format!("!{}", a.at(UNARY)), UNARY, &[a])
}

fn cast(a: &Piece, to: SourceType) -> Piece {
    Piece::over(format!("{} as {to}", a.at(CAST)), CAST, &[a])
}

impl Printer {
    fn is_const(&self, v: Value) -> bool {
        matches!(self.values.get(&v), Some(Val::Const(..)))
    }

    /// The bits of `v` if it is a constant.
    fn const_bits(&self, v: Value) -> Option<u64> {
        match self.values.get(&v) {
            Some(Val::Const(bits, _)) => Some(*bits),
            _ => None,
        }
    }

    /// The source type `v` has (a constant has none until used; pick `iN`).
    fn natural(&self, v: Value) -> Option<SourceType> {
        match self.values.get(&v) {
            Some(Val::Expr(_, ty)) => Some(*ty),
            _ => None,
        }
    }

    /// `v` as an expression of type `want` (a constant as a bare literal of that type).
    fn arg(&self, v: Value, want: SourceType) -> Piece {
        match self.values.get(&v) {
            Some(Val::Const(bits, _)) => literal(*bits, want, false),
            Some(Val::Expr(piece, ty)) if *ty == want => piece.clone(),
            Some(Val::Expr(piece, _)) => cast(piece, want),
            None => Piece::atom(format!("{v}")),
        }
    }

    /// Operands that must share type `want`: when all are constants, the first one gets a
    /// suffix so that the expression's type is fixed.
    fn args(&self, vs: &[Value], want: SourceType) -> Vec<Piece> {
        let all_const = vs.iter().all(|&v| self.is_const(v));
        vs.iter()
            .enumerate()
            .map(|(i, &v)| match self.values.get(&v) {
                Some(Val::Const(bits, _)) if all_const && i == 0 => literal(*bits, want, true),
                _ => self.arg(v, want),
            })
            .collect()
    }

    /// The operand of a unary operation or one-argument builtin (a constant gets a suffix).
    fn single(&self, v: Value, want: SourceType, paren_const: bool) -> Piece {
        match self.values.get(&v) {
            Some(Val::Const(bits, _)) => {
                let lit = literal(*bits, want, true);
                if paren_const { Piece::over(format!("({})", lit.text), ATOM, &[&lit]) } else { lit }
            }
            _ => self.arg(v, want),
        }
    }

    /// The type operands of a signedness-neutral operation get: the first non-constant
    /// operand's type, else signed.
    fn neutral(&self, vs: &[Value], ty: Type) -> SourceType {
        vs.iter().find_map(|&v| self.natural(v)).unwrap_or(source(ty, true))
    }

    /// Prints one instruction; `ty` is its IR result type. Returns the text and its source type.
    fn inst(&self, op: Opcode, ty: Type, args: &[Value]) -> (Piece, SourceType) {
        let operand_ty = match op {
            Opcode::Select => args.get(1),
            _ => args.first(),
        }
        .map(|&a| self.value_type(a))
        .unwrap_or(ty);
        if operand_ty.is_bool() && op != Opcode::Select && !matches!(op, Opcode::Zext | Opcode::Sext) {
            return (self.bool_inst(op, args), SourceType::BOOL);
        }
        let signed = source(operand_ty, true);
        let unsigned = source(operand_ty, false);
        let bin = |sym: &str, prec: u8, want: SourceType| {
            let ps = self.args(args, want);
            binary(sym, prec, &ps[0], &ps[1])
        };
        let call = |name: &str, want: SourceType| {
            let ps = if args.len() == 1 { vec![self.single(args[0], want, false)] } else { self.args(args, want) };
            let texts: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
            Piece::over(format!("{name}({})", texts.join(", ")), ATOM, &ps.iter().collect::<Vec<_>>())
        };
        let neutral = self.neutral(args, operand_ty);
        match op {
            Opcode::Add => (bin("+", SUM, neutral), neutral),
            Opcode::Sub => (bin("-", SUM, neutral), neutral),
            Opcode::Mul => (bin("*", PRODUCT, neutral), neutral),
            Opcode::And => (bin("&", BIT_AND, neutral), neutral),
            Opcode::Or => (bin("|", BIT_OR, neutral), neutral),
            Opcode::Xor => (bin("^", BIT_XOR, neutral), neutral),
            Opcode::Shl => (bin("<<", SHIFT, neutral), neutral),
            Opcode::Udiv => (bin("/", PRODUCT, unsigned), unsigned),
            Opcode::Urem => (bin("%", PRODUCT, unsigned), unsigned),
            Opcode::Lshr => (bin(">>", SHIFT, unsigned), unsigned),
            Opcode::Sdiv => (bin("/", PRODUCT, signed), signed),
            Opcode::Srem => (bin("%", PRODUCT, signed), signed),
            Opcode::Ashr => (bin(">>", SHIFT, signed), signed),
            Opcode::Eq => (bin("==", CMP, neutral), SourceType::BOOL),
            Opcode::Ne => (bin("!=", CMP, neutral), SourceType::BOOL),
            Opcode::Ult => (bin("<", CMP, unsigned), SourceType::BOOL),
            Opcode::Ule => (bin("<=", CMP, unsigned), SourceType::BOOL),
            Opcode::Ugt => (bin(">", CMP, unsigned), SourceType::BOOL),
            Opcode::Uge => (bin(">=", CMP, unsigned), SourceType::BOOL),
            Opcode::Slt => (bin("<", CMP, signed), SourceType::BOOL),
            Opcode::Sle => (bin("<=", CMP, signed), SourceType::BOOL),
            Opcode::Sgt => (bin(">", CMP, signed), SourceType::BOOL),
            Opcode::Sge => (bin(">=", CMP, signed), SourceType::BOOL),
            Opcode::Rotl => (call("rotl", neutral), neutral),
            Opcode::Rotr => (call("rotr", neutral), neutral),
            Opcode::Popcnt => (call("popcnt", neutral), neutral),
            Opcode::Clz => (call("clz", neutral), neutral),
            Opcode::Ctz => (call("ctz", neutral), neutral),
            Opcode::Neg => {
                let a = self.single(args[0], neutral, true);
                let inner = if a.text.starts_with('-') { format!("({})", a.text) } else { a.at(UNARY) };
                (Piece::over(format!("-{inner}"), UNARY, &[&a]), neutral)
            }
            Opcode::Not => (not(&self.single(args[0], neutral, true)), neutral),
            // `&&` and `||` lower to these selects (only the needed side runs, as in Rust).
            Opcode::Select if ty.is_bool() && self.const_bits(args[2]) == Some(0) && !self.is_const(args[1]) => {
                let (c, b) = (self.arg(args[0], SourceType::BOOL), self.arg(args[1], SourceType::BOOL));
                (binary("&&", AND, &c, &b), SourceType::BOOL)
            }
            Opcode::Select if ty.is_bool() && self.const_bits(args[1]) == Some(1) && !self.is_const(args[2]) => {
                let (c, b) = (self.arg(args[0], SourceType::BOOL), self.arg(args[2], SourceType::BOOL));
                (binary("||", OR, &c, &b), SourceType::BOOL)
            }
            Opcode::Select => {
                let c = self.arg(args[0], SourceType::BOOL);
                let arm_ty = self.neutral(&args[1..], ty);
                let ps = self.args(&args[1..], arm_ty);
                // `if` has the lowest precedence so that it is parenthesized as any operand.
                let text = format!("if {} {{ {} }} else {{ {} }}", c.at(OR), ps[0].text, ps[1].text);
                (Piece::over(text, 0, &[&c, &ps[0], &ps[1]]), arm_ty)
            }
            Opcode::Zext | Opcode::Sext if operand_ty.is_bool() => {
                let to = source(ty, op == Opcode::Sext);
                let widened = cast(&self.arg(args[0], SourceType::BOOL), to);
                if op == Opcode::Zext {
                    (widened, to)
                } else {
                    // true is all ones: negate the 0/1 value.
                    (Piece::over(format!("-({})", widened.text), UNARY, &[&widened]), to)
                }
            }
            Opcode::Zext | Opcode::Sext => {
                let signed_op = op == Opcode::Sext;
                let from = source(operand_ty, signed_op);
                let to = source(ty, signed_op);
                (cast(&self.single(args[0], from, false), to), to)
            }
            Opcode::Trunc if ty.is_bool() => {
                let a = self.single(args[0], neutral, false);
                let one = Piece::atom("1".to_string());
                (binary("!=", CMP, &binary("&", BIT_AND, &a, &one), &Piece::atom("0".to_string())), SourceType::BOOL)
            }
            Opcode::Trunc => {
                let to = source(ty, neutral.signed);
                (cast(&self.single(args[0], neutral, false), to), to)
            }
            Opcode::Iconst => (literal(0, source(ty, true), true), source(ty, true)),
        }
    }

    fn value_type(&self, v: Value) -> Type {
        match self.values.get(&v) {
            Some(Val::Const(_, ty)) => *ty,
            Some(Val::Expr(_, ty)) => ty.ty,
            None => Type::I64,
        }
    }

    /// An operation on `bool` operands, written with logic operators (the language has no
    /// arithmetic or ordering on `bool`; the IR's `i1` arithmetic is arithmetic mod 2).
    fn bool_inst(&self, op: Opcode, args: &[Value]) -> Piece {
        let ps: Vec<Piece> = args.iter().map(|&a| self.arg(a, SourceType::BOOL)).collect();
        let a = &ps[0];
        let b = ps.get(1);
        let two = |sym: &str, prec: u8, x: &Piece, y: &Piece| binary(sym, prec, x, y);
        let b_or_a = b.unwrap_or(a);
        match op {
            // -x == x, popcnt x == x, rotates by anything mod 1 == 0, ashr keeps the sign bit.
            Opcode::Neg | Opcode::Popcnt | Opcode::Rotl | Opcode::Rotr | Opcode::Ashr => a.clone(),
            Opcode::Not | Opcode::Clz | Opcode::Ctz => not(a),
            Opcode::Add | Opcode::Sub | Opcode::Xor => two("^", BIT_XOR, a, b_or_a),
            Opcode::Mul | Opcode::And => two("&", BIT_AND, a, b_or_a),
            Opcode::Or => two("|", BIT_OR, a, b_or_a),
            // x / 0 is all ones, x / 1 (or / -1) is x.
            Opcode::Udiv | Opcode::Sdiv => two("|", BIT_OR, a, &not(b_or_a)),
            // x % 0 is x, x % 1 is 0; a shift by 1 >= width gives 0.
            Opcode::Urem | Opcode::Srem | Opcode::Shl | Opcode::Lshr => two("&", BIT_AND, a, &not(b_or_a)),
            Opcode::Eq => two("==", CMP, a, b_or_a),
            Opcode::Ne => two("!=", CMP, a, b_or_a),
            // Unsigned: false < true. Signed: true is -1, so true < false.
            Opcode::Ult | Opcode::Sgt => two("&", BIT_AND, &not(a), b_or_a),
            Opcode::Ule | Opcode::Sge => two("|", BIT_OR, &not(a), b_or_a),
            Opcode::Ugt | Opcode::Slt => two("&", BIT_AND, a, &not(b_or_a)),
            Opcode::Uge | Opcode::Sle => two("|", BIT_OR, a, &not(b_or_a)),
            // Not reached: selects, casts and constants are handled by the caller.
            Opcode::Select | Opcode::Zext | Opcode::Sext | Opcode::Trunc | Opcode::Iconst => a.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ir::SpecParam;

    fn sig(name: &str, params: &[(&str, SourceType)], ret: SourceType) -> SourceSignature {
        SourceSignature {
            name: name.to_string(),
            params: params.iter().map(|(n, t)| SpecParam { name: n.to_string(), ty: *t }).collect(),
            ret,
        }
    }

    #[test]
    fn prints_abs_with_a_let_for_the_shared_value() {
        let m = ir::parse_module(
            "fn abs(v0: i32) -> i32 {\n  v1 = iconst.i32 31\n  v2 = ashr v0, v1\n  v3 = xor v0, v2\n  v4 = sub v3, v2\n  ret v4\n}",
        )
        .unwrap();
        let i32t = SourceType::signed(Type::I32);
        let text = print_function(&m["abs"], &sig("abs", &[("x", i32t)], i32t));
        assert_eq!(text, "fn abs(x: i32) -> i32 {\n    let t1 = x >> 31;\n    (x ^ t1) - t1\n}\n");
    }

    #[test]
    fn converts_signedness_where_the_opcode_needs_it() {
        let m = ir::parse_module(
            "fn f(v0: i32) -> i32 {\n  v1 = iconst.i32 1\n  v2 = lshr v0, v1\n  v3 = ult v2, v0\n  v4 = select v3, v2, v1\n  ret v4\n}",
        )
        .unwrap();
        let i32t = SourceType::signed(Type::I32);
        let text = print_function(&m["f"], &sig("f", &[("x", i32t)], i32t));
        assert_eq!(
            text,
            "fn f(x: i32) -> i32 {\n    let t1 = (x as u32) >> 1;\n    (if t1 < (x as u32) { t1 } else { 1 }) as i32\n}\n"
        );
    }

    #[test]
    fn refuses_signatures_that_do_not_match() {
        let m = ir::parse_module("fn f(v0: i32) -> i32 {\n  ret v0\n}").unwrap();
        let u8t = SourceType::unsigned(Type::I8);
        assert!(matches!(
            try_print_function(&m["f"], &sig("f", &[("x", u8t)], u8t)),
            Err(PrintError::Signature { .. })
        ));
        assert!(print_function(&m["f"], &sig("f", &[], u8t)).starts_with("// cannot print"));
    }
}
