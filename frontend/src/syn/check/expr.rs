//! Type checking of expressions: resolves names, gives literals their types, picks the IR
//! opcode of every operator from the operand types, and builds the typed tree.
//!
//! Literal typing is bidirectional and local: an expression is *flexible* when its type comes
//! only from literals (`1`, `-2`, `3 + 4`, `if c { 1 } else { 2 }`); a flexible operand takes
//! the type of the other operand, else the type the context expects (the *hint*), else `i32`.
//! Invariant: a `None` result means an error was reported (or the input was already an error
//! node), and callers stay silent about `None` operands so one mistake gives one message.

use std::collections::HashMap;

use ir::{Opcode, SourceType, Type};

use super::super::ast::{BinOp, Expr, ExprKind, Ident, IntLit, Let, Span, UnOp};
use super::super::diag::{ErrorKind, MAX_RENDERED, SynError, did_you_mean};
use super::super::typed::{TExpr, TKind, source_type};
use super::{BUILTINS, Signatures};

/// How deeply expressions may nest. Checking and lowering recurse
/// over the tree, so this bounds their stack use (tests run on 2 MiB thread stacks).
pub const MAX_DEPTH: usize = 400;

/// A name in scope: its slot and type, or `None` if its definition had an error.
#[derive(Debug, Clone)]
struct Binding {
    name: String,
    slot: Option<(usize, SourceType)>,
}

/// Checks the expressions of one body (a function, or a task's clauses).
#[derive(Debug)]
pub struct BodyChecker<'a> {
    sigs: &'a Signatures,
    errors: &'a mut Vec<SynError>,
    /// Names in scope, in binding order.
    scope: Vec<Binding>,
    /// Positions in `scope` of each name's bindings, innermost last.
    index: HashMap<String, Vec<usize>>,
    next_slot: usize,
    /// Set after a `let` that failed to parse: unknown names are then not reported.
    poisoned: bool,
    /// Why `result` is not in scope here, if it is special in this context.
    result_note: Option<&'static str>,
    /// Extra note for unknown variables (constant contexts such as examples).
    variable_note: Option<&'static str>,
    /// Current nesting depth of [`BodyChecker::expr`] calls.
    depth: usize,
    /// Set once "nested too deeply" has been reported for this body.
    too_deep: bool,
    /// Functions called, with the call span.
    pub calls: Vec<(usize, Span)>,
    /// Integer literals written, with their types.
    pub constants: Vec<(Type, u64)>,
}

/// True if `e`'s type comes only from literals. Gives up (false) below `MAX_DEPTH` levels:
/// such deep expressions are rejected by [`BodyChecker::expr`] anyway.
fn flexible(e: &Expr) -> bool {
    flexible_within(e, MAX_DEPTH)
}

fn flexible_within(e: &Expr, fuel: usize) -> bool {
    let Some(fuel) = fuel.checked_sub(1) else { return false };
    let f = |e: &Expr| flexible_within(e, fuel);
    match &e.kind {
        ExprKind::Int(lit) => lit.suffix.is_none(),
        ExprKind::Paren(inner) | ExprKind::Unary(_, inner) => f(inner),
        ExprKind::Binary(op, a, b) => !op.is_comparison() && !matches!(op, BinOp::And | BinOp::Or) && f(a) && f(b),
        ExprKind::If(_, a, b) => f(a) && f(b),
        ExprKind::Block(_, e) => f(e),
        ExprKind::Call(name, args) => BUILTINS.contains(&name.name.as_str()) && args.iter().all(f),
        _ => false,
    }
}

/// The span of the value an expression produces (the last expression of a block).
pub fn tail_span(e: &Expr) -> Span {
    match &e.kind {
        ExprKind::Block(_, tail) => tail_span(tail),
        _ => e.span,
    }
}

fn quoted(ty: SourceType) -> String {
    format!("`{ty}`")
}

impl<'a> BodyChecker<'a> {
    /// A checker whose first slots are `params` (a `None` type marks a parameter whose type
    /// had an error).
    pub fn new(sigs: &'a Signatures, errors: &'a mut Vec<SynError>, params: &[(String, Option<SourceType>)]) -> Self {
        let mut checker = BodyChecker {
            sigs,
            errors,
            scope: Vec::new(),
            index: HashMap::new(),
            next_slot: params.len(),
            poisoned: false,
            result_note: None,
            variable_note: None,
            depth: 0,
            too_deep: false,
            calls: Vec::new(),
            constants: Vec::new(),
        };
        for (i, (name, ty)) in params.iter().enumerate() {
            checker.bind(Binding { name: name.clone(), slot: ty.map(|t| (i, t)) });
        }
        checker
    }

