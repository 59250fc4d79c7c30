//! Experiment: run the search on SyGuS files with a sampling oracle (not a proof).
use std::time::Duration;

use synth::search::{Oracle, OracleAnswer, Rng, SearchConfig, synthesize};

struct Sampling(Rng);

impl Oracle for Sampling {
    fn check(&mut self, problem: &ir::Problem, f: &ir::Function, _t: Duration) -> OracleAnswer {
        let interp = ir::Interpreter::new(f).unwrap();
        for _ in 0..20000 {
            let vars: Vec<u64> =
                problem.vars.iter().map(|v| v.sort.ty().wrap(self.0.next_u64() >> (self.0.next_u64() % 64))).collect();
            for c in &problem.constraints {
                if c.eval(problem, &vars, &mut |_, a| interp.eval(a)) == 0 {
                    return OracleAnswer::Counterexample(vars);
                }
            }
        }
        OracleAnswer::Valid
    }
}

fn main() {
    let timeout: u64 = std::env::var("T").ok().and_then(|t| t.parse().ok()).unwrap_or(10);
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = match frontend::sygus::parse_sygus(&text) {
            Ok(f) => f,
            Err(e) => {
                println!("{path}: parse error {e}");
                continue;
            }
        };
        let cfg =
            SearchConfig { timeout: Duration::from_secs(timeout), prove_optimal: false, ..SearchConfig::default() };
        let r = synthesize(&file.problem, &cfg, &mut Sampling(Rng::new(7)), &mut |_| {});
        match r {
            Ok(r) => {
                let o = match &r.outcome {
                    synth::search::Outcome::Solved(s) => format!("solved cost {}", s.cost),
                    other => format!("{other:?}").chars().take(80).collect(),
                };
                println!(
                    "{path}: {o} in {:.2}s cands={} cex={} level={:?}",
                    r.elapsed.as_secs_f64(),
                    r.candidates,
                    r.counterexamples,
                    r.largest_level
                )
            }
            Err(e) => println!("{path}: error {e}"),
        }
    }
}
