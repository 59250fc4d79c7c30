//! Typed patterns: the text rules are written in, compiled once into an egg searcher and
//! applier, and into IR functions for the rule prover.
//!
//! The syntax and typing of patterns are documented with the rule table, in
//! [`super::rules`].
//!
//! # Invariants
//!
//! A compiled rule's right-hand side and condition use only variables and type variables the
//! left-hand side binds; the condition has type `i1` and mentions only `#` variables, so it can
//! be evaluated from the analysis's constants. A match is returned only when the primary width
//! is allowed, every cast of the right-hand side and condition widens or narrows as it must,
//! the declared type conditions hold, and the condition evaluates (with `ir::semantics`) to 1;
//! so the applier always builds well-typed nodes.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use egg::{Applier, ENodeOrVar, Id, PatternAst, RecExpr, SearchMatches, Searcher, Subst, Symbol, Var};
#[cfg(test)]
use ir::{Function, FunctionBuilder, Value};
use ir::{Opcode, Shape, Type};

use super::analysis::{IrAnalysis, IrEGraph};
use super::lang::{Discriminant, IrNode};
use super::rules::{RuleSpec, Widths};

/// A literal constant of a pattern, whose bits depend on the width it is used at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lit {
    /// A number (two's complement if negative), wrapped to the width.
    Int(u64),
    /// The sign bit.
    Min,
    /// All ones but the sign bit.
    Max,
    /// The width.
    Width,
    /// The width minus one.
    WidthMinus1,
}

impl Lit {
    /// The literal's bits at type `ty`.
    pub(crate) fn value(self, ty: Type) -> u64 {
        ty.wrap(match self {
            Lit::Int(bits) => bits,
            Lit::Min => ty.signed_min(),
            Lit::Max => ty.signed_max(),
            Lit::Width => u64::from(ty.width()),
            Lit::WidthMinus1 => u64::from(ty.width()) - 1,
        })
    }

    fn parse(text: &str) -> Option<Lit> {
        Some(match text {
            "min" => Lit::Min,
            "max" => Lit::Max,
            "w" => Lit::Width,
            "w-1" => Lit::WidthMinus1,
            _ => {
                let (negative, digits) = match text.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, text),
                };
                let magnitude = match digits.strip_prefix("0x") {
                    Some(hex) => u64::from_str_radix(hex, 16).ok()?,
                    None => digits.parse().ok()?,
                };
                Lit::Int(if negative { magnitude.wrapping_neg() } else { magnitude })
            }
        })
    }
}

/// One node of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PatNode {
    /// The rule's variable of this index.
    Var(usize),
    /// A literal.
    Lit(Lit),
    /// An operation on earlier nodes of the same side.
    Op(Opcode, Vec<usize>),
}

/// One side of a rule (or its condition): nodes in post-order (children first, root last),
/// each with its type variable.
#[derive(Debug, Clone, Default)]
pub(crate) struct Side {
    pub(crate) nodes: Vec<PatNode>,
    pub(crate) tvars: Vec<usize>,
}

impl Side {
    pub(crate) fn root(&self) -> usize {
        self.nodes.len() - 1
    }
}

/// A pattern variable.
#[derive(Debug, Clone)]
pub(crate) struct VarInfo {
    /// Its spelling with the sigil (`?x`, `#c`).
    pub(crate) name: String,
    /// True for `#` variables, which only match constants.
    pub(crate) constant: bool,
    /// Its type variable.
    pub(crate) tvar: usize,
}

/// A type variable after unification.
#[derive(Debug, Clone)]
pub(crate) struct TVarInfo {
    /// Its name, if the rule names it.
    pub(crate) name: Option<String>,
    /// Its type, if unification fixed it.
    pub(crate) fixed: Option<Type>,
}

/// `width(left) <ord> width(right)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TypeCheck {
    pub(crate) left: usize,
    pub(crate) ord: Ordering,
    pub(crate) right: usize,
}

impl TypeCheck {
    fn holds(&self, tys: &[Option<Type>]) -> bool {
        match (tys[self.left], tys[self.right]) {
            (Some(a), Some(b)) => a.width().cmp(&b.width()) == self.ord,
            _ => false,
        }
    }
}

