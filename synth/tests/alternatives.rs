//! `synth solve --alternatives N`: several verified answers, pairwise different programs, each
//! with both costs and the Pareto-optimal ones marked; every alternative is re-checked
//! independently of the solver.

mod support;

use std::collections::HashSet;
use std::process::Output;

use support::cli::{root, synth};
use support::recheck::{recheck_problem, recheck_spec};

/// The alternatives of a `--json` run, as (IR function, size, latency, pareto).
fn alternatives(out: &Output) -> Vec<(ir::Function, u64, u64, bool)> {
    let line = String::from_utf8_lossy(&out.stdout);
    let value: serde_json::Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
    value["alternatives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                ir::parse_function(a["ir"].as_str().unwrap()).unwrap(),
                a["size"].as_u64().unwrap(),
                a["latency"].as_u64().unwrap(),
                a["pareto"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn check_pareto(alts: &[(ir::Function, u64, u64, bool)]) {
    for (k, (_, s, l, pareto)) in alts.iter().enumerate() {
        let beaten = alts.iter().any(|(_, s2, l2, _)| s2 <= s && l2 <= l && (s2 < s || l2 < l));
        assert_eq!(*pareto, !beaten, "alternative {k}");
    }
    let texts: HashSet<String> = alts.iter().map(|(f, ..)| f.to_string()).collect();
    assert_eq!(texts.len(), alts.len(), "pairwise different programs");
}

#[test]
fn syn_tasks_get_several_verified_alternatives() {
    let path = "examples/hackers-delight/p09.syn";
    let out = synth(&[path, "--alternatives", "3", "--native-checks", "1000", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let alts = alternatives(&out);
    assert_eq!(alts.len(), 3, "p09 has at least three short absolute values");
    check_pareto(&alts);
    let file = frontend::syn::parse_syn(&std::fs::read_to_string(root().join(path)).unwrap()).unwrap();
    for (f, ..) in &alts {
        recheck_spec(&file.tasks[0], f);
    }
    // The text output shows them one after the other.
    let text = synth(&[path, "--alternatives", "3", "--native-checks", "1000"]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("alternative 1 of 3") && stdout.contains("alternative 3 of 3"), "{stdout}");
}

#[test]
fn sygus_problems_get_alternatives_too() {
    let problem = "(set-logic BV)\n(synth-fun f ((x (_ BitVec 32))) (_ BitVec 32))\n(declare-var x (_ BitVec 32))\n\
                   (constraint (= (f x) (bvand x (bvsub x #x00000001))))\n(check-synth)\n";
    let dir = std::env::temp_dir().join(format!("synth-alternatives-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("clear_lowest.sl");
    std::fs::write(&path, problem).unwrap();
    let out = synth(&[path.to_str().unwrap(), "--alternatives", "3", "--native-checks", "1000", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let alts = alternatives(&out);
    assert!(alts.len() >= 2, "{alts:?}");
    check_pareto(&alts);
    let file = frontend::sygus::parse_sygus(problem).unwrap();
    for (f, ..) in &alts {
        recheck_problem(&file.problem, std::slice::from_ref(f));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_alternative_counts_are_rejected() {
    for n in ["0", "65", "-1", "many"] {
        let out = synth(&["examples/hackers-delight/p01.syn", "--alternatives", n]);
        assert_eq!(out.status.code(), Some(2), "--alternatives {n}");
    }
}
