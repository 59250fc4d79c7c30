//! The built-in operators of SMT-LIB `Core` and `FixedSizeBitVectors` that synth supports, and
//! how each lowers to IR operations.
//!
//! Most are one IR opcode (SMT-LIB semantics equal the IR table, division by zero included).
//! The rest are combinations: `bvnand`/`bvnor`/`bvxnor` are `not` of `and`/`or`/`xor`,
//! `bvcomp` is `eq` with a `(_ BitVec 1)` result, `concat` is `zext` + `shl` + `or`, `extract`
//! is `lshr` + `trunc`, `repeat` is repeated `concat`, `=` chains, `distinct` compares every
//! pair, `=>` is right-associative `or (not a) b`. Results wider than 64 bits are unsupported.

use ir::{Location, Opcode, Sort, Type};

use super::emit::Emitter;
use super::error::{Result, SygusError};

/// A lowered value with its SMT-LIB sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Typed<H> {
    pub h: H,
    pub sort: Sort,
}

/// An argument: its value and where it is written.
pub(crate) type Arg<H> = (Typed<H>, Location);

const CORE: &[&str] = &["not", "and", "or", "xor", "=>", "=", "distinct", "ite"];
const BV_NARY: &[(&str, Opcode)] = &[
    ("bvand", Opcode::And),
    ("bvor", Opcode::Or),
    ("bvxor", Opcode::Xor),
    ("bvadd", Opcode::Add),
    ("bvmul", Opcode::Mul),
];
const BV_BINARY: &[(&str, Opcode)] = &[
    ("bvsub", Opcode::Sub),
    ("bvudiv", Opcode::Udiv),
    ("bvurem", Opcode::Urem),
    ("bvsdiv", Opcode::Sdiv),
    ("bvsrem", Opcode::Srem),
    ("bvshl", Opcode::Shl),
    ("bvlshr", Opcode::Lshr),
    ("bvashr", Opcode::Ashr),
];
const BV_NEGATED: &[(&str, Opcode)] = &[("bvnand", Opcode::And), ("bvnor", Opcode::Or), ("bvxnor", Opcode::Xor)];
const BV_UNARY: &[(&str, Opcode)] = &[("bvnot", Opcode::Not), ("bvneg", Opcode::Neg)];
const BV_COMPARE: &[(&str, Opcode)] = &[
    ("bvult", Opcode::Ult),
    ("bvule", Opcode::Ule),
    ("bvugt", Opcode::Ugt),
    ("bvuge", Opcode::Uge),
    ("bvslt", Opcode::Slt),
    ("bvsle", Opcode::Sle),
    ("bvsgt", Opcode::Sgt),
    ("bvsge", Opcode::Sge),
];
/// SMT-LIB operators synth knows but does not support.
const UNSUPPORTED: &[&str] = &["bvsmod", "bvredor", "bvredand", "bvnego", "bvuaddo", "bvsaddo", "bvumulo", "bvsmulo"];
/// Indexed operators (`(_ NAME k...)`).
pub(crate) const INDEXED: &[&str] = &["extract", "zero_extend", "sign_extend", "rotate_left", "rotate_right", "repeat"];

fn lookup(table: &[(&str, Opcode)], name: &str) -> Option<Opcode> {
    table.iter().find(|(n, _)| *n == name).map(|(_, op)| *op)
}

/// True if `name` is a built-in (non-indexed) operator, supported or not, or a Boolean literal.
pub(crate) fn is_builtin(name: &str) -> bool {
    CORE.contains(&name)
        || UNSUPPORTED.contains(&name)
        || INDEXED.contains(&name)
        || name == "concat"
        || name == "bvcomp"
        || name == "true"
        || name == "false"
        || [BV_NARY, BV_BINARY, BV_NEGATED, BV_UNARY, BV_COMPARE].iter().any(|t| lookup(t, name).is_some())
}

fn sort_name(sort: Sort) -> String {
    sort.to_string()
}

