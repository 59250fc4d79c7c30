//! The source functions of `examples/syn/` evaluate (lowered, in the IR interpreter) like
//! independent Rust formulas of what their comments say they compute, on edge-case and
//! pseudo-random inputs. Every example function must have a formula here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What a function should return for some arguments (`None`: outside its documented domain).
type Formula = fn(&[u64]) -> Option<u64>;

/// A formula defined on every input.
macro_rules! total {
    (|$a:ident| $body:expr) => {
        |$a: &[u64]| Some($body)
    };
}

fn formulas() -> HashMap<&'static str, Formula> {
    let mut m: HashMap<&'static str, Formula> = HashMap::new();
    // bit_tricks.syn
    m.insert("lowest_set_bit", total!(|a| if a[0] == 0 { 0 } else { 1 << a[0].trailing_zeros() }));
    m.insert("clear_lowest_bit", total!(|a| if a[0] == 0 { 0 } else { a[0] - (1 << a[0].trailing_zeros()) }));
    m.insert("is_pow2", total!(|a| u64::from(a[0].is_power_of_two())));
    m.insert("round_up_pow2", total!(|a| if a[0] == 0 || a[0] > 1 << 31 { 0 } else { a[0].next_power_of_two() }));
    m.insert("popcount_swar", total!(|a| u64::from(a[0].count_ones())));
    m.insert("parity", total!(|a| u64::from(a[0].count_ones() % 2)));
    m.insert("next_same_popcount", |a| {
        // Move the lowest movable one bit up by one, gather the ones below it at the bottom.
        let x = a[0];
        if x == 0 {
            return None;
        }
        let zeros = x.trailing_zeros();
        let ones = (x >> zeros).trailing_ones();
        let p = zeros + ones;
        if p >= 32 {
            return None; // no larger 32-bit value has as many ones
        }
        Some(((x | (1 << p)) & !((1 << p) - 1)) | ((1 << (ones - 1)) - 1))
    });
    m.insert(
        "highest_bit_index",
        total!(|a| if a[0] == 0 { 0xffff_ffff } else { 63 - u64::from(a[0].leading_zeros()) }),
    );
    // arith.syn
    let abs = total!(|a| u64::from((a[0] as u32 as i32).wrapping_abs() as u32));
    m.insert("abs_branchy", abs);
    m.insert("abs_branchless", abs);
    m.insert("avg_floor", total!(|a| (a[0] + a[1]) / 2));
    m.insert("avg_ceil", total!(|a| (a[0] + a[1]).div_ceil(2)));
    m.insert("sign", total!(|a| u64::from((a[0] as u32 as i32).signum() as u32)));
    m.insert("saturating_add_u32", total!(|a| (a[0] + a[1]).min(0xffff_ffff)));
    m.insert(
        "saturating_add_i32",
        total!(|a| {
            let sum = i64::from(a[0] as u32 as i32) + i64::from(a[1] as u32 as i32);
            u64::from(sum.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32 as u32)
        }),
    );
    m.insert("mulhi_u32", total!(|a| (a[0] * a[1]) >> 32));
    m.insert("abs_diff", total!(|a| a[0].abs_diff(a[1])));
    m.insert("clamp", |a| {
        let (x, lo, hi) = (a[0] as u32 as i32, a[1] as u32 as i32, a[2] as u32 as i32);
        (lo <= hi).then(|| u64::from(x.clamp(lo, hi) as u32))
    });
    m.insert(
        "sign_extend_12",
        total!(|a| {
            let low = (a[0] & 0xfff) as i32;
            u64::from((if low >= 0x800 { low - 0x1000 } else { low }) as u32)
        }),
    );
    // bytes.syn
    m.insert("rotl32", total!(|a| u64::from((a[0] as u32).rotate_left((a[1] % 32) as u32))));
    m.insert("rotr32", total!(|a| u64::from((a[0] as u32).rotate_right((a[1] % 32) as u32))));
    m.insert("bswap16", total!(|a| u64::from((a[0] as u16).swap_bytes())));
    m.insert("bswap32", total!(|a| u64::from((a[0] as u32).swap_bytes())));
    m.insert("byte_at", total!(|a| u64::from((a[0] as u32).to_le_bytes()[(a[1] % 4) as usize])));
    m.insert("has_zero_byte", total!(|a| u64::from((a[0] as u32).to_le_bytes().contains(&0))));
    m
}

