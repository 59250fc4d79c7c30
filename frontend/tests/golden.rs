//! Golden tests of the `.syn` frontend, driven by the files in `tests/frontend/`.
//!
//! Each `NAME.syn` has a sibling expectation: `NAME.ir` when the file is valid (the text of
//! the lowered [`frontend::syn::SynFile`]: the IR module, then each task), or `NAME.err` when it
//! is not (the rendered diagnostics). `SYNTH_BLESS=1 cargo test -p frontend --test golden`
//! rewrites the expectations from the current output; otherwise a mismatch fails the test and
//! prints both texts.

use std::path::{Path, PathBuf};

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/frontend")
}

/// The expectation's extension and text for one source file.
fn actual(name: &str, source: &str) -> (&'static str, String) {
    match frontend::syn::parse_syn(source) {
        Ok(file) => {
            let text = file.to_string();
            // The lowered text is itself a valid IR module.
            if let Err(e) = ir::parse_module(&text) {
                panic!("{name}: lowered text does not parse as IR: {e:?}\n{text}");
            }
            ("ir", text)
        }
        Err(d) => ("err", d.render(&format!("tests/frontend/{name}"), source)),
    }
}

#[test]
fn golden_files() {
    let dir = suite_dir();
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/frontend exists")
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "syn"))
        .collect();
    sources.sort();
    let bless = std::env::var_os("SYNTH_BLESS").is_some_and(|v| v == "1");
    let (mut good, mut bad) = (0, 0);
    let mut failures = Vec::new();
    for path in &sources {
        let name = path.file_name().and_then(|n| n.to_str()).expect("utf-8 file name").to_string();
        let source = std::fs::read_to_string(path).expect("readable source");
        let (ext, text) = actual(&name, &source);
        if ext == "ir" {
            good += 1
        } else {
            bad += 1
        }
        let expected_path = path.with_extension(ext);
        let other = path.with_extension(if ext == "ir" { "err" } else { "ir" });
        if bless {
            std::fs::write(&expected_path, &text).expect("writable expectation");
            if other.exists() {
                std::fs::remove_file(&other).expect("removable stale expectation");
            }
            continue;
        }
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == text => {}
            Ok(expected) => failures.push(format!(
                "{name}: output differs from {}\n--- expected\n{expected}\n--- actual\n{text}",
                expected_path.display()
            )),
            Err(_) if other.exists() => failures.push(format!(
                "{name}: expected {} but got .{ext} output:\n{text}",
                other.file_name().and_then(|n| n.to_str()).unwrap_or("?")
            )),
            Err(_) => failures.push(format!("{name}: no expectation file; run with SYNTH_BLESS=1\n{text}")),
        }
    }
    assert!(failures.is_empty(), "{} golden file(s) failed:\n\n{}", failures.len(), failures.join("\n\n"));
    assert!(good >= 12, "expected at least 12 valid golden files, found {good}");
    assert!(bad >= 12, "expected at least 12 invalid golden files, found {bad}");
}
