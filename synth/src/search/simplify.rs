//! Clean-up of synthesized functions: constant folding, common-subexpression sharing and dead
//! code removal. Every rewrite preserves the function's value on every input (folding uses the
//! IR's own semantics), so a verified function stays verified.

use std::collections::HashMap;

use ir::{Function, FunctionBuilder, Opcode, Type, Value, semantics};

/// A simplified copy of `f` (same name and signature).
pub fn simplify(f: &Function) -> Function {
    let mut b = FunctionBuilder::new(&f.name, &f.param_types(), f.ret_ty);
    let mut map: HashMap<Value, Value> = HashMap::new();
    let mut consts: HashMap<Value, (Type, u64)> = HashMap::new();
    let mut seen: HashMap<(Opcode, Type, Vec<Value>, u64), Value> = HashMap::new();
    for (i, p) in f.params.iter().enumerate() {
        map.insert(p.value, b.param(i));
    }
    for inst in f.live_insts() {
        let args: Vec<Value> = inst.args.iter().map(|a| map[a]).collect();
        let folded = if inst.opcode != Opcode::Iconst && !args.is_empty() && args.iter().all(|a| consts.contains_key(a))
        {
            let vals: Vec<u64> = args.iter().map(|a| consts[a].1).collect();
            let operand = if inst.opcode == Opcode::Select { args[1] } else { args[0] };
            Some(semantics::apply(inst.opcode, inst.ty, consts[&operand].0, &vals))
        } else if inst.opcode == Opcode::Select && consts.contains_key(&args[0]) {
            // select on a constant condition picks an arm.
            let arm = if consts[&args[0]].1 & 1 != 0 { args[1] } else { args[2] };
            map.insert(inst.result, arm);
            continue;
        } else {
            None
        };
        let (op, imm, args) = match folded {
            Some(v) => (Opcode::Iconst, v, Vec::new()),
            None => (inst.opcode, inst.imm, args),
        };
        let key = (op, inst.ty, args.clone(), imm);
        let v = match seen.get(&key) {
            Some(&v) => v,
            None => {
                let v = b.inst(op, inst.ty, &args, imm);
                seen.insert(key, v);
                if op == Opcode::Iconst {
                    consts.insert(v, (inst.ty, imm));
                }
                v
            }
        };
        map.insert(inst.result, v);
    }
    let ret = map[&f.ret];
    let out = b.finish(ret).unwrap_or_else(|e| panic!("simplify produced an invalid function: {e}"));
    out.without_dead_code()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_constants_and_shares() {
        let f = ir::parse_function(
            "fn f(v0: i8) -> i8 {\n  v1 = iconst.i8 1\n  v2 = add v1, v1\n  v3 = and v0, v2\n  v4 = and v0, v2\n  v5 = iconst.i8 2\n  v6 = and v0, v5\n  v7 = or v3, v4\n  v8 = xor v7, v6\n  ret v8\n}\n",
        )
        .unwrap();
        let s = simplify(&f);
        for x in 0..=255 {
            assert_eq!(ir::eval(&s, &[x]), ir::eval(&f, &[x]));
        }
        assert_eq!(s.op_count(), 3, "{s}");
    }
}
