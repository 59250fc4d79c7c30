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

/// A width change dividing every width above 1 by `from / to`: the target's `from` bits become
/// `to` bits (`i64` becomes `i16` when `i32` becomes `i8`; `i1` stays).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scale {
    pub from: u32,
    pub to: u32,
}

fn ty(width: u32) -> Type {
    Type::new(width).expect("scaled widths are between 1 and 64")
}

impl Scale {
    /// The scale of `problem` that takes its target's widest type to `to` bits, if every width
    /// above 1 in the problem scales to at least 2 bits and every constant has an image
    /// ([`Scale::down`]).
    pub fn for_problem(problem: &Problem, to: u32) -> Option<Scale> {
        let target = problem.targets.first()?;
        let from = target.param_types().into_iter().chain([target.ret.ty()]).map(Type::width).max()?;
        if from <= to || !from.is_multiple_of(to) {
            return None;
        }
        let scale = Scale { from, to };
        scale.problem(problem).map(|_| scale)
    }

    /// The width `w` at the small scale (`None` if it does not divide evenly or would become
    /// 1 bit).
    fn width(&self, w: u32) -> Option<u32> {
        let ratio = self.from / self.to;
        if w == 1 {
            Some(1)
        } else if w.is_multiple_of(ratio) && w / ratio >= 2 {
            Some(w / ratio)
        } else {
            None
        }
    }

    /// The type `t` at the small width (`t` itself if it has none; [`Scale::problem`] refuses
    /// such problems).
    pub fn ty(&self, t: Type) -> Type {
        self.width(t.width()).map_or(t, ty)
    }

    /// The special values of a type of width `w` in a problem whose target width is `f`, in
    /// rule order: 0, 1, all-ones, sign bit, largest signed, `w - 1`, `w`, `f - 1`, `f`.
    fn specials(w: u32, f: u32) -> [u64; 9] {
        let t = ty(w);
        [0, 1, t.mask(), t.signed_min(), t.signed_max(), u64::from(w - 1), u64::from(w), u64::from(f - 1), u64::from(f)]
            .map(|v| t.wrap(v))
    }

    /// The image at the small width of the constant `c` of type `t`, if it has one.
    pub fn down(&self, t: Type, c: u64) -> Option<u64> {
        if t.width() == 1 {
            return Some(c);
        }
        let small_w = self.width(t.width())?;
        let (big, small) = (Self::specials(t.width(), self.from), Self::specials(small_w, self.to));
        if let Some(k) = big.iter().position(|&b| b == c) {
            // Rules apply in order: a value that two rules name has the first rule's image.
            return Some(small[k]);
        }
        let signed = t.to_signed(c);
        let st = ty(small_w);
        let fits = signed >= st.to_signed(st.signed_min()) && signed <= st.signed_max() as i64;
        let image = st.wrap(signed as u64);
        // A plain value must not be read back as a special one.
        (fits && !small.contains(&image)).then_some(image)
    }

    /// The real-width constant for the small-width constant `c` of the real type `t`.
    pub fn up(&self, t: Type, c: u64) -> u64 {
        let Some(small_w) = self.width(t.width()).filter(|_| t.width() > 1) else { return c };
        let (big, small) = (Self::specials(t.width(), self.from), Self::specials(small_w, self.to));
        match small.iter().position(|&s| s == c) {
            Some(k) => big[k],
            None => t.wrap(ty(small_w).to_signed(c) as u64),
        }
    }

    /// The problem at the small width (`None` if a constant has no image).
    pub fn problem(&self, problem: &Problem) -> Option<Problem> {
        let sort = |s: Sort| match s {
            Sort::BitVec(w) => self.width(w).map(Sort::BitVec),
            Sort::Bool => Some(Sort::Bool),
        };
        let mut out = problem.clone();
        for v in &mut out.vars {
            v.sort = sort(v.sort)?;
        }
        for t in &mut out.targets {
            if t.grammar.is_some() {
                return None;
            }
            for p in &mut t.params {
                p.1 = sort(p.1)?;
            }
            t.ret = sort(t.ret)?;
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
                    Node::Const(t, c) => Node::Const(ty(self.width(t.width())?), self.down(*t, *c)?),
                    Node::Op { opcode, ty: t, args } => {
                        Node::Op { opcode: *opcode, ty: ty(self.width(t.width())?), args: args.clone() }
                    }
                    other => other.clone(),
                })
            })
            .collect::<Option<_>>()?;
        Some(Formula { nodes })
    }

    fn function(&self, f: &Function) -> Option<Function> {
        let small = |t: Type| self.width(t.width()).map(ty);
        let params: Vec<Type> = f.param_types().into_iter().map(small).collect::<Option<_>>()?;
        let mut b = FunctionBuilder::new(&f.name, &params, small(f.ret_ty)?);
        let mut map: std::collections::HashMap<Value, Value> =
            f.params.iter().enumerate().map(|(i, p)| (p.value, b.param(i))).collect();
        for inst in &f.body {
            let v = if inst.opcode == ir::Opcode::Iconst {
                b.iconst(small(inst.ty)?, self.down(inst.ty, inst.imm)?)
            } else {
                let args: Vec<Value> = inst.args.iter().map(|a| map[a]).collect();
                b.inst(inst.opcode, small(inst.ty)?, &args, inst.imm)
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
    pub fn lift(&self, prog: &Program, full: &Components, ret: Type) -> Program {
        let types = prog.constant_types(full, ret);
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
            assert_eq!(s.down(Type::I32, big), Some(small), "down {big:#x}");
            assert_eq!(s.up(Type::I32, small), big, "up {small:#x}");
        }
        // No image: too large, or it would read back as `width - 1`.
        assert_eq!(s.down(Type::I32, 0x5555_5555), None);
        assert_eq!(s.down(Type::I32, 7), None);
        assert_eq!(s.down(Type::I32, 200), None);
        // Wider types scale by the same ratio; the target width is special at every width.
        assert_eq!(s.down(Type::I64, 32), Some(8));
        assert_eq!(s.up(Type::I64, 8), 32);
        assert_eq!(s.down(Type::I64, 63), Some(15));
        assert_eq!(s.up(Type::I64, 0xffff), u64::MAX);
        // Booleans are not scaled.
        assert_eq!(s.up(Type::I1, 1), 1);
        assert_eq!(s.down(Type::I1, 1), Some(1));
    }
}
