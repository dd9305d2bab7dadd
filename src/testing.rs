//! Helpers shared by the unit tests.

/// A stream of pseudo-random numbers below the bound asked for each time
/// (xorshift64 from `seed`): the same for a seed on every run and machine,
/// so a failing case can be replayed.
pub fn numbers(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed;
    move |below| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % below
    }
}
