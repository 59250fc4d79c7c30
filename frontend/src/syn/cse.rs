//! A hash-consing function builder: an instruction identical to one already built (same
//! opcode, type, operands and immediate) is not built again, so repeated sub-expressions and
//! repeated inlined calls share one IR value.
//!
//! Invariant: [`CseBuilder::finish`] drops instructions the result does not depend on and
//! numbers the remaining values densely (`v0..` parameters first), so the output is the same
//! for the same input program.

use rustc_hash::FxHashMap;

use ir::{Function, FunctionBuilder, Opcode, Type, Value, VerifyErrors};

/// Builds one function with common-subexpression sharing.
#[derive(Debug)]
pub struct CseBuilder {
    builder: FunctionBuilder,
    name: String,
    params: Vec<Type>,
    ret: Type,
    memo: FxHashMap<(Opcode, Type, Vec<Value>, u64), Value>,
}

impl CseBuilder {
    /// Starts `name(params) -> ret`.
    pub fn new(name: &str, params: &[Type], ret: Type) -> Self {
        CseBuilder {
            builder: FunctionBuilder::new(name, params, ret),
            name: name.to_string(),
            params: params.to_vec(),
            ret,
            memo: FxHashMap::default(),
        }
    }

    /// The value of parameter `i`.
    pub fn param(&self, i: usize) -> Value {
        self.builder.param(i)
    }

    /// The value of `op` on `args` (`ty` is the result type; `imm` the constant of `iconst`),
    /// reusing an identical earlier instruction.
    pub fn inst(&mut self, op: Opcode, ty: Type, args: &[Value], imm: u64) -> Value {
        let key = (op, ty, args.to_vec(), imm);
        if let Some(&v) = self.memo.get(&key) {
            return v;
        }
        let v = self.builder.inst(op, ty, args, imm);
        self.memo.insert(key, v);
        v
    }

    /// Ends the function returning `ret`: dead instructions dropped, values renumbered, verified.
    pub fn finish(self, ret: Value) -> Result<Function, VerifyErrors> {
        let draft = self.builder.finish(ret)?;
        let mut out = FunctionBuilder::new(&self.name, &self.params, self.ret);
        let mut renamed: FxHashMap<Value, Value> =
            draft.params.iter().enumerate().map(|(i, p)| (p.value, out.param(i))).collect();
        for inst in draft.live_insts() {
            let args: Vec<Value> = inst.args.iter().map(|a| renamed[a]).collect();
            let v = out.inst(inst.opcode, inst.ty, &args, inst.imm);
            renamed.insert(inst.result, v);
        }
        out.finish(renamed[&draft.ret])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_identical_instructions_and_drops_dead_ones() {
        let mut b = CseBuilder::new("f", &[Type::I32], Type::I32);
        let x = b.param(0);
        let one = b.inst(Opcode::Iconst, Type::I32, &[], 1);
        let a = b.inst(Opcode::Add, Type::I32, &[x, one], 0);
        let _dead = b.inst(Opcode::Mul, Type::I32, &[x, x], 0);
        let one_again = b.inst(Opcode::Iconst, Type::I32, &[], 1);
        let a_again = b.inst(Opcode::Add, Type::I32, &[x, one_again], 0);
        assert_eq!(a, a_again);
        let r = b.inst(Opcode::Mul, Type::I32, &[a, a_again], 0);
        let f = b.finish(r).unwrap();
        assert_eq!(
            f.to_string(),
            "fn f(v0: i32) -> i32 {\n  v1 = iconst.i32 1\n  v2 = add v0, v1\n  v3 = mul v2, v2\n  ret v3\n}\n"
        );
    }
}
