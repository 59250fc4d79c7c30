//! Property test of the `.syn` semantics: random well-typed source expressions over a few
//! variables of random types are evaluated by the small direct evaluator below (on `i128`
//! values with explicit wrapping, written from the language reference, not from the IR) and by
//! `parse_syn` + `ir::eval`; they must agree. Expressions are printed with as few parentheses
//! as Rust's precedence allows (plus some redundant ones), literals bare where the other operand
//! gives their type, so the test checks precedence, literal typing, signedness and casts.

use frontend::syn::parse_syn;
use ir::{SourceType, Type};
use proptest::prelude::*;

const TYPES: [SourceType; 9] = [
    SourceType::BOOL,
    SourceType { ty: Type::I8, signed: true },
    SourceType { ty: Type::I8, signed: false },
    SourceType { ty: Type::I16, signed: true },
    SourceType { ty: Type::I16, signed: false },
    SourceType { ty: Type::I32, signed: true },
    SourceType { ty: Type::I32, signed: false },
    SourceType { ty: Type::I64, signed: true },
    SourceType { ty: Type::I64, signed: false },
];

/// Wraps a mathematical integer into the range of `ty` (two's complement for `iN`).
fn wrap(v: i128, ty: SourceType) -> i128 {
    let w = ty.ty.width();
    let m = 1i128 << w;
    let bits = v.rem_euclid(m);
    if ty.signed && bits >= m / 2 { bits - m } else { bits }
}

/// The masked bits of a value.
fn bits(v: i128, ty: SourceType) -> u64 {
    (v.rem_euclid(1i128 << ty.ty.width())) as u64
}

/// The value of masked bits.
fn value(bits: u64, ty: SourceType) -> i128 {
    wrap(i128::from(bits), ty)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Bin {
    Mul,
    Div,
    Rem,
    Add,
    Sub,
    Shl,
    Shr,
    And,
    Xor,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone)]
enum E {
    Var(String, SourceType),
    /// A literal: its value, type, and whether to write it in hex.
    Lit(i128, SourceType, bool),
    Neg(Box<E>, SourceType),
    Not(Box<E>, SourceType),
    Bin(Bin, Box<E>, Box<E>, SourceType),
    Cmp(Cmp, Box<E>, Box<E>),
    Logic(bool, Box<E>, Box<E>),
    Cast(Box<E>, SourceType),
    If(Box<E>, Box<E>, Box<E>, SourceType),
    Call(&'static str, Vec<E>, SourceType),
    /// `{ let name[: T] = value; body }`
    Let(String, bool, Box<E>, Box<E>),
    Paren(Box<E>),
}

impl E {
    fn ty(&self) -> SourceType {
        match self {
            E::Var(_, t) | E::Lit(_, t, _) | E::Neg(_, t) | E::Not(_, t) | E::Bin(.., t) | E::Cast(_, t) => *t,
            E::If(.., t) | E::Call(_, _, t) => *t,
            E::Cmp(..) | E::Logic(..) => SourceType::BOOL,
            E::Let(_, _, _, body) => body.ty(),
            E::Paren(e) => e.ty(),
        }
    }

