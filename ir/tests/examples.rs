//! Every example in `examples/ir/` against an independent Rust formula of what it computes.

use std::path::Path;

fn load(file: &str) -> ir::Module {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/ir").join(file);
    ir::parse_module(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

const SAMPLES32: &[u32] =
    &[0, 1, 2, 3, 7, 8, 10, 255, 256, 0x1234_5678, 0x7fff_ffff, 0x8000_0000, 0x8000_0001, 0xffff_fffe, 0xffff_ffff];

fn check1(file: &str, name: &str, reference: impl Fn(u32) -> u64) {
    let m = load(file);
    for &x in SAMPLES32 {
        assert_eq!(ir::eval(&m[name], &[u64::from(x)]), reference(x), "{name}({x:#x})");
    }
}

fn check2(file: &str, name: &str, reference: impl Fn(u32, u32) -> u64) {
    let m = load(file);
    for &x in SAMPLES32 {
        for &y in SAMPLES32 {
            assert_eq!(ir::eval(&m[name], &[u64::from(x), u64::from(y)]), reference(x, y), "{name}({x:#x}, {y:#x})");
        }
    }
}

#[test]
fn averages() {
    check2("avg.ir", "avg_floor", |x, y| (u64::from(x) + u64::from(y)) / 2);
    check2("avg.ir", "avg_ceil", |x, y| (u64::from(x) + u64::from(y)).div_ceil(2));
}

#[test]
fn abs_and_sign() {
    check1("abs.ir", "abs", |x| u64::from((x as i32).wrapping_abs() as u32));
    check1("sign.ir", "sign", |x| u64::from((x as i32).signum() as u32));
}

#[test]
fn lowest_bits() {
    check1("lowest_bit.ir", "clear_lowest", |x| u64::from(x & x.wrapping_sub(1)));
    let m = load("lowest_bit.ir");
    for x in [0u64, 1, 12, 0x8000_0000_0000_0000, u64::MAX, 0x0123_4560_0000_0000] {
        let expected = if x == 0 { 0 } else { 1u64 << x.trailing_zeros() };
        assert_eq!(ir::eval(&m["isolate_lowest"], &[x]), expected);
    }
}

#[test]
fn round_up_to_power_of_two() {
    check1("round_up_pow2.ir", "round_up_pow2", |x| {
        if x == 0 { 0 } else { u64::from(x.checked_next_power_of_two().unwrap_or(0)) }
    });
}

#[test]
fn unsigned_max() {
    let m = load("max_u.ir");
    for x in [0u16, 1, 0x7fff, 0x8000, 0xffff, 1234] {
        for y in [0u16, 1, 0x7fff, 0x8000, 0xffff, 4321] {
            assert_eq!(ir::eval(&m["max_u16"], &[u64::from(x), u64::from(y)]), u64::from(x.max(y)));
        }
    }
}

#[test]
fn popcount_and_power_test() {
    check1("popcount.ir", "popcount_swar", |x| u64::from(x.count_ones()));
    check1("is_pow2.ir", "is_pow2", |x| u64::from(x.is_power_of_two()));
}

#[test]
fn wide_multiply_and_byte_swap() {
    check2("mulhi.ir", "mulhi_u32", |x, y| (u64::from(x) * u64::from(y)) >> 32);
    let m = load("bswap16.ir");
    for x in [0u16, 0x1234, 0xff00, 0x00ff, 0xabcd] {
        assert_eq!(ir::eval(&m["bswap16"], &[u64::from(x)]), u64::from(x.swap_bytes()));
    }
}
