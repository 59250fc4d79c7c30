//! Generates the `.syn` parser from `src/syn/grammar.lalrpop` (LALRPOP, LR(1)) into `$OUT_DIR`.

fn main() {
    lalrpop::Configuration::new()
        .use_cargo_dir_conventions()
        .emit_rerun_directives(true)
        .process()
        .expect("LALRPOP grammar failed to build");
}
