//! `synth suite` across machines: `--shard I/N` runs, `--json` lines, `--merge` of the shards
//! into the one table, the cactus plot (`--plot`), and bad merge input.

mod support;

use support::cli::{synth, text};

fn sygus(k: u32) -> String {
    format!(
        "(set-logic BV)\n(synth-fun f ((x (_ BitVec 8))) (_ BitVec 8))\n(declare-var x (_ BitVec 8))\n\
         (constraint (= (f x) (bvadd x #x{k:02x})))\n(check-synth)\n"
    )
}

/// The table's rows (entry and status), without times.
fn rows(table: &str) -> Vec<(String, String)> {
    table
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            (cols[0].to_string(), cols[1].to_string())
        })
        .collect()
}

#[test]
fn shards_merge_into_the_table_of_one_run_and_plot() {
    let dir = std::env::temp_dir().join(format!("synth-shards-{}", std::process::id()));
    let problems = dir.join("problems");
    std::fs::create_dir_all(&problems).unwrap();
    for k in 1..=4 {
        std::fs::write(problems.join(format!("add{k}.sl")), sygus(k)).unwrap();
    }
    std::fs::write(problems.join("broken.sl"), "(set-logic BV)\n(synth-fun f (").unwrap();
    let common = ["--timeout", "20", "--native-checks", "100"];
    let p = problems.to_str().unwrap();
    let whole = synth(&[&["suite", p][..], &common].concat());
    assert_eq!(whole.status.code(), Some(2), "the broken file is an error row: {}", text(&whole.stderr));
    let mut shard_files = Vec::new();
    for i in 0..3 {
        let shard = format!("{i}/3");
        let out = synth(&[&["suite", p, "--json", "--shard", &shard][..], &common].concat());
        let file = dir.join(format!("shard{i}.jsonl"));
        std::fs::write(&file, &out.stdout).unwrap();
        shard_files.push(file.to_str().unwrap().to_string());
    }
    let svg = dir.join("cactus.svg");
    let mut args = vec!["suite", "--plot", svg.to_str().unwrap(), "--merge"];
    args.extend(shard_files.iter().map(String::as_str));
    let merged = synth(&args);
    let (whole_table, merged_table) = (text(&whole.stdout), text(&merged.stdout));
    assert_eq!(merged.status.code(), Some(3), "error rows survive the merge: {}", text(&merged.stderr));
    let mut expected = rows(&whole_table);
    expected.sort();
    assert_eq!(rows(&merged_table), expected, "{whole_table}\n{merged_table}");
    assert_eq!(expected.len(), 5);
    assert!(merged_table.contains("synth: 4 of 5 answered (4 solved, 0 infeasible, 1 errors)"), "{merged_table}");
    let plot = std::fs::read_to_string(&svg).unwrap();
    assert!(plot.starts_with("<svg") && plot.contains("synth (4 answered)"), "{plot}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn merging_what_is_not_suite_json_is_a_clear_error() {
    let dir = std::env::temp_dir().join(format!("synth-badmerge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        ("notjson.jsonl", "{\"file\": \"a.sl\"\nnot json\n", ":1: not JSON"),
        ("nofile.jsonl", "{\"x\": 1}\n", ":1: not a line of"),
    ];
    for (name, content, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        let out = synth(&["suite", "--merge", path.to_str().unwrap()]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected) && !stderr.contains("panicked"), "{name}: {stderr}");
    }
    let out = synth(&["suite", "--merge", "/nonexistent/shard.jsonl"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read"));
    let out = synth(&["suite", "examples", "--merge", "x.jsonl"]);
    assert_eq!(out.status.code(), Some(2), "--merge excludes paths");
    std::fs::remove_dir_all(&dir).unwrap();
}
