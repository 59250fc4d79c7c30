//! `synth::optimize` on the bloated functions of `examples/optimize/` (each must reach the cost
//! its comment names, with a Z3 proof), every result re-checked independently
//! (`support::recheck`: own SMT-LIB for the `z3` tool, native code against the interpreter),
//! and a property test on random functions: never costlier, always equivalent.

mod support;

use std::path::Path;
use std::time::Duration;

use ir::{CostModel, Semantics};
use support::recheck::{recheck_equivalent, recheck_spec};
use synth::optimize::{OptimizeOptions, Proof, optimize};

/// `// optimize: MODEL <= N` before `fn NAME`.
fn expectations(text: &str) -> Vec<(String, CostModel, u32)> {
    let mut out = Vec::new();
    let mut pending = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("//").and_then(|c| c.split("optimize: ").nth(1)) {
            let (model, n) = rest.split_once("<=").expect("optimize: MODEL <= N");
            let model = match model.trim() {
                "size" => CostModel::Size,
                "latency" => CostModel::Latency,
                other => panic!("unknown cost model {other}"),
            };
            pending = Some((model, n.trim().parse::<u32>().unwrap()));
        } else if let Some(rest) = line.strip_prefix("fn ") {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if let Some((model, n)) = pending.take() {
                out.push((name, model, n));
            }
        }
    }
    out
}

#[test]
fn bloated_functions_reach_their_known_cost_with_a_proof() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let text = std::fs::read_to_string(root.join("examples/optimize/bloated.syn")).unwrap();
    let file = frontend::syn::parse_syn(&text).unwrap();
    let expected = expectations(&text);
    assert!(expected.len() >= 20, "at least 20 bloated functions");
    let mut failures = Vec::new();
    for (name, model, bound) in &expected {
        let f = &file.module[name.as_str()];
        let opts = OptimizeOptions {
            cost: *model,
            semantics: Semantics::Defined,
            timeout: Duration::from_secs(20),
            native_checks: 10_000,
            ..OptimizeOptions::default()
        };
        let result = optimize(f, &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(result.proof, Proof::Verified, "{name}");
        if result.cost_after > *bound {
            failures.push(format!(
                "{name}: cost {} -> {} (expected <= {bound})\n{}",
                result.cost_before, result.cost_after, result.function
            ));
        }
        // Independently: equivalent, and defined where the input is.
        let spec = ir::Spec {
            name: name.clone(),
            params: file.signature(name).unwrap().params.clone(),
            ret: file.signature(name).unwrap().ret,
            reference: Some(f.clone()),
            pre: None,
            post: None,
            examples: vec![],
            allowed_ops: None,
            cost: *model,
            timeout: None,
            max_size: None,
            constants: vec![],
            semantics: Semantics::Defined,
        };
        recheck_spec(&spec, &result.function);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn random_functions_never_get_costlier_and_stay_equivalent() {
    let widths: &'static [ir::Type] = &[ir::Type::I1, ir::Type::I8, ir::Type::I16, ir::Type::I32];
    let mut seed = 77u64;
    for i in 0..24 {
        let tape: Vec<u64> = (0..32)
            .map(|_| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                seed
            })
            .collect();
        let f = ir::testing::function_from_tape(&tape, widths, 1 + i % 3, 2 + i % 9);
        let opts = OptimizeOptions {
            timeout: Duration::from_secs(5),
            window_timeout: Duration::from_millis(500),
            native_checks: 2_000,
            ..OptimizeOptions::default()
        };
        let result = optimize(&f, &opts).unwrap_or_else(|e| panic!("{e}\n{f}"));
        assert!(result.cost_after <= result.cost_before, "{f}");
        if result.proof == Proof::Verified && result.function != f {
            recheck_equivalent(&f, &result.function);
        }
    }
}
