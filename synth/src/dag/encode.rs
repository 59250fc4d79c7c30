//! The linear encoding of straight-line programs of a fixed length (Gulwani et al., PLDI'11;
//! Brahma; shack/synth's `len-cegis`), as Z3 bit-vector terms.
//!
//! A [`Skeleton`] of `n` instructions has, per instruction `i`, an operator variable `op_i` (an
//! index into the component list) and, per operand slot `j`, a location variable `loc_ij`
//! (a parameter or an earlier instruction), a flag `isc_ij` (the operand is a constant) and a
//! constant `cval_ij`. These are shared by every test; [`Skeleton::circuit`] instantiates the
//! program on argument terms (one instantiation per call of the target per test), selecting
//! each operand by `ite` over `loc_ij` and each result by `ite` over `op_i`. Every operator is
//! encoded by [`crate::verify`]'s `encode_op`, so the semantics are those of the verifier.
//!
//! Invariants of [`Skeleton::wellformed`] (each model is a well-typed program, and a few
//! symmetries are broken without losing any shortest program):
//! - unused operand slots (beyond the operator's arity) are pinned (`loc = 0`, not constant,
//!   `cval = 0`), and so are the unused parts of used slots (`loc = 0` for a constant, `cval = 0`
//!   for a location, constants fit their operand type), so equal instructions have equal
//!   variables;
//! - operands name earlier locations of the operand's type; the result is the last instruction
//!   and has the target's result type;
//! - the symmetry breaking ([`Symmetry`]) only excludes programs that have an equivalent
//!   (on every input, with no more guarded cases) program of at most the same length that is
//!   not excluded: a commutative operator takes a constant only as its second operand and
//!   locations in order (strictly for `and`/`or`, whose `a op a` is `a`); no instruction has only
//!   constant operands (it folds to a constant); every instruction but the last is used
//!   (dead code can be dropped); no two instructions are equal (the second can be dropped);
//!   an instruction that does not use the one before it has an operator index at least that
//!   one's (among the orders of a program's instructions that respect their uses, the one with
//!   the lexicographically least operator sequence meets this: swapping such a neighbour pair
//!   would give a lesser one; the last instruction stays last, as every other one is used).
//!   Hence "no program of length `m` satisfies the encoding" for every `m <= n` means no
//!   straight-line program of at most `n` instructions exists at all.

use ir::{Opcode, Type};
use z3::Model;
use z3::ast::{BV, Bool};

use super::components::{Component, Components};
use super::program::{Instr, Operand, Program};
use crate::verify::{Z3Terms, encode_op, model_value};

/// Which symmetry-breaking constraints to add (all on by default; switches for measurements).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Symmetry {
    /// Commutative operators: a constant only second, locations in increasing order.
    pub commutative: bool,
    /// Every instruction but the last is used by a later one.
    pub no_dead_code: bool,
    /// No two instructions apply the same operator to the same operands.
    pub no_duplicates: bool,
    /// No instruction has only constant operands.
    pub no_constant_only: bool,
    /// An instruction that does not use the one before it has an operator index at least that
    /// one's (independent instructions in one canonical order).
    pub ordered: bool,
}

impl Default for Symmetry {
    fn default() -> Self {
        Symmetry { commutative: true, no_dead_code: true, no_duplicates: true, no_constant_only: true, ordered: true }
    }
}

/// Bits needed to write the numbers `0..count` (at least 1).
fn bits_for(count: usize) -> u32 {
    (usize::BITS - count.saturating_sub(1).leading_zeros()).max(1)
}

/// The solver variables of one operand slot.
#[derive(Debug, Clone)]
struct Slot {
    loc: BV,
    isc: Bool,
    cval: BV,
}

/// The variables of a program of `n` instructions over some components.
#[derive(Debug)]
pub(crate) struct Skeleton<'a> {
    comps: &'a Components,
    params: Vec<Type>,
    ret: Type,
    n: usize,
    max_w: u32,
    op_bits: u32,
    loc_bits: u32,
    ty_bits: u32,
    ops: Vec<BV>,
    slots: Vec<Vec<Slot>>,
    /// The result operand when `n == 0`.
    out: Slot,
}

