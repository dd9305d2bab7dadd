//! WARC files (ISO 28500, versions 1.0 and 1.1), read record by record from
//! a stream: uncompressed, one gzip member per record, or the whole file in
//! one gzip member. Each gzip member is decompressed within the limits of
//! [`compression`](crate::compression), whatever the size of the file.
//!
//! A damaged record never ends the read: a record cut short, or whose
//! `Content-Length` lies, is reported as [`Item::Bad`] and reading resumes
//! at the next `WARC/1.x` line (looked for first inside the bad record's
//! own block, where a too-long length has swallowed the records after it).
//!
//! The reader also reports [`Checkpoint`]s: the offset in the file, and the
//! hash of the bytes before it, after which reading can resume when the
//! file has grown (crawlers append records). Only the ends of gzip members
//! and, in an uncompressed file, of whole records are such points.

use std::io::{self, BufRead, Read};

use xxhash_rust::xxh3::Xxh3;

use crate::compression::{Capped, Counted, Exceeded, Limits};

/// Longest header line accepted, in bytes.
const MAX_LINE: usize = 64 * 1024;
/// Most header lines of one record.
const MAX_HEADER_LINES: usize = 512;

/// The named fields of a record's header this tool uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// `WARC/1.0` or `WARC/1.1`.
    pub version: String,
    /// `WARC-Type`, lower case (`response`, `request`, `warcinfo`...).
    pub kind: String,
    /// `WARC-Record-ID` without its angle brackets.
    pub id: String,
    /// `WARC-Target-URI`, the URL the record was captured from.
    pub target_uri: Option<String>,
    /// `WARC-Date`, when the capture was made.
    pub date: Option<String>,
    /// `Content-Type` of the block.
    pub content_type: Option<String>,
    /// `Content-Length` of the block, in bytes.
    pub length: u64,
}

/// One record: its header and its block (the whole block when it is at
/// most the block cap, else the cap's worth of its start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The header.
    pub header: Header,
    /// The block, or its start.
    pub block: Vec<u8>,
    /// Whether `block` is only the start of a longer block.
    pub cut: bool,
    /// Offset of the record in the decompressed stream of its member (or of
    /// the file, when uncompressed).
    pub offset: u64,
}

/// What the reader found next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A well-formed record.
    Record(Record),
    /// Bytes that are not a well-formed record, with a one-line reason.
    Bad(String),
}

/// A point of the file after which reading can resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Checkpoint {
    /// Bytes of the file before it.
    pub offset: u64,
    /// xxh3 of those bytes.
    pub hash: u64,
}

/// A buffered input that hashes and counts the bytes consumed from it, and
/// can record what it consumes to give it back (to look for the next gzip
/// member inside a damaged one).
pub struct Hashed<R> {
    inner: R,
    hasher: Xxh3,
    /// Bytes consumed from `inner`.
    consumed: u64,
    /// Bytes given back, read again before `inner` (hashed already).
    replay: Vec<u8>,
    replay_at: usize,
    /// What is consumed, while recording.
    recording: Option<Vec<u8>>,
}

impl<R: BufRead> Hashed<R> {
    /// Starts at offset zero.
    pub fn new(inner: R) -> Hashed<R> {
        Hashed {
            inner,
            hasher: Xxh3::new(),
            consumed: 0,
            replay: Vec::new(),
            replay_at: 0,
            recording: None,
        }
    }

    /// The offset and hash of everything consumed so far; `None` while
    /// bytes given back are being read again.
    fn checkpoint_here(&self) -> Option<Checkpoint> {
        (self.replay_at >= self.replay.len()).then(|| self.checkpoint())
    }

    /// The offset and hash of everything consumed from the input so far.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            offset: self.consumed,
            hash: self.hasher.digest(),
        }
    }

    /// The offset in the input of the next byte read.
    fn position(&self) -> u64 {
        self.consumed - (self.replay.len() - self.replay_at) as u64
    }

    fn record(&mut self) {
        self.recording = Some(Vec::new());
    }

    /// Stops recording; the bytes recorded, unless there were too many.
    fn stop_recording(&mut self) -> Option<Vec<u8>> {
        self.recording.take()
    }

    /// Gives back bytes consumed, to be read again first.
    fn give_back(&mut self, mut bytes: Vec<u8>) {
        bytes.extend_from_slice(&self.replay[self.replay_at..]);
        self.replay = bytes;
        self.replay_at = 0;
    }

    /// Consumes (and hashes) the next `n` bytes; fewer at the end of input.
    pub fn skip(&mut self, mut n: u64) -> io::Result<u64> {
        let mut done = 0;
        while n > 0 {
            let buf = self.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let take = buf.len().min(usize::try_from(n).unwrap_or(usize::MAX));
            self.consume(take);
            n -= take as u64;
            done += take as u64;
        }
        Ok(done)
    }
}