    /// True for a literal, maybe in parentheses (its type comes from the context).
    fn is_lit(&self) -> bool {
        match self {
            E::Lit(..) => true,
            E::Paren(e) => e.is_lit(),
            _ => false,
        }
    }
}

fn eval(e: &E, env: &mut Vec<(String, i128)>) -> i128 {
    match e {
        E::Var(name, _) => env.iter().rev().find(|(n, _)| n == name).map(|(_, v)| *v).expect("bound variable"),
        E::Lit(v, _, _) => *v,
        E::Paren(e) => eval(e, env),
        E::Neg(a, t) => wrap(-eval(a, env), *t),
        E::Not(a, t) => {
            if t.ty.is_bool() {
                1 - eval(a, env)
            } else {
                wrap(-1 - eval(a, env), *t)
            }
        }
        E::Bin(op, a, b, t) => {
            let (x, y) = (eval(a, env), eval(b, env));
            let w = i128::from(t.ty.width());
            let (bx, by) = (bits(x, *t), bits(y, *t));
            let amount = i128::from(by);
            match op {
                Bin::Add => wrap(x + y, *t),
                Bin::Sub => wrap(x - y, *t),
                // The product of two 64-bit values may not fit an i128; multiply the bits.
                Bin::Mul => wrap((u128::from(bx) * u128::from(by) % (1u128 << w)) as i128, *t),
                Bin::Div if y == 0 => {
                    if !t.signed {
                        wrap(-1, SourceType { signed: false, ..*t })
                    } else if x < 0 {
                        1
                    } else {
                        -1
                    }
                }
                Bin::Div => wrap(x / y, *t),
                Bin::Rem if y == 0 => x,
                Bin::Rem => wrap(x % y, *t),
                Bin::Shl if amount >= w => 0,
                Bin::Shl => wrap(x << amount, *t),
                Bin::Shr if amount >= w => {
                    if x < 0 {
                        -1
                    } else {
                        0
                    }
                }
                Bin::Shr => x >> amount,
                Bin::And => value(bx & by, *t),
                Bin::Xor => value(bx ^ by, *t),
                Bin::Or => value(bx | by, *t),
            }
        }
        E::Cmp(op, a, b) => {
            let (x, y) = (eval(a, env), eval(b, env));
            i128::from(match op {
                Cmp::Eq => x == y,
                Cmp::Ne => x != y,
                Cmp::Lt => x < y,
                Cmp::Le => x <= y,
                Cmp::Gt => x > y,
                Cmp::Ge => x >= y,
            })
        }
        E::Logic(and, a, b) => {
            let (x, y) = (eval(a, env), eval(b, env));
            if *and { x & y } else { x | y }
        }
        E::Cast(a, t) => wrap(eval(a, env), *t),
        E::If(c, a, b, _) => {
            let (c, x, y) = (eval(c, env), eval(a, env), eval(b, env));
            if c == 1 { x } else { y }
        }
        E::Call(name, args, t) => {
            let vs: Vec<i128> = args.iter().map(|a| eval(a, env)).collect();
            let w = t.ty.width();
            let b = bits(vs[0], *t);
            match *name {
                "popcnt" => i128::from(b.count_ones()),
                "clz" => i128::from(b.leading_zeros() - (64 - w)),
                "ctz" => i128::from(if b == 0 { w } else { b.trailing_zeros() }),
                "abs" => {
                    if vs[0] < 0 {
                        wrap(-vs[0], *t)
                    } else {
                        vs[0]
                    }
                }
                "min" => vs[0].min(vs[1]),
                "max" => vs[0].max(vs[1]),
                rot => {
                    let n = (bits(vs[1], *t) % u64::from(w)) as u32;
                    let mask = t.ty.mask();
                    let r = if n == 0 {
                        b
                    } else if rot == "rotl" {
                        ((b << n) | (b >> (w - n))) & mask
                    } else {
                        ((b >> n) | (b << (w - n))) & mask
                    };
                    value(r, *t)
                }
            }
        }
        E::Let(name, _, v, body) => {
            let x = eval(v, env);
            env.push((name.clone(), x));
            let r = eval(body, env);
            env.pop();
            r
        }
    }
}

// Precedence, loosest first, as in Rust.
fn bin_prec(op: Bin) -> u8 {
    match op {
        Bin::Or => 4,
        Bin::Xor => 5,
        Bin::And => 6,
        Bin::Shl | Bin::Shr => 7,
        Bin::Add | Bin::Sub => 8,
        Bin::Mul | Bin::Div | Bin::Rem => 9,
    }
}

fn bin_symbol(op: Bin) -> &'static str {
    match op {
        Bin::Mul => "*",
        Bin::Div => "/",
        Bin::Rem => "%",
        Bin::Add => "+",
        Bin::Sub => "-",
        Bin::Shl => "<<",
        Bin::Shr => ">>",
        Bin::And => "&",
        Bin::Xor => "^",
        Bin::Or => "|",
    }
}

fn literal_text(v: i128, t: SourceType, hex: bool, suffix: bool) -> String {
    if t.ty.is_bool() {
        return if v == 1 { "true" } else { "false" }.to_string();
    }
    let mut s = if hex { format!("{:#x}", bits(v, t)) } else { v.to_string() };
    if suffix {
        s.push_str(&t.to_string());
    }
    s
}