/// A rule compiled from its [`RuleSpec`]. See the [module docs](self).
#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub(crate) spec: &'static RuleSpec,
    pub(crate) vars: Vec<VarInfo>,
    pub(crate) tvars: Vec<TVarInfo>,
    pub(crate) lhs: Side,
    pub(crate) rhs: Side,
    pub(crate) cond: Option<Side>,
    /// The type variable [`RuleSpec::widths`] restricts (`None` if every type is fixed).
    pub(crate) primary: Option<usize>,
    /// Width relations a well-typed left-hand side implies (its casts).
    pub(crate) lhs_checks: Vec<TypeCheck>,
    /// Width relations checked on every match: the declared type conditions and the casts of
    /// the right-hand side and the condition.
    pub(crate) checks: Vec<TypeCheck>,
    /// The egg variable of each pattern variable.
    egg_vars: Vec<Var>,
    /// The egg variable binding each non-variable node of the left-hand side (for the applier
    /// to recover the types of a match).
    node_vars: Vec<Option<Var>>,
}

enum Sexp {
    Atom(String),
    List(Vec<Sexp>),
}

fn parse_sexp(text: &str) -> Result<Sexp, String> {
    fn read<'a>(tokens: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>) -> Result<Sexp, String> {
        match tokens.next() {
            None => Err("unexpected end of pattern".into()),
            Some("(") => {
                let mut items = Vec::new();
                loop {
                    match tokens.peek() {
                        Some(&")") => {
                            tokens.next();
                            return Ok(Sexp::List(items));
                        }
                        None => return Err("missing `)`".into()),
                        Some(_) => items.push(read(tokens)?),
                    }
                }
            }
            Some(")") => Err("unexpected `)`".into()),
            Some(atom) => Ok(Sexp::Atom(atom.to_string())),
        }
    }
    let spaced = text.replace('(', " ( ").replace(')', " ) ");
    let mut tokens = spaced.split_whitespace().peekable();
    let sexp = read(&mut tokens)?;
    match tokens.next() {
        Some(extra) => Err(format!("unexpected `{extra}` after the pattern")),
        None => Ok(sexp),
    }
}

/// Type unification state while a rule is compiled: union-find over type slots.
#[derive(Default)]
struct Compiler {
    vars: Vec<VarInfo>,
    parent: Vec<usize>,
    fixed: Vec<Option<Type>>,
    names: HashMap<String, usize>,
    /// `(result, ord, operand, on the left-hand side)` for every cast.
    casts: Vec<(usize, Ordering, usize, bool)>,
}

impl Compiler {
    fn fresh(&mut self) -> usize {
        self.parent.push(self.parent.len());
        self.fixed.push(None);
        self.parent.len() - 1
    }

    fn find(&mut self, mut s: usize) -> usize {
        while self.parent[s] != s {
            self.parent[s] = self.parent[self.parent[s]];
            s = self.parent[s];
        }
        s
    }