fn count(name: &str, args: usize, min: usize, max: Option<usize>, loc: Location) -> Result<()> {
    let ok = args >= min && max.is_none_or(|m| args <= m);
    if ok {
        return Ok(());
    }
    let expected = match max {
        Some(m) if m == min => format!("{min}"),
        Some(m) => format!("{min} to {m}"),
        None => format!("at least {min}"),
    };
    Err(SygusError::sort(loc, format!("`{name}` expects {expected} argument(s), got {args}")))
}

fn expect_bool<H>(name: &str, arg: &Arg<H>) -> Result<()> {
    if arg.0.sort == Sort::Bool {
        Ok(())
    } else {
        Err(SygusError::sort(arg.1, format!("`{name}` expects Bool, got {}", sort_name(arg.0.sort))))
    }
}

fn expect_bv<H>(name: &str, arg: &Arg<H>) -> Result<u32> {
    match arg.0.sort {
        Sort::BitVec(w) => Ok(w),
        Sort::Bool => Err(SygusError::sort(arg.1, format!("`{name}` expects a bit-vector, got Bool"))),
    }
}

/// Checks that all arguments are bit-vectors of one width and returns it.
fn same_bv<H>(name: &str, args: &[Arg<H>]) -> Result<u32> {
    let w = expect_bv(name, &args[0])?;
    for a in &args[1..] {
        if expect_bv(name, a)? != w {
            return Err(SygusError::sort(
                a.1,
                format!(
                    "`{name}` expects arguments of one sort, got {} and {}",
                    sort_name(args[0].0.sort),
                    sort_name(a.0.sort)
                ),
            ));
        }
    }
    Ok(w)
}

/// Checks that all arguments have one sort and returns it.
fn same_sort<H>(name: &str, args: &[Arg<H>]) -> Result<Sort> {
    let s = args[0].0.sort;
    for a in &args[1..] {
        if a.0.sort != s {
            return Err(SygusError::sort(
                a.1,
                format!("`{name}` expects arguments of one sort, got {} and {}", sort_name(s), sort_name(a.0.sort)),
            ));
        }
    }
    Ok(s)
}

fn bv(w: u32) -> Type {
    Sort::BitVec(w).ty()
}

fn typed<H>(h: H, sort: Sort) -> Typed<H> {
    Typed { h, sort }
}

/// Folds `args` from the left with a binary opcode at type `ty`.
fn fold<E: Emitter>(em: &mut E, op: Opcode, ty: Type, args: &[Arg<E::H>]) -> E::H {
    let mut acc = args[0].0.h;
    for a in &args[1..] {
        acc = em.op(op, ty, &[acc, a.0.h]);
    }
    acc
}

/// The conjunction of `parts` (`true` if empty).
fn conjunction<E: Emitter>(em: &mut E, parts: &[E::H]) -> E::H {
    let Some((&first, rest)) = parts.split_first() else {
        return em.constant(Type::I1, 1);
    };
    rest.iter().fold(first, |acc, &p| em.op(Opcode::And, Type::I1, &[acc, p]))
}

/// `a ++ b` (a in the high bits), or unsupported if wider than 64 bits.
fn concat<E: Emitter>(em: &mut E, a: Typed<E::H>, b: Typed<E::H>, loc: Location) -> Result<Typed<E::H>> {
    let (Sort::BitVec(wa), Sort::BitVec(wb)) = (a.sort, b.sort) else {
        return Err(SygusError::sort(loc, "`concat` expects bit-vectors"));
    };
    let w = wa + wb;
    if w > Type::MAX_WIDTH {
        return Err(SygusError::unsupported(loc, format!("concat giving (_ BitVec {w}) (widths above 64)")));
    }
    let ty = bv(w);
    let high = em.op(Opcode::Zext, ty, &[a.h]);
    let amount = em.constant(ty, u64::from(wb));
    let high = em.op(Opcode::Shl, ty, &[high, amount]);
    let low = em.op(Opcode::Zext, ty, &[b.h]);
    Ok(typed(em.op(Opcode::Or, ty, &[high, low]), Sort::BitVec(w)))
}

