//! The syntax tree of a `.syn` file, as the parser builds it: names are unresolved, types are
//! still identifiers, every node carries the byte span of its source text.
//!
//! Invariant: where the parser recovered from a syntax error it left an `Error` node (already
//! reported); later passes skip those nodes without reporting anything more about them.

use std::fmt;

/// A byte range `start..end` in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// A name with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it is written.
    pub span: Span,
}

/// An integer literal as written: magnitude, base and optional suffix (`5u8`, `30s`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntLit {
    /// The value of the digits.
    pub value: u128,
    /// 10, 16 or 2.
    pub radix: u32,
    /// Letters after the digits.
    pub suffix: Option<String>,
}

impl fmt::Display for IntLit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.radix {
            16 => write!(f, "{:#x}", self.value)?,
            2 => write!(f, "{:#b}", self.value)?,
            _ => write!(f, "{}", self.value)?,
        }
        if let Some(s) = &self.suffix {
            f.write_str(s)?;
        }
        Ok(())
    }
}

/// A whole file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct File {
    /// Items in source order.
    pub items: Vec<Item>,
}

/// A top-level item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// `fn NAME(PARAMS) -> T { BODY }`
    Fn(FnDef),
    /// `synth NAME(PARAMS) -> T { CLAUSES }`
    Synth(SynthDef),
    /// `repair NAME { CLAUSES }`
    Repair(RepairDef),
    /// Input the parser skipped after a syntax error.
    Error,
}

/// `name: type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Parameter name.
    pub name: Ident,
    /// Type name as written.
    pub ty: Ident,
}

/// A source function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FnDef {
    /// Its name.
    pub name: Ident,
    /// Its parameters.
    pub params: Vec<Param>,
    /// The result type as written.
    pub ret: Ident,
    /// The body (a block expression).
    pub body: Expr,
}

/// A synthesis task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthDef {
    /// The name of the function to synthesize.
    pub name: Ident,
    /// Its parameters.
    pub params: Vec<Param>,
    /// Its result type as written.
    pub ret: Ident,
    /// The clauses in source order.
    pub clauses: Vec<Clause>,
}

/// A repair: the function `name` fails the clauses and is to be fixed by the smallest edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairDef {
    /// The function to repair.
    pub name: Ident,
    /// The clauses in source order (as in a task).
    pub clauses: Vec<Clause>,
}

/// One clause of a task, with the span of the whole clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// What the clause says.
    pub kind: ClauseKind,
    /// From the keyword to the `;`.
    pub span: Span,
}

/// The clauses of a `synth` task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClauseKind {
    /// `equiv F;`
    Equiv(Ident),
    /// `requires E;`
    Requires(Expr),
    /// `ensures E;`
    Ensures(Expr),
    /// `example NAME(ARGS) == VALUE;`
    Example {
        /// The function named in the example (must be the task).
        name: Ident,
        /// The argument expressions.
        args: Vec<Expr>,
        /// The expected result.
        value: Expr,
    },
    /// `using OP, ...;`
    Using(Vec<Ident>),
    /// `cost MODEL;`
    Cost(Ident),
    /// `semantics defined;` or `semantics total;`
    Semantics(Ident),
    /// `timeout N[s|ms];`
    Timeout(IntLit, Span),
    /// `max_size N;`
    MaxSize(IntLit, Span),
    /// A clause the parser skipped after a syntax error.
    Error,
}

/// An expression with its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Its source text.
    pub span: Span,
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnOp {
    /// `-`: wrapping negation.
    Neg,
    /// `!`: bitwise not on integers, logical not on `bool`.
    Not,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `<<`
    Shl,
    /// `>>`
    Shr,
    /// `&`
    BitAnd,
    /// `^`
    BitXor,
    /// `|`
    BitOr,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `&&`
    And,
    /// `||`
    Or,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
            BinOp::BitAnd => "&",
            BinOp::BitXor => "^",
            BinOp::BitOr => "|",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::And => "&&",
            BinOp::Or => "||",
        }
    }

    /// True for `== != < <= > >=`.
    pub fn is_comparison(self) -> bool {
        matches!(self, BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
    }
}

/// `let NAME[: T] = VALUE;` inside a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Let {
    /// The bound name.
    pub name: Ident,
    /// The declared type, if any.
    pub ty: Option<Ident>,
    /// The bound value.
    pub value: Expr,
}

impl Drop for Expr {
    /// Drops the subtree with an explicit stack, so that very deep expressions (a long chain
    /// `a + b + c + ...`) do not overflow the call stack.
    fn drop(&mut self) {
        fn take_children(kind: &mut ExprKind, out: &mut Vec<Expr>) {
            match std::mem::replace(kind, ExprKind::Error) {
                ExprKind::Unary(_, a) | ExprKind::Paren(a) | ExprKind::Cast(a, _) => out.push(*a),
                ExprKind::Binary(_, a, b) => out.extend([*a, *b]),
                ExprKind::If(c, a, b) => out.extend([*c, *a, *b]),
                ExprKind::Call(_, args) => out.extend(args),
                ExprKind::Block(lets, tail) => {
                    out.extend(lets.into_iter().map(|l| l.value));
                    out.push(*tail);
                }
                ExprKind::Int(_) | ExprKind::Bool(_) | ExprKind::Var(_) | ExprKind::Error => {}
            }
        }
        let mut stack = Vec::new();
        take_children(&mut self.kind, &mut stack);
        while let Some(mut e) = stack.pop() {
            take_children(&mut e.kind, &mut stack);
        }
    }
}

/// The kinds of expressions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprKind {
    /// An integer literal.
    Int(IntLit),
    /// `true` or `false`.
    Bool(bool),
    /// A variable (parameter, `let`, or `result` in `ensures`).
    Var(String),
    /// `-E` or `!E`.
    Unary(UnOp, Box<Expr>),
    /// `A op B`.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `E as T`.
    Cast(Box<Expr>, Ident),
    /// `f(ARGS)`: a source function or a builtin.
    Call(Ident, Vec<Expr>),
    /// `if C { A } else { B }`.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `{ let ...; E }`.
    Block(Vec<Let>, Box<Expr>),
    /// `(E)`.
    Paren(Box<Expr>),
    /// An expression the parser skipped after a syntax error.
    Error,
}