fn num(value: u64, width: u32) -> BV {
    BV::from_u64(value, width)
}

/// `ite` chain over `(condition, value)` pairs with the last value as default.
fn chain(mut cases: Vec<(Bool, BV)>) -> Option<BV> {
    let (_, mut acc) = cases.pop()?;
    while let Some((c, v)) = cases.pop() {
        acc = c.ite(&v, &acc);
    }
    Some(acc)
}

impl<'a> Skeleton<'a> {
    /// Fresh variables for `n` instructions over `comps`, for a target with parameters `params`
    /// and result `ret`.
    pub fn new(comps: &'a Components, params: &[Type], ret: Type, n: usize) -> Skeleton<'a> {
        let max_w = comps.types.iter().map(|t| t.width()).max().unwrap_or(1).max(ret.width());
        let op_bits = bits_for(comps.len());
        let loc_bits = bits_for(params.len() + n);
        let ty_bits = bits_for(comps.types.len());
        let slot = |name: &str| Slot {
            loc: BV::fresh_const(&format!("{name}_loc"), loc_bits),
            isc: Bool::fresh_const(&format!("{name}_isc")),
            cval: BV::fresh_const(&format!("{name}_c"), max_w),
        };
        let ops = (0..n).map(|i| BV::fresh_const(&format!("op{i}"), op_bits)).collect();
        let slots = (0..n).map(|i| (0..comps.max_arity()).map(|j| slot(&format!("i{i}_{j}"))).collect()).collect();
        Skeleton {
            comps,
            params: params.to_vec(),
            ret,
            n,
            max_w,
            op_bits,
            loc_bits,
            ty_bits,
            ops,
            slots,
            out: slot("out"),
        }
    }

    fn op_is(&self, i: usize, c: usize) -> Bool {
        self.ops[i].eq(num(c as u64, self.op_bits))
    }

    fn loc_is(&self, slot: &Slot, k: usize) -> Bool {
        slot.loc.eq(num(k as u64, self.loc_bits))
    }

    /// Instruction `i` has an operand in slot `j`.
    fn has_slot(&self, i: usize, j: usize) -> Bool {
        let count = self.comps.with_arity_above(j);
        if count >= self.comps.len() {
            Bool::from_bool(true)
        } else if count == 0 {
            Bool::from_bool(false)
        } else {
            self.ops[i].bvult(num(count as u64, self.op_bits))
        }
    }

    fn ty_num(&self, t: Type) -> BV {
        num(self.comps.type_index(t).unwrap_or(0) as u64, self.ty_bits)
    }

    /// The type (index) of location `k` as a term.
    fn loc_type(&self, k: usize) -> BV {
        if let Some(&t) = self.params.get(k) {
            return self.ty_num(t);
        }
        let i = k - self.params.len();
        let cases =
            self.comps.list.iter().enumerate().map(|(c, comp)| (self.op_is(i, c), self.ty_num(comp.ret))).collect();
        chain(cases).unwrap_or_else(|| num(0, self.ty_bits))
    }

    /// The type (index) operand slot `j` of instruction `i` requires, as a term.
    fn slot_type(&self, i: usize, j: usize) -> BV {
        let cases = self
            .comps
            .list
            .iter()
            .enumerate()
            .filter(|(_, comp)| comp.arity() > j)
            .map(|(c, comp)| (self.op_is(i, c), self.ty_num(comp.args[j])))
            .collect();
        chain(cases).unwrap_or_else(|| num(0, self.ty_bits))
    }

    /// A constant of `cval`'s width that fits type `t` (its upper bits are zero).
    fn fits(&self, cval: &BV, t: Type) -> Bool {
        if t.width() >= self.max_w {
            Bool::from_bool(true)
        } else {
            cval.extract(self.max_w - 1, t.width()).eq(num(0, self.max_w - t.width()))
        }
    }

    /// The constraints every model must meet: a well-typed program whose result is the last
    /// instruction, plus the symmetry breaking of `sym` (see the module docs).
    pub fn wellformed(&self, sym: Symmetry) -> Vec<Bool> {
        let mut out = Vec::new();
        let p = self.params.len();
        let many_types = self.comps.types.len() > 1;
        let nc = self.comps.len();
        if self.n == 0 {
            return self.wellformed_constant_or_param();
        }
        for i in 0..self.n {
            if !nc.is_power_of_two() || nc == 1 {
                out.push(self.ops[i].bvult(num(nc as u64, self.op_bits)));
            }
            for (j, s) in self.slots[i].iter().enumerate() {
                let used = self.has_slot(i, j);
                let zero_c = s.cval.eq(num(0, self.max_w));
                let zero_loc = self.loc_is(s, 0);
                out.push(used.not().implies(Bool::and(&[zero_loc.clone(), s.isc.not(), zero_c.clone()])));
                if !self.comps.constants {
                    out.push(s.isc.not());
                }
                // A constant: no location; it fits the operand type.
                let mut fits = vec![zero_loc];
                for (c, comp) in self.comps.list.iter().enumerate() {
                    if comp.arity() > j && comp.args[j].width() < self.max_w {
                        fits.push(self.op_is(i, c).implies(self.fits(&s.cval, comp.args[j])));
                    }
                }
                out.push(Bool::and(&[used.clone(), s.isc.clone()]).implies(Bool::and(&fits)));
                // A location: an earlier one of the right type; no constant.
                let mut loc = vec![s.loc.bvult(num((p + i) as u64, self.loc_bits)), zero_c];
                if many_types {
                    let want = self.slot_type(i, j);
                    for k in 0..p + i {
                        loc.push(self.loc_is(s, k).implies(self.loc_type(k).eq(&want)));
                    }
                }
                out.push(Bool::and(&[used, s.isc.not()]).implies(Bool::and(&loc)));
            }
        }
        // The result is the last instruction, of the result type.
        let last = self.n - 1;
        let ret_ok: Vec<Bool> = self
            .comps
            .list
            .iter()
            .enumerate()
            .filter(|(_, c)| c.ret == self.ret)
            .map(|(c, _)| self.op_is(last, c))
            .collect();
        out.push(Bool::or(&ret_ok));
        if sym.no_constant_only && self.comps.constants {
            for i in 0..self.n {
                let some_loc: Vec<Bool> = (0..self.slots[i].len())
                    .map(|j| Bool::and(&[self.has_slot(i, j), self.slots[i][j].isc.not()]))
                    .collect();
                out.push(Bool::or(&some_loc));
            }
        }
        if sym.commutative {
            for i in 0..self.n {
                for (c, comp) in self.comps.list.iter().enumerate() {
                    if !comp.is_commutative() {
                        continue;
                    }
                    let (a, b) = (&self.slots[i][0], &self.slots[i][1]);
                    let ordered = if comp.is_idempotent() { a.loc.bvult(&b.loc) } else { a.loc.bvule(&b.loc) };
                    let rule = Bool::and(&[a.isc.not(), Bool::or(&[b.isc.clone(), ordered])]);
                    out.push(self.op_is(i, c).implies(rule));
                }
            }
        }
        if sym.no_dead_code {
            for i in 0..last {
                let mut uses = Vec::new();
                for k in i + 1..self.n {
                    for (j, s) in self.slots[k].iter().enumerate() {
                        uses.push(Bool::and(&[self.has_slot(k, j), s.isc.not(), self.loc_is(s, p + i)]));
                    }
                }
                out.push(Bool::or(&uses));
            }
        }
        if sym.ordered {
            for k in 1..self.n {
                let mut ok: Vec<Bool> = self.slots[k]
                    .iter()
                    .enumerate()
                    .map(|(j, s)| Bool::and(&[self.has_slot(k, j), s.isc.not(), self.loc_is(s, p + k - 1)]))
                    .collect();
                ok.push(self.ops[k - 1].bvule(&self.ops[k]));
                out.push(Bool::or(&ok));
            }
        }
        if sym.no_duplicates {
            for k in 0..self.n {
                for i in 0..k {
                    let mut same = vec![self.ops[i].eq(&self.ops[k])];
                    for (a, b) in self.slots[i].iter().zip(&self.slots[k]) {
                        same.push(a.loc.eq(&b.loc));
                        same.push(a.isc.eq(&b.isc));
                        if self.comps.constants {
                            same.push(a.cval.eq(&b.cval));
                        }
                    }
                    out.push(Bool::and(&same).not());
                }
            }
        }
        out
    }

    /// For `n == 0`: the result is a parameter of the result type or a constant.
    fn wellformed_constant_or_param(&self) -> Vec<Bool> {
        let s = &self.out;
        let mut options = Vec::new();
        for (k, &t) in self.params.iter().enumerate() {
            if t == self.ret {
                options.push(Bool::and(&[s.isc.not(), self.loc_is(s, k), s.cval.eq(num(0, self.max_w))]));
            }
        }
        if self.comps.constants {
            options.push(Bool::and(&[s.isc.clone(), self.loc_is(s, 0), self.fits(&s.cval, self.ret)]));
        }
        vec![Bool::or(&options)]
    }

    /// The program with this structure (operators, locations, which operands are constants)
    /// and free constants.
    pub fn fix_structure(&self, prog: &Program) -> Vec<Bool> {
        let mut out = Vec::new();
        for (i, inst) in prog.insts.iter().enumerate().take(self.n) {
            out.push(self.op_is(i, inst.comp));
            for (j, s) in self.slots[i].iter().enumerate() {
                match inst.operands.get(j) {
                    Some(Operand::Loc(k)) => {
                        out.push(s.isc.not());
                        out.push(self.loc_is(s, *k));
                    }
                    Some(Operand::Const(_)) => out.push(s.isc.clone()),
                    None => {}
                }
            }
        }
        if self.n == 0 {
            match prog.out {
                Operand::Loc(k) => out.push(self.loc_is(&self.out, k)),
                Operand::Const(_) => out.push(self.out.isc.clone()),
            }
        }
        out
    }

    /// Excludes exactly `prog` (structure and constants).
    pub fn block(&self, prog: &Program) -> Bool {
        let mut same = Vec::new();
        let operand = |s: &Slot, o: Operand, same: &mut Vec<Bool>| match o {
            Operand::Loc(k) => {
                same.push(s.isc.not());
                same.push(self.loc_is(s, k));
            }
            Operand::Const(c) => {
                same.push(s.isc.clone());
                same.push(s.cval.eq(num(c, self.max_w)));
            }
        };
        for (i, inst) in prog.insts.iter().enumerate().take(self.n) {
            same.push(self.op_is(i, inst.comp));
            for (s, &o) in self.slots[i].iter().zip(&inst.operands) {
                operand(s, o, &mut same);
            }
        }
        if self.n == 0 {
            operand(&self.out, prog.out, &mut same);
        }
        Bool::and(&same).not()
    }

    /// The program applied to `args` (one term per parameter): its result term, and the
    /// conditions under which no instruction reaches a guarded case (division by zero, `MIN / -1`,
    /// a shift by the width or more) when `guards` is set.
    pub fn circuit(&self, args: &[BV], guards: bool) -> (BV, Vec<Bool>) {
        let nt = self.comps.types.len();
        let p = self.params.len();
        let ti = |t: Type| self.comps.type_index(t).unwrap_or(0);
        // vals[location][type index]
        let mut vals: Vec<Vec<Option<BV>>> = Vec::with_capacity(p + self.n);
        for (a, &t) in args.iter().zip(&self.params) {
            let mut row = vec![None; nt];
            row[ti(t)] = Some(a.clone());
            vals.push(row);
        }
        let mut safe = Vec::new();
        if self.n == 0 {
            let s = &self.out;
            let t = ti(self.ret);
            let from_loc = chain((0..p).filter_map(|k| vals[k][t].clone().map(|v| (self.loc_is(s, k), v))).collect());
            let c = self.narrow(&s.cval, self.ret);
            let result = match from_loc {
                Some(v) if self.comps.constants => s.isc.ite(&c, &v),
                Some(v) => v,
                None => c,
            };
            return (result, safe);
        }
        for i in 0..self.n {
            // Operand terms per slot and type.
            let mut opnd: Vec<Vec<Option<BV>>> = vec![vec![None; nt]; self.comps.max_arity()];
            for (j, s) in self.slots[i].iter().enumerate() {
                for (t_idx, &t) in self.comps.types.iter().enumerate() {
                    let needed = self.comps.list.iter().any(|c| c.arity() > j && c.args[j] == t);
                    if !needed {
                        continue;
                    }
                    let from_loc = chain(
                        (0..p + i).filter_map(|k| vals[k][t_idx].clone().map(|v| (self.loc_is(s, k), v))).collect(),
                    );
                    let c = self.narrow(&s.cval, t);
                    opnd[j][t_idx] = Some(match from_loc {
                        Some(v) if self.comps.constants => s.isc.ite(&c, &v),
                        Some(v) => v,
                        None => c,
                    });
                }
            }
            let mut by_type: Vec<Vec<(Bool, BV)>> = vec![Vec::new(); nt];
            for (c, comp) in self.comps.list.iter().enumerate() {
                let operands: Vec<BV> = comp
                    .args
                    .iter()
                    .enumerate()
                    .map(|(j, &t)| opnd[j][ti(t)].clone().expect("every needed operand term is built"))
                    .collect();
                let r = encode_op(&mut Z3Terms, comp.op, comp.ret, comp.operand_ty(), &operands, "dag");
                if guards && let Some(ok) = defined(comp, &operands) {
                    safe.push(self.op_is(i, c).implies(ok));
                }
                by_type[ti(comp.ret)].push((self.op_is(i, c), r));
            }
            vals.push(by_type.into_iter().map(chain).collect());
        }
        let result = vals[p + self.n - 1][ti(self.ret)].clone().unwrap_or_else(|| num(0, self.ret.width()));
        (result, safe)
    }

    /// The low `t.width()` bits of a constant variable.
    fn narrow(&self, cval: &BV, t: Type) -> BV {
        if t.width() == self.max_w { cval.clone() } else { cval.extract(t.width() - 1, 0) }
    }

    /// Reads the program from a model of [`Skeleton::wellformed`].
    pub fn read(&self, model: &Model) -> Result<Program, String> {
        let value = |t: &BV| model_value(model, t).ok_or_else(|| format!("no value for {t} in the model"));
        let flag = |b: &Bool| model.eval(b, true).and_then(|v| v.as_bool()).ok_or_else(|| format!("no value for {b}"));
        let operand = |s: &Slot, t: Type| -> Result<Operand, String> {
            Ok(if flag(&s.isc)? {
                Operand::Const(t.wrap(value(&s.cval)?))
            } else {
                Operand::Loc(value(&s.loc)? as usize)
            })
        };
        let mut insts = Vec::with_capacity(self.n);
        for i in 0..self.n {
            let comp = value(&self.ops[i])? as usize;
            let c: &Component = self.comps.list.get(comp).ok_or_else(|| format!("operator {comp} out of range"))?;
            let operands =
                c.args.iter().enumerate().map(|(j, &t)| operand(&self.slots[i][j], t)).collect::<Result<_, _>>()?;
            insts.push(Instr { comp, operands });
        }
        let out =
            if self.n == 0 { operand(&self.out, self.ret)? } else { Operand::Loc(self.params.len() + self.n - 1) };
        Ok(Program { insts, out })
    }
}

/// When `comp` applied to `args` reaches no guarded case (`None` if it never does).
fn defined(comp: &Component, args: &[BV]) -> Option<Bool> {
    let t = comp.operand_ty();
    let w = t.width();
    let nonzero = || args[1].eq(num(0, w)).not();
    let no_overflow = || Bool::and(&[args[0].eq(num(t.signed_min(), w)), args[1].eq(num(t.mask(), w))]).not();
    match comp.op {
        Opcode::Udiv | Opcode::Urem => Some(nonzero()),
        Opcode::Sdiv | Opcode::Srem => Some(Bool::and(&[nonzero(), no_overflow()])),
        // The width fits in the operand type (`2^w - 1 >= w`).
        Opcode::Shl | Opcode::Lshr | Opcode::Ashr => Some(args[1].bvult(num(u64::from(w), w))),
        _ => None,
    }
}
