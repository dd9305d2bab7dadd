//! The corpus on disk: walking folders for article files (symlinks followed
//! while their targets stay inside the indexed roots, loops and dangling
//! links reported, hidden entries skipped), stat-only
//! stamps for change detection, and reading and decoding a file's bytes
//! (gzip within limits of its own, UTF-8, UTF-16 with a BOM, legacy 8-bit
//! encodings; NUL bytes mean binary).

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

use crate::compression::{self, Exceeded, Limits};
use crate::format::Format;
use crate::schema::path_hash;

/// Default largest file read, in bytes.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 20 * 1024 * 1024;

/// Why a file was not indexed. The names are the summary's `skipped` keys.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::Display,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[strum(serialize_all = "kebab-case")]
pub enum SkipReason {
    /// Extension of a format the indexer does not read.
    Unsupported,
    /// Zero bytes, or no text once parsed.
    Empty,
    /// Larger than the size cap, or than the decompressed-size cap.
    TooLarge,
    /// Compressed data expanding far more than text does.
    CompressionBomb,
    /// Holds NUL bytes outside a UTF-16 text.
    Binary,
    /// Could not be read (permissions, I/O error, bad gzip stream).
    Unreadable,
    /// A symbolic link whose target does not exist.
    DanglingSymlink,
    /// A symbolic link leading back to one of its own ancestors.
    SymlinkLoop,
    /// A symbolic link (to a file or a folder) whose target lies outside
    /// every indexed root, not followed unless asked.
    OutsideRoot,
    /// A FIFO, socket or device.
    NotAFile,
    /// Gone between the walk and the read.
    Vanished,
    /// Modified while being read; picked up by the next run.
    Changed,
    /// A malformed record inside a JSON or JSON Lines file.
    BadRecord,
    /// A path that is not valid UTF-8, so it cannot be an article id.
    BadPath,
    /// A web-archive record that is not a captured response: a request,
    /// metadata, revisit or warcinfo record.
    OtherRecord,
    /// A captured response whose payload is not HTML or text (an image, a
    /// script, a style sheet).
    NotText,
    /// A captured response that is not a success (a redirect, an error).
    HttpStatus,
}

impl SkipReason {
    /// The reason's name, as in the summary.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Whether the reason is a problem with the input, reported on stderr and
    /// reflected in the exit code; files of other formats are only counted.
    pub fn is_problem(self) -> bool {
        !matches!(
            self,
            SkipReason::Unsupported
                | SkipReason::OtherRecord
                | SkipReason::NotText
                | SkipReason::HttpStatus
        )
    }
}

/// A file that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// The path as found (not canonical when it could not be resolved).
    pub path: String,
    /// The class of problem.
    pub reason: SkipReason,
    /// A detail for the report (the OS error, the size).
    pub detail: Option<String>,
}

impl Skip {
    fn new(path: &Path, reason: SkipReason, detail: impl Into<Option<String>>) -> Skip {
        Skip {
            path: path.to_string_lossy().into_owned(),
            reason,
            detail: detail.into(),
        }
    }
}

/// A file's size and modification time: equal stamps mean unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch.
    pub mtime: i64,
}

impl Stamp {
    fn of(meta: &fs::Metadata) -> Stamp {
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
        Stamp {
            size: meta.len(),
            mtime,
        }
    }
}

/// An article file found by the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Canonical path, the article id's base.
    pub path: String,
    /// Format by extension.
    pub format: Format,
    /// For a gzip-compressed file, the limits of its decompression.
    pub gzip: Option<Limits>,
    /// Stamp at walk time.
    pub stamp: Stamp,
    /// The root whose walk found the file (the file itself lies outside it
    /// when a link led there).
    pub root: String,
}

/// What the walk reports, in walk order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// An article file to consider.
    File(Candidate),
    /// A file that will not be indexed.
    Skipped(Skip),
    /// A folder that could not be listed: articles under it must not be taken
    /// for deleted.
    BlindSpot(Skip),
}

/// What the walk accepts.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Largest file read, in bytes.
    pub max_file_size: u64,
    /// Further extensions read as plain text.
    pub extra_extensions: Vec<String>,
    /// Limits of decompression, independent of `max_file_size`.
    pub decompression: Limits,
    /// Follow links whose targets lie outside every indexed root.
    pub follow_outside: bool,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            extra_extensions: Vec::new(),
            decompression: Limits::default(),
            follow_outside: false,
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n.len() > 1 && n != "..")
}

