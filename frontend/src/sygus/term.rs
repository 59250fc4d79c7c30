//! Term lowering: from an s-expression to values of an [`Emitter`], with SMT-LIB sort checking.
//!
//! Names resolve innermost first: grammar non-terminals (in grammar mode: each occurrence is the
//! next child hole), `let` bindings and parameters, literals, then global names (`define-fun`s
//! are inlined, `synth-fun`s become calls, `declare-var`s variables), then built-in operators.
//!
//! Invariants that bound the work and the stack on any input:
//! - the recursion follows the s-expression being lowered, which the reader limits to
//!   [`super::sexp::MAX_DEPTH`] levels; a `define-fun` is never lowered again where it is used:
//!   its body was lowered once into a [`Macro`](super::emit::Macro) when it was declared, and
//!   applying it copies that DAG with a loop, so chains of definitions cost no stack;
//! - inlining is memoized per (definition, argument values), and every term visited and every
//!   macro node copied counts towards [`MAX_STEPS`] per lowered term;
//! - name lookups are hash-map lookups, so wide `let`s and long parameter lists stay linear.

use std::collections::{HashMap, HashSet};

use ir::{Location, Sort};
use rustc_hash::FxHashMap;

use super::emit::{Emitter, Refused};
use super::error::{Result, SygusError};
use super::ops::{self, Arg, Typed};
use super::scope::{Global, Globals};
use super::sexp::{Kind, SExp};
use super::sort::{literal, numeral};

/// Child holes of a grammar production being lowered.
#[derive(Debug)]
pub(crate) struct Holes<'g, H> {
    /// Non-terminal names.
    pub nonterminals: &'g HashMap<String, usize>,
    /// The value of each hole, in hole order.
    pub values: Vec<Typed<H>>,
    /// The next hole to hand out.
    pub next: usize,
}

/// Local names (parameters and `let` bindings) in scope, innermost binding first.
#[derive(Debug)]
struct Scope<H> {
    /// Every binding of each name, innermost last.
    bindings: HashMap<String, Vec<Typed<H>>>,
    /// Names in binding order, to unbind them.
    order: Vec<String>,
}

impl<H: Copy> Scope<H> {
    fn new() -> Self {
        Scope { bindings: HashMap::new(), order: Vec::new() }
    }

    fn get(&self, name: &str) -> Option<Typed<H>> {
        self.bindings.get(name).and_then(|b| b.last()).copied()
    }

    fn contains(&self, name: &str) -> bool {
        self.bindings.contains_key(name)
    }

    fn push(&mut self, name: &str, value: Typed<H>) {
        self.bindings.entry(name.to_string()).or_default().push(value);
        self.order.push(name.to_string());
    }

    fn len(&self) -> usize {
        self.order.len()
    }

    /// Unbinds every name bound after the first `len`.
    fn truncate(&mut self, len: usize) {
        while self.order.len() > len {
            let Some(name) = self.order.pop() else { break };
            if let Some(b) = self.bindings.get_mut(&name) {
                b.pop();
                if b.is_empty() {
                    self.bindings.remove(&name);
                }
            }
        }
    }
}

/// Lowers terms into an emitter.
#[derive(Debug)]
pub(crate) struct Lowerer<'g, E: Emitter> {
    pub globals: &'g Globals,
    pub emitter: E,
    locals: Scope<E::H>,
    pub holes: Option<Holes<'g, E::H>>,
    memo: FxHashMap<(usize, Vec<E::H>), E::H>,
    steps: usize,
    /// Most steps allowed: [`MAX_STEPS`], or less when the file's budget is nearly spent.
    limit: usize,
}

/// Most work while lowering one term: terms visited plus definition nodes copied (definitions
/// that compose themselves can denote exponentially large terms).
pub(crate) const MAX_STEPS: usize = 1_000_000;

/// Most work while reading one file: the steps of all its terms (definitions, constraints,
/// grammar productions) together.
pub(crate) const MAX_FILE_STEPS: usize = 2_000_000;

impl<'g, E: Emitter> Lowerer<'g, E> {
    /// A lowerer with no local names.
    pub fn new(globals: &'g Globals, emitter: E) -> Self {
        Lowerer {
            globals,
            emitter,
            locals: Scope::new(),
            holes: None,
            memo: FxHashMap::default(),
            steps: 0,
            limit: MAX_STEPS,
        }
    }

    /// Limits the work to what is `left` of the file's budget (see [`MAX_FILE_STEPS`]).
    pub fn with_file_budget(mut self, left: usize) -> Self {
        self.limit = self.limit.min(left);
        self
    }

    /// The work done so far.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// Binds a local name (a parameter).
    pub fn bind(&mut self, name: &str, value: Typed<E::H>) {
        self.locals.push(name, value);
    }