    fn unify(&mut self, a: usize, b: usize) -> Result<(), String> {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return Ok(());
        }
        let fixed = match (self.fixed[a], self.fixed[b]) {
            (Some(x), Some(y)) if x != y => return Err(format!("type {x} cannot be {y}")),
            (x, y) => x.or(y),
        };
        self.parent[b] = a;
        self.fixed[a] = fixed;
        Ok(())
    }

    fn fixed_slot(&mut self, ty: Type) -> usize {
        let s = self.fresh();
        self.fixed[s] = Some(ty);
        s
    }

    /// The slot of a type annotation: a fixed type or a (possibly new) type variable.
    fn type_slot(&mut self, name: &str) -> Result<usize, String> {
        if let Ok(ty) = name.parse::<Type>() {
            return Ok(self.fixed_slot(ty));
        }
        if !name.starts_with(|c: char| c.is_ascii_uppercase()) || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!("`{name}` is neither a type nor a type variable"));
        }
        if let Some(&s) = self.names.get(name) {
            return Ok(s);
        }
        let s = self.fresh();
        self.names.insert(name.to_string(), s);
        Ok(s)
    }

    fn side(&mut self, text: &str, lhs: bool, new_vars: bool) -> Result<(Side, Vec<usize>), String> {
        let sexp = parse_sexp(text)?;
        let mut side = Side::default();
        let mut slots = Vec::new();
        self.node(&sexp, &mut side, &mut slots, lhs, new_vars)?;
        Ok((side, slots))
    }

    fn push(side: &mut Side, slots: &mut Vec<usize>, node: PatNode, slot: usize) -> usize {
        side.nodes.push(node);
        slots.push(slot);
        side.nodes.len() - 1
    }

    fn node(
        &mut self,
        sexp: &Sexp,
        side: &mut Side,
        slots: &mut Vec<usize>,
        lhs: bool,
        new_vars: bool,
    ) -> Result<usize, String> {
        match sexp {
            Sexp::Atom(atom) => {
                let (name, annotation) = match atom.split_once(':') {
                    Some((n, t)) => (n, Some(t)),
                    None => (atom.as_str(), None),
                };
                let slot = if name.starts_with('?') || name.starts_with('#') {
                    if name.len() < 2 {
                        return Err(format!("`{name}` names no variable"));
                    }
                    let index = match self.vars.iter().position(|v| v.name[1..] == name[1..]) {
                        Some(i) if self.vars[i].name != name => {
                            return Err(format!("`{name}` is also written `{}`", self.vars[i].name));
                        }
                        Some(i) => i,
                        None if new_vars => {
                            let tvar = self.fresh();
                            self.vars.push(VarInfo { name: name.to_string(), constant: name.starts_with('#'), tvar });
                            self.vars.len() - 1
                        }
                        None => return Err(format!("`{name}` is not bound by the left-hand side")),
                    };
                    let slot = self.vars[index].tvar;
                    Self::push(side, slots, PatNode::Var(index), slot);
                    slot
                } else {
                    let lit = Lit::parse(name).ok_or_else(|| format!("`{name}` is not a literal"))?;
                    let slot = self.fresh();
                    Self::push(side, slots, PatNode::Lit(lit), slot);
                    slot
                };
                if let Some(t) = annotation {
                    let t = self.type_slot(t)?;
                    self.unify(slot, t)?;
                }
                Ok(side.nodes.len() - 1)
            }
            Sexp::List(items) => {
                let Some((Sexp::Atom(head), args)) = items.split_first() else {
                    return Err("an operation must start with an opcode".into());
                };
                let (name, annotation) = match head.split_once('.') {
                    Some((n, t)) => (n, Some(t)),
                    None => (head.as_str(), None),
                };
                let opcode: Opcode = name.parse().map_err(|e| format!("{e}"))?;
                if opcode == Opcode::Iconst {
                    return Err("write constants as literals, not `iconst`".into());
                }
                if args.len() != opcode.arity() {
                    return Err(format!("`{opcode}` takes {} operands, not {}", opcode.arity(), args.len()));
                }
                let mut kids = Vec::new();
                for a in args {
                    kids.push(self.node(a, side, slots, lhs, new_vars)?);
                }
                let kid_slots: Vec<usize> = kids.iter().map(|&k| slots[k]).collect();
                let slot = match annotation {
                    Some(t) => self.type_slot(t)?,
                    None if opcode.shape() == Shape::Cast => {
                        return Err(format!("a cast names its result type: `{opcode}.T`"));
                    }
                    None => self.fresh(),
                };
                match opcode.shape() {
                    Shape::Unary | Shape::Binary => {
                        for &k in &kid_slots {
                            self.unify(slot, k)?;
                        }
                    }
                    Shape::Compare => {
                        let b = self.fixed_slot(Type::I1);
                        self.unify(slot, b)?;
                        self.unify(kid_slots[0], kid_slots[1])?;
                    }
                    Shape::Select => {
                        let b = self.fixed_slot(Type::I1);
                        self.unify(kid_slots[0], b)?;
                        self.unify(slot, kid_slots[1])?;
                        self.unify(slot, kid_slots[2])?;
                    }
                    Shape::Cast => {
                        let ord = if opcode == Opcode::Trunc { Ordering::Less } else { Ordering::Greater };
                        self.casts.push((slot, ord, kid_slots[0], lhs));
                    }
                    Shape::Const => unreachable!("iconst is rejected above"),
                }
                Ok(Self::push(side, slots, PatNode::Op(opcode, kids), slot))
            }
        }
    }
}