/// Walks each root (a file or a folder, recursively) and reports every file
/// in it to `sink`. Each canonical path is reported once, however many links
/// lead to it. A link is followed only when its target lies inside one of
/// `bounds` (the index's roots), unless `options.follow_outside`. Roots and
/// bounds must already be canonical.
pub fn walk(
    roots: &[PathBuf],
    bounds: &[PathBuf],
    options: &WalkOptions,
    mut sink: impl FnMut(Found),
) {
    let mut seen: HashSet<u64> = HashSet::new();
    let outside =
        |target: &Path| !options.follow_outside && !bounds.iter().any(|b| target.starts_with(b));
    for root in roots {
        let root_name = root.to_string_lossy().into_owned();
        // Folders reached through a symlink: paths under them are not canonical.
        let mut linked_dirs: Vec<PathBuf> = Vec::new();
        let mut walker = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    sink(walk_error(&err));
                    continue;
                }
            };
            let file_type = entry.file_type();
            if file_type.is_dir() {
                if entry.path_is_symlink() {
                    // Checked before anything under it is read: a link to a
                    // folder outside the roots is not descended into.
                    match fs::canonicalize(entry.path()) {
                        Ok(target) if outside(&target) => {
                            walker.skip_current_dir();
                            sink(Found::Skipped(outside_skip(entry.path(), &target)));
                            continue;
                        }
                        Ok(_) => linked_dirs.push(entry.path().to_path_buf()),
                        Err(e) => {
                            walker.skip_current_dir();
                            sink(Found::Skipped(io_skip(entry.path(), &e)));
                            continue;
                        }
                    }
                }
                continue;
            }
            let path = entry.path();
            if !file_type.is_file() {
                sink(Found::Skipped(Skip::new(path, SkipReason::NotAFile, None)));
                continue;
            }
            let Some((format, gzip)) = format_of(path, &options.extra_extensions) else {
                sink(Found::Skipped(Skip::new(
                    path,
                    SkipReason::Unsupported,
                    None,
                )));
                continue;
            };
            if path.to_str().is_none() {
                sink(Found::Skipped(Skip::new(path, SkipReason::BadPath, None)));
                continue;
            }
            let through_link =
                entry.path_is_symlink() || linked_dirs.iter().any(|d| path.starts_with(d));
            let canonical = if through_link {
                match fs::canonicalize(path) {
                    Ok(p) if outside(&p) => {
                        sink(Found::Skipped(outside_skip(path, &p)));
                        continue;
                    }
                    Ok(p) => p,
                    Err(e) => {
                        sink(Found::Skipped(io_skip(path, &e)));
                        continue;
                    }
                }
            } else {
                path.to_path_buf()
            };
            let Some(canonical) = canonical.to_str().map(str::to_string) else {
                sink(Found::Skipped(Skip::new(path, SkipReason::BadPath, None)));
                continue;
            };
            if !seen.insert(path_hash(&canonical)) {
                continue;
            }
            let meta = match entry.metadata() {
                Ok(m) => m,
                Err(e) => {
                    sink(walk_error(&e));
                    continue;
                }
            };
            let stamp = Stamp::of(&meta);
            if stamp.size == 0 {
                sink(Found::Skipped(Skip::new(path, SkipReason::Empty, None)));
                continue;
            }
            // A web archive is read record by record: the cap holds each
            // page it captured, not the crawl.
            if stamp.size > options.max_file_size && format != Format::Warc {
                sink(Found::Skipped(Skip::new(
                    path,
                    SkipReason::TooLarge,
                    format!("{} bytes > {}", stamp.size, options.max_file_size),
                )));
                continue;
            }
            sink(Found::File(Candidate {
                path: canonical,
                format,
                gzip: gzip.then_some(options.decompression),
                stamp,
                root: root_name.clone(),
            }));
        }
    }
}

/// The format of a file by its name; a name that is not valid UTF-8 is
/// judged by its readable part, so that an article file with such a name is
/// reported rather than taken for a file of another format.
fn format_of(path: &Path, extra: &[String]) -> Option<(Format, bool)> {
    let name = path.file_name()?.to_string_lossy();
    Format::of_path(Path::new(name.as_ref()), extra)
}

