//! Term lowering: from an s-expression to values of an [`Emitter`], with SMT-LIB sort checking.
//!
//! Names resolve innermost first: grammar non-terminals (in grammar mode: each occurrence is the
//! next child hole), `let` bindings and parameters, literals, then global names (`define-fun`s
//! are inlined with their own scope, `synth-fun`s become calls, `declare-var`s variables), then
//! built-in operators. Inlining is memoized per (definition, argument values), so chains of
//! definitions that use their arguments several times stay linear; the work per term is bounded
//! by [`MAX_STEPS`].

use std::collections::HashMap;

use ir::{Location, Sort};

use super::emit::Emitter;
use super::error::{Result, SygusError};
use super::ops::{self, Arg, Typed};
use super::scope::{Global, Globals};
use super::sexp::{Kind, SExp};
use super::sort::{literal, numeral};

/// Child holes of a grammar production being lowered.
#[derive(Debug)]
pub(crate) struct Holes<H> {
    /// Non-terminal names.
    pub nonterminals: HashMap<String, usize>,
    /// The value of each hole, in hole order.
    pub values: Vec<Typed<H>>,
    /// The next hole to hand out.
    pub next: usize,
}

/// Lowers terms into an emitter.
#[derive(Debug)]
pub(crate) struct Lowerer<'g, E: Emitter> {
    pub globals: &'g Globals,
    pub emitter: E,
    locals: Vec<(String, Typed<E::H>)>,
    pub holes: Option<Holes<E::H>>,
    memo: HashMap<(usize, Vec<E::H>), E::H>,
    steps: usize,
}

/// Most terms visited while lowering one term (with definitions inlined): a bound on the work an
/// input can cause (definitions that compose themselves can denote exponentially large terms).
pub(crate) const MAX_STEPS: usize = 1_000_000;

impl<'g, E: Emitter> Lowerer<'g, E> {
    /// A lowerer with no local names.
    pub fn new(globals: &'g Globals, emitter: E) -> Self {
        Lowerer { globals, emitter, locals: Vec::new(), holes: None, memo: HashMap::new(), steps: 0 }
    }

    /// Binds a local name (a parameter).
    pub fn bind(&mut self, name: &str, value: Typed<E::H>) {
        self.locals.push((name.to_string(), value));
    }

    /// Lowers `e` and checks that its sort is `sort`; `what` names it in the error.
    pub fn lower_as(&mut self, e: &SExp, sort: Sort, what: &str) -> Result<E::H> {
        let t = self.lower(e)?;
        if t.sort != sort {
            return Err(SygusError::sort(
                e.loc,
                format!("{what} must have sort {sort}, but this term has sort {}", t.sort),
            ));
        }
        Ok(t.h)
    }

