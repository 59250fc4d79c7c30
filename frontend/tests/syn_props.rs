//! Property tests of the `.syn` frontend as a whole:
//! - printing a random IR function as source (with a random signature of matching IR types)
//!   and reading it back gives a function the interpreter cannot tell apart from the original;
//! - no input text makes the frontend panic: random text, and valid files with random edits;
//!   when such a file is accepted, its functions print back to source that is accepted too.

use frontend::syn::{ErrorKind, SourceSignature, parse_syn, print_function};
use ir::{SourceType, SpecParam, Type};
use proptest::prelude::*;

/// A source signature for `f`: `i1` is `bool`, other widths signed or unsigned as `signs` says.
fn signature(f: &ir::Function, signs: &[bool]) -> SourceSignature {
    let source = |ty: Type, k: usize| {
        if ty.is_bool() { SourceType::BOOL } else { SourceType { ty, signed: signs[k % signs.len()] } }
    };
    SourceSignature {
        name: "g".to_string(),
        params: f
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| SpecParam { name: format!("p{i}"), ty: source(p.ty, i) })
            .collect(),
        ret: source(f.ret_ty, f.params.len()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn printed_functions_read_back_to_equivalent_ir(
        (f, inputs) in ir::testing::arb_function_with_inputs(ir::testing::DEFAULT_WIDTHS, 16, 12),
        signs in proptest::collection::vec(any::<bool>(), 4),
    ) {
        // The generator returns the last value; returning each value in turn also exercises
        // the values that the last one does not depend on.
        for inst in &f.body {
            let variant = ir::Function { ret: inst.result, ret_ty: inst.ty, ..f.clone() }.without_dead_code();
            let sig = signature(&variant, &signs);
            let text = print_function(&variant, &sig);
            let file = match parse_syn(&text) {
                Ok(file) => file,
                Err(d) => panic!("printed source does not check:\n{variant}\n{text}\n{}", d.render("printed.syn", &text)),
            };
            let g = &file.module["g"];
            prop_assert_eq!(&file.functions[0], &sig);
            for args in &inputs {
                prop_assert_eq!(ir::eval(&variant, args), ir::eval(g, args), "inputs {:?}\n{}\n{}", args, variant, text);
            }
        }
    }
}

/// The token soup random text is made of: every token of the language and some junk.
const PIECES: &[&str] = &[
    "fn",
    "synth",
    "let",
    "if",
    "else",
    "as",
    "true",
    "false",
    "equiv",
    "requires",
    "ensures",
    "example",
    "using",
    "cost",
    "timeout",
    "max_size",
    "(",
    ")",
    "{",
    "}",
    ",",
    ";",
    ":",
    "->",
    "=",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "%",
    "<<",
    ">>",
    "&",
    "^",
    "|",
    "&&",
    "||",
    "!",
    "x",
    "y",
    "f",
    "result",
    "i32",
    "u8",
    "bool",
    "i64",
    "popcnt",
    "min",
    "abs",
    "add",
    "0",
    "1",
    "255",
    "0xff",
    "0b1",
    "30s",
    "5u8",
    "-1",
    "99999999999999999999999999999999999999999",
    " ",
    "\n",
    "// c\n",
    "$",
    "é",
    "\"",
    "0x",
    "size",
];

fn soup() -> impl Strategy<Value = String> {
    proptest::collection::vec(0..PIECES.len(), 0..60)
        .prop_map(|ix| ix.into_iter().map(|i| PIECES[i]).collect::<Vec<_>>().join(" "))
}

/// Valid files to mutate: the examples and the golden tests.
fn corpus() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut texts = Vec::new();
    for dir in ["examples/syn", "tests/frontend"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "syn") {
                texts.push(std::fs::read_to_string(&p).expect("readable corpus file"));
            }
        }
    }
    texts
}

/// Applies random edits (delete, duplicate, insert a token) at random char boundaries.
fn mutate(text: &str, edits: &[(u16, u16, u8)]) -> String {
    let mut s = text.to_string();
    for &(at, len, what) in edits {
        let boundaries: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
        let start = boundaries[usize::from(at) % boundaries.len()];
        let end_ix = (usize::from(at) % boundaries.len() + usize::from(len % 8)).min(boundaries.len() - 1);
        let end = boundaries[end_ix];
        match what % 3 {
            0 => s.replace_range(start..end, ""),
            1 => {
                let piece = s[start..end].to_string();
                s.insert_str(start, &piece);
            }
            _ => s.insert_str(start, PIECES[usize::from(what) % PIECES.len()]),
        }
    }
    s
}

/// Runs the frontend on `text`: it must not panic, errors must render, no error may be a bug,
/// and accepted functions must print to accepted source.
fn exercise(text: &str) {
    match parse_syn(text) {
        Ok(file) => {
            for (f, sig) in file.module.functions.iter().zip(&file.functions) {
                let printed = print_function(f, sig);
                if let Err(d) = parse_syn(&printed) {
                    panic!("printed source does not check:\n{printed}\n{}", d.render("p.syn", &printed));
                }
            }
        }
        Err(d) => {
            assert!(!d.is_empty());
            assert!(d.errors().iter().all(|e| e.kind != ErrorKind::Internal), "{d}");
            let rendered = d.render("t.syn", text);
            assert!(rendered.starts_with("t.syn:"), "{rendered}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in soup()) {
        exercise(&text);
    }

    #[test]
    fn arbitrary_strings_never_panic(text in ".{0,200}") {
        exercise(&text);
    }

    #[test]
    fn mutated_files_never_panic(
        pick in any::<usize>(),
        edits in proptest::collection::vec((any::<u16>(), any::<u16>(), any::<u8>()), 1..5),
    ) {
        let corpus = corpus();
        prop_assume!(!corpus.is_empty());
        exercise(&mutate(&corpus[pick % corpus.len()], &edits));
    }
}

/// Very deep expressions are an error, not a stack overflow (test threads have small stacks).
#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let n = 50_000;
    for body in [
        vec!["x"; n].join(" + "),
        format!("{}x{}", "(".repeat(n), ")".repeat(n)),
        format!("{}x", "-".repeat(n)),
        format!("{}x{}", "{ ".repeat(n), " }".repeat(n)),
    ] {
        let source = format!("fn f(x: i32) -> i32 {{ {body} }}");
        let d = parse_syn(&source).expect_err("too deep");
        assert_eq!(d.errors().len(), 1, "{d}");
        assert!(d.errors()[0].message.contains("nested too deeply"), "{d}");
    }
}

/// Long but flat programs are fine: thousands of `let`s, inlined several times, print back to
/// source that reads back to the same function.
#[test]
fn long_let_chains_lower_and_print_back() {
    let lets: String = (0..3000).map(|i| format!("let x{} = x{i} * 3 + 1; ", i + 1)).collect();
    let source = format!("fn g(x0: u32) -> u32 {{ {lets} x3000 }}\nfn f(x: u32) -> u32 {{ g(g(g(x))) }}\n");
    let file = parse_syn(&source).unwrap_or_else(|d| panic!("{d}"));
    let f = &file.module["f"];
    assert_eq!(f.op_count(), 3 * 3000 * 2);
    let printed = print_function(f, &file.functions[1]);
    let back = parse_syn(&printed).unwrap_or_else(|d| panic!("{d}"));
    for x in [0, 1, 12345, u64::from(u32::MAX)] {
        assert_eq!(ir::eval(&back.module["f"], &[x]), ir::eval(f, &[x]));
    }
}
