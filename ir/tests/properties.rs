//! Property tests of the IR: text round-trips, and the parser never panics.

use ir::testing::{DEFAULT_WIDTHS, arb_function};
use ir::{Module, Type, parse_module};
use proptest::prelude::*;

const ODD_WIDTHS: &[Type] = &[
    Type::I1,
    Type::I8,
    Type::I32,
    Type::I64,
    match Type::new(4) {
        Some(t) => t,
        None => unreachable!(),
    },
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn print_then_parse_is_identity(f in arb_function(DEFAULT_WIDTHS, 24), g in arb_function(ODD_WIDTHS, 12)) {
        let mut g = g;
        g.name = "g".into();
        let m = Module { functions: vec![f, g] };
        let text = m.to_string();
        let parsed = parse_module(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(parsed, m);
    }

    #[test]
    fn parser_never_panics_on_random_text(text in "\\PC{0,200}") {
        let _ = parse_module(&text);
    }

    #[test]
    fn parser_never_panics_on_mutated_ir(
        f in arb_function(DEFAULT_WIDTHS, 12),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
    ) {
        let mut bytes = f.to_string().into_bytes();
        for (at, byte, kind) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match kind {
                0 => bytes[i] = byte % 128,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, b"v0123456789-.,=:{}()ix \n"[byte as usize % 24]),
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(m) = parse_module(&text) {
            // Whatever parses must print and parse back to itself.
            prop_assert_eq!(parse_module(&m.to_string()).unwrap(), m);
        }
    }
}