/// Most compressed bytes of one gzip member kept to be read again should it
/// turn out damaged; a longer damaged member is read past.
const MAX_RECORDING: usize = 64 * 1024 * 1024;

impl<R: BufRead> Read for Hashed<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Hashed<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.replay_at < self.replay.len() {
            return Ok(&self.replay[self.replay_at..]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if self.replay_at < self.replay.len() {
            let amount = amount.min(self.replay.len() - self.replay_at);
            if let Some(rec) = &mut self.recording {
                rec.extend_from_slice(&self.replay[self.replay_at..self.replay_at + amount]);
            }
            self.replay_at += amount;
            if self.replay_at == self.replay.len() {
                self.replay = Vec::new();
                self.replay_at = 0;
            }
            return;
        }
        if let Ok(buf) = self.inner.fill_buf() {
            let buf = &buf[..amount.min(buf.len())];
            self.hasher.update(buf);
            if let Some(rec) = &mut self.recording {
                if rec.len() + buf.len() <= MAX_RECORDING {
                    rec.extend_from_slice(buf);
                } else {
                    self.recording = None;
                }
            }
        }
        self.consumed += amount as u64;
        self.inner.consume(amount);
    }
}

/// What the reader keeps and how far it lets a stream grow.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// Most bytes of one record's block kept in memory; the rest is read
    /// past.
    pub block: usize,
    /// Limits of each gzip member's decompression.
    pub gzip: Limits,
}

/// Reads every record of `input` from where it stands, calling `sink` with
/// each, and returns the last checkpoint reached (`start` when none was).
pub fn read<R: BufRead>(
    input: &mut Hashed<R>,
    limits: ReadLimits,
    start: Checkpoint,
    sink: &mut dyn FnMut(Item),
) -> Checkpoint {
    let mut last = start;
    let head = match input.fill_buf() {
        Ok(head) => head,
        Err(e) => {
            sink(Item::Bad(format!("read error: {e}")));
            return last;
        }
    };
    if head.is_empty() {
        return last;
    }
    if !head.starts_with(&GZIP_MAGIC) {
        let mut parser = Parser::new(&mut *input, limits.block);
        while let Some(item) = parser.next_item() {
            let whole = matches!(item, Item::Record(_)) && parser.pending.is_empty();
            sink(item);
            if whole {
                last = parser.input.checkpoint();
            }
        }
        return last;
    }
    // After a damaged member, reading goes on at the next gzip header; the
    // damage is reported once, not once per false start.
    let mut resyncing = false;
    loop {
        match input.fill_buf() {
            Ok([]) => return last,
            Ok(buf) if !buf.starts_with(&GZIP_MAGIC) => {
                if !resyncing {
                    sink(Item::Bad(format!(
                        "bytes that are not a gzip member at offset {}",
                        input.position()
                    )));
                    resyncing = true;
                }
                if let Err(e) = skip_to_member(input) {
                    sink(Item::Bad(format!("read error: {e}")));
                    return last;
                }
                continue;
            }
            Ok(_) => {}
            Err(e) => {
                sink(Item::Bad(format!("read error: {e}")));
                return last;
            }
        }
        let before = input.position();
        input.record();
        let counted = Counted::new(&mut *input);
        let consumed = counted.counter();
        let member = Capped::new(
            flate2::bufread::GzDecoder::new(counted),
            consumed,
            limits.gzip,
        );
        let mut parser = Parser::new(io::BufReader::new(member), limits.block);
        // Records go out as they come; the parser's complaints about a
        // member only once it proves sound (a damaged one is reported once).
        let mut records = 0;
        let mut complaints = Vec::new();
        while let Some(item) = parser.next_item() {
            match item {
                Item::Record(_) => {
                    records += 1;
                    sink(item);
                }
                Item::Bad(_) => complaints.push(item),
            }
        }
        if let Some(err) = parser.error.take() {
            drop(parser);
            if !resyncing || records > 0 {
                sink(Item::Bad(format!(
                    "{} at offset {before}",
                    member_error(&err)
                )));
            }
            resyncing = true;
            // The next member may start inside the bytes the damaged one
            // consumed: they are looked through again, past its first byte.
            match input.stop_recording() {
                Some(recorded) if !recorded.is_empty() => {
                    input.give_back(recorded[1..].to_vec());
                }
                _ if input.position() == before => input.consume(1),
                _ => {}
            }
            continue;
        }
        drop(parser);
        complaints.into_iter().for_each(&mut *sink);
        input.stop_recording();
        resyncing = false;
        if let Some(here) = input.checkpoint_here() {
            last = here;
        }
    }
}