impl CompiledRule {
    /// Parses and type-checks a rule.
    pub(crate) fn compile(spec: &'static RuleSpec) -> Result<CompiledRule, String> {
        let context = |e: String| format!("rule `{}`: {e}", spec.name);
        let mut c = Compiler::default();
        let (lhs, lhs_slots) = c.side(spec.lhs, true, true).map_err(context)?;
        if !matches!(lhs.nodes.last(), Some(PatNode::Op(..))) {
            return Err(context("the left-hand side must be an operation".into()));
        }
        let (rhs, rhs_slots) = c.side(spec.rhs, false, false).map_err(context)?;
        c.unify(lhs_slots[lhs.root()], rhs_slots[rhs.root()]).map_err(context)?;
        let cond = match spec.cond {
            Some(text) => {
                let (side, slots) = c.side(text, false, false).map_err(context)?;
                let b = c.fixed_slot(Type::I1);
                c.unify(slots[side.root()], b).map_err(|e| context(format!("the condition: {e}")))?;
                for node in &side.nodes {
                    if let PatNode::Var(v) = node
                        && !c.vars[*v].constant
                    {
                        return Err(context(format!(
                            "the condition reads `{}`, which is not a `#` variable",
                            c.vars[*v].name
                        )));
                    }
                }
                Some((side, slots))
            }
            None => None,
        };
        let mut declared = Vec::new();
        for clause in spec.types.iter().flat_map(|t| t.split(',')) {
            let words: Vec<&str> = clause.split_whitespace().collect();
            let [a, op, b] = words[..] else {
                return Err(context(format!("type condition `{clause}` is not `A < B`")));
            };
            let ord = match op {
                "<" => Ordering::Less,
                "==" => Ordering::Equal,
                ">" => Ordering::Greater,
                _ => return Err(context(format!("unknown relation `{op}`"))),
            };
            let slot = |c: &Compiler, n: &str| c.names.get(n).copied().ok_or_else(|| context(format!("no type `{n}`")));
            declared.push((slot(&c, a)?, ord, slot(&c, b)?));
        }

        // Number the type variables, those of the left-hand side first.
        let mut n = Numbering::default();
        let lhs_tvars: Vec<usize> = lhs_slots.iter().map(|&s| n.tvar(&mut c, s)).collect();
        let lhs_bound = n.tvars.len();
        let rhs_tvars: Vec<usize> = rhs_slots.iter().map(|&s| n.tvar(&mut c, s)).collect();
        let cond = cond.map(|(side, slots)| {
            let tv = slots.iter().map(|&s| n.tvar(&mut c, s)).collect();
            Side { nodes: side.nodes, tvars: tv }
        });
        let mut names: Vec<(String, usize)> = c.names.iter().map(|(n, &s)| (n.clone(), s)).collect();
        names.sort();
        for (name, slot) in names {
            let t = n.tvar(&mut c, slot);
            n.tvars[t].name = Some(name);
        }
        let vars: Vec<VarInfo> = std::mem::take(&mut c.vars);
        let vars: Vec<VarInfo> = vars.into_iter().map(|v| VarInfo { tvar: n.tvar(&mut c, v.tvar), ..v }).collect();
        let casts = std::mem::take(&mut c.casts);
        let mut lhs_checks = Vec::new();
        let mut checks = Vec::new();
        for (result, ord, operand, on_lhs) in casts {
            let check = TypeCheck { left: n.tvar(&mut c, result), ord, right: n.tvar(&mut c, operand) };
            if on_lhs { lhs_checks.push(check) } else { checks.push(check) }
        }
        for (a, ord, b) in declared {
            checks.push(TypeCheck { left: n.tvar(&mut c, a), ord, right: n.tvar(&mut c, b) });
        }
        let tvars = n.tvars;
        for (t, info) in tvars.iter().enumerate() {
            if t >= lhs_bound && info.fixed.is_none() {
                return Err(context(format!(
                    "type {} of the right-hand side or condition is not bound by the left-hand side",
                    info.name.as_deref().unwrap_or("(unnamed)")
                )));
            }
        }
        let lhs = Side { nodes: lhs.nodes, tvars: lhs_tvars };
        let rhs = Side { nodes: rhs.nodes, tvars: rhs_tvars };
        let free = |t: usize| tvars[t].fixed.is_none();
        let primary = tvars
            .iter()
            .position(|t| t.name.as_deref() == Some("N"))
            .or_else(|| Some(lhs.tvars[lhs.root()]).filter(|&t| free(t)))
            .or_else(|| lhs.tvars.iter().copied().find(|&t| free(t)));
        match (primary, spec.widths) {
            (_, Widths::All) => {}
            (Some(_), _) => {}
            (None, w) => {
                let root_ty = tvars[lhs.tvars[lhs.root()]].fixed.map(|t| t.width());
                if !root_ty.is_some_and(|r| w.contains(r)) {
                    return Err(context("width restriction on a rule whose types are all fixed".into()));
                }
            }
        }
        let egg_vars = (0..vars.len()).map(egg_var).collect();
        let node_vars = lhs
            .nodes
            .iter()
            .enumerate()
            .map(|(pid, n)| (!matches!(n, PatNode::Var(_))).then(|| egg_var(1000 + pid)))
            .collect();
        Ok(CompiledRule { spec, vars, tvars, lhs, rhs, cond, primary, lhs_checks, checks, egg_vars, node_vars })
    }

