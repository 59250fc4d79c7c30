//! The Z3 backend: builds solver terms and runs one query with a timeout.
//!
//! Terms live in the z3 crate's thread-local context, which is created lazily on a thread's
//! first query and reused by every later query on that thread (Z3 hash-conses terms in it, so
//! identical sub-terms are one node). Each query gets a fresh, non-incremental solver for the
//! logic `QF_BV`: Z3 then runs its bit-blasting QF_BV tactic (a general `Solver::new()` with
//! logic auto-detection took about 20 times as long on small queries). The timeout is Z3's own
//! `timeout` parameter backed by a [`super::watchdog`].

use std::time::Duration;

use ir::Opcode;
use z3::ast::{Ast, BV, Bool};
use z3::{Model, Params, SatResult, Solver};

use super::backend::BvBackend;
use super::watchdog;

/// The Z3 term builder (stateless: the context is the thread-local one).
#[derive(Debug, Default)]
pub(crate) struct Z3Terms;

fn bit(value: bool) -> BV {
    BV::from_u64(u64::from(value), 1)
}

impl BvBackend for Z3Terms {
    type Term = BV;

    fn constant(&mut self, width: u32, bits: u64) -> BV {
        BV::from_u64(bits, width)
    }

    fn apply(&mut self, op: Opcode, args: &[&BV]) -> BV {
        use Opcode::*;
        let a = args[0];
        let cmp = |c: Bool| c.ite(&bit(true), &bit(false));
        match op {
            Neg => a.bvneg(),
            Not => a.bvnot(),
            Add => a.bvadd(args[1]),
            Sub => a.bvsub(args[1]),
            Mul => a.bvmul(args[1]),
            Udiv => a.bvudiv(args[1]),
            Urem => a.bvurem(args[1]),
            Sdiv => a.bvsdiv(args[1]),
            Srem => a.bvsrem(args[1]),
            And => a.bvand(args[1]),
            Or => a.bvor(args[1]),
            Xor => a.bvxor(args[1]),
            Shl => a.bvshl(args[1]),
            Lshr => a.bvlshr(args[1]),
            Ashr => a.bvashr(args[1]),
            Eq => cmp(a.eq(args[1])),
            Ne => cmp(a.eq(args[1]).not()),
            Ult => cmp(a.bvult(args[1])),
            Ule => cmp(a.bvule(args[1])),
            Ugt => cmp(a.bvugt(args[1])),
            Uge => cmp(a.bvuge(args[1])),
            Slt => cmp(a.bvslt(args[1])),
            Sle => cmp(a.bvsle(args[1])),
            Sgt => cmp(a.bvsgt(args[1])),
            Sge => cmp(a.bvsge(args[1])),
            _ => unreachable!("{op} has no direct SMT-LIB operation"),
        }
    }

    fn select(&mut self, cond: &BV, a: &BV, b: &BV) -> BV {
        is_true(cond).ite(a, b)
    }

    fn extract(&mut self, high: u32, low: u32, a: &BV) -> BV {
        a.extract(high, low)
    }

    fn zero_extend(&mut self, extra: u32, a: &BV) -> BV {
        a.zero_ext(extra)
    }

    fn sign_extend(&mut self, extra: u32, a: &BV) -> BV {
        a.sign_ext(extra)
    }

    fn share(&mut self, a: BV, _name: &str) -> BV {
        a
    }
}

/// The `Bool` "this 1-bit vector is `#b1`".
pub(crate) fn is_true(bit1: &BV) -> Bool {
    bit1.eq(bit(true))
}

/// A fresh bit-vector constant (fresh, so names given by users can never collide).
pub(crate) fn fresh_input(name: &str, width: u32) -> BV {
    BV::fresh_const(name, width)
}

/// The answer of one satisfiability query.
pub(crate) enum Outcome {
    /// No assignment satisfies the assertion.
    Unsat,
    /// A model of the assertion.
    Sat(Model),
    /// Z3 gave up; the reason.
    Unknown(String),
}

/// Asks Z3 whether `assertion` is satisfiable, giving up after `timeout`.
pub(crate) fn solve(assertion: &Bool, timeout: Duration) -> Outcome {
    solve_cancellable(assertion, timeout, None)
}

/// Like [`solve`], giving up also soon after `cancel` is set (the answer is then `Unknown`).
pub(crate) fn solve_cancellable(
    assertion: &Bool,
    timeout: Duration,
    cancel: Option<&std::sync::Arc<std::sync::atomic::AtomicBool>>,
) -> Outcome {
    let solver = Solver::new_for_logic("QF_BV").unwrap_or_default();
    let mut params = Params::new();
    // Z3 reads 0 as "no time at all" and u32::MAX as "no limit"; clamp into 1..u32::MAX.
    let millis = timeout.as_millis().clamp(1, u128::from(u32::MAX - 1)) as u32;
    params.set_u32("timeout", millis);
    solver.set_params(&params);
    solver.assert(assertion);
    match watchdog::guarded_cancellable(solver.get_context(), timeout, cancel, || solver.check()) {
        SatResult::Unsat => Outcome::Unsat,
        SatResult::Sat => match solver.get_model() {
            Some(model) => Outcome::Sat(model),
            None => Outcome::Unknown("Z3 answered sat without a model".into()),
        },
        SatResult::Unknown => {
            let reason = solver.get_reason_unknown().unwrap_or_default();
            Outcome::Unknown(match reason.as_str() {
                "timeout" | "canceled" | "interrupted" | "" => format!("timeout ({timeout:?})"),
                _ => format!("Z3 gave up: {reason}"),
            })
        }
    }
}

/// The value of `term` in `model` as masked bits (`None` if Z3 does not give a numeral).
pub(crate) fn model_value(model: &Model, term: &BV) -> Option<u64> {
    model.eval(term, true)?.as_u64()
}

/// Z3's value of a term without free constants: simplifies it to a numeral.
pub(crate) fn ground_value(term: &BV) -> Option<u64> {
    term.simplify().as_u64()
}
