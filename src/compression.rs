//! Decompression held to limits of its own, whatever the size of the
//! compressed file: a cap on the bytes a stream may expand to, and a cap on
//! how many times larger than its input it may grow. A few megabytes of
//! gzip can expand to gigabytes (a "zip bomb"); the ratio check stops such
//! a stream after about a megabyte of output instead of at the size cap.
//!
//! [`Capped`] wraps any decoder reading through a [`Counted`] input, so one
//! gzip file and each gzip member of a larger container are held to the
//! same rules; [`gunzip`] is the whole-file case.

use std::io::{self, BufRead, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Default largest decompressed size of one stream, in bytes.
pub const DEFAULT_MAX_OUTPUT: u64 = 256 * 1024 * 1024;
/// Default largest ratio of decompressed to compressed bytes. Text and
/// HTML compress 3 to 10 times; only degenerate input goes past 100.
pub const DEFAULT_MAX_RATIO: u64 = 100;
/// Output below which the ratio is not checked: small, repetitive files
/// legitimately compress far better than 100 to 1.
pub const RATIO_FLOOR: u64 = 1024 * 1024;

/// What a decompressed stream may grow to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes of output.
    pub max_output: u64,
    /// Most output bytes per input byte, checked past [`RATIO_FLOOR`].
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_output: DEFAULT_MAX_OUTPUT,
            max_ratio: DEFAULT_MAX_RATIO,
        }
    }
}

/// A limit a stream went past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Exceeded {
    /// Expanded past the size cap.
    #[error("more than {0} bytes once decompressed")]
    Size(u64),
    /// Expanded too many times over its input.
    #[error("expands more than {ratio} times ({output} bytes from {input})")]
    Ratio {
        /// The ratio allowed.
        ratio: u64,
        /// Compressed bytes read so far.
        input: u64,
        /// Decompressed bytes so far.
        output: u64,
    },
}

impl Exceeded {
    /// The limit behind an I/O error returned by [`Capped`], if any.
    pub fn of(err: &io::Error) -> Option<Exceeded> {
        err.get_ref()
            .and_then(|inner| inner.downcast_ref::<Exceeded>())
            .copied()
    }
}

/// A buffered input that counts the bytes its reader consumes, shared with
/// the [`Capped`] reader that judges the ratio.
#[derive(Debug)]
pub struct Counted<R> {
    inner: R,
    consumed: Arc<AtomicU64>,
}

impl<R> Counted<R> {
    /// Starts counting at zero.
    pub fn new(inner: R) -> Counted<R> {
        Counted {
            inner,
            consumed: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The counter, to give to [`Capped::new`].
    pub fn counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.consumed)
    }
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.consumed.fetch_add(amount as u64, Ordering::Relaxed);
        self.inner.consume(amount);
    }
}

/// A decoder's output, failing with an [`Exceeded`] I/O error as soon as it
/// passes a limit, having produced at most one byte past the size cap.
#[derive(Debug)]
pub struct Capped<D> {
    decoder: D,
    consumed: Arc<AtomicU64>,
    output: u64,
    limits: Limits,
}

impl<D: Read> Capped<D> {
    /// Caps `decoder`, whose input is counted by `consumed`.
    pub fn new(decoder: D, consumed: Arc<AtomicU64>, limits: Limits) -> Capped<D> {
        Capped {
            decoder,
            consumed,
            output: 0,
            limits,
        }
    }

    fn exceeded(&self) -> Option<Exceeded> {
        if self.output > self.limits.max_output {
            return Some(Exceeded::Size(self.limits.max_output));
        }
        let input = self.consumed.load(Ordering::Relaxed);
        (self.output > RATIO_FLOOR && self.output / input.max(1) > self.limits.max_ratio).then_some(
            Exceeded::Ratio {
                ratio: self.limits.max_ratio,
                input,
                output: self.output,
            },
        )
    }
}

impl<D: Read> Read for Capped<D> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let room = self.limits.max_output.saturating_sub(self.output) + 1;
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.decoder.read(&mut buf[..want])?;
        self.output += n as u64;
        match self.exceeded() {
            Some(exceeded) => Err(io::Error::other(exceeded)),
            None => Ok(n),
        }
    }
}

/// A reader of the decompressed bytes of a gzip stream (all its members).
pub fn gzip_reader<R: BufRead>(
    input: R,
    limits: Limits,
) -> Capped<flate2::bufread::MultiGzDecoder<Counted<R>>> {
    let input = Counted::new(input);
    let consumed = input.counter();
    Capped::new(
        flate2::bufread::MultiGzDecoder::new(input),
        consumed,
        limits,
    )
}

/// Decompresses a whole gzip file held in memory.
pub fn gunzip(bytes: &[u8], limits: Limits) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    gzip_reader(bytes, limits).read_to_end(&mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    /// `len` bytes of which one in `every` is random: about `every` to 1.
    fn compressible(len: usize, every: usize) -> Vec<u8> {
        let mut next = crate::testing::numbers(0x2545_F491_4F6C_DD1D);
        (0..len)
            .map(|i| {
                if i % every == 0 {
                    next(256) as u8
                } else {
                    b' '
                }
            })
            .collect()
    }

    #[test]
    fn round_trip_and_concatenated_members() {
        let mut gz = gzip(b"first ");
        gz.extend(gzip(b"second"));
        assert_eq!(gunzip(&gz, Limits::default()).unwrap(), b"first second");
        assert!(gunzip(b"not gzip", Limits::default()).is_err());
    }

    #[test]
    fn size_cap_stops_one_byte_past_it() {
        let gz = gzip(&compressible(10_000, 4));
        let limits = Limits {
            max_output: 5_000,
            ..Limits::default()
        };
        let mut reader = gzip_reader(&gz[..], limits);
        let mut out = Vec::new();
        let err = reader.read_to_end(&mut out).unwrap_err();
        assert_eq!(Exceeded::of(&err), Some(Exceeded::Size(5_000)));
        assert!(out.len() <= 5_001, "{}", out.len());
        assert_eq!(gunzip(&gz, Limits::default()).unwrap().len(), 10_000);
    }

    #[test]
    fn ratio_is_judged_past_the_floor_only() {
        // Small and very repetitive: fine.
        let small = gzip(&vec![b'a'; 500_000]);
        assert!(small.len() * 100 < 500_000);
        assert!(gunzip(&small, Limits::default()).is_ok());
        // Large at about 20 to 1: fine.
        let fair = compressible(8 << 20, 20);
        assert_eq!(gunzip(&gzip(&fair), Limits::default()).unwrap(), fair);
        // Large at about 1000 to 1: stopped soon after the floor.
        let bomb = gzip(&vec![b'a'; 64 << 20]);
        let mut out = Vec::new();
        let err = gzip_reader(&bomb[..], Limits::default())
            .read_to_end(&mut out)
            .unwrap_err();
        assert!(
            matches!(Exceeded::of(&err), Some(Exceeded::Ratio { ratio: 100, .. })),
            "{err}"
        );
        assert!(out.len() < 2 * RATIO_FLOOR as usize, "{}", out.len());
    }
}
