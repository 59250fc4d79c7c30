//! Bit-width downscaling: the problem at a small width, and programs lifted back.
//!
//! A problem whose values all have one width `W` (besides `i1`) is rewritten at a small width
//! `s` ([`Scale::for_problem`]): every `iW` becomes `is`, and every constant of the constraints
//! (and of the discipline's exemption) is mapped by the rules of [`Scale::down`]: `0`, `1`,
//! all-ones, the sign bit, the largest signed value, `W - 1` and `W` to their `s`-bit
//! counterparts, other values that fit as signed `s`-bit numbers unchanged. A constant with no
//! image, or whose image collides with another rule's, leaves the problem unscaled.
//!
//! Programs found at width `s` have the same structure at width `W` (the component lists
//! correspond index by index, [`Components::map_types`]); [`Scale::lift`] maps their constants
//! back by the inverse rules (others sign-extended).
//!
//! Invariant: nothing found at the small width is trusted. A lifted program is an answer only
//! after the verifier proves it at the real width, and a refutation at the small width refutes
//! nothing at the real width (the driver never counts it towards "shortest").

use ir::{Formula, Function, FunctionBuilder, Node, Problem, Sort, Type, Value};

use super::components::Components;
use super::program::Program;

/// The small width tried first.
pub(crate) const SMALL_WIDTH: u32 = 8;

/// A width change from `from` bits to `to` bits (`i1` stays).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scale {
    pub from: u32,
    pub to: u32,
}

fn ty(width: u32) -> Type {
    Type::new(width).expect("scaled widths are between 1 and 64")
}

impl Scale {
    /// The scale of `problem` to `to` bits, if all its non-`i1` values have one width above
    /// `to` and every constant has an image ([`Scale::down`]).
    pub fn for_problem(problem: &Problem, to: u32) -> Option<Scale> {
        let mut widths: Vec<u32> = Vec::new();
        let mut note = |t: Type| {
            if t.width() > 1 && !widths.contains(&t.width()) {
                widths.push(t.width());
            }
        };
        problem.vars.iter().for_each(|v| note(v.sort.ty()));
        for t in &problem.targets {
            t.param_types().into_iter().for_each(&mut note);
            note(t.ret.ty());
        }
        for f in &problem.constraints {
            for id in 0..f.nodes.len() {
                note(f.node_type(problem, id));
            }
        }
        if let Some(s) = &problem.safety {
            s.exempt.body.iter().for_each(|i| note(i.ty));
        }
        let [from] = widths[..] else { return None };
        if from <= to {
            return None;
        }
        let scale = Scale { from, to };
        scale.problem(problem).map(|_| scale)
    }

    /// The type `t` at the small width.
    pub fn ty(&self, t: Type) -> Type {
        if t.width() == self.from { ty(self.to) } else { t }
    }

    /// The special values of a width, in rule order: 0, 1, all-ones, sign bit, largest signed,
    /// width - 1, width.
    fn specials(w: u32) -> [u64; 7] {
        let t = ty(w);
        [0, 1, t.mask(), t.signed_min(), t.signed_max(), u64::from(w - 1), u64::from(w)]
    }

    /// The image of the `from`-bit constant `c` at `to` bits, if it has one.
    pub fn down(&self, c: u64) -> Option<u64> {
        let (big, small) = (Self::specials(self.from), Self::specials(self.to));
        if let Some(k) = big.iter().position(|&b| b == c) {
            // Rules are applied in order; a value that two rules name (w - 1 = 1 at w = 2) has
            // one image, the first rule's.
            return Some(small[k]);
        }
        let signed = ty(self.from).to_signed(c);
        let t = ty(self.to);
        let fits = signed >= t.to_signed(t.signed_min()) && signed <= t.signed_max() as i64;
        let image = t.wrap(signed as u64);
        // A plain value must not be read back as a special one.
        (fits && !small.contains(&image)).then_some(image)
    }