    /// The rule's name.
    pub(crate) fn name(&self) -> &'static str {
        self.spec.name
    }

    /// True if a match whose type variables are `tys` may be rewritten: the primary width is
    /// allowed and the type checks hold.
    pub(crate) fn fires_at(&self, tys: &[Option<Type>]) -> bool {
        let width_ok = match self.primary {
            Some(p) => tys[p].is_some_and(|t| self.spec.widths.contains(t.width())),
            None => true,
        };
        width_ok && self.checks.iter().all(|c| c.holds(tys)) && self.lhs_checks.iter().all(|c| c.holds(tys))
    }

    /// The type of type variable `t` under `tys`.
    fn ty(&self, tys: &[Option<Type>], t: usize) -> Option<Type> {
        self.tvars[t].fixed.or(tys[t])
    }

    /// Every assignment of the type variables, over `widths` for the free ones, that a
    /// well-typed left-hand side allows: those at which the rule fires (see
    /// [`CompiledRule::fires_at`]) and the others (at which it must not).
    #[cfg(test)]
    pub(crate) fn assignments(&self, widths: &[u32]) -> (Vec<Vec<Type>>, Vec<Vec<Type>>) {
        let free: Vec<usize> = (0..self.tvars.len()).filter(|&t| self.tvars[t].fixed.is_none()).collect();
        let mut fires = Vec::new();
        let mut not = Vec::new();
        let mut counter = vec![0usize; free.len()];
        loop {
            let mut tys: Vec<Option<Type>> = self.tvars.iter().map(|t| t.fixed).collect();
            for (k, &t) in free.iter().enumerate() {
                tys[t] = Type::new(widths[counter[k]]);
            }
            let all: Vec<Type> = tys.iter().map(|t| t.unwrap_or(Type::I1)).collect();
            if self.lhs_checks.iter().all(|c| c.holds(&tys)) {
                if self.fires_at(&tys) { fires.push(all) } else { not.push(all) }
            }
            // Next assignment (odometer).
            let mut k = 0;
            while k < free.len() {
                counter[k] += 1;
                if counter[k] < widths.len() {
                    break;
                }
                counter[k] = 0;
                k += 1;
            }
            if k == free.len() {
                break;
            }
        }
        (fires, not)
    }

    /// The type of every rule variable under a full assignment.
    #[cfg(test)]
    pub(crate) fn param_types(&self, tys: &[Type]) -> Vec<Type> {
        self.vars.iter().map(|v| tys[v.tvar]).collect()
    }

    /// Emits `side` into `b` under a full type assignment, with `vars[i]` standing for
    /// variable `i`; the value of its root.
    #[cfg(test)]
    pub(crate) fn emit(&self, b: &mut FunctionBuilder, side: &Side, tys: &[Type], vars: &[Value]) -> Value {
        let mut values: Vec<Value> = Vec::new();
        for (pid, node) in side.nodes.iter().enumerate() {
            let ty = tys[side.tvars[pid]];
            let v = match node {
                PatNode::Var(v) => vars[*v],
                PatNode::Lit(lit) => b.iconst(ty, lit.value(ty)),
                PatNode::Op(op, kids) => {
                    let args: Vec<Value> = kids.iter().map(|&k| values[k]).collect();
                    b.inst(*op, ty, &args, 0)
                }
            };
            values.push(v);
        }
        values[side.root()]
    }

    /// The IR function computing `side` with the rule's variables as parameters (in order),
    /// under a full type assignment; an error if it is ill-typed there.
    #[cfg(test)]
    pub(crate) fn side_function(&self, side: &Side, tys: &[Type], name: &str) -> Result<Function, String> {
        let mut b = FunctionBuilder::new(name, &self.param_types(tys), tys[side.tvars[side.root()]]);
        let vars: Vec<Value> = (0..self.vars.len()).map(|i| b.param(i)).collect();
        let root = self.emit(&mut b, side, tys, &vars);
        b.finish(root).map_err(|e| e.to_string())
    }

    /// All matches of the left-hand side in `class` (canonical, clean e-graph).
    fn match_class(&self, egraph: &IrEGraph, class: Id, out: &mut Vec<Binding>) {
        let empty = Binding {
            vars: vec![None; self.vars.len()],
            nodes: vec![None; self.lhs.nodes.len()],
            tys: self.tvars.iter().map(|t| t.fixed).collect(),
        };
        let mut found = Vec::new();
        self.match_at(egraph, self.lhs.root(), class, empty, &mut found);
        for b in found {
            if self.fires_at(&b.tys) && self.condition_holds(egraph, &b) {
                out.push(b);
            }
        }
    }

    fn bind_ty(&self, b: &mut Binding, tvar: usize, ty: Type) -> bool {
        match b.tys[tvar] {
            Some(t) => t == ty,
            None => {
                b.tys[tvar] = Some(ty);
                true
            }
        }
    }

    fn match_at(&self, egraph: &IrEGraph, pid: usize, class: Id, mut b: Binding, out: &mut Vec<Binding>) {
        let class = egraph.find(class);
        let data = egraph[class].data;
        if !self.bind_ty(&mut b, self.lhs.tvars[pid], data.ty) {
            return;
        }
        match &self.lhs.nodes[pid] {
            PatNode::Var(v) => match b.vars[*v] {
                Some(id) => {
                    if egraph.find(id) == class {
                        out.push(b);
                    }
                }
                None => {
                    if self.vars[*v].constant && data.constant.is_none() {
                        return;
                    }
                    b.vars[*v] = Some(class);
                    out.push(b);
                }
            },
            PatNode::Lit(lit) => {
                if data.constant == Some(lit.value(data.ty)) {
                    b.nodes[pid] = Some(class);
                    out.push(b);
                }
            }
            PatNode::Op(opcode, kids) => {
                b.nodes[pid] = Some(class);
                for node in &egraph[class].nodes {
                    let IrNode::Op(op) = node else { continue };
                    if op.opcode != *opcode {
                        continue;
                    }
                    let mut states = vec![b.clone()];
                    for (&k, &child) in kids.iter().zip(op.args()) {
                        let mut next = Vec::new();
                        for s in states {
                            self.match_at(egraph, k, child, s, &mut next);
                        }
                        states = next;
                        if states.is_empty() {
                            break;
                        }
                    }
                    out.extend(states);
                }
            }
        }
    }

    /// The value of node `pid` of `side` if every variable it reads is a known constant.
    fn eval(&self, egraph: &IrEGraph, side: &Side, pid: usize, b: &Binding) -> Option<u64> {
        let ty = self.ty(&b.tys, side.tvars[pid])?;
        match &side.nodes[pid] {
            PatNode::Var(v) => egraph[b.vars[*v]?].data.constant,
            PatNode::Lit(lit) => Some(lit.value(ty)),
            PatNode::Op(op, kids) => {
                let args: Option<Vec<u64>> = kids.iter().map(|&k| self.eval(egraph, side, k, b)).collect();
                let operand = kids[usize::from(op.shape() == Shape::Select)];
                let operand_ty = self.ty(&b.tys, side.tvars[operand])?;
                Some(ir::semantics::apply(*op, ty, operand_ty, &args?))
            }
        }
    }

    fn condition_holds(&self, egraph: &IrEGraph, b: &Binding) -> bool {
        match &self.cond {
            None => true,
            Some(cond) => self.eval(egraph, cond, cond.root(), b) == Some(1),
        }
    }

    fn subst(&self, b: &Binding) -> Subst {
        let mut subst = Subst::with_capacity(self.vars.len() + self.lhs.nodes.len());
        for (var, id) in self.egg_vars.iter().zip(&b.vars) {
            if let Some(id) = id {
                subst.insert(*var, *id);
            }
        }
        for (var, id) in self.node_vars.iter().zip(&b.nodes) {
            if let (Some(var), Some(id)) = (var, id) {
                subst.insert(*var, *id);
            }
        }
        subst
    }

    /// The binding a searcher's substitution stands for, with the types read back from the
    /// classes.
    fn binding(&self, egraph: &IrEGraph, subst: &Subst) -> Option<Binding> {
        let vars: Vec<Option<Id>> = self.egg_vars.iter().map(|v| subst.get(*v).copied()).collect();
        let nodes: Vec<Option<Id>> = self.node_vars.iter().map(|v| v.and_then(|v| subst.get(v).copied())).collect();
        let mut tys: Vec<Option<Type>> = self.tvars.iter().map(|t| t.fixed).collect();
        for (pid, node) in self.lhs.nodes.iter().enumerate() {
            let class = match node {
                PatNode::Var(v) => vars[*v]?,
                _ => nodes[pid]?,
            };
            tys[self.lhs.tvars[pid]] = Some(egraph[class].data.ty);
        }
        Some(Binding { vars, nodes, tys })
    }

    /// The e-node a pattern node stands for under `b`, its children given.
    fn concrete(&self, side: &Side, pid: usize, b: &Binding, kids: &[Id]) -> Option<IrNode> {
        let ty = self.ty(&b.tys, side.tvars[pid])?;
        match &side.nodes[pid] {
            PatNode::Var(_) => None,
            PatNode::Lit(lit) => Some(IrNode::constant(ty, lit.value(ty))),
            PatNode::Op(op, _) => IrNode::op(*op, ty, kids),
        }
    }

    /// Adds the right-hand side under `b`; its class.
    fn build(&self, egraph: &mut IrEGraph, b: &Binding) -> Option<Id> {
        let mut ids: Vec<Id> = Vec::with_capacity(self.rhs.nodes.len());
        for (pid, node) in self.rhs.nodes.iter().enumerate() {
            let id = match node {
                PatNode::Var(v) => b.vars[*v]?,
                PatNode::Lit(_) => egraph.add(self.concrete(&self.rhs, pid, b, &[])?),
                PatNode::Op(_, kids) => {
                    let kids: Vec<Id> = kids.iter().map(|&k| ids[k]).collect();
                    egraph.add(self.concrete(&self.rhs, pid, b, &kids)?)
                }
            };
            ids.push(id);
        }
        ids.last().copied()
    }

    /// `side` under `b` as an egg pattern (the rule's variables stay variables), for
    /// explanations.
    fn pattern_ast(&self, side: &Side, b: &Binding) -> Option<PatternAst<IrNode>> {
        let mut ast = RecExpr::default();
        for (pid, node) in side.nodes.iter().enumerate() {
            let n = match node {
                PatNode::Var(v) => ENodeOrVar::Var(self.egg_vars[*v]),
                PatNode::Lit(_) => ENodeOrVar::ENode(self.concrete(side, pid, b, &[])?),
                PatNode::Op(_, kids) => {
                    let kids: Vec<Id> = kids.iter().map(|&k| Id::from(k)).collect();
                    ENodeOrVar::ENode(self.concrete(side, pid, b, &kids)?)
                }
            };
            ast.add(n);
        }
        Some(ast)
    }
}