/// Applies the non-indexed built-in `name`, or returns `None` if `name` is not one.
pub(crate) fn apply<E: Emitter>(
    em: &mut E,
    name: &str,
    args: &[Arg<E::H>],
    loc: Location,
) -> Option<Result<Typed<E::H>>> {
    is_builtin(name).then(|| apply_known(em, name, args, loc))
}

fn apply_known<E: Emitter>(em: &mut E, name: &str, args: &[Arg<E::H>], loc: Location) -> Result<Typed<E::H>> {
    let n = args.len();
    if let Some(op) = lookup(BV_NARY, name) {
        count(name, n, 2, None, loc)?;
        let w = same_bv(name, args)?;
        return Ok(typed(fold(em, op, bv(w), args), Sort::BitVec(w)));
    }
    if let Some(op) = lookup(BV_BINARY, name) {
        count(name, n, 2, Some(2), loc)?;
        let w = same_bv(name, args)?;
        return Ok(typed(fold(em, op, bv(w), args), Sort::BitVec(w)));
    }
    if let Some(op) = lookup(BV_NEGATED, name) {
        count(name, n, 2, Some(2), loc)?;
        let w = same_bv(name, args)?;
        let inner = fold(em, op, bv(w), args);
        return Ok(typed(em.op(Opcode::Not, bv(w), &[inner]), Sort::BitVec(w)));
    }
    if let Some(op) = lookup(BV_UNARY, name) {
        count(name, n, 1, Some(1), loc)?;
        let w = expect_bv(name, &args[0])?;
        return Ok(typed(em.op(op, bv(w), &[args[0].0.h]), Sort::BitVec(w)));
    }
    if let Some(op) = lookup(BV_COMPARE, name) {
        count(name, n, 2, Some(2), loc)?;
        same_bv(name, args)?;
        return Ok(typed(em.op(op, Type::I1, &[args[0].0.h, args[1].0.h]), Sort::Bool));
    }
    match name {
        "bvcomp" => {
            count(name, n, 2, Some(2), loc)?;
            same_bv(name, args)?;
            Ok(typed(em.op(Opcode::Eq, Type::I1, &[args[0].0.h, args[1].0.h]), Sort::BitVec(1)))
        }
        "concat" => {
            count(name, n, 2, None, loc)?;
            args.iter().try_for_each(|a| expect_bv(name, a).map(drop))?;
            let mut acc = args[0].0;
            for a in &args[1..] {
                acc = concat(em, acc, a.0, loc)?;
            }
            Ok(acc)
        }
        "not" => {
            count(name, n, 1, Some(1), loc)?;
            expect_bool(name, &args[0])?;
            Ok(typed(em.op(Opcode::Not, Type::I1, &[args[0].0.h]), Sort::Bool))
        }
        "and" | "or" | "xor" => {
            count(name, n, if name == "xor" { 2 } else { 1 }, None, loc)?;
            args.iter().try_for_each(|a| expect_bool(name, a))?;
            let op = match name {
                "and" => Opcode::And,
                "or" => Opcode::Or,
                _ => Opcode::Xor,
            };
            Ok(typed(fold(em, op, Type::I1, args), Sort::Bool))
        }
        "=>" => {
            count(name, n, 2, None, loc)?;
            args.iter().try_for_each(|a| expect_bool(name, a))?;
            let mut acc = args[n - 1].0.h;
            for a in args[..n - 1].iter().rev() {
                let not_a = em.op(Opcode::Not, Type::I1, &[a.0.h]);
                acc = em.op(Opcode::Or, Type::I1, &[not_a, acc]);
            }
            Ok(typed(acc, Sort::Bool))
        }
        "=" | "distinct" => {
            count(name, n, 2, None, loc)?;
            same_sort(name, args)?;
            let mut parts = Vec::new();
            if name == "=" {
                for pair in args.windows(2) {
                    parts.push(em.op(Opcode::Eq, Type::I1, &[pair[0].0.h, pair[1].0.h]));
                }
            } else {
                for i in 0..n {
                    for j in i + 1..n {
                        parts.push(em.op(Opcode::Ne, Type::I1, &[args[i].0.h, args[j].0.h]));
                    }
                }
            }
            Ok(typed(conjunction(em, &parts), Sort::Bool))
        }
        "ite" => {
            count(name, n, 3, Some(3), loc)?;
            expect_bool(name, &args[0])?;
            let sort = same_sort(name, &args[1..])?;
            Ok(typed(em.op(Opcode::Select, sort.ty(), &[args[0].0.h, args[1].0.h, args[2].0.h]), sort))
        }
        _ if UNSUPPORTED.contains(&name) => Err(SygusError::unsupported(loc, format!("operator {name}"))),
        _ if INDEXED.contains(&name) => {
            Err(SygusError::syntax(loc, format!("`{name}` is indexed: write ((_ {name} k) term)")))
        }
        _ => Err(SygusError::sort(loc, format!("`{name}` is not a function"))),
    }
}

