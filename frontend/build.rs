//! Generates the `.syn` parsers into `$OUT_DIR`: `syn/grammar.rs` from
//! `src/syn/grammar.lalrpop` (LALRPOP, LR(1), with error recovery), and `syn/grammar_strict.rs`
//! from the same grammar without its error-recovery alternatives (the lines between
//! `// recovery {` and `// recovery }`), which stops at the first syntax error.

use std::path::PathBuf;

fn main() {
    lalrpop::Configuration::new()
        .use_cargo_dir_conventions()
        .emit_rerun_directives(true)
        .process()
        .expect("LALRPOP grammar failed to build");

    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let grammar = std::fs::read_to_string("src/syn/grammar.lalrpop").expect("readable grammar");
    let mut strict = String::new();
    let mut skipping = false;
    for line in grammar.lines() {
        match line.trim() {
            "// recovery {" => skipping = true,
            "// recovery }" => skipping = false,
            _ if !skipping => {
                strict.push_str(line);
                strict.push('\n');
            }
            _ => {}
        }
    }
    assert!(!skipping, "an unclosed `// recovery {{` in grammar.lalrpop");
    assert!(!strict.contains(" ! ") && !strict.contains("<e:!>"), "a recovery alternative outside the markers");
    let src = out.join("strict-src");
    std::fs::create_dir_all(src.join("syn")).expect("writable OUT_DIR");
    std::fs::write(src.join("syn/grammar_strict.lalrpop"), strict).expect("writable OUT_DIR");
    lalrpop::Configuration::new()
        .set_in_dir(&src)
        .set_out_dir(&out)
        .process()
        .expect("strict LALRPOP grammar failed to build");
    println!("cargo:rerun-if-changed=src/syn/grammar.lalrpop");
}
