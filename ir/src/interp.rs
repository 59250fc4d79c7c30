//! The reference interpreter: the executable meaning of a [`Function`].
//!
//! [`Interpreter`] turns a verified function into a dense step list once (operands as slot
//! indices, parameters in slots `0..n`), then evaluates it on any number of argument rows.
//! [`eval`] is the one-shot convenience. Arguments are masked to their parameter types, so callers
//! may pass sign-extended or otherwise unmasked bits.

use std::collections::HashMap;

use crate::{Function, Opcode, Type, VerifyErrors, semantics};

/// Evaluates `f` on `args`.
///
/// # Panics
/// If `f` does not verify or `args.len()` differs from the number of parameters; use
/// [`Interpreter`] to handle those as errors.
pub fn eval(f: &Function, args: &[u64]) -> u64 {
    let interp = Interpreter::new(f).unwrap_or_else(|e| panic!("eval of an invalid function: {e}"));
    interp.eval(args)
}

#[derive(Debug, Clone)]
struct Step {
    opcode: Opcode,
    ty: Type,
    operand_ty: Type,
    args: [u32; 3],
    imm: u64,
}

/// A function prepared for repeated evaluation.
#[derive(Debug, Clone)]
pub struct Interpreter {
    param_types: Vec<Type>,
    steps: Vec<Step>,
    ret: u32,
}

impl Interpreter {
    /// Prepares `f`, which must verify.
    pub fn new(f: &Function) -> Result<Self, VerifyErrors> {
        crate::verify::verify_function(f)?;
        let mut slot = HashMap::new();
        let mut slot_types = Vec::new();
        for (i, p) in f.params.iter().enumerate() {
            slot.insert(p.value, i as u32);
            slot_types.push(p.ty);
        }
        let mut steps = Vec::with_capacity(f.body.len());
        for (i, inst) in f.body.iter().enumerate() {
            let mut args = [0u32; 3];
            for (k, a) in inst.args.iter().enumerate() {
                args[k] = slot[a];
            }
            let operand_ty = match inst.opcode {
                Opcode::Select => slot_types[args[1] as usize],
                Opcode::Iconst => inst.ty,
                _ => slot_types[args[0] as usize],
            };
            steps.push(Step { opcode: inst.opcode, ty: inst.ty, operand_ty, args, imm: inst.imm });
            slot.insert(inst.result, (f.params.len() + i) as u32);
            slot_types.push(inst.ty);
        }
        Ok(Interpreter { param_types: f.param_types(), steps, ret: slot[&f.ret] })
    }

    /// The parameter types.
    pub fn param_types(&self) -> &[Type] {
        &self.param_types
    }

    /// Evaluates on one argument row.
    ///
    /// # Panics
    /// If `args.len()` differs from the number of parameters.
    pub fn eval(&self, args: &[u64]) -> u64 {
        let mut slots = Vec::with_capacity(self.param_types.len() + self.steps.len());
        self.eval_into(args, &mut slots)
    }

    /// Evaluates on one argument row, reusing `slots` as scratch space (no allocation once warm).
    ///
    /// # Panics
    /// If `args.len()` differs from the number of parameters.
    pub fn eval_into(&self, args: &[u64], slots: &mut Vec<u64>) -> u64 {
        assert_eq!(
            args.len(),
            self.param_types.len(),
            "function takes {} argument(s), {} given",
            self.param_types.len(),
            args.len()
        );
        slots.clear();
        slots.extend(args.iter().zip(&self.param_types).map(|(&a, t)| t.wrap(a)));
        for s in &self.steps {
            let v = match s.opcode {
                Opcode::Iconst => s.imm,
                op => {
                    let a = [slots[s.args[0] as usize], slots[s.args[1] as usize], slots[s.args[2] as usize]];
                    semantics::apply(op, s.ty, s.operand_ty, &a[..op.arity()])
                }
            };
            slots.push(v);
        }
        slots[self.ret as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FunctionBuilder;

    #[test]
    fn evaluates_avg_floor() {
        let mut b = FunctionBuilder::new("avg", &[Type::I32, Type::I32], Type::I32);
        let (x, y) = (b.param(0), b.param(1));
        let and = b.binary(Opcode::And, x, y);
        let xor = b.binary(Opcode::Xor, x, y);
        let one = b.iconst(Type::I32, 1);
        let half = b.binary(Opcode::Lshr, xor, one);
        let r = b.binary(Opcode::Add, and, half);
        let f = b.finish(r).unwrap();
        assert_eq!(eval(&f, &[7, 10]), 8);
        assert_eq!(eval(&f, &[0xffff_ffff, 0xffff_fffd]), 0xffff_fffe);
        // Unmasked arguments are masked to the parameter type.
        assert_eq!(eval(&f, &[u64::MAX, 1]), 0x8000_0000);
    }

    #[test]
    fn returns_parameter_directly() {
        let b = FunctionBuilder::new("id", &[Type::I8], Type::I8);
        let x = b.param(0);
        let f = b.finish(x).unwrap();
        assert_eq!(eval(&f, &[0x1ff]), 0xff);
    }
}
