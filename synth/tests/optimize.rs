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
            enumerator_budget: Duration::from_secs(10),
            window_timeout: Duration::from_secs(2),
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

/// The measurement of docs/results.md (run with `cargo test --release -p synth --test optimize
/// -- --ignored --nocapture`): for every function of `examples/optimize/` and `examples/ir/`,
/// instruction counts of the input, of Cranelift's own optimizer on it (CLIF instructions after
/// its mid-end at `opt_level=speed`, less the wrapper's fixed overhead), and of synth's e-graph
/// alone, enumerator alone and both (`defined` semantics, and `total` for comparison), with
/// times and e-graph sizes.
#[test]
#[ignore]
fn measure_against_cranelift_and_between_engines() {
    use std::time::Instant;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut functions: Vec<ir::Function> = Vec::new();
    let text = std::fs::read_to_string(root.join("examples/optimize/bloated.syn")).unwrap();
    functions.extend(frontend::syn::parse_syn(&text).unwrap().module.functions);
    let mut irs: Vec<_> = std::fs::read_dir(root.join("examples/ir")).unwrap().map(|e| e.unwrap().path()).collect();
    irs.sort();
    for p in irs {
        functions.extend(ir::parse_module(&std::fs::read_to_string(p).unwrap()).unwrap().functions);
    }
    // CLIF instructions of `g` after Cranelift's optimizer, less those of a function of the same
    // signature that returns the constant 0 (entry, exit and the constant itself but one).
    let clif = |g: &ir::Function| {
        let mut b = ir::FunctionBuilder::new("zero", &g.param_types(), g.ret_ty);
        let zero = b.iconst(g.ret_ty, 0);
        let overhead = backend::optimized_clif_instructions(&b.finish(zero).unwrap()).unwrap();
        (backend::optimized_clif_instructions(g).unwrap() + 1).saturating_sub(overhead)
    };
    let size = |g: &ir::Function| g.live_insts().iter().filter(|i| i.opcode != ir::Opcode::Iconst).count();
    println!(
        "| function | IR in | Cranelift | e-graph | nodes | ms | enumerator | ms | both | ms | both, total sem. | Cranelift after synth |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    let (mut worse, mut fewer, mut total) = (Vec::new(), 0, 0);
    for f in &functions {
        let clif_in = clif(f);
        let t = Instant::now();
        let eg = synth::egraph::saturate_and_extract(f, CostModel::Size, &synth::egraph::Limits::default()).unwrap();
        let eg_ms = t.elapsed().as_secs_f64() * 1000.0;
        let base = OptimizeOptions {
            semantics: Semantics::Defined,
            timeout: Duration::from_secs(20),
            native_checks: 10_000,
            ..OptimizeOptions::default()
        };
        let t = Instant::now();
        let en = optimize(f, &OptimizeOptions { egraph: false, ..base.clone() }).unwrap();
        let en_ms = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let both = optimize(f, &base).unwrap();
        let both_ms = t.elapsed().as_secs_f64() * 1000.0;
        let total_sem = optimize(f, &OptimizeOptions { semantics: Semantics::Total, ..base.clone() }).unwrap();
        let clif_out = clif(&both.function);
        total += 1;
        if size(&both.function) > clif_in {
            worse.push(f.name.clone());
        }
        fewer += usize::from(size(&both.function) < clif_in);
        println!(
            "| {} | {} | {} | {} | {} | {:.0} | {} | {:.0} | {} | {:.0} | {} | {} |",
            f.name,
            size(f),
            clif_in,
            size(&eg.function),
            eg.nodes,
            eg_ms,
            size(&en.function),
            en_ms,
            size(&both.function),
            both_ms,
            size(&total_sem.function),
            clif_out
        );
    }
    println!(
        "\nsynth (both engines, defined) leaves fewer instructions than Cranelift's optimizer on {fewer} of {total}; more on {worse:?}"
    );
}