    /// Brings a name into scope.
    fn bind(&mut self, b: Binding) {
        self.index.entry(b.name.clone()).or_default().push(self.scope.len());
        self.scope.push(b);
    }

    /// Takes the names bound after the first `len` out of scope.
    fn unbind_to(&mut self, len: usize) {
        while self.scope.len() > len {
            let Some(b) = self.scope.pop() else { break };
            if let Some(positions) = self.index.get_mut(&b.name) {
                positions.pop();
                if positions.is_empty() {
                    self.index.remove(&b.name);
                }
            }
        }
    }

    /// The innermost binding of `name`.
    fn lookup(&self, name: &str) -> Option<&Binding> {
        self.index.get(name).and_then(|p| p.last()).map(|&i| &self.scope[i])
    }

    /// True once more errors were found than are ever printed: costly suggestions are skipped.
    fn errors_overflow(&self) -> bool {
        self.errors.len() > MAX_RENDERED
    }

    /// Says why `result` is not available when it is used.
    pub fn set_result_note(&mut self, note: &'static str) {
        self.result_note = Some(note);
    }

    /// Adds a note to "unknown variable" errors.
    pub fn set_variable_note(&mut self, note: &'static str) {
        self.variable_note = Some(note);
    }

    fn error(&mut self, e: SynError) {
        self.errors.push(e);
    }

    /// Checks `e` where a value of type `want` is required; reports `what` otherwise.
    pub fn expect(&mut self, e: &Expr, want: SourceType, what: impl FnOnce(SourceType) -> String) -> Option<TExpr> {
        let t = self.expr(e, Some(want))?;
        if t.ty != want {
            let message = what(t.ty);
            self.error(SynError::new(ErrorKind::Type, tail_span(e), message).with_label(format!("this is `{}`", t.ty)));
            return None;
        }
        Some(t)
    }

    /// Checks an expression; `hint` is the type the context expects, used by literals.
    pub fn expr(&mut self, e: &Expr, hint: Option<SourceType>) -> Option<TExpr> {
        if self.depth >= MAX_DEPTH {
            if !std::mem::replace(&mut self.too_deep, true) {
                self.error(SynError::new(
                    ErrorKind::Syntax,
                    e.span,
                    format!("expression nested too deeply (more than {MAX_DEPTH} levels)"),
                ));
            }
            return None;
        }
        self.depth += 1;
        let t = self.expr_at_depth(e, hint);
        self.depth -= 1;
        t
    }