    /// Lowers a term.
    pub fn lower(&mut self, e: &SExp) -> Result<Typed<E::H>> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(SygusError::unsupported(
                e.loc,
                format!("a term larger than {MAX_STEPS} nodes once definitions are inlined"),
            ));
        }
        match &e.kind {
            Kind::Symbol(name) => self.symbol(name, e.loc),
            Kind::Hex(_) | Kind::Binary(_) => self.literal(e),
            Kind::Numeral(n) => Err(SygusError::unsupported(e.loc, format!("integer literal {n} (sort Int)"))),
            Kind::Decimal(n) => Err(SygusError::unsupported(e.loc, format!("real literal {n} (sort Real)"))),
            Kind::Str(_) => Err(SygusError::unsupported(e.loc, "string literal (sort String)")),
            Kind::Keyword(k) => Err(SygusError::syntax(e.loc, format!("unexpected keyword {k}"))),
            Kind::List(items) => self.list(e, items),
        }
    }

    fn literal(&mut self, e: &SExp) -> Result<Typed<E::H>> {
        let (sort, bits) = literal(e).unwrap_or_else(|| Err(SygusError::syntax(e.loc, "expected a literal")))?;
        Ok(Typed { h: self.emitter.constant(sort.ty(), bits), sort })
    }

    fn symbol(&mut self, name: &str, loc: Location) -> Result<Typed<E::H>> {
        if let Some(holes) = &mut self.holes
            && holes.nonterminals.contains_key(name)
        {
            let value = holes.values.get(holes.next).copied();
            holes.next += 1;
            return value
                .ok_or_else(|| SygusError::Internal(format!("grammar hole `{name}` at {loc} was not counted")));
        }
        if let Some((_, v)) = self.locals.iter().rev().find(|(n, _)| n == name) {
            return Ok(*v);
        }
        if name == "true" || name == "false" {
            let bits = u64::from(name == "true");
            return Ok(Typed { h: self.emitter.constant(ir::Type::I1, bits), sort: Sort::Bool });
        }
        match self.globals.get(name) {
            Some(Global::Var(i)) => {
                let sort = self.globals.vars[i].sort;
                let h = self.emitter.var(i).ok_or_else(|| {
                    SygusError::unsupported(loc, format!("declared variable `{name}` outside a constraint"))
                })?;
                Ok(Typed { h, sort })
            }
            Some(Global::Def(_) | Global::Target(_)) => self.apply(name, loc, &[], loc),
            None if ops::is_builtin(name) => Err(SygusError::sort(loc, format!("`{name}` needs arguments"))),
            None => Err(SygusError::unknown(loc, name)),
        }
    }

    fn list(&mut self, e: &SExp, items: &[SExp]) -> Result<Typed<E::H>> {
        let Some((head, rest)) = items.split_first() else {
            return Err(SygusError::syntax(e.loc, "`()` is not a term"));
        };
        match &head.kind {
            Kind::Symbol(h) if h == "_" => self.literal(e),
            Kind::Symbol(h) if h == "let" => self.let_(e, rest),
            Kind::Symbol(h) if ["!", "as", "forall", "exists", "match", "lambda"].contains(&h.as_str()) => {
                Err(SygusError::unsupported(head.loc, format!("`{h}` terms")))
            }
            Kind::Symbol(h) => self.apply(h, head.loc, rest, e.loc),
            Kind::List(indexed) if indexed.first().and_then(SExp::symbol) == Some("_") => {
                let name = indexed
                    .get(1)
                    .and_then(SExp::symbol)
                    .ok_or_else(|| SygusError::syntax(head.loc, "expected an indexed operator name after `_`"))?;
                let indices = indexed[2..].iter().map(numeral).collect::<Result<Vec<u64>>>()?;
                let args = self.args(rest)?;
                ops::apply_indexed(&mut self.emitter, name, &indices, &args, e.loc)
            }
            _ => Err(SygusError::syntax(head.loc, format!("expected an operator, found {}", head.describe()))),
        }
    }

    fn args(&mut self, items: &[SExp]) -> Result<Vec<Arg<E::H>>> {
        items.iter().map(|a| Ok((self.lower(a)?, a.loc))).collect()
    }

    /// Applies the function named `name` (written at `at`) to the terms `items`.
    fn apply(&mut self, name: &str, at: Location, items: &[SExp], loc: Location) -> Result<Typed<E::H>> {
        if self.holes.as_ref().is_some_and(|h| h.nonterminals.contains_key(name)) {
            return Err(SygusError::sort(at, format!("non-terminal `{name}` is not a function")));
        }
        if self.locals.iter().any(|(n, _)| n == name) {
            return Err(SygusError::sort(at, format!("`{name}` is a variable, not a function")));
        }
        match self.globals.get(name) {
            Some(Global::Def(d)) => {
                let params: Vec<Sort> = self.globals.defs[d].params.iter().map(|p| p.1).collect();
                let args = self.args(items)?;
                check_args(name, &params, &args, loc)?;
                self.inline(d, &args)
            }
            Some(Global::Target(t)) => {
                let target = &self.globals.targets[t];
                let params: Vec<Sort> = target.params.iter().map(|p| p.1).collect();
                let ret = target.ret;
                let args = self.args(items)?;
                check_args(name, &params, &args, loc)?;
                let handles: Vec<E::H> = args.iter().map(|a| a.0.h).collect();
                let h = self.emitter.call(t, &handles).ok_or_else(|| {
                    SygusError::unsupported(at, format!("call of synth-fun `{name}` outside a constraint"))
                })?;
                Ok(Typed { h, sort: ret })
            }
            Some(Global::Var(_)) => Err(SygusError::sort(at, format!("`{name}` is a variable, not a function"))),
            None if ops::is_builtin(name) => {
                let args = self.args(items)?;
                ops::apply(&mut self.emitter, name, &args, loc).unwrap_or_else(|| Err(SygusError::unknown(at, name)))
            }
            None => Err(SygusError::unknown(at, name)),
        }
    }

    /// Inlines `define-fun` number `d` applied to `args` (already sort-checked).
    fn inline(&mut self, d: usize, args: &[Arg<E::H>]) -> Result<Typed<E::H>> {
        let def = &self.globals.defs[d];
        let ret = def.ret;
        if self.emitter.sorts_only() {
            // Definitions are sort-checked where they are declared; the signature suffices.
            return Ok(Typed { h: self.emitter.constant(ret.ty(), 0), sort: ret });
        }
        let handles: Vec<E::H> = args.iter().map(|a| a.0.h).collect();
        let key = (d, handles);
        if let Some(&h) = self.memo.get(&key) {
            return Ok(Typed { h, sort: ret });
        }
        let scope: Vec<(String, Typed<E::H>)> = def.params.iter().zip(args).map(|(p, a)| (p.0.clone(), a.0)).collect();
        let saved_locals = std::mem::replace(&mut self.locals, scope);
        let saved_holes = self.holes.take();
        let result = self.lower_as(&def.body, ret, "the body of a define-fun");
        self.locals = saved_locals;
        self.holes = saved_holes;
        let h = result?;
        self.memo.insert(key, h);
        Ok(Typed { h, sort: ret })
    }

    /// `(let ((x t) ...) body)`: parallel bindings, then the body with them in scope.
    fn let_(&mut self, e: &SExp, rest: &[SExp]) -> Result<Typed<E::H>> {
        let [bindings, body] = rest else {
            return Err(SygusError::syntax(e.loc, "expected (let ((name term) ...) body)"));
        };
        let Some(bindings) = bindings.list().filter(|b| !b.is_empty()) else {
            return Err(SygusError::syntax(bindings.loc, "expected a non-empty list of bindings (name term)"));
        };
        let mut bound: Vec<(String, Typed<E::H>)> = Vec::new();
        for b in bindings {
            let (name, term) = match b.list() {
                Some([name, term]) => match name.symbol() {
                    Some(n) => (n, term),
                    None => return Err(SygusError::syntax(name.loc, "expected a name to bind")),
                },
                _ => return Err(SygusError::syntax(b.loc, "expected a binding (name term)")),
            };
            if bound.iter().any(|(n, _)| n == name) {
                return Err(SygusError::invalid(b.loc, format!("`{name}` is bound twice in one let")));
            }
            let value = self.lower(term)?;
            bound.push((name.to_string(), value));
        }
        let depth = self.locals.len();
        self.locals.extend(bound);
        let result = self.lower(body);
        self.locals.truncate(depth);
        result
    }
}

/// Checks the number and sorts of arguments of a function with parameter sorts `params`.
pub(crate) fn check_args<H>(name: &str, params: &[Sort], args: &[Arg<H>], loc: Location) -> Result<()> {
    if params.len() != args.len() {
        return Err(SygusError::sort(
            loc,
            format!("`{name}` expects {} argument(s), got {}", params.len(), args.len()),
        ));
    }
    for (i, (p, a)) in params.iter().zip(args).enumerate() {
        if a.0.sort != *p {
            return Err(SygusError::sort(
                a.1,
                format!("argument {} of `{name}` must have sort {p}, but has sort {}", i + 1, a.0.sort),
            ));
        }
    }
    Ok(())
}