fn outside_skip(link: &Path, target: &Path) -> Skip {
    Skip::new(
        link,
        SkipReason::OutsideRoot,
        format!("links to {}; --follow-outside indexes it", target.display()),
    )
}

fn walk_error(err: &walkdir::Error) -> Found {
    let path = err.path().unwrap_or(Path::new("?"));
    if err.loop_ancestor().is_some() {
        return Found::Skipped(Skip::new(path, SkipReason::SymlinkLoop, None));
    }
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    match err.io_error() {
        Some(io) if io.kind() == io::ErrorKind::NotFound && is_link => {
            Found::Skipped(Skip::new(path, SkipReason::DanglingSymlink, None))
        }
        Some(io) if io.raw_os_error() == Some(40) && is_link => {
            // ELOOP: a link chain that never ends.
            Found::Skipped(Skip::new(path, SkipReason::SymlinkLoop, None))
        }
        Some(io) if fs::metadata(path).is_ok_and(|m| m.is_dir()) => {
            Found::BlindSpot(io_skip(path, io))
        }
        Some(io) => Found::Skipped(io_skip(path, io)),
        None => Found::Skipped(Skip::new(path, SkipReason::Unreadable, err.to_string())),
    }
}

/// The skip of a file whose read failed.
pub(crate) fn io_skip(path: &Path, err: &io::Error) -> Skip {
    let reason = if err.kind() == io::ErrorKind::NotFound {
        SkipReason::Vanished
    } else {
        SkipReason::Unreadable
    };
    Skip::new(path, reason, err.to_string())
}

/// Reads a candidate's bytes, refusing files that grew past the cap, vanished
/// or changed while being read.
pub fn read(candidate: &Candidate, max_file_size: u64) -> Result<Vec<u8>, Skip> {
    let path = Path::new(&candidate.path);
    let mut file = File::open(path).map_err(|e| io_skip(path, &e))?;
    let mut bytes = Vec::with_capacity(candidate.stamp.size as usize);
    file.by_ref()
        .take(max_file_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_skip(path, &e))?;
    if bytes.len() as u64 > max_file_size {
        return Err(Skip::new(
            path,
            SkipReason::TooLarge,
            format!("more than {max_file_size} bytes"),
        ));
    }
    let after = file
        .metadata()
        .map(|m| Stamp::of(&m))
        .map_err(|e| io_skip(path, &e))?;
    if after != candidate.stamp || bytes.len() as u64 != after.size {
        return Err(Skip::new(path, SkipReason::Changed, None));
    }
    Ok(bytes)
}

/// The skip of a file whose decompression failed or went past a limit.
pub fn decompression_skip(path: &Path, err: &io::Error) -> Skip {
    match Exceeded::of(err) {
        Some(exceeded @ Exceeded::Size(_)) => {
            Skip::new(path, SkipReason::TooLarge, exceeded.to_string())
        }
        Some(exceeded) => Skip::new(path, SkipReason::CompressionBomb, exceeded.to_string()),
        None => Skip::new(path, SkipReason::Unreadable, format!("gzip: {err}")),
    }
}

/// Decoded text of a file, with a note when it was not UTF-8.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The legacy encoding the text was decoded from, if not UTF-8.
    pub encoding: Option<&'static str>,
}

/// Decompresses (when gzip limits are given) and decodes a file's bytes
/// into text.
pub fn decode(path: &str, bytes: Vec<u8>, gzip: Option<Limits>) -> Result<Decoded, Skip> {
    let path = Path::new(path);
    let bytes = match gzip {
        Some(limits) => {
            compression::gunzip(&bytes, limits).map_err(|e| decompression_skip(path, &e))?
        }
        None => bytes,
    };
    if bytes.is_empty() {
        return Err(Skip::new(path, SkipReason::Empty, None));
    }
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(&bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors && encoding != encoding_rs::UTF_8 {
            return Err(Skip::new(
                path,
                SkipReason::Binary,
                "invalid UTF-16".to_string(),
            ));
        }
        let note = (encoding != encoding_rs::UTF_8).then(|| encoding.name());
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: note,
        });
    }
    if is_binary(&bytes) {
        return Err(Skip::new(path, SkipReason::Binary, None));
    }
    // Valid UTF-8, the common case, becomes the text without a copy.
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text,
            encoding: None,
        }),
        Err(e) => {
            let bytes = e.into_bytes();
            if mostly_utf8(&bytes) {
                return Ok(Decoded {
                    text: String::from_utf8_lossy(&bytes).into_owned(),
                    encoding: Some("UTF-8 with invalid bytes replaced"),
                });
            }
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(&bytes, true);
            let encoding = detector.guess(None, true);
            let (text, _, _) = encoding.decode(&bytes);
            Ok(Decoded {
                text: text.into_owned(),
                encoding: Some(encoding.name()),
            })
        }
    }
}

