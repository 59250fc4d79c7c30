//! Cost models: what a candidate costs under `cost size` and `cost latency`.
//!
//! `size` counts operations (constants and parameters are free, as in the Hacker's Delight
//! tables). `latency` charges each opcode an approximate cycle count on a modern out-of-order
//! x86-64/AArch64 core (Agner Fog's tables, rounded): cheap ALU ops 1, multiplies 3, bit counts
//! 2 (they may need a sequence on machines without the instruction), divisions 20. Costs are
//! positive integers so the enumerator can go level by level.

use ir::{CostModel, Opcode};

/// Latency (in cycles, rounded) charged for one instruction of `op`.
pub fn latency(op: Opcode) -> u32 {
    use Opcode::*;
    match op {
        Iconst => 0,
        Add | Sub | Neg | And | Or | Xor | Not | Shl | Lshr | Ashr | Rotl | Rotr => 1,
        Eq | Ne | Ult | Ule | Ugt | Uge | Slt | Sle | Sgt | Sge => 1,
        Select => 1,
        Zext | Sext | Trunc => 1,
        Popcnt | Clz | Ctz => 2,
        Mul => 3,
        Udiv | Urem | Sdiv | Srem => 20,
    }
}

/// The cost of one instruction of `op` under `model`.
pub fn op_cost(model: CostModel, op: Opcode) -> u32 {
    match model {
        CostModel::Size => u32::from(op != Opcode::Iconst),
        CostModel::Latency => latency(op),
    }
}

/// The cost of a whole function (each instruction of the DAG once) under `model`.
pub fn function_cost(model: CostModel, f: &ir::Function) -> u32 {
    f.live_insts().iter().map(|i| op_cost(model, i.opcode)).sum()
}

/// The cost of a function as an expression tree under `model`: a value used twice is paid
/// twice (the enumerator's ranking; saturates on huge trees).
pub fn tree_cost(model: CostModel, f: &ir::Function) -> u32 {
    let mut cost: std::collections::HashMap<ir::Value, u32> = std::collections::HashMap::new();
    for inst in &f.body {
        let children = inst.args.iter().map(|a| cost.get(a).copied().unwrap_or(0)).fold(0u32, u32::saturating_add);
        cost.insert(inst.result, op_cost(model, inst.opcode).saturating_add(children));
    }
    cost.get(&f.ret).copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs() {
        assert_eq!(op_cost(CostModel::Size, Opcode::Udiv), 1);
        assert_eq!(op_cost(CostModel::Size, Opcode::Iconst), 0);
        assert_eq!(op_cost(CostModel::Latency, Opcode::Udiv), 20);
        for &op in Opcode::ALL {
            if op != Opcode::Iconst {
                assert!(op_cost(CostModel::Latency, op) >= 1, "{op}");
            }
        }
    }
}
