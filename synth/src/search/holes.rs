//! Sketches with constant holes (Souper-style constant synthesis).
//!
//! The enumerator only tries the constants of its pool. A kept term with one or two constants
//! that stand for *any* constant (`iconst` without a grammar, `(Constant S)` leaves of a SyGuS
//! grammar — never a grammar's literal productions) is turned into a *sketch* whose constants
//! are parameters ("holes"); the oracle then solves for hole values that satisfy the spec on
//! the current tests (an SMT query), and the instantiated term is verified like any candidate.
//! Sketches are deduplicated by shape, so `x + 1`, `x + 2`, ... give one query `x + h`.

use std::collections::HashSet;

use ir::{Derivation, Function, FunctionBuilder, Opcode, Target, Value};

use super::enumerate::Enumerator;
use super::extract;
use super::grammar::SearchGrammar;

/// Most holes in one sketch.
pub const MAX_HOLES: usize = 2;

/// Remembers the sketches already tried.
#[derive(Debug, Default)]
pub struct Sketcher {
    tried: HashSet<String>,
}

/// A sketch: a function with the target's parameters followed by hole parameters.
#[derive(Debug, Clone)]
pub struct Sketch {
    /// The function.
    pub function: Function,
    /// Number of holes.
    pub holes: usize,
    /// For targets with a grammar: the derivation whose `(Constant S)` leaves are the holes.
    pub derivation: Option<Derivation>,
}

impl Sketch {
    /// The sketch with its holes set to `values`: the IR function, and for targets with a
    /// grammar the derivation it denotes.
    pub fn instantiate(&self, values: &[u64], target: &Target) -> (Function, Option<Derivation>) {
        match &self.derivation {
            Some(d) => {
                let d = d.with_constants(values);
                (d.to_function(target), Some(d))
            }
            None => (instantiate(self, values), None),
        }
    }
}

impl Sketcher {
    /// New sketches from the kept start terms of cost `level`, at most `limit` of them.
    pub fn sketches(
        &mut self,
        g: &SearchGrammar,
        en: &Enumerator<'_>,
        level: u32,
        target: &Target,
        limit: usize,
    ) -> Vec<Sketch> {
        let mut out = Vec::new();
        for &id in en.bank(g.start).bucket(level) {
            if out.len() >= limit {
                break;
            }
            let sketch = if g.user_grammar {
                sketch_of_derivation(extract::to_derivation(g, en, g.start, id), target)
            } else {
                sketch_of(&extract::to_function(g, en, g.start, id, &target.name).without_dead_code())
            };
            let Some(sketch) = sketch else { continue };
            if self.tried.insert(shape_key(&sketch.function)) {
                out.push(sketch);
            }
        }
        out
    }
}

/// The derivation with its `(Constant S)` leaves made holes, if it has 1..=MAX_HOLES of them.
fn sketch_of_derivation(d: Derivation, target: &Target) -> Option<Sketch> {
    let holes = d.constants().len();
    if holes == 0 || holes > MAX_HOLES {
        return None;
    }
    Some(Sketch { function: d.to_sketch(target), holes, derivation: Some(d) })
}

/// The function with its constants made parameters, if it has 1..=MAX_HOLES of them.
pub fn sketch_of(f: &Function) -> Option<Sketch> {
    let consts: Vec<&ir::Inst> = f.body.iter().filter(|i| i.opcode == Opcode::Iconst).collect();
    if consts.is_empty() || consts.len() > MAX_HOLES {
        return None;
    }
    let mut types = f.param_types();
    types.extend(consts.iter().map(|c| c.ty));
    let mut b = FunctionBuilder::new(&f.name, &types, f.ret_ty);
    let mut map = std::collections::HashMap::new();
    for (i, p) in f.params.iter().enumerate() {
        map.insert(p.value, b.param(i));
    }
    let mut hole = f.params.len();
    for inst in &f.body {
        let v = if inst.opcode == Opcode::Iconst {
            let h = b.param(hole);
            hole += 1;
            h
        } else {
            let args: Vec<Value> = inst.args.iter().map(|a| map[a]).collect();
            b.inst(inst.opcode, inst.ty, &args, inst.imm)
        };
        map.insert(inst.result, v);
    }
    let function = b.finish(map[&f.ret]).ok()?;
    Some(Sketch { function, holes: consts.len(), derivation: None })
}

/// The sketch with hole `i` replaced by the constant `values[i]`.
pub fn instantiate(sketch: &Sketch, values: &[u64]) -> Function {
    let f = &sketch.function;
    let n = f.params.len() - sketch.holes;
    let mut b = FunctionBuilder::new(&f.name, &f.param_types()[..n], f.ret_ty);
    let mut map = std::collections::HashMap::new();
    for (i, p) in f.params.iter().enumerate() {
        let v = if i < n { b.param(i) } else { b.iconst(p.ty, values[i - n]) };
        map.insert(p.value, v);
    }
    for inst in &f.body {
        let args: Vec<Value> = inst.args.iter().map(|a| map[a]).collect();
        let v = b.inst(inst.opcode, inst.ty, &args, inst.imm);
        map.insert(inst.result, v);
    }
    b.finish(map[&f.ret]).unwrap_or_else(|e| panic!("instantiated sketch does not verify: {e}"))
}

/// A key equal for sketches of the same shape.
fn shape_key(f: &Function) -> String {
    let mut g = f.clone();
    g.name = String::new();
    g.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sketches_and_instantiates() {
        let f = ir::parse_function(
            "fn f(v0: i8) -> i8 {\n  v1 = iconst.i8 3\n  v2 = mul v0, v1\n  v3 = iconst.i8 5\n  v4 = add v2, v3\n  ret v4\n}\n",
        )
        .unwrap();
        let s = sketch_of(&f).unwrap();
        assert_eq!(s.holes, 2);
        assert_eq!(s.function.params.len(), 3);
        let g = instantiate(&s, &[7, 1]);
        for x in 0..=255 {
            assert_eq!(ir::eval(&g, &[x]), (x * 7 + 1) & 0xff);
        }
        assert!(sketch_of(&ir::parse_function("fn f(v0: i8) -> i8 {\n  ret v0\n}\n").unwrap()).is_none());
    }
}