/// Prints `e`; a literal is bare when `bare` (its sibling gives its type), else suffixed.
/// Returns the text and the precedence of its outermost operator (12 for atoms).
fn print(e: &E, bare: bool) -> (String, u8) {
    let at = |p: (String, u8), min: u8| if p.1 < min { format!("({})", p.0) } else { p.0 };
    // Operands that share a type: a literal is bare only next to a non-literal.
    let pair = |a: &E, b: &E| (print(a, !b.is_lit()), print(b, !a.is_lit()));
    match e {
        E::Var(name, _) => (name.clone(), 12),
        E::Lit(v, t, hex) => {
            let text = literal_text(*v, *t, *hex, !bare);
            let prec = if text.starts_with('-') { 11 } else { 12 };
            (text, prec)
        }
        E::Paren(inner) => (format!("({})", print(inner, bare).0), 12),
        E::Neg(a, _) | E::Not(a, _) => {
            let op = if matches!(e, E::Neg(..)) { "-" } else { "!" };
            let inner = print(a, false);
            // `-5u8` would be a negative literal (which `u8` cannot hold), `--5` reads badly.
            let text = if a.is_lit() || inner.0.starts_with('-') { format!("({})", inner.0) } else { at(inner, 11) };
            (format!("{op}{text}"), 11)
        }
        E::Bin(op, a, b, _) => {
            let p = bin_prec(*op);
            let (x, y) = pair(a, b);
            (format!("{} {} {}", at(x, p), bin_symbol(*op), at(y, p + 1)), p)
        }
        E::Cmp(op, a, b) => {
            let sym = match op {
                Cmp::Eq => "==",
                Cmp::Ne => "!=",
                Cmp::Lt => "<",
                Cmp::Le => "<=",
                Cmp::Gt => ">",
                Cmp::Ge => ">=",
            };
            let (x, y) = pair(a, b);
            (format!("{} {sym} {}", at(x, 4), at(y, 4)), 3)
        }
        E::Logic(and, a, b) => {
            let p = if *and { 2 } else { 1 };
            let (x, y) = (print(a, false), print(b, false));
            (format!("{} {} {}", at(x, p), if *and { "&&" } else { "||" }, at(y, p + 1)), p)
        }
        E::Cast(a, t) => (format!("{} as {t}", at(print(a, false), 10)), 10),
        E::If(c, a, b, _) => {
            let (x, y) = pair(a, b);
            (format!("if {} {{ {} }} else {{ {} }}", print(c, false).0, x.0, y.0), 12)
        }
        E::Call(name, args, _) => {
            let texts: Vec<String> = if args.len() == 2 {
                let (x, y) = pair(&args[0], &args[1]);
                vec![x.0, y.0]
            } else {
                vec![print(&args[0], false).0]
            };
            (format!("{name}({})", texts.join(", ")), 12)
        }
        E::Let(name, annotate, v, body) => {
            let annotation = if *annotate { format!(": {}", v.ty()) } else { String::new() };
            // The value of an unannotated `let` has no context: it must fix its own type.
            (format!("{{ let {name}{annotation} = {}; {} }}", print(v, false).0, print(body, false).0), 12)
        }
    }
}

/// Builds random expressions from a tape of random numbers.
struct Gen<'a> {
    tape: &'a [u64],
    pos: usize,
    scope: Vec<(String, SourceType)>,
    lets: usize,
}