/// Applies the indexed operator `(_ name indices...)`.
pub(crate) fn apply_indexed<E: Emitter>(
    em: &mut E,
    name: &str,
    indices: &[u64],
    args: &[Arg<E::H>],
    loc: Location,
) -> Result<Typed<E::H>> {
    let expected_indices = if name == "extract" { 2 } else { 1 };
    if !INDEXED.contains(&name) {
        return Err(if name.starts_with("bv") || name == "int2bv" {
            SygusError::unsupported(loc, format!("indexed operator {name}"))
        } else {
            SygusError::unknown(loc, name)
        });
    }
    if indices.len() != expected_indices {
        return Err(SygusError::sort(
            loc,
            format!("`{name}` takes {expected_indices} index(es), got {}", indices.len()),
        ));
    }
    count(name, args.len(), 1, Some(1), loc)?;
    let a = args[0].0;
    let w = expect_bv(name, &args[0])?;
    let wide = |w2: u64| -> Result<u32> {
        if w2 > u64::from(Type::MAX_WIDTH) {
            Err(SygusError::unsupported(loc, format!("{name} giving (_ BitVec {w2}) (widths above 64)")))
        } else {
            Ok(w2 as u32)
        }
    };
    let k = indices[0];
    match name {
        "extract" => {
            let (i, j) = (indices[0], indices[1]);
            if i >= u64::from(w) || j > i {
                return Err(SygusError::sort(loc, format!("bad indices for extract from (_ BitVec {w}): {i} {j}")));
            }
            let mut h = a.h;
            if j > 0 {
                let amount = em.constant(bv(w), j);
                h = em.op(Opcode::Lshr, bv(w), &[h, amount]);
            }
            let out = (i - j + 1) as u32;
            if out < w {
                h = em.op(Opcode::Trunc, bv(out), &[h]);
            }
            Ok(typed(h, Sort::BitVec(out)))
        }
        "zero_extend" | "sign_extend" => {
            let out = wide(u64::from(w).saturating_add(k))?;
            if k == 0 {
                return Ok(a);
            }
            let op = if name == "zero_extend" { Opcode::Zext } else { Opcode::Sext };
            Ok(typed(em.op(op, bv(out), &[a.h]), Sort::BitVec(out)))
        }
        "rotate_left" | "rotate_right" => {
            let r = k % u64::from(w);
            if r == 0 {
                return Ok(a);
            }
            let op = if name == "rotate_left" { Opcode::Rotl } else { Opcode::Rotr };
            let amount = em.constant(bv(w), r);
            Ok(typed(em.op(op, bv(w), &[a.h, amount]), a.sort))
        }
        _ => {
            // repeat
            if k == 0 {
                return Err(SygusError::sort(loc, "`repeat` needs a count of at least 1"));
            }
            wide(u64::from(w).saturating_mul(k))?;
            let mut acc = a;
            for _ in 1..k {
                acc = concat(em, acc, a, loc)?;
            }
            Ok(acc)
        }
    }
}