/// The first bytes of a gzip member (with the deflate method).
const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

/// Consumes bytes up to the next gzip header, or to the end of the input.
fn skip_to_member<R: BufRead>(input: &mut Hashed<R>) -> io::Result<()> {
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        if buf.starts_with(&GZIP_MAGIC) {
            return Ok(());
        }
        // Keep a possible header split across buffers.
        let n = match memchr::memmem::find(&buf[1..], &GZIP_MAGIC) {
            Some(i) => i + 1,
            None => buf.len().saturating_sub(2).max(1),
        };
        input.consume(n);
    }
}

fn member_error(err: &io::Error) -> String {
    match Exceeded::of(err) {
        Some(exceeded) => format!("gzip member {exceeded}"),
        None if err.kind() == io::ErrorKind::UnexpectedEof => "truncated gzip member".into(),
        None => format!("bad gzip member: {err}"),
    }
}

/// Records out of one decompressed stream.
struct Parser<B> {
    input: B,
    /// Bytes given back, read before `input`.
    pending: Vec<u8>,
    /// Decompressed bytes consumed, less those given back.
    offset: u64,
    block_cap: usize,
    /// The I/O error that ended the stream, if any.
    error: Option<io::Error>,
    done: bool,
}

impl<B: BufRead> Parser<B> {
    fn new(input: B, block_cap: usize) -> Parser<B> {
        Parser {
            input,
            pending: Vec::new(),
            offset: 0,
            block_cap,
            error: None,
            done: false,
        }
    }

    /// The next line, with its ending, at most `MAX_LINE` bytes of it kept;
    /// `None` at the end of the stream.
    fn line(&mut self) -> Option<Vec<u8>> {
        let mut line = Vec::new();
        if !self.pending.is_empty() {
            match memchr::memchr(b'\n', &self.pending) {
                Some(i) => {
                    line.extend(self.pending.drain(..=i));
                    self.offset += line.len() as u64;
                    return Some(line);
                }
                None => line.append(&mut self.pending),
            }
            self.offset += line.len() as u64;
        }
        loop {
            let buf = match self.input.fill_buf() {
                Ok(buf) => buf,
                Err(e) => {
                    self.error = Some(e);
                    self.done = true;
                    break;
                }
            };
            if buf.is_empty() {
                break;
            }
            let (take, end) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            let room = MAX_LINE.saturating_sub(line.len()).min(take);
            line.extend_from_slice(&buf[..room]);
            self.input.consume(take);
            self.offset += take as u64;
            if end {
                return Some(line);
            }
        }
        (!line.is_empty()).then_some(line)
    }

    /// Reads `n` bytes, keeping the first `keep`; returns how many there
    /// were (fewer than `n` at the end of the stream).
    fn block(&mut self, n: u64, keep: usize, out: &mut Vec<u8>) -> u64 {
        let mut left = n;
        let from_pending = self
            .pending
            .len()
            .min(usize::try_from(left).unwrap_or(usize::MAX));
        if from_pending > 0 {
            let room = keep.saturating_sub(out.len()).min(from_pending);
            out.extend_from_slice(&self.pending[..room]);
            self.pending.drain(..from_pending);
            left -= from_pending as u64;
        }
        while left > 0 {
            let buf = match self.input.fill_buf() {
                Ok(buf) => buf,
                Err(e) => {
                    self.error = Some(e);
                    self.done = true;
                    break;
                }
            };
            if buf.is_empty() {
                break;
            }
            let take = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            let room = keep.saturating_sub(out.len()).min(take);
            out.extend_from_slice(&buf[..room]);
            self.input.consume(take);
            left -= take as u64;
        }
        let read = n - left;
        self.offset += read;
        read
    }

