//! Golden tests of errors: each `tests/sygus/fail/NAME.sl` must fail to read with exactly the
//! message in `NAME.err` (one line, with its `LINE:COL`). `SYNTH_BLESS=1` rewrites the `.err`
//! files from the current messages.

mod sygus_support;

use frontend::sygus::parse_sygus;
use sygus_support::repo_root;

#[test]
fn broken_files_report_their_first_error() {
    let dir = repo_root().join("tests/sygus/fail");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/sygus/fail exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sl"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "expected at least 8 golden files, found {}", files.len());
    let bless = std::env::var_os("SYNTH_BLESS").is_some_and(|v| v == "1");
    let mut mismatches = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable golden file");
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let message = match parse_sygus(&text) {
            Ok(_) => {
                mismatches.push(format!("{name}: read without error"));
                continue;
            }
            Err(e) => e.to_string(),
        };
        let err_path = path.with_extension("err");
        if bless {
            std::fs::write(&err_path, format!("{message}\n")).expect("writable .err file");
            continue;
        }
        let expected = std::fs::read_to_string(&err_path).unwrap_or_default();
        if expected.trim() != message {
            mismatches.push(format!("{name}:\n  expected: {}\n  got:      {message}", expected.trim()));
        }
    }
    assert!(mismatches.is_empty(), "run with SYNTH_BLESS=1 to accept new messages\n{}", mismatches.join("\n"));
}
