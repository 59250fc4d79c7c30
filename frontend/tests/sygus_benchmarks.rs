//! Every public SyGuS benchmark file reads, lowers, and passes `Problem::check`.

mod sygus_support;

use frontend::sygus::parse_sygus;
use sygus_support::{benchmark_files, short};

#[test]
fn every_benchmark_parses() {
    let Some(files) = benchmark_files() else { return };
    assert_eq!(files.len(), 141, "the public set has 141 files");
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable benchmark");
        match parse_sygus(&text) {
            Ok(file) => {
                assert_eq!(file.problem.check(), Ok(()), "{}", short(path));
                assert!(!file.problem.targets.is_empty());
            }
            Err(e) => failures.push(format!("{}: {e}", short(path))),
        }
    }
    assert!(failures.is_empty(), "{} file(s) failed:\n{}", failures.len(), failures.join("\n"));
}