impl Gen<'_> {
    fn next(&mut self) -> u64 {
        let v = self.tape[self.pos % self.tape.len()];
        self.pos += 1;
        v ^ (self.pos as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn int_type(&mut self) -> SourceType {
        TYPES[1 + self.below(8)]
    }

    /// The bindings a name lookup can reach: a shadowed binding is invisible.
    fn visible(&self) -> Vec<(String, SourceType)> {
        let scope = &self.scope;
        scope
            .iter()
            .enumerate()
            .filter(|(i, v)| !scope[i + 1..].iter().any(|w| w.0 == v.0))
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn leaf(&mut self, t: SourceType) -> E {
        let visible = self.visible();
        let vars: Vec<String> = visible.iter().filter(|v| v.1 == t).map(|v| v.0.clone()).collect();
        if !vars.is_empty() && self.below(3) != 0 {
            return E::Var(vars[self.below(vars.len())].clone(), t);
        }
        // Otherwise often a variable of another type, converted.
        let others: Vec<(String, SourceType)> =
            visible.into_iter().filter(|v| !t.ty.is_bool() || v.1.ty.is_bool()).collect();
        if !others.is_empty() && self.below(2) == 0 {
            let (name, ty) = others[self.below(others.len())].clone();
            return E::Cast(Box::new(E::Var(name, ty)), t);
        }
        let r = self.next();
        let bits = ir::testing::edge_biased(t.ty, r);
        let hex = !t.ty.is_bool() && self.below(4) == 0;
        E::Lit(value(bits, t), t, hex)
    }

    fn expr(&mut self, t: SourceType, depth: usize) -> E {
        if depth == 0 || self.below(6) == 0 {
            return self.leaf(t);
        }
        let d = depth - 1;
        if t.ty.is_bool() {
            match self.below(7) {
                0 => {
                    let u = self.int_type();
                    let ops = [Cmp::Eq, Cmp::Ne, Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge];
                    let op = ops[self.below(6)];
                    E::Cmp(op, Box::new(self.expr(u, d)), Box::new(self.expr(u, d)))
                }
                1 => {
                    let op = if self.below(2) == 0 { Cmp::Eq } else { Cmp::Ne };
                    E::Cmp(op, Box::new(self.expr(t, d)), Box::new(self.expr(t, d)))
                }
                2 => E::Logic(self.below(2) == 0, Box::new(self.expr(t, d)), Box::new(self.expr(t, d))),
                3 => E::Not(Box::new(self.expr(t, d)), t),
                4 => {
                    let op = [Bin::And, Bin::Or, Bin::Xor][self.below(3)];
                    E::Bin(op, Box::new(self.expr(t, d)), Box::new(self.expr(t, d)), t)
                }
                5 => self.if_else(t, d),
                _ => self.let_in(t, d),
            }
        } else {
            match self.below(9) {
                0..=2 => {
                    let ops = [
                        Bin::Mul,
                        Bin::Div,
                        Bin::Rem,
                        Bin::Add,
                        Bin::Sub,
                        Bin::Shl,
                        Bin::Shr,
                        Bin::And,
                        Bin::Xor,
                        Bin::Or,
                    ];
                    let op = ops[self.below(ops.len())];
                    E::Bin(op, Box::new(self.expr(t, d)), Box::new(self.expr(t, d)), t)
                }
                3 => {
                    let a = Box::new(self.expr(t, d));
                    if self.below(2) == 0 { E::Neg(a, t) } else { E::Not(a, t) }
                }
                4 => {
                    let from = TYPES[self.below(9)];
                    E::Cast(Box::new(self.expr(from, d)), t)
                }
                5 => self.if_else(t, d),
                6 => self.let_in(t, d),
                7 => {
                    let names: &[&'static str] = if t.signed {
                        &["popcnt", "clz", "ctz", "rotl", "rotr", "min", "max", "abs"]
                    } else {
                        &["popcnt", "clz", "ctz", "rotl", "rotr", "min", "max"]
                    };
                    let name = names[self.below(names.len())];
                    let n = if matches!(name, "rotl" | "rotr" | "min" | "max") { 2 } else { 1 };
                    E::Call(name, (0..n).map(|_| self.expr(t, d)).collect(), t)
                }
                _ => E::Paren(Box::new(self.expr(t, d))),
            }
        }
    }

    fn if_else(&mut self, t: SourceType, d: usize) -> E {
        let c = self.expr(SourceType::BOOL, d);
        E::If(Box::new(c), Box::new(self.expr(t, d)), Box::new(self.expr(t, d)), t)
    }

    fn let_in(&mut self, t: SourceType, d: usize) -> E {
        let vt = TYPES[self.below(9)];
        let value = self.expr(vt, d);
        // Reusing a name shadows the outer binding.
        self.lets += 1;
        let name = format!("t{}", self.lets % 3);
        let annotate = self.below(2) == 0;
        self.scope.push((name.clone(), vt));
        let body = self.expr(t, d);
        self.scope.pop();
        E::Let(name, annotate, Box::new(value), Box::new(body))
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn source_expressions_evaluate_like_the_reference(
        tape in proptest::collection::vec(any::<u64>(), 1..48),
        types in proptest::collection::vec(0usize..9, 3),
        ret in 0usize..9,
        inputs in proptest::collection::vec(any::<u64>(), 24),
    ) {
        let params: Vec<(String, SourceType)> =
            types.iter().enumerate().map(|(i, &k)| (format!("{}", (b'a' + i as u8) as char), TYPES[k])).collect();
        let ret = TYPES[ret];
        let mut g = Gen { tape: &tape, pos: 0, scope: params.clone(), lets: 0 };
        let e = g.expr(ret, 4);
        let ps: Vec<String> = params.iter().map(|(n, t)| format!("{n}: {t}")).collect();
        let source = format!("fn f({}) -> {ret} {{\n    {}\n}}\n", ps.join(", "), print(&e, false).0);
        let file = match parse_syn(&source) {
            Ok(file) => file,
            Err(d) => panic!("generated program does not check:\n{source}\n{}", d.render("gen.syn", &source)),
        };
        let f = &file.module["f"];
        for row in inputs.chunks(3) {
            let args: Vec<u64> = row.iter().zip(&params).map(|(&r, (_, t))| ir::testing::edge_biased(t.ty, r)).collect();
            let mut env: Vec<(String, i128)> =
                params.iter().zip(&args).map(|((n, t), &a)| (n.clone(), value(a, *t))).collect();
            let expected = bits(eval(&e, &mut env), ret);
            let got = ir::eval(f, &args);
            prop_assert_eq!(got, expected, "inputs {:?}\n{}\n{}", args, source, f);
        }
    }
}