    fn expr_at_depth(&mut self, e: &Expr, hint: Option<SourceType>) -> Option<TExpr> {
        match &e.kind {
            ExprKind::Int(lit) => self.literal(lit, false, e.span, hint),
            ExprKind::Bool(b) => Some(TExpr::constant(SourceType::BOOL, u64::from(*b))),
            ExprKind::Var(name) => self.variable(name, e.span),
            ExprKind::Paren(inner) => self.expr(inner, hint),
            ExprKind::Unary(UnOp::Neg, inner) if matches!(inner.kind, ExprKind::Int(_)) => {
                let ExprKind::Int(lit) = &inner.kind else { return None };
                self.literal(lit, true, e.span, hint)
            }
            ExprKind::Unary(op, inner) => self.unary(*op, inner, e.span, hint),
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, hint),
            ExprKind::Cast(inner, ty) => self.cast(inner, ty, e.span),
            ExprKind::Call(f, args) => self.call(f, args, e.span, hint),
            ExprKind::If(c, a, b) => self.if_else(c, a, b, hint),
            ExprKind::Block(lets, tail) => self.block(lets, tail, hint),
            ExprKind::Error => None,
        }
    }

    fn literal(&mut self, lit: &IntLit, negative: bool, span: Span, hint: Option<SourceType>) -> Option<TExpr> {
        let text = format!("{}{lit}", if negative { "-" } else { "" });
        let ty = match &lit.suffix {
            Some(suffix) => match source_type(suffix) {
                Some(t) if !t.ty.is_bool() => t,
                _ => {
                    self.error(
                        SynError::new(ErrorKind::UnknownName, span, format!("unknown literal suffix `{suffix}`"))
                            .with_note("a literal suffix names an integer type, as in `5u8` or `-1i64`"),
                    );
                    return None;
                }
            },
            None => match hint {
                Some(t) if t.ty.is_bool() => {
                    self.error(
                        SynError::new(ErrorKind::Type, span, format!("expected `bool`, found integer `{text}`"))
                            .with_label("expected `bool`")
                            .with_note("use `true` or `false`, or compare: `x != 0`"),
                    );
                    return None;
                }
                Some(t) => t,
                None => SourceType::signed(Type::I32),
            },
        };
        let w = ty.ty.width();
        let mask = u128::from(ty.ty.mask());
        let fits = if negative {
            ty.signed && lit.value <= 1u128 << (w - 1)
        } else if ty.signed && lit.radix == 10 {
            lit.value <= mask >> 1
        } else {
            lit.value <= mask
        };
        if !fits {
            let range = if ty.signed {
                format!("{}..={}", -(1i128 << (w - 1)), (1i128 << (w - 1)) - 1)
            } else {
                format!("0..={mask}")
            };
            let mut err =
                SynError::new(ErrorKind::LiteralRange, span, format!("literal `{text}` does not fit in `{ty}`"))
                    .with_label(format!("`{ty}` holds {range}"));
            if ty.signed && !negative && lit.value <= mask {
                err = err.with_note(format!("a hex or binary literal may give any bit pattern of `{ty}`"));
            }
            self.error(err);
            return None;
        }
        let magnitude = lit.value as u64;
        let bits = ty.ty.wrap(if negative { magnitude.wrapping_neg() } else { magnitude });
        self.constants.push((ty.ty, bits));
        Some(TExpr::constant(ty, bits))
    }

    fn variable(&mut self, name: &str, span: Span) -> Option<TExpr> {
        if let Some(b) = self.lookup(name) {
            let (slot, ty) = b.slot?;
            return Some(TExpr { kind: TKind::Local(slot), ty });
        }
        if self.poisoned {
            return None;
        }
        let mut err = SynError::new(ErrorKind::UnknownName, span, format!("unknown variable `{name}`"));
        if name == "result" {
            if let Some(note) = self.result_note {
                err = err.with_note(note);
            }
        } else if self.sigs.index.contains_key(name) || BUILTINS.contains(&name) {
            err = err.with_note(format!("`{name}` is a function; call it as `{name}(...)`"));
        } else if let Some(note) = did_you_mean(name, self.scope.iter().rev().map(|b| b.name.as_str()))
            .filter(|_| name.len() >= 3 && !self.errors_overflow())
        {
            err = err.with_note(note);
        }
        if let Some(note) = self.variable_note {
            err = err.with_note(note);
        }
        self.error(err);
        None
    }

    fn unary(&mut self, op: UnOp, inner: &Expr, span: Span, hint: Option<SourceType>) -> Option<TExpr> {
        let a = self.expr(inner, hint)?;
        match op {
            UnOp::Neg if a.ty.ty.is_bool() => {
                self.error(
                    SynError::new(ErrorKind::Type, span, "unary `-` needs an integer, found `bool`")
                        .with_note("use `!` for logical not"),
                );
                None
            }
            UnOp::Neg => Some(TExpr::op(Opcode::Neg, a.ty, vec![a])),
            UnOp::Not => Some(TExpr::op(Opcode::Not, a.ty, vec![a])),
        }
    }

    /// Checks two operands that must have one type: a flexible operand is checked after the
    /// other one and takes its type.
    fn pair(&mut self, a: &Expr, b: &Expr, hint: Option<SourceType>) -> (Option<TExpr>, Option<TExpr>) {
        if flexible(a) && !flexible(b) {
            let y = self.expr(b, hint);
            let x = self.expr(a, y.as_ref().map(|y| y.ty).or(hint));
            (x, y)
        } else {
            let x = self.expr(a, hint);
            let y = self.expr(b, x.as_ref().map(|x| x.ty).or(hint));
            (x, y)
        }
    }

    /// Reports operands of different types; `what` describes the operation.
    fn same_type(&mut self, what: &str, a: (&Expr, &TExpr), b: (&Expr, &TExpr), note: Option<&str>) -> bool {
        if a.1.ty == b.1.ty {
            return true;
        }
        let mut err = SynError::new(
            ErrorKind::Type,
            tail_span(b.0),
            format!("mismatched types: {what} on {} and {}", quoted(a.1.ty), quoted(b.1.ty)),
        )
        .with_label(format!("this is `{}`", b.1.ty))
        .with_secondary(tail_span(a.0), format!("this is `{}`", a.1.ty));
        err = err.with_note(note.unwrap_or("convert one operand with `as`"));
        self.error(err);
        false
    }

    fn need_integer(&mut self, what: &str, e: &Expr, t: &TExpr) -> bool {
        if !t.ty.ty.is_bool() {
            return true;
        }
        self.error(
            SynError::new(ErrorKind::Type, tail_span(e), format!("{what} needs integer operands, found `bool`"))
                .with_label("this is `bool`"),
        );
        false
    }

    fn binary(&mut self, op: BinOp, a: &Expr, b: &Expr, hint: Option<SourceType>) -> Option<TExpr> {
        let what = format!("`{}`", op.symbol());
        if matches!(op, BinOp::And | BinOp::Or) {
            let bool_operand = |ty: SourceType| format!("{what} needs `bool` operands, found `{ty}`");
            let x = self.expect(a, SourceType::BOOL, bool_operand);
            let y = self.expect(b, SourceType::BOOL, bool_operand);
            // `a && b` is `if a { b } else { false }` and `a || b` is `if a { true } else { b }`:
            // a select, which evaluates only the side it takes when the function is read as its
            // source runs (the defined discipline reads references that way).
            let constant = |bit: u64| TExpr { kind: TKind::Const(bit), ty: SourceType::BOOL };
            let args = if op == BinOp::And { vec![x?, y?, constant(0)] } else { vec![x?, constant(1), y?] };
            return Some(TExpr::op(Opcode::Select, SourceType::BOOL, args));
        }
        let comparison = op.is_comparison();
        let (x, y) = self.pair(a, b, if comparison { None } else { hint });
        let (x, y) = (x?, y?);
        let note = matches!(op, BinOp::Shl | BinOp::Shr)
            .then_some("the shift amount must have the type of the shifted value, as in the IR; convert it with `as`");
        if !self.same_type(&what, (a, &x), (b, &y), note) {
            return None;
        }
        let bool_ok = matches!(op, BinOp::Eq | BinOp::Ne | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor);
        // Both operands have one type, so one message about it is enough.
        let operands_ok = bool_ok || self.need_integer(&what, a, &x);
        if !operands_ok {
            return None;
        }
        let signed = x.ty.signed;
        let pick = |s: Opcode, u: Opcode| if signed { s } else { u };
        let opcode = match op {
            BinOp::Mul => Opcode::Mul,
            BinOp::Div => pick(Opcode::Sdiv, Opcode::Udiv),
            BinOp::Rem => pick(Opcode::Srem, Opcode::Urem),
            BinOp::Add => Opcode::Add,
            BinOp::Sub => Opcode::Sub,
            BinOp::Shl => Opcode::Shl,
            BinOp::Shr => pick(Opcode::Ashr, Opcode::Lshr),
            BinOp::BitAnd => Opcode::And,
            BinOp::BitXor => Opcode::Xor,
            BinOp::BitOr => Opcode::Or,
            BinOp::Eq => Opcode::Eq,
            BinOp::Ne => Opcode::Ne,
            BinOp::Lt => pick(Opcode::Slt, Opcode::Ult),
            BinOp::Le => pick(Opcode::Sle, Opcode::Ule),
            BinOp::Gt => pick(Opcode::Sgt, Opcode::Ugt),
            BinOp::Ge => pick(Opcode::Sge, Opcode::Uge),
            BinOp::And | BinOp::Or => unreachable!("handled above"),
        };
        let ty = if comparison { SourceType::BOOL } else { x.ty };
        Some(TExpr::op(opcode, ty, vec![x, y]))
    }

    fn resolve_type(&mut self, name: &Ident) -> Option<SourceType> {
        let t = source_type(&name.name);
        if t.is_none() {
            self.error(unknown_type(name));
        }
        t
    }

    fn cast(&mut self, inner: &Expr, target: &Ident, span: Span) -> Option<TExpr> {
        let to = self.resolve_type(target);
        let a = self.expr(inner, to)?;
        let to = to?;
        let from = a.ty;
        let (fw, tw) = (from.ty.width(), to.ty.width());
        if to.ty.is_bool() && !from.ty.is_bool() {
            self.error(
                SynError::new(ErrorKind::Type, span, format!("cannot cast `{from}` to `bool`"))
                    .with_note("compare instead, as in `x != 0`"),
            );
            return None;
        }
        let opcode = if tw > fw {
            // bool widens to 0 or 1.
            if from.signed { Opcode::Sext } else { Opcode::Zext }
        } else if tw < fw {
            Opcode::Trunc
        } else {
            return Some(TExpr { kind: a.kind, ty: to });
        };
        Some(TExpr::op(opcode, to, vec![a]))
    }

    fn call(&mut self, f: &Ident, args: &[Expr], span: Span, hint: Option<SourceType>) -> Option<TExpr> {
        if BUILTINS.contains(&f.name.as_str()) {
            return self.builtin(f, args, span, hint);
        }
        let Some(&index) = self.sigs.index.get(&f.name) else {
            let mut err = SynError::new(ErrorKind::UnknownName, f.span, format!("unknown function `{}`", f.name));
            if self.sigs.tasks.contains(&f.name) {
                err = err.with_note(format!("`{}` is a synth task, not a function; tasks cannot be called", f.name));
            } else if !self.errors_overflow() {
                let mut names: Vec<&str> =
                    self.sigs.index.keys().map(String::as_str).chain(BUILTINS.iter().copied()).collect();
                names.sort_unstable();
                if let Some(note) = did_you_mean(&f.name, names) {
                    err = err.with_note(note);
                }
            }
            self.error(err);
            for a in args {
                self.expr(a, None);
            }
            return None;
        };
        let sig = &self.sigs.fns[index];
        let params = sig.params.clone();
        let ret = sig.ret;
        if args.len() != params.len() {
            self.error(arity(&f.name, params.len(), args.len(), span));
            for a in args {
                self.expr(a, None);
            }
            return None;
        }
        let mut checked = Vec::with_capacity(args.len());
        for (i, (a, p)) in args.iter().zip(&params).enumerate() {
            let t = match p {
                Some(want) => self.expect(a, *want, |ty| {
                    format!("argument {} of `{}` has type `{ty}`, but `{want}` is expected", i + 1, f.name)
                }),
                None => self.expr(a, None),
            };
            checked.push(t);
        }
        self.calls.push((index, f.span));
        let args: Option<Vec<TExpr>> = checked.into_iter().collect();
        Some(TExpr { kind: TKind::Call(index, args?), ty: ret? })
    }

    fn builtin(&mut self, f: &Ident, args: &[Expr], span: Span, hint: Option<SourceType>) -> Option<TExpr> {
        let name = f.name.as_str();
        let want = if matches!(name, "rotl" | "rotr" | "min" | "max") { 2 } else { 1 };
        if args.len() != want {
            self.error(arity(name, want, args.len(), span));
            for a in args {
                self.expr(a, None);
            }
            return None;
        }
        let what = format!("`{name}`");
        if want == 1 {
            let x = self.expr(&args[0], hint)?;
            if !self.need_integer(&what, &args[0], &x) {
                return None;
            }
            return match name {
                "popcnt" => Some(TExpr::op(Opcode::Popcnt, x.ty, vec![x])),
                "clz" => Some(TExpr::op(Opcode::Clz, x.ty, vec![x])),
                "ctz" => Some(TExpr::op(Opcode::Ctz, x.ty, vec![x])),
                _ if !x.ty.signed => {
                    self.error(
                        SynError::new(
                            ErrorKind::Type,
                            tail_span(&args[0]),
                            format!("`abs` needs a signed integer, found `{}`", x.ty),
                        )
                        .with_label(format!("this is `{}`", x.ty)),
                    );
                    None
                }
                _ => {
                    // `{ let t = x; if t < 0 { -t } else { t } }`: the operand is written once, so
                    // nested builtins stay linear in size.
                    let ty = x.ty;
                    let (t, bind) = self.bind_fresh(x);
                    let zero = TExpr::constant(ty, 0);
                    let negative = TExpr::op(Opcode::Slt, SourceType::BOOL, vec![t.clone(), zero]);
                    let negated = TExpr::op(Opcode::Neg, ty, vec![t.clone()]);
                    Some(block(vec![bind], TExpr::op(Opcode::Select, ty, vec![negative, negated, t])))
                }
            };
        }
        let (x, y) = self.pair(&args[0], &args[1], hint);
        let (x, y) = (x?, y?);
        if !self.same_type(&what, (&args[0], &x), (&args[1], &y), None) || !self.need_integer(&what, &args[0], &x) {
            return None;
        }
        let ty = x.ty;
        let pick = |s: Opcode, u: Opcode| if ty.signed { s } else { u };
        let opcode = match name {
            "rotl" => return Some(TExpr::op(Opcode::Rotl, ty, vec![x, y])),
            "rotr" => return Some(TExpr::op(Opcode::Rotr, ty, vec![x, y])),
            "min" => pick(Opcode::Slt, Opcode::Ult),
            _ => pick(Opcode::Sgt, Opcode::Ugt),
        };
        // `{ let a = x; let b = y; if a < b { a } else { b } }`, each operand written once.
        let (a, bind_a) = self.bind_fresh(x);
        let (b, bind_b) = self.bind_fresh(y);
        let pick_first = TExpr::op(opcode, SourceType::BOOL, vec![a.clone(), b.clone()]);
        Some(block(vec![bind_a, bind_b], TExpr::op(Opcode::Select, ty, vec![pick_first, a, b])))
    }

    /// Binds `value` to a fresh slot; returns a reference to the slot and the binding.
    fn bind_fresh(&mut self, value: TExpr) -> (TExpr, (usize, TExpr)) {
        let slot = self.next_slot;
        self.next_slot += 1;
        (TExpr { kind: TKind::Local(slot), ty: value.ty }, (slot, value))
    }

    fn if_else(&mut self, c: &Expr, a: &Expr, b: &Expr, hint: Option<SourceType>) -> Option<TExpr> {
        let cond = self.expect(c, SourceType::BOOL, |ty| format!("`if` condition must be `bool`, found `{ty}`"));
        let (x, y) = self.pair(a, b, hint);
        let (cond, x, y) = (cond?, x?, y?);
        if x.ty != y.ty {
            self.error(
                SynError::new(
                    ErrorKind::Type,
                    tail_span(b),
                    format!("`if` and `else` have different types `{}` and `{}`", x.ty, y.ty),
                )
                .with_label(format!("this is `{}`", y.ty))
                .with_secondary(tail_span(a), format!("this is `{}`", x.ty)),
            );
            return None;
        }
        let ty = x.ty;
        Some(TExpr::op(Opcode::Select, ty, vec![cond, x, y]))
    }

    fn block(&mut self, lets: &[Let], tail: &Expr, hint: Option<SourceType>) -> Option<TExpr> {
        let (scope_len, poisoned) = (self.scope.len(), self.poisoned);
        let mut bound: Vec<(usize, Option<TExpr>)> = Vec::new();
        for l in lets {
            if l.name.name.is_empty() {
                // A `let` the parser skipped: its name is unknown, so stop reporting unknown names.
                self.poisoned = true;
                bound.push((usize::MAX, None));
                continue;
            }
            let declared = l.ty.as_ref().map(|t| (t, self.resolve_type(t)));
            let value = match declared {
                Some((_, Some(want))) => self.expect(&l.value, want, |ty| {
                    format!("`let {}: {want}` is given a value of type `{ty}`", l.name.name)
                }),
                Some((_, None)) => {
                    self.expr(&l.value, None);
                    None
                }
                None => self.expr(&l.value, None),
            };
            let slot = self.next_slot;
            self.next_slot += 1;
            self.bind(Binding { name: l.name.name.clone(), slot: value.as_ref().map(|v| (slot, v.ty)) });
            bound.push((slot, value));
        }
        let tail = self.expr(tail, hint);
        self.unbind_to(scope_len);
        self.poisoned = poisoned;
        let tail = tail?;
        let bound = bound.into_iter().map(|(slot, value)| value.map(|v| (slot, v))).collect::<Option<Vec<_>>>()?;
        if bound.is_empty() {
            return Some(tail);
        }
        let ty = tail.ty;
        Some(TExpr { kind: TKind::Block(bound, Box::new(tail)), ty })
    }
}

/// `{ let ...; tail }` as a typed expression.
fn block(lets: Vec<(usize, TExpr)>, tail: TExpr) -> TExpr {
    let ty = tail.ty;
    TExpr { kind: TKind::Block(lets, Box::new(tail)), ty }
}

/// The error for a type name that is not a source type.
pub fn unknown_type(name: &Ident) -> SynError {
    const TYPES: [&str; 9] = ["bool", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"];
    let err = SynError::new(ErrorKind::UnknownName, name.span, format!("unknown type `{}`", name.name));
    match did_you_mean(&name.name, TYPES) {
        Some(note) => err.with_note(note),
        None => err.with_note("the types are bool, i8, i16, i32, i64, u8, u16, u32 and u64"),
    }
}

fn arity(name: &str, want: usize, got: usize, span: Span) -> SynError {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    SynError::new(
        ErrorKind::Arity,
        span,
        format!("`{name}` takes {want} argument{}, but {got} {} given", s(want), if got == 1 { "was" } else { "were" }),
    )
}
