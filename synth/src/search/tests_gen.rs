//! The initial test inputs: every input when the space is small, otherwise edge values, spec
//! constants and seeded random values, mixed per variable.

use ir::{Problem, Type};

/// Inputs with at most this many bits in total are tested exhaustively.
pub const EXHAUSTIVE_BITS: u32 = 8;

/// A small deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5851_f42d_4c95_7f2d)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A random index below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// An interesting value of type `ty`: an edge value, a spec constant, or random bits of a
/// random magnitude.
pub fn interesting(ty: Type, constants: &[u64], rng: &mut Rng) -> u64 {
    let w = u64::from(ty.width());
    let edges = [0, 1, 2, ty.mask(), ty.signed_min(), ty.signed_max(), w - 1, w, ty.mask() - 1];
    match rng.below(8) {
        0 | 1 => ty.wrap(edges[rng.below(edges.len())]),
        2 if !constants.is_empty() => {
            let c = constants[rng.below(constants.len())];
            // The constant itself, or a neighbour.
            ty.wrap(c.wrapping_add([0, 1, u64::MAX][rng.below(3)]))
        }
        3 => ty.wrap(rng.next_u64() >> rng.below(64)),
        4 => ty.wrap(1u64 << rng.below(ty.width() as usize)),
        _ => ty.wrap(rng.next_u64()),
    }
}

/// Every argument row of `types` (their widths must sum to well under 64 bits), in counting order
/// with the first parameter in the low bits.
pub fn every_input(types: &[Type]) -> Vec<Vec<u64>> {
    let bits: u32 = types.iter().map(|t| t.width()).sum();
    assert!(bits < 32, "every input of {bits} bits");
    (0..1u64 << bits)
        .map(|mut i| {
            types
                .iter()
                .map(|t| {
                    let v = i & t.mask();
                    i >>= t.width();
                    v
                })
                .collect()
        })
        .collect()
}

/// The initial tests for `problem`: all inputs if they are few, else `count` mixed rows.
pub fn initial_tests(problem: &Problem, constants: &[(Type, u64)], count: usize, seed: u64) -> Vec<Vec<u64>> {
    let types: Vec<Type> = problem.vars.iter().map(|v| v.sort.ty()).collect();
    let mentions_vars = problem.constraints.iter().any(|c| c.nodes.iter().any(|n| matches!(n, ir::Node::Var(_))));
    if !mentions_vars && problem.safety.is_none() {
        // Ground constraints: every test is the same test.
        return vec![vec![0; types.len()]];
    }
    let bits: u32 = types.iter().map(|t| t.width()).sum();
    if bits <= EXHAUSTIVE_BITS {
        return every_input(&types);
    }
    let mut rng = Rng::new(seed);
    let mut rows = Vec::with_capacity(count);
    for fixed in [0u64, 1, u64::MAX] {
        rows.push(types.iter().map(|t| t.wrap(fixed)).collect());
    }
    rows.push(types.iter().map(|t| t.signed_min()).collect());
    while rows.len() < count {
        let row: Vec<u64> = types
            .iter()
            .map(|&t| {
                let cs: Vec<u64> = constants.iter().filter(|c| c.0 == t).map(|c| c.1).collect();
                interesting(t, &cs, &mut rng)
            })
            .collect();
        if !rows.contains(&row) {
            rows.push(row);
        } else if rng.below(4) == 0 {
            // Tiny input spaces cannot fill `count` distinct rows.
            break;
        }
    }
    rows
}