fn example_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/syn");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("examples/syn exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "syn"))
        .collect();
    files.sort();
    files
}

/// Edge values, then pseudo-random ones (a fixed xorshift sequence), masked to `ty`.
fn inputs(ty: ir::Type, count: usize, seed: u64) -> Vec<u64> {
    let mut v: Vec<u64> = [0, 1, 2, 3, 7, 8, 12, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0xfff, 0x800]
        .iter()
        .chain(&[0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0x8000_0001, 0x0101_0101, 0x0100_ff00])
        .map(|&x| ty.wrap(x))
        .collect();
    let mut state = seed | 1;
    while v.len() < count {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        // Mix small and full-width values.
        v.push(ty.wrap(if state.is_multiple_of(4) { state % 64 } else { state }));
    }
    v
}

#[test]
fn example_functions_match_independent_formulas() {
    let formulas = formulas();
    let mut checked = 0;
    let mut functions = 0;
    let mut tasks = 0;
    for path in example_files() {
        let text = std::fs::read_to_string(&path).expect("readable example");
        let file = frontend::syn::parse_syn(&text)
            .unwrap_or_else(|d| panic!("{}", d.render(&path.display().to_string(), &text)));
        tasks += file.tasks.len();
        for f in &file.module.functions {
            functions += 1;
            let formula = formulas.get(f.name.as_str()).unwrap_or_else(|| panic!("no formula for `{}`", f.name));
            let cols: Vec<Vec<u64>> =
                f.params.iter().enumerate().map(|(i, p)| inputs(p.ty, 200, 0x9e37_79b9 + i as u64)).collect();
            // Every combination of the first 24 values of each parameter, then random rows.
            let n = cols.first().map_or(1, Vec::len);
            let mut rows: Vec<Vec<u64>> = Vec::new();
            for i in 0..n {
                rows.push(cols.iter().enumerate().map(|(k, c)| c[(i * (k + 1) * 7 + k) % c.len()]).collect());
            }
            if f.params.len() >= 2 {
                for i in 0..24 {
                    for j in 0..24 {
                        let mut row: Vec<u64> = cols.iter().map(|c| c[(i + j) % c.len()]).collect();
                        row[0] = cols[0][i];
                        row[1] = cols[1][j];
                        rows.push(row);
                    }
                }
            }
            for args in rows {
                let Some(want) = formula(&args) else { continue };
                let got = ir::eval(f, &args);
                let want = f.ret_ty.wrap(want);
                assert_eq!(got, want, "{}{:?}: interpreter {got}, formula {want}", f.name, args);
                checked += 1;
            }
        }
    }
    assert!(functions >= 10, "examples/syn should hold at least 10 functions, found {functions}");
    assert!(tasks >= 5, "examples/syn should hold several tasks, found {tasks}");
    assert!(checked > 1000);
}

#[test]
fn example_tasks_lower_to_consistent_specs() {
    for path in example_files() {
        let text = std::fs::read_to_string(&path).expect("readable example");
        let file = frontend::syn::parse_syn(&text).expect("examples check");
        for spec in &file.tasks {
            // Each task says something checkable, and every part has the task's signature.
            assert!(spec.reference.is_some() || spec.post.is_some() || !spec.examples.is_empty(), "{}", spec.name);
            if let Some(r) = &spec.reference {
                assert_eq!(r.param_types(), spec.param_types(), "{}", spec.name);
                assert_eq!(r.ret_ty, spec.ret.ty, "{}", spec.name);
            }
            if let Some(pre) = &spec.pre {
                assert_eq!(pre.param_types(), spec.param_types());
                assert_eq!(pre.ret_ty, ir::Type::I1);
            }
            if let Some(post) = &spec.post {
                let mut types = spec.param_types();
                types.push(spec.ret.ty);
                assert_eq!(post.param_types(), types);
            }
            for ex in &spec.examples {
                assert_eq!(ex.args.len(), spec.params.len());
            }
            // Examples given together with a reference hold for it.
            if let Some(r) = &spec.reference {
                for ex in &spec.examples {
                    assert_eq!(ir::eval(r, &ex.args), ex.result, "{}", spec.name);
                }
            }
            ir::Problem::from_spec(spec).check().unwrap_or_else(|e| panic!("{}: {e}", spec.name));
        }
    }
}