    /// Gives bytes back, to be read again first.
    fn unread(&mut self, bytes: &[u8]) {
        self.offset -= bytes.len() as u64;
        self.pending.splice(0..0, bytes.iter().copied());
    }

    /// Reads past lines up to the next `WARC/` version line, given back.
    fn resync(&mut self) {
        while let Some(line) = self.line() {
            if is_version_line(&line) {
                self.unread(&line);
                return;
            }
        }
    }

    fn next_item(&mut self) -> Option<Item> {
        if self.done {
            return None;
        }
        // Blank lines between records (the end of a record is two CRLFs).
        let first = loop {
            match self.line() {
                None => {
                    self.done = true;
                    return None;
                }
                Some(line) if is_blank(&line) => continue,
                Some(line) => break line,
            }
        };
        let offset = self.offset - first.len() as u64;
        if !is_version_line(&first) {
            self.resync();
            return Some(Item::Bad(format!(
                "no WARC record at offset {offset} (bytes up to the next record skipped)"
            )));
        }
        let mut header = Header {
            version: String::from_utf8_lossy(trim_line(&first)).into_owned(),
            ..Header::default()
        };
        let mut length = None;
        let mut lines = 0;
        loop {
            let Some(line) = self.line() else {
                if self.error.is_some() {
                    return None;
                }
                return Some(Item::Bad(format!(
                    "record at offset {offset}: header cut short"
                )));
            };
            if is_blank(&line) {
                break;
            }
            lines += 1;
            if lines > MAX_HEADER_LINES || is_version_line(&line) {
                if is_version_line(&line) {
                    self.unread(&line);
                } else {
                    self.resync();
                }
                return Some(Item::Bad(format!(
                    "record at offset {offset}: header does not end"
                )));
            }
            let line = String::from_utf8_lossy(trim_line(&line)).into_owned();
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim().to_string();
            match name.trim().to_ascii_lowercase().as_str() {
                "warc-type" => header.kind = value.to_ascii_lowercase(),
                "warc-record-id" => {
                    header.id = value
                        .trim_start_matches('<')
                        .trim_end_matches('>')
                        .to_string();
                }
                "warc-target-uri" => {
                    // WARC 1.0 writers put angle brackets around it too.
                    header.target_uri = Some(
                        value
                            .trim_start_matches('<')
                            .trim_end_matches('>')
                            .to_string(),
                    );
                }
                "warc-date" => header.date = Some(value),
                "content-type" => header.content_type = Some(value),
                "content-length" => length = value.parse::<u64>().ok(),
                _ => {}
            }
        }
        let Some(length) = length else {
            self.resync();
            return Some(Item::Bad(format!(
                "record at offset {offset}: no valid Content-Length"
            )));
        };
        header.length = length;
        let keep = usize::try_from(length)
            .unwrap_or(usize::MAX)
            .min(self.block_cap);
        let mut block = Vec::with_capacity(keep.min(1 << 20));
        let read = self.block(length, keep, &mut block);
        if self.error.is_some() {
            return None;
        }
        if read < length {
            self.recover(&block, read);
            return Some(Item::Bad(format!(
                "record at offset {offset}: Content-Length {length} but only {read} bytes follow"
            )));
        }
        // The block ends with two CRLFs (bare LFs accepted).
        let mut tail = Vec::new();
        for _ in 0..2 {
            match self.line() {
                Some(line) if is_blank(&line) => tail.extend_from_slice(&line),
                Some(line) => {
                    tail.extend_from_slice(&line);
                    self.unread(&tail);
                    self.recover(&block, read);
                    return Some(Item::Bad(format!(
                        "record at offset {offset}: Content-Length {length} does not end the record"
                    )));
                }
                None => break,
            }
        }
        Some(Item::Record(Record {
            header,
            cut: (block.len() as u64) < length,
            block,
            offset,
        }))
    }

    /// After a block that did not end where its length said: the records it
    /// swallowed are read again from the first version line inside it;
    /// else reading resumes at the next version line of the stream.
    fn recover(&mut self, block: &[u8], read: u64) {
        // Only a block kept whole is the stream as it was read.
        if let Some(at) =
            memchr::memmem::find(block, b"\nWARC/1.").filter(|_| block.len() as u64 == read)
        {
            let swallowed = &block[at + 1..];
            // Unread only what was read past: the pending bytes already
            // hold the stream after the block.
            self.unread(swallowed);
            return;
        }
        self.resync();
    }
}

