//! The fuzzer's random numbers: SplitMix64, written out here rather than taken from a crate so
//! that a seed names the same cases on every machine and with every version of the dependencies
//! (a failure report stays replayable after `cargo update`).

/// A seeded generator of the numbers behind one case.
pub struct Rng(u64);

impl Rng {
    /// The generator of case `case` of a run seeded with `seed`: each case has its own stream,
    /// so one case can be replayed alone.
    pub fn for_case(seed: u64, case: u64) -> Self {
        let mut rng = Self(seed ^ case.wrapping_mul(0xA076_1D64_78BD_642F));
        // Stir once so that neighbouring cases do not start from neighbouring states.
        rng.next_u64();
        rng
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high.saturating_sub(low) + 1)
    }

    /// A size in `low..=high` spread evenly over the orders of magnitude, so that both small
    /// and huge sizes come up (`low` ≥ 1).
    pub fn size(&mut self, low: usize, high: usize) -> usize {
        let (low, high) = (low.max(1) as f64, high.max(1) as f64);
        let exponent = low.ln() + self.unit() * (high.ln() - low.ln());
        (exponent.exp().round() as usize).clamp(low as usize, high as usize)
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One value, chosen with the given weights (at least one positive).
    pub fn weighted<T: Copy>(&mut self, items: &[(u32, T)]) -> T {
        let total: u64 = items.iter().map(|(weight, _)| u64::from(*weight)).sum();
        let mut roll = self.next_u64() % total.max(1);
        for (weight, item) in items {
            if roll < u64::from(*weight) {
                return *item;
            }
            roll -= u64::from(*weight);
        }
        items[items.len() - 1].1
    }
}