    /// The `from`-bit constant for the `to`-bit constant `c` of type `t` (`i1` unchanged).
    pub fn up(&self, t: Type, c: u64) -> u64 {
        if t.width() != self.to {
            return c;
        }
        let (big, small) = (Self::specials(self.from), Self::specials(self.to));
        match small.iter().position(|&s| s == c) {
            Some(k) => big[k],
            None => ty(self.from).wrap(ty(self.to).to_signed(c) as u64),
        }
    }

    /// The problem at the small width (`None` if a constant has no image).
    pub fn problem(&self, problem: &Problem) -> Option<Problem> {
        let sort = |s: Sort| match s {
            Sort::BitVec(w) if w == self.from => Sort::BitVec(self.to),
            other => other,
        };
        let mut out = problem.clone();
        for v in &mut out.vars {
            v.sort = sort(v.sort);
        }
        for t in &mut out.targets {
            if t.grammar.is_some() {
                return None;
            }
            for p in &mut t.params {
                p.1 = sort(p.1);
            }
            t.ret = sort(t.ret);
        }
        out.constraints = problem.constraints.iter().map(|f| self.formula(f)).collect::<Option<_>>()?;
        if let Some(s) = &mut out.safety {
            s.exempt = self.function(&s.exempt)?;
        }
        out.check().ok()?;
        Some(out)
    }

    fn formula(&self, f: &Formula) -> Option<Formula> {
        let nodes = f
            .nodes
            .iter()
            .map(|n| {
                Some(match n {
                    Node::Const(t, c) if t.width() == self.from => Node::Const(self.ty(*t), self.down(*c)?),
                    Node::Op { opcode, ty, args } => Node::Op { opcode: *opcode, ty: self.ty(*ty), args: args.clone() },
                    other => other.clone(),
                })
            })
            .collect::<Option<_>>()?;
        Some(Formula { nodes })
    }

    fn function(&self, f: &Function) -> Option<Function> {
        let params: Vec<Type> = f.param_types().into_iter().map(|t| self.ty(t)).collect();
        let mut b = FunctionBuilder::new(&f.name, &params, self.ty(f.ret_ty));
        let mut map: std::collections::HashMap<Value, Value> =
            f.params.iter().enumerate().map(|(i, p)| (p.value, b.param(i))).collect();
        for inst in &f.body {
            let v = if inst.opcode == ir::Opcode::Iconst {
                let c = if inst.ty.width() == self.from { self.down(inst.imm)? } else { inst.imm };
                b.iconst(self.ty(inst.ty), c)
            } else {
                let args: Vec<Value> = inst.args.iter().map(|a| map[a]).collect();
                b.inst(inst.opcode, self.ty(inst.ty), &args, inst.imm)
            };
            map.insert(inst.result, v);
        }
        b.finish(map[&f.ret]).ok()
    }

    /// The components at the small width (index `i` is component `i` of `comps` scaled).
    pub fn components(&self, comps: &Components) -> Components {
        comps.map_types(&|t| self.ty(t))
    }

    /// A program found over `small` (the scaled components) with its constants lifted to the
    /// real width; the structure is unchanged.
    pub fn lift(&self, prog: &Program, small: &Components, ret: Type) -> Program {
        let types = prog.constant_types(small, self.ty(ret));
        let values: Vec<u64> = prog.constants().iter().zip(&types).map(|(&c, &t)| self.up(t, c)).collect();
        prog.with_constants(&values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_round_trip_by_rule() {
        let s = Scale { from: 32, to: 8 };
        for (big, small) in [
            (0u64, 0u64),
            (1, 1),
            (0xffff_ffff, 0xff),
            (0x8000_0000, 0x80),
            (0x7fff_ffff, 0x7f),
            (31, 7),
            (32, 8),
            (2, 2),
            (0xffff_fffe, 0xfe),
        ] {
            assert_eq!(s.down(big), Some(small), "down {big:#x}");
            assert_eq!(s.up(Type::I8, small), big, "up {small:#x}");
        }
        // No image: too large, or it would read back as `width - 1`.
        assert_eq!(s.down(0x5555_5555), None);
        assert_eq!(s.down(7), None);
        assert_eq!(s.down(200), None);
        // Booleans are not scaled.
        assert_eq!(s.up(Type::I1, 1), 1);
    }
}