fn is_blank(line: &[u8]) -> bool {
    line == b"\r\n" || line == b"\n"
}

fn trim_line(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn is_version_line(line: &[u8]) -> bool {
    line.starts_with(b"WARC/1.") || line.starts_with(b"WARC/0.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn record(kind: &str, id: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <{id}>\r\nWARC-Date: 2024-05-01T12:00:00.123456Z\r\nWARC-Target-URI: https://news.example/a\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    const LIMITS: ReadLimits = ReadLimits {
        block: 1 << 20,
        gzip: Limits {
            max_output: 1 << 30,
            max_ratio: 100,
        },
    };

    fn read_all(bytes: &[u8]) -> (Vec<Item>, Checkpoint) {
        let mut items = Vec::new();
        let mut input = Hashed::new(bytes);
        let end = read(&mut input, LIMITS, Checkpoint::default(), &mut |i| {
            items.push(i)
        });
        (items, end)
    }

    fn ids(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|i| match i {
                Item::Record(r) => r.header.id.clone(),
                Item::Bad(reason) => format!("bad: {reason}"),
            })
            .collect()
    }

    fn three() -> [Vec<u8>; 3] {
        [
            record("warcinfo", "urn:uuid:1", b"software: test\r\n"),
            record(
                "response",
                "urn:uuid:2",
                b"HTTP/1.1 200 OK\r\n\r\n<p>two</p>",
            ),
            record("request", "urn:uuid:3", b"GET /a HTTP/1.1\r\n\r\n"),
        ]
    }

    #[test]
    fn reads_plain_per_record_gzip_and_whole_gzip_alike() {
        let [a, b, c] = three();
        let plain = [a.clone(), b.clone(), c.clone()].concat();
        let members = [gzip(&a), gzip(&b), gzip(&c)].concat();
        let whole = gzip(&plain);
        for bytes in [&plain, &members, &whole] {
            let (items, end) = read_all(bytes);
            assert_eq!(ids(&items), ["urn:uuid:1", "urn:uuid:2", "urn:uuid:3"]);
            assert_eq!(end.offset, bytes.len() as u64);
            assert_eq!(end.hash, xxhash_rust::xxh3::xxh3_64(bytes));
            let Item::Record(r) = &items[1] else { panic!() };
            assert_eq!(r.header.kind, "response");
            assert_eq!(r.header.version, "WARC/1.1");
            assert_eq!(
                r.header.target_uri.as_deref(),
                Some("https://news.example/a")
            );
            assert_eq!(
                r.header.date.as_deref(),
                Some("2024-05-01T12:00:00.123456Z")
            );
            assert_eq!(r.block, b"HTTP/1.1 200 OK\r\n\r\n<p>two</p>");
        }
    }

    #[test]
    fn resumes_after_a_checkpoint() {
        let [a, b, c] = three();
        let members = [gzip(&a), gzip(&b), gzip(&c)].concat();
        let first = gzip(&a).len() as u64;
        let mut input = Hashed::new(&members[..]);
        input.skip(first).unwrap();
        let start = input.checkpoint();
        assert_eq!(start.hash, xxhash_rust::xxh3::xxh3_64(&gzip(&a)));
        let mut items = Vec::new();
        let end = read(&mut input, LIMITS, start, &mut |i| items.push(i));
        assert_eq!(ids(&items), ["urn:uuid:2", "urn:uuid:3"]);
        assert_eq!(end.hash, xxhash_rust::xxh3::xxh3_64(&members));
    }

    #[test]
    fn a_record_cut_short_is_bad_and_leaves_the_checkpoint_before_it() {
        let [a, b, _] = three();
        let mut plain = [a.clone(), b.clone()].concat();
        plain.truncate(plain.len() - 10);
        let (items, end) = read_all(&plain);
        assert_eq!(ids(&items)[0], "urn:uuid:1");
        assert!(
            ids(&items)[1].starts_with("bad: record at offset"),
            "{items:?}"
        );
        assert_eq!(end.offset, a.len() as u64);
        // The same in gzip members: the cut member is bad, the one before is kept.
        let mut members = [gzip(&a), gzip(&b)].concat();
        members.truncate(members.len() - 5);
        let (items, end) = read_all(&members);
        // The cut member's record came whole before its trailer: it is read
        // (the checkpoint stays before it, so a resumed read sees it again).
        assert_eq!(
            ids(&items),
            [
                "urn:uuid:1".to_string(),
                "urn:uuid:2".to_string(),
                format!("bad: truncated gzip member at offset {}", gzip(&a).len())
            ]
        );
        members.truncate(members.len() - 30);
        let (items, _) = read_all(&members);
        assert_eq!(
            ids(&items),
            [
                "urn:uuid:1".to_string(),
                format!("bad: truncated gzip member at offset {}", gzip(&a).len())
            ]
        );
        assert_eq!(end.offset, gzip(&a).len() as u64);
    }

    #[test]
    fn lying_content_lengths_lose_only_their_own_record() {
        let [a, b, c] = three();
        for to in ["Content-Length: 20", "Content-Length: 400"] {
            let liar = String::from_utf8(b.clone())
                .unwrap()
                .replace("Content-Length: 29", to);
            assert_ne!(liar.as_bytes(), &b[..]);
            let plain = [a.clone(), liar.into_bytes(), c.clone()].concat();
            let (items, _) = read_all(&plain);
            let got = ids(&items);
            assert_eq!(got.len(), 3, "{got:?}");
            assert_eq!(got[0], "urn:uuid:1");
            assert!(got[1].starts_with("bad: record at offset"), "{got:?}");
            assert_eq!(got[2], "urn:uuid:3", "{to}");
        }
        // A length past the end of the file swallows the records after it.
        let liar = String::from_utf8(a.clone())
            .unwrap()
            .replace("Content-Length: 16", "Content-Length: 100000");
        let plain = [liar.into_bytes(), b.clone(), c.clone()].concat();
        let got = ids(&read_all(&plain).0);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(&got[1..], ["urn:uuid:2", "urn:uuid:3"]);
    }

    #[test]
    fn reading_goes_on_after_a_damaged_member() {
        let [a, b, c] = three();
        for damage in [0usize, 1, 2] {
            let mut members = vec![gzip(&a), gzip(&b), gzip(&c)];
            match damage {
                0 => {
                    let half = members[1].len() / 2;
                    members[1].truncate(half);
                }
                1 => {
                    let mid = members[1].len() / 2;
                    members[1][mid] ^= 0xff;
                    members[1][mid + 1] ^= 0xff;
                }
                _ => members.insert(1, b"junk between members".to_vec()),
            }
            let (items, end) = read_all(&members.concat());
            let got = ids(&items);
            assert_eq!(
                got.first().map(String::as_str),
                Some("urn:uuid:1"),
                "{got:?}"
            );
            assert_eq!(
                got.last().map(String::as_str),
                Some("urn:uuid:3"),
                "{got:?}"
            );
            assert_eq!(
                got.iter().filter(|g| g.starts_with("bad:")).count(),
                1,
                "{got:?}"
            );
            assert_eq!(end.offset, members.concat().len() as u64);
        }
    }

    #[test]
    fn garbage_and_caps() {
        let (items, end) = read_all(b"this is not a warc file\nat all\n");
        assert_eq!(items.len(), 1);
        assert!(matches!(&items[0], Item::Bad(_)));
        assert_eq!(end, Checkpoint::default());
        // A block past the cap keeps only its start.
        let [_, b, _] = three();
        let mut input = Hashed::new(&b[..]);
        let mut items = Vec::new();
        let small = ReadLimits { block: 8, ..LIMITS };
        read(&mut input, small, Checkpoint::default(), &mut |i| {
            items.push(i)
        });
        let Item::Record(r) = &items[0] else {
            panic!("{items:?}")
        };
        assert!(r.cut);
        assert_eq!(r.block, b"HTTP/1.1");
        // A gzip member past the decompression cap is bad, not read on.
        let huge = gzip(&record("response", "urn:uuid:9", &vec![b'x'; 4 << 20]));
        let mut input = Hashed::new(&huge[..]);
        let mut items = Vec::new();
        let capped = ReadLimits {
            gzip: Limits {
                max_output: 1 << 20,
                max_ratio: 1000,
            },
            ..LIMITS
        };
        read(&mut input, capped, Checkpoint::default(), &mut |i| {
            items.push(i)
        });
        assert_eq!(
            ids(&items),
            ["bad: gzip member more than 1048576 bytes once decompressed at offset 0"]
        );
    }
}
