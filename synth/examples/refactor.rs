//! A verified refactoring with the `synth` library: check that a rewrite of a function is
//! equivalent to the original (or see where it differs), then ask synth for a cheaper version
//! that Z3 proves equivalent, and synthesize a function from a small spec.
//!
//! Run it with `cargo run --release --example refactor`.

use std::time::Duration;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let file = synth::parse_syn(
        "
        // The original: round up to a multiple of 8, written the long way.
        fn round_up8(x: u32) -> u32 { if x % 8 == 0 { x } else { x + (8 - x % 8) } }
        // A rewrite someone proposed, and a wrong one.
        fn round_up8_fast(x: u32) -> u32 { (x + 7) & !7 }
        fn round_up8_wrong(x: u32) -> u32 { (x + 8) & !7 }

        synth mask_low(x: u32) -> u32 { ensures result == x % 16; using and, iconst; }
        ",
    )?;
    let m = &file.module;
    let opts = synth::VerifyOptions::default();

    // 1. Is the rewrite right? Z3 proves it for all 2^32 inputs, or gives an input where it differs.
    for candidate in ["round_up8_fast", "round_up8_wrong"] {
        match synth::prove_equivalent(&m["round_up8"], &m[candidate], &opts)? {
            synth::Verdict::Equivalent => println!("{candidate}: equivalent to round_up8"),
            synth::Verdict::NotEquivalent(cex) => println!("{candidate}: differs, e.g. {cex}"),
            synth::Verdict::Unknown(why) => println!("{candidate}: unknown ({why})"),
        }
    }

    // 2. A cheaper version of the original, proved equivalent (and run natively).
    let opts = synth::OptimizeOptions { timeout: Duration::from_secs(20), ..Default::default() };
    let better = synth::optimize(&m["round_up8"], &opts)?;
    println!(
        "round_up8: cost {} -> {}, proof {:?}\n{}",
        better.cost_before, better.cost_after, better.proof, better.function
    );

    // 3. A function from a spec.
    let report = synth::synthesize(&file.tasks[0], &synth::SolveOptions::default(), &mut |_| {})?;
    if let Some(f) = &report.function {
        println!("mask_low ({:?}):\n{f}", report.status);
    }
    Ok(())
}