/// Numbers the unified type slots as type variables.
#[derive(Default)]
struct Numbering {
    index: HashMap<usize, usize>,
    tvars: Vec<TVarInfo>,
}

impl Numbering {
    fn tvar(&mut self, c: &mut Compiler, slot: usize) -> usize {
        let root = c.find(slot);
        if let Some(&t) = self.index.get(&root) {
            return t;
        }
        self.tvars.push(TVarInfo { name: None, fixed: c.fixed[root] });
        self.index.insert(root, self.tvars.len() - 1);
        self.tvars.len() - 1
    }
}

/// A partial match: classes of the variables and of the left-hand side's nodes, and the types.
#[derive(Debug, Clone)]
struct Binding {
    vars: Vec<Option<Id>>,
    nodes: Vec<Option<Id>>,
    tys: Vec<Option<Type>>,
}

fn egg_var(n: usize) -> Var {
    format!("?#{n}").parse().expect("`?#N` is an egg variable")
}

/// A compiled rule as an egg searcher and applier (one value plays both parts).
#[derive(Debug, Clone)]
pub(crate) struct Rule(pub(crate) Arc<CompiledRule>);

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} => {}", self.0.spec.name, self.0.spec.lhs, self.0.spec.rhs)
    }
}

impl Searcher<IrNode, IrAnalysis> for Rule {
    fn search_eclass_with_limit(
        &self,
        egraph: &IrEGraph,
        eclass: Id,
        limit: usize,
    ) -> Option<SearchMatches<'_, IrNode>> {
        let mut found = Vec::new();
        self.0.match_class(egraph, eclass, &mut found);
        found.truncate(limit);
        if found.is_empty() {
            return None;
        }
        let substs = found.iter().map(|b| self.0.subst(b)).collect();
        Some(SearchMatches { eclass, substs, ast: None })
    }

    fn search_with_limit(&self, egraph: &IrEGraph, mut limit: usize) -> Vec<SearchMatches<'_, IrNode>> {
        let Some(PatNode::Op(opcode, _)) = self.0.lhs.nodes.last() else {
            return Vec::new();
        };
        let Some(classes) = egraph.classes_for_op(&Discriminant::Op(*opcode)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for class in classes {
            if limit == 0 {
                break;
            }
            if let Some(m) = self.search_eclass_with_limit(egraph, class, limit) {
                limit -= m.substs.len();
                out.push(m);
            }
        }
        out
    }

    fn vars(&self) -> Vec<Var> {
        self.0.egg_vars.iter().copied().chain(self.0.node_vars.iter().flatten().copied()).collect()
    }
}

impl Applier<IrNode, IrAnalysis> for Rule {
    fn apply_one(
        &self,
        egraph: &mut IrEGraph,
        eclass: Id,
        subst: &Subst,
        _searcher_ast: Option<&PatternAst<IrNode>>,
        rule_name: Symbol,
    ) -> Vec<Id> {
        let rule = &self.0;
        let Some(b) = rule.binding(egraph, subst) else { return Vec::new() };
        if egraph.are_explanations_enabled() {
            let (Some(lhs), Some(rhs)) = (rule.pattern_ast(&rule.lhs, &b), rule.pattern_ast(&rule.rhs, &b)) else {
                return Vec::new();
            };
            let (id, changed) = egraph.union_instantiations(&lhs, &rhs, subst, rule_name);
            return if changed { vec![id] } else { Vec::new() };
        }
        let Some(new) = rule.build(egraph, &b) else { return Vec::new() };
        if egraph.union(eclass, new) { vec![eclass] } else { Vec::new() }
    }

    fn vars(&self) -> Vec<Var> {
        self.0.egg_vars.clone()
    }
}
