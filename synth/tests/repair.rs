//! `synth repair` and `repair` items: every function of the repair corpus (examples/repair) is
//! repaired, each repair re-checked independently against the spec it violated; the output has
//! the counterexample, the source and a diff; bad `repair` items are clear errors.

mod support;

use support::cli::{root, synth, text};
use support::recheck::recheck_spec;

#[test]
fn every_function_of_the_corpus_is_repaired_and_rechecked() {
    let mut repaired = 0;
    for file in ["examples/repair/bit_tricks.syn", "examples/repair/arith.syn"] {
        let source = std::fs::read_to_string(root().join(file)).unwrap();
        let parsed = frontend::syn::parse_syn(&source).unwrap();
        let out = synth(&["repair", file, "--json", "--native-checks", "1000", "--timeout", "60"]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", text(&out.stderr));
        let lines: Vec<serde_json::Value> =
            text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), parsed.repairs.len(), "one line per repair");
        for (line, item) in lines.iter().zip(&parsed.repairs) {
            assert_eq!(line["status"], "repaired", "{line}");
            let size = line["edit_size"].as_u64().unwrap();
            assert!((1..=3).contains(&size), "{line}");
            // The repaired source, read back by the frontend, meets the spec (independent
            // re-check) and differs from the original on the counterexample.
            let fixed = frontend::syn::parse_syn(line["repaired"].as_str().unwrap()).unwrap();
            let f = &fixed.module.functions[0];
            recheck_spec(&item.spec, f);
            if let Some(cex) = line["counterexample"].as_array() {
                let args: Vec<u64> = cex.iter().map(|v| v.as_u64().unwrap()).collect();
                assert_ne!(ir::eval(&item.original, &args), ir::eval(f, &args), "{line}");
            }
            assert!(line["diff"].as_str().unwrap().contains("--- original"), "{line}");
            repaired += 1;
        }
    }
    assert!(repaired >= 30, "the corpus has at least 30 buggy functions");
}

#[test]
fn text_output_shows_the_bug_the_fix_and_the_diff() {
    let out = synth(&["repair", "examples/repair/bit_tricks.syn", "--name", "clear_lowest", "--native-checks", "1000"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("the original violates the spec at x = "), "{stdout}");
    assert!(stdout.contains("repaired by an edit of size 1; verified by z3 for all inputs"), "{stdout}");
    assert!(stdout.contains("--- original\n+++ repaired\n") && stdout.contains("-    x & x + 1"), "{stdout}");
    // `synth FILE.syn` runs repair items too.
    let out = synth(&["examples/repair/bit_tricks.syn", "--task", "low_nibble", "--native-checks", "1000"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("low_nibble: repaired by an edit of size 1"));
}

#[test]
fn bad_repair_items_are_clear_errors() {
    let dir = std::env::temp_dir().join(format!("synth-repair-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        ("unknown.syn", "fn f(x: u8) -> u8 { x }\nrepair g { ensures result == x; }\n", "2:8", "no fn named `g`"),
        (
            "twice.syn",
            "fn f(x: u8) -> u8 { x }\nrepair f { ensures result == x; }\nrepair f { ensures result == 0; }\n",
            "3:8",
            "repaired twice",
        ),
        ("clause.syn", "fn f(x: u8) -> u8 { x }\nrepair f { ensures result == y; }\n", "2:30", "y"),
        ("none.syn", "fn f(x: u8) -> u8 { x }\n", "", "no `repair` items"),
    ];
    for (name, content, at, message) in cases {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        let out = synth(&["repair", path.to_str().unwrap()]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(message) && stderr.contains(at) && !stderr.contains("panicked"), "{name}: {stderr}");
    }
    let out = synth(&["repair", "examples/ir/abs.ir"]);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn no_repair_within_the_largest_edit_exits_1() {
    let dir = std::env::temp_dir().join(format!("synth-norepair-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("rev.syn");
    std::fs::write(
        &path,
        "fn rev(x: u8) -> u8 { x ^ 1 }\n\
         fn reference(x: u8) -> u8 { ((x & 1) << 7) | ((x & 2) << 5) | ((x & 4) << 3) | ((x & 8) << 1) | ((x & 16) >> 1) | ((x & 32) >> 3) | ((x & 64) >> 5) | ((x & 128) >> 7) }\n\
         repair rev { equiv reference; }\n",
    )
    .unwrap();
    let out = synth(&["repair", path.to_str().unwrap(), "--max-edit", "1", "--timeout", "20"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("no repair within budget"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ir_functions_are_repaired_against_a_reference_file() {
    let args = [
        "repair",
        "examples/repair/clear_lowest.ir",
        "--fn",
        "clear_lowest",
        "--equiv",
        "examples/repair/clear_lowest_ref.ir",
        "--native-checks",
        "1000",
        "--json",
    ];
    let out = synth(&args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let line: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert_eq!(line["status"], "repaired");
    assert_eq!(line["edit_size"], 1);
    let repaired = ir::parse_function(line["repaired"].as_str().unwrap()).unwrap();
    let reference =
        ir::parse_module(&std::fs::read_to_string(root().join("examples/repair/clear_lowest_ref.ir")).unwrap())
            .unwrap();
    support::recheck::recheck_equivalent(&repaired, &reference.functions[0]);
    // Missing flags, flags on a .syn file, and an unknown function are bad input.
    for bad in [
        &["repair", "examples/repair/clear_lowest.ir"][..],
        &["repair", "examples/repair/bit_tricks.syn", "--fn", "clear_lowest"][..],
        &[
            "repair",
            "examples/repair/clear_lowest.ir",
            "--fn",
            "nope",
            "--equiv",
            "examples/repair/clear_lowest_ref.ir",
        ][..],
    ] {
        let out = synth(bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", text(&out.stderr));
    }
}