/// Bytes a text file does not start with: a NUL among the first 8,000
/// bytes (where every binary format shows one), or NULs in more than one
/// byte of a thousand. A stray NUL deep in a saved web page is not binary.
fn is_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8000)];
    if head.contains(&0) {
        return true;
    }
    let nuls = bytes.iter().filter(|&&b| b == 0).count();
    nuls * 1000 > bytes.len()
}

/// Text that is UTF-8 but for a few bad bytes (a page pasted together from
/// sources in different encodings): at least four valid non-ASCII
/// characters for each invalid sequence. Read as a legacy encoding, all
/// its valid characters would turn to mojibake.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().bytes().filter(|&b| b >= 0xC0).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    valid >= 4 * invalid
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_plain(bytes: &[u8]) -> Result<Decoded, Skip> {
        decode("x.txt", bytes.to_vec(), None)
    }

    #[test]
    fn decodes_utf8_and_boms() {
        assert_eq!(
            decode_plain("Rodríguez".as_bytes()).unwrap().text,
            "Rodríguez"
        );
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(b"Hi");
        assert_eq!(decode_plain(&with_bom).unwrap().text, "Hi");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Ebrard é".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let d = decode_plain(&utf16).unwrap();
        assert_eq!(d.text, "Ebrard é");
        assert_eq!(d.encoding, Some("UTF-16LE"));
    }

    #[test]
    fn decodes_latin1() {
        let d = decode_plain(b"Jos\xe9 Mart\xednez visit\xf3 la capital de M\xe9xico").unwrap();
        assert_eq!(d.text, "José Martínez visitó la capital de México");
        assert!(d.encoding.is_some());
    }

    #[test]
    fn nul_bytes_are_binary() {
        let err = decode_plain(b"PK\x03\x04\x00\x00binary").unwrap_err();
        assert_eq!(err.reason, SkipReason::Binary);
        let mut page = b"<p>text</p>".repeat(1000);
        page.extend_from_slice(b"\x00\x00<p>more</p>");
        let d = decode("x.html", page, None).unwrap();
        assert!(d.text.ends_with("<p>more</p>"));
    }

    #[test]
    fn mostly_utf8_with_a_stray_byte_stays_utf8() {
        let mut text = "Zarząd Fundacji wytoczył sprawę karną. "
            .repeat(3)
            .into_bytes();
        text.push(0xE9);
        let d = decode_plain(&text).unwrap();
        assert!(d.text.starts_with("Zarząd Fundacji wytoczył"));
        assert_eq!(d.encoding, Some("UTF-8 with invalid bytes replaced"));
    }

    #[test]
    fn gzip_round_trip_and_bombs() {
        use flate2::write::GzEncoder;
        use std::io::Write;
        let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&b"a".repeat(5000)).unwrap();
        let gz = enc.finish().unwrap();
        let limits = |max_output| {
            Some(Limits {
                max_output,
                ..Limits::default()
            })
        };
        assert_eq!(
            decode("x.txt.gz", gz.clone(), limits(10_000))
                .unwrap()
                .text
                .len(),
            5000
        );
        let err = decode("x.txt.gz", gz, limits(1000)).unwrap_err();
        assert_eq!(err.reason, SkipReason::TooLarge);
        let err = decode("x.txt.gz", b"not gzip".to_vec(), limits(1000)).unwrap_err();
        assert_eq!(err.reason, SkipReason::Unreadable);
        let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&b"a".repeat(8 << 20)).unwrap();
        let err = decode("x.txt.gz", enc.finish().unwrap(), limits(1 << 30)).unwrap_err();
        assert_eq!(err.reason, SkipReason::CompressionBomb);
    }
}
