//! Interoperability with cvc5, the reference SyGuS solver: its answers to a sample of public
//! problems (run here, when `cvc5` is installed) read back with `parse_solution`, derive in their
//! grammars with `parse_derivations`, satisfy the constraints under our evaluation, and are
//! confirmed by `z3` through `check_script`.

mod sygus_support;

use std::process::Command;

use frontend::sygus::{check_script, parse_derivations, parse_solution, parse_sygus};
use sygus_support::{Rng, benchmark, run_z3, z3_available};

/// Problems cvc5 1.0.3 solves in at most 0.17 s, covering: several and nullary targets, Boolean
/// targets without a grammar, 4-bit grammars with two non-terminals, finite Boolean grammars,
/// and PBE grammars built from define-fun helpers.
const SAMPLE: &[&str] = &[
    "bv_general/cegist-General_plus10.sl",
    "bv_bool/cegist-CrCy_1-P5_1-P5.sl",
    "bv_general/cegist-qm_choose_01.sl",
    "bv_general/find_inv_bvsge_bvadd_4bit.sl",
    "bv_general/ic_bvsle_bvadd.sl",
    "bv_bool/CrCy_1-P5-D5-sIn1.sl",
    "hd/hd-07-d0-prog.sl",
    "pbe_bv/PRE_106_10.sl",
];

fn cvc5_available() -> bool {
    let ok = Command::new("cvc5").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: cvc5 is not installed");
    }
    ok
}

#[test]
fn cvc5_answers_read_back_and_check() {
    if !cvc5_available() {
        return;
    }
    let z3 = z3_available();
    for rel in SAMPLE {
        let Some((path, text)) = benchmark(rel) else {
            eprintln!("skipped: benchmarks not found");
            return;
        };
        let out = Command::new("cvc5")
            .args(["--lang=sygus2", "--dag-thresh=0", "--tlimit=20000"])
            .arg(&path)
            .output()
            .expect("cvc5 runs");
        let answer = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(answer.trim_start().starts_with('('), "{rel}: cvc5 answered {answer}");
        let file = parse_sygus(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let problem = &file.problem;
        let functions = parse_solution(&file, &answer).unwrap_or_else(|e| panic!("{rel}: {e}\n{answer}"));
        assert_eq!(functions.len(), problem.targets.len(), "{rel}");
        if problem.targets.iter().all(|t| t.grammar.is_some()) {
            let derived = parse_derivations(&file, &answer).unwrap_or_else(|e| panic!("{rel}: {e}\n{answer}"));
            assert_eq!(derived.len(), problem.targets.len());
        }
        let mut rng = Rng(3);
        for _ in 0..32 {
            let vars: Vec<u64> = problem.vars.iter().map(|v| rng.value(v.sort.ty())).collect();
            for c in &problem.constraints {
                let held = c.eval(problem, &vars, &mut |t, args| {
                    let f = functions.iter().find(|f| f.name == problem.targets[t].name).expect("solved target");
                    ir::eval(f, args)
                });
                assert_eq!(held, 1, "{rel}: {answer}");
            }
        }
        if z3 {
            let script = check_script(&text, &answer).unwrap_or_else(|e| panic!("{rel}: {e}"));
            assert_eq!(run_z3(&script).trim(), "unsat", "{rel}: {answer}");
        }
    }
}