    /// Counts `n` steps of work done at `loc`.
    fn charge(&mut self, n: usize, loc: Location) -> Result<()> {
        self.steps = self.steps.saturating_add(n);
        if self.steps <= self.limit {
            return Ok(());
        }
        let what = if self.limit < MAX_STEPS {
            format!("a file larger than {MAX_FILE_STEPS} nodes once definitions are inlined")
        } else {
            format!("a term larger than {MAX_STEPS} nodes once definitions are inlined")
        };
        Err(SygusError::unsupported(loc, what))
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
        self.charge(1, e.loc)?;
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
        if let Some(v) = self.locals.get(name) {
            return Ok(v);
        }
        if name == "true" || name == "false" {
            let bits = u64::from(name == "true");
            return Ok(Typed { h: self.emitter.constant(ir::Type::I1, bits), sort: Sort::Bool });
        }
        match self.globals.get(name) {
            Some(Global::Var(i)) => {
                let sort = self.globals.vars[i].sort;
                let h = self.emitter.var(i, loc).ok_or_else(|| self.refused(Refused::Var(i, loc)))?;
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
        if self.locals.contains(name) {
            return Err(SygusError::sort(at, format!("`{name}` is a variable, not a function")));
        }
        match self.globals.get(name) {
            Some(Global::Def(d)) => {
                let params: Vec<Sort> = self.globals.defs[d].params.iter().map(|p| p.1).collect();
                let args = self.args(items)?;
                check_args(name, &params, &args, loc)?;
                self.inline(d, &args, loc)
            }
            Some(Global::Target(t)) => {
                let target = &self.globals.targets[t];
                let params: Vec<Sort> = target.params.iter().map(|p| p.1).collect();
                let ret = target.ret;
                let args = self.args(items)?;
                check_args(name, &params, &args, loc)?;
                let handles: Vec<E::H> = args.iter().map(|a| a.0.h).collect();
                let h = self.emitter.call(t, &handles, at).ok_or_else(|| self.refused(Refused::Call(t, at)))?;
                Ok(Typed { h, sort: ret })
            }
            Some(Global::Var(_)) => Err(SygusError::sort(at, format!("`{name}` is a variable, not a function"))),
            None if ops::is_builtin(name) => {
                let args = self.args(items)?;
                if name == "distinct" {
                    // One node per pair of arguments.
                    let n = args.len();
                    self.charge(n.saturating_mul(n.saturating_sub(1)) / 2, loc)?;
                }
                ops::apply(&mut self.emitter, name, &args, loc).unwrap_or_else(|| Err(SygusError::unknown(at, name)))
            }
            None => Err(SygusError::unknown(at, name)),
        }
    }

    /// The error for a variable or call the emitter does not allow here.
    fn refused(&self, r: Refused) -> SygusError {
        match r {
            Refused::Var(i, loc) => SygusError::unsupported(
                loc,
                format!("declared variable `{}` outside a constraint", self.globals.vars[i].name),
            ),
            Refused::Call(t, loc) => SygusError::unsupported(
                loc,
                format!("call of synth-fun `{}` outside a constraint", self.globals.targets[t].name),
            ),
        }
    }

    /// Inlines `define-fun` number `d` applied (at `loc`) to `args` (already sort-checked), by
    /// copying its lowered body.
    fn inline(&mut self, d: usize, args: &[Arg<E::H>], loc: Location) -> Result<Typed<E::H>> {
        let globals = self.globals;
        let def = &globals.defs[d];
        let ret = def.ret;
        let handles: Vec<E::H> = args.iter().map(|a| a.0.h).collect();
        let key = (d, handles);
        if let Some(&h) = self.memo.get(&key) {
            return Ok(Typed { h, sort: ret });
        }
        self.charge(def.dag.len(), loc)?;
        let h = def.dag.inline(&mut self.emitter, &key.1).map_err(|r| self.refused(r))?;
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
        let mut names: HashSet<&str> = HashSet::new();
        for b in bindings {
            let (name, term) = match b.list() {
                Some([name, term]) => match name.symbol() {
                    Some(n) => (n, term),
                    None => return Err(SygusError::syntax(name.loc, "expected a name to bind")),
                },
                _ => return Err(SygusError::syntax(b.loc, "expected a binding (name term)")),
            };
            if !names.insert(name) {
                return Err(SygusError::invalid(b.loc, format!("`{name}` is bound twice in one let")));
            }
            let value = self.lower(term)?;
            bound.push((name.to_string(), value));
        }
        let depth = self.locals.len();
        for (name, value) in &bound {
            self.locals.push(name, *value);
        }
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
