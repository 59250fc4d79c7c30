//! Straight-line programs as the solver chooses them: a list of instructions, each a component
//! applied to operands that are parameters, earlier instructions or constants.
//!
//! Locations number the parameters first (`0..P`), then the instructions (`P + i` is
//! instruction `i`), so an operand can only name something defined before it. [`Program`] is
//! turned into an IR function by [`Program::to_function`], which runs the IR verifier: a
//! program that does not type-check is an error, never a function.

use ir::{Function, FunctionBuilder, Type, Value};

use super::components::Components;

/// An operand of an instruction (or the program's result).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Operand {
    /// A parameter (`< P`) or instruction `k - P`.
    Loc(usize),
    /// A constant, as masked bits of the operand's type.
    Const(u64),
}

/// One instruction: a component index and its operands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Instr {
    /// Index into [`Components::list`].
    pub comp: usize,
    /// One operand per component operand.
    pub operands: Vec<Operand>,
}

/// A straight-line program over some [`Components`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Program {
    /// The instructions in order.
    pub insts: Vec<Instr>,
    /// The result: the last instruction when there is one, else a parameter or a constant.
    pub out: Operand,
}

impl Program {
    /// Number of instructions.
    pub fn len(&self) -> usize {
        self.insts.len()
    }

    /// The constants of the program in order (instruction operands, then the result).
    pub fn constants(&self) -> Vec<u64> {
        let mut out: Vec<u64> = self
            .insts
            .iter()
            .flat_map(|i| i.operands.iter())
            .filter_map(|o| match o {
                Operand::Const(c) => Some(*c),
                Operand::Loc(_) => None,
            })
            .collect();
        if let Operand::Const(c) = self.out {
            out.push(c);
        }
        out
    }

    /// The same program with its constants replaced by `values`, in [`Program::constants`]
    /// order.
    pub fn with_constants(&self, values: &[u64]) -> Program {
        let mut next = values.iter();
        let mut take = |o: &Operand| match o {
            Operand::Const(c) => Operand::Const(next.next().copied().unwrap_or(*c)),
            loc => *loc,
        };
        let insts = self
            .insts
            .iter()
            .map(|i| Instr { comp: i.comp, operands: i.operands.iter().map(&mut take).collect() })
            .collect();
        let out = take(&self.out);
        Program { insts, out }
    }

    /// The types of the program's constants, in [`Program::constants`] order.
    pub fn constant_types(&self, comps: &Components, ret: Type) -> Vec<Type> {
        let mut out = Vec::new();
        for inst in &self.insts {
            let c = &comps.list[inst.comp];
            for (o, &t) in inst.operands.iter().zip(&c.args) {
                if matches!(o, Operand::Const(_)) {
                    out.push(t);
                }
            }
        }
        if matches!(self.out, Operand::Const(_)) {
            out.push(ret);
        }
        out
    }

    /// The IR function of the program, named `name`, with parameters `params` and result `ret`.
    /// Constants become `iconst` instructions (free in both cost models).
    pub fn to_function(&self, comps: &Components, name: &str, params: &[Type], ret: Type) -> Result<Function, String> {
        let mut b = FunctionBuilder::new(name, params, ret);
        let mut values: Vec<Value> = (0..params.len()).map(|i| b.param(i)).collect();
        let operand = |b: &mut FunctionBuilder, values: &[Value], o: Operand, ty: Type| -> Result<Value, String> {
            match o {
                Operand::Loc(k) => values.get(k).copied().ok_or_else(|| format!("operand location {k} is undefined")),
                Operand::Const(c) => Ok(b.iconst(ty, c)),
            }
        };
        for inst in &self.insts {
            let c = comps.list.get(inst.comp).ok_or_else(|| format!("no component {}", inst.comp))?;
            if inst.operands.len() != c.arity() {
                return Err(format!("{} takes {} operands", c.op, c.arity()));
            }
            let mut args = Vec::with_capacity(c.arity());
            for (&o, &t) in inst.operands.iter().zip(&c.args) {
                args.push(operand(&mut b, &values, o, t)?);
            }
            values.push(b.inst(c.op, c.ret, &args, 0));
        }
        let result = operand(&mut b, &values, self.out, ret)?;
        b.finish(result).map_err(|e| e.to_string())
    }
}
