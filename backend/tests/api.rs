//! The public API's contract: argument counts, batches without parameters, sharing a handle
//! across threads, object files, Cranelift text, and errors for bad input.

use backend::{Error, NativeFn, clif_text, emit_object};

fn module(text: &str) -> ir::Module {
    ir::parse_module(text).unwrap()
}

const AVG: &str = "
fn avg_floor(v0: i32, v1: i32) -> i32 {
  v2 = and v0, v1
  v3 = xor v0, v1
  v4 = iconst.i32 1
  v5 = lshr v3, v4
  v6 = add v2, v5
  ret v6
}
fn nibble_clz(v0: i4) -> i4 {
  v1 = clz v0
  ret v1
}";

#[test]
fn batches_without_parameters_fill_the_whole_output() {
    let m = module("fn seven() -> i12 {\n  v0 = iconst.i12 7\n  v1 = iconst.i12 0\n  v2 = udiv v0, v1\n  ret v2\n}");
    let f = NativeFn::compile(&m["seven"]).unwrap();
    assert!(f.param_types().is_empty());
    let mut out = vec![0u64; 5];
    f.call_batch(&[], &mut out);
    assert_eq!(out, vec![0xfff; 5]);
    assert_eq!(f.call(&[]), 0xfff);
    f.call_batch(&[], &mut []);
}

#[test]
fn empty_batches_do_nothing() {
    let m = module(AVG);
    let f = NativeFn::compile(&m["avg_floor"]).unwrap();
    f.call_batch(&[], &mut []);
}

#[test]
#[should_panic(expected = "takes 2 argument(s), 1 given")]
fn call_with_the_wrong_argument_count_panics() {
    let m = module(AVG);
    NativeFn::compile(&m["avg_floor"]).unwrap().call(&[1]);
}

#[test]
#[should_panic(expected = "call_batch")]
fn batch_with_a_partial_row_panics() {
    let m = module(AVG);
    let f = NativeFn::compile(&m["avg_floor"]).unwrap();
    f.call_batch(&[1, 2, 3], &mut [0, 0]);
}

#[test]
fn one_handle_serves_many_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<NativeFn>();
    let m = module(AVG);
    let f = NativeFn::compile(&m["avg_floor"]).unwrap();
    std::thread::scope(|s| {
        for t in 0..4u64 {
            let f = &f;
            s.spawn(move || {
                let rows: Vec<u64> = (0..2000).flat_map(|i| [i * 3 + t, i * 5]).collect();
                let mut out = vec![0; 2000];
                for _ in 0..20 {
                    f.call_batch(&rows, &mut out);
                    for i in 0..2000 {
                        assert_eq!(out[i as usize], (i * 3 + t + i * 5) / 2);
                    }
                }
            });
        }
    });
    // A handle can also move to another thread and be dropped there.
    std::thread::spawn(move || assert_eq!(f.call(&[1, 3]), 2)).join().unwrap();
}

/// Bytes of anonymous executable memory mapped in this process (JIT code), on Linux.
fn jit_code_bytes() -> Option<u64> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    let mut total = 0;
    for line in maps.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() == 5 && fields[1].starts_with("r-x") {
            let (start, end) = fields[0].split_once('-')?;
            total += u64::from_str_radix(end, 16).ok()? - u64::from_str_radix(start, 16).ok()?;
        }
    }
    Some(total)
}

#[test]
fn dropping_a_handle_frees_its_code() {
    let m = module(AVG);
    let Some(before) = jit_code_bytes() else {
        println!("skipped: /proc/self/maps is not available on this system");
        return;
    };
    for _ in 0..2000 {
        let f = NativeFn::compile(&m["nibble_clz"]).unwrap();
        assert_eq!(f.call(&[1]), 3);
    }
    let after = jit_code_bytes().unwrap();
    // Each handle maps at least one page of code: a leak would add about 8 MB here. Other tests
    // running at the same time hold only a few handles.
    assert!(after < before + (1 << 20), "JIT code grew from {before} to {after} bytes");
}

#[test]
fn object_files_are_relocatable_objects_for_this_host() {
    let bytes = emit_object(&module(AVG)).unwrap();
    if cfg!(target_os = "linux") {
        assert_eq!(&bytes[..4], b"\x7fELF");
        assert_eq!(u16::from_le_bytes([bytes[16], bytes[17]]), 1, "ET_REL");
    }
    // Both names are in the symbol table.
    for name in ["avg_floor", "nibble_clz"] {
        assert!(bytes.windows(name.len()).any(|w| w == name.as_bytes()), "{name} not in the object");
    }
}

#[test]
fn clif_text_shows_the_exported_function() {
    let m = module(AVG);
    let text = clif_text(&m["nibble_clz"]).unwrap();
    assert!(text.starts_with("function %nibble_clz(i8 uext) -> i8 uext"), "{text}");
    assert!(text.contains("clz"), "{text}");
    let text = clif_text(&m["avg_floor"]).unwrap();
    assert!(text.starts_with("function %avg_floor(i32, i32) -> i32"), "{text}");
    assert!(text.contains("ushr"), "{text}");
}

#[test]
fn invalid_functions_are_user_errors() {
    let mut f = module(AVG)["avg_floor"].clone();
    f.ret = ir::Value(99);
    assert!(matches!(NativeFn::compile(&f), Err(Error::Invalid(_))));
    assert!(matches!(clif_text(&f), Err(Error::Invalid(_))));
    assert!(matches!(emit_object(&ir::Module { functions: vec![f] }), Err(Error::Invalid(_))));

    let mut dup = module(AVG);
    dup.functions.push(dup.functions[0].clone());
    assert!(matches!(emit_object(&dup), Err(Error::Invalid(_))));

    let mut odd_name = module(AVG);
    odd_name.functions[0].name = "not a symbol".into();
    match emit_object(&odd_name) {
        Err(e @ Error::BadSymbolName(_)) => assert!(e.to_string().contains("not a symbol")),
        other => panic!("expected BadSymbolName, got {other:?}"),
    }
    // The JIT does not export names, so any name compiles there.
    assert!(NativeFn::compile(&odd_name.functions[0]).is_ok());
}

#[test]
fn large_functions_with_large_frames_run() {
    // Thousands of values live at once force spills into a frame of many pages (stack probes).
    let n = 3000;
    let mut b = ir::FunctionBuilder::new("big", &[ir::Type::I64, ir::Type::I64], ir::Type::I64);
    let (x, y) = (b.param(0), b.param(1));
    let mut live = Vec::new();
    for i in 0..n {
        let c = b.iconst(ir::Type::I64, i * 0x9e37_79b9);
        let t = b.binary(ir::Opcode::Mul, x, c);
        live.push(b.binary(ir::Opcode::Xor, t, y));
    }
    // Pair the first value with the last, the second with the one before...: whatever order the
    // code is scheduled in, half of the values are live at the midpoint.
    let mut acc = y;
    for i in 0..live.len() {
        let r = b.binary(ir::Opcode::Rotl, live[i], live[live.len() - 1 - i]);
        acc = b.binary(ir::Opcode::Add, acc, r);
    }
    let f = b.finish(acc).unwrap();
    let native = NativeFn::compile(&f).unwrap();
    let interp = ir::Interpreter::new(&f).unwrap();
    for row in [[0, 0], [1, 2], [u64::MAX, 0x1234_5678_9abc_def0]] {
        assert_eq!(native.call(&row), interp.eval(&row), "{row:x?}");
    }
}
