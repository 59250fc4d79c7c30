//! Repairs of small buggy functions: the edit found is the smallest, the result is proved and
//! independently correct on every input (8-bit functions are checked exhaustively).

use super::*;

fn syn(text: &str) -> frontend::syn::SynFile {
    frontend::syn::parse_syn(text).unwrap_or_else(|e| panic!("{e:?}"))
}

fn opts() -> RepairOptions {
    RepairOptions {
        timeout: Duration::from_secs(60),
        solve: SolveOptions { native_checks: 1000, threads: 1, ..SolveOptions::default() },
        ..RepairOptions::default()
    }
}

/// Every input of a one-parameter 8-bit function.
fn same_everywhere(f: &Function, g: &Function) -> bool {
    (0..=255u64).all(|x| ir::eval(f, &[x]) == ir::eval(g, &[x]))
}

#[test]
fn an_operator_swap_is_an_edit_of_size_one() {
    let file = syn("fn clear_lowest(x: u8) -> u8 { x & (x + 1) }\n\
         fn reference(x: u8) -> u8 { x & (x - 1) }\n\
         repair clear_lowest { equiv reference; }\n");
    let r = &file.repairs[0];
    let report = repair(&r.original, &r.spec, &opts()).unwrap();
    assert_eq!(report.status, RepairStatus::Repaired, "{report:?}");
    assert_eq!(report.edit_size, Some(1));
    let cex = report.counterexample.clone().expect("a counterexample shows the bug");
    assert_ne!(ir::eval(&r.original, &cex), ir::eval(&file.module["reference"], &cex));
    assert!(same_everywhere(report.function.as_ref().unwrap(), &file.module["reference"]));
}

#[test]
fn a_wrong_constant_is_fixed_from_a_postcondition() {
    let file = syn("fn low_nibble(x: u8) -> u8 { x & 0x1f }\n\
         repair low_nibble { ensures result == x % 16; }\n");
    let r = &file.repairs[0];
    let report = repair(&r.original, &r.spec, &opts()).unwrap();
    assert_eq!(report.status, RepairStatus::Repaired, "{report:?}");
    assert_eq!(report.edit_size, Some(1));
    let f = report.function.unwrap();
    assert!((0..=255u64).all(|x| ir::eval(&f, &[x]) == x % 16));
}

#[test]
fn correct_functions_are_left_alone_and_hopeless_ones_get_no_repair() {
    let file = syn("fn id(x: u8) -> u8 { x + 0 }\n\
         repair id { ensures result == x; }\n");
    let r = &file.repairs[0];
    assert_eq!(repair(&r.original, &r.spec, &opts()).unwrap().status, RepairStatus::AlreadyCorrect);
    // The result must be a bit-reversal: no single edit of size 1 fixes `x ^ 1`.
    let file = syn("fn rev(x: u8) -> u8 { x ^ 1 }\n\
         fn reference(x: u8) -> u8 { ((x & 1) << 7) | ((x & 2) << 5) | ((x & 4) << 3) | ((x & 8) << 1) | ((x & 16) >> 1) | ((x & 32) >> 3) | ((x & 64) >> 5) | ((x & 128) >> 7) }\n\
         repair rev { equiv reference; }\n");
    let r = &file.repairs[0];
    let small = RepairOptions { max_edit: 1, ..opts() };
    let report = repair(&r.original, &r.spec, &small).unwrap();
    assert_eq!(report.status, RepairStatus::NoRepair, "{report:?}");
    assert!(report.function.is_none());
}

#[test]
fn the_discipline_holds_for_the_replacement_too() {
    // In total semantics `x >> x` is a shorter fix; `defined` (the default) needs `x >> 31`.
    let file = syn("fn abs_logical(x: i32) -> i32 {\n    let s = ((x as u32) >> 31) as i32;\n    (x ^ s) - s\n}\n\
         fn abs_ref(x: i32) -> i32 { if x < 0 { -x } else { x } }\n\
         repair abs_logical { equiv abs_ref; }\n");
    let r = &file.repairs[0];
    let report = repair(&r.original, &r.spec, &opts()).unwrap();
    assert_eq!(report.status, RepairStatus::Repaired, "{report:?}");
    assert_eq!(report.edit_size, Some(1));
    let f = report.function.unwrap();
    assert!(
        f.body.iter().all(|i| !matches!(i.opcode, ir::Opcode::Ashr) || {
            let amount = i.args[1];
            f.body.iter().any(|j| j.result == amount && j.opcode == ir::Opcode::Iconst && j.imm < 32)
        }),
        "{f}"
    );
}

#[test]
fn two_separate_bugs_take_an_edit_at_two_holes() {
    // Both constants are wrong; each fix is size 1 (the constants are free), at two places.
    let file = syn("fn two_bugs(x: u8) -> u8 { (x + 2) ^ (x << 3) }\n\
         repair two_bugs { ensures result == (x + 1) ^ (x << 2); }\n");
    let r = &file.repairs[0];
    let report = repair(&r.original, &r.spec, &opts()).unwrap();
    assert_eq!(report.status, RepairStatus::Repaired, "{report:?}");
    assert_eq!(report.edit_size, Some(2), "{report:?}");
    assert!(report.replaced.as_deref().is_some_and(|t| t.contains("; ")), "{report:?}");
    let f = report.function.unwrap();
    assert!((0..=255u64).all(|x| ir::eval(&f, &[x]) == ((x + 1) ^ (x << 2)) & 0xff));
}
