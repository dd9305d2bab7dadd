//! Entities of a document: its mentions merged by kind and name, case
//! aside, with bare surnames joined to the full name, acronyms to their long
//! form ("Drug Enforcement Administration ( DEA )", or by initials) and short
//! forms of organisations to the long one ("Harrow Valley" -> "Harrow
//! Valley Insurance Corp"). The display name is the fullest mixed-case form
//! (or the gazetteer's canonical name); aliases are the other forms the text
//! uses.

use std::borrow::Cow;

use super::doc::Span;
use std::hash::Hasher;

use super::{Entity, EntityKind, Extractor};
use rustc_hash::{FxHashMap, FxHasher};

/// Mentions merged so far under one name.
struct Group {
    kind: EntityKind,
    /// Upper-cased words of the fullest form joined by single spaces (a
    /// range of [`Merger::arena`]), for partner look-ups.
    upper: (usize, usize),
    /// Number of words in `upper`.
    words: usize,
    /// Some form of the group was joined from several lines or has another
    /// kind than the group.
    mixed: bool,
    /// Hashes of the first and the last word of `upper`, to rule groups
    /// out quickly.
    first_word: u64,
    last_word: u64,
    mentions: usize,
    first: usize,
    entry: Option<u32>,
}

/// True when every cased letter is upper case ("KELLCO CORP", "DEA").
fn shouted(s: &str) -> bool {
    if s.is_ascii() {
        let b = s.as_bytes();
        return b.iter().any(u8::is_ascii_uppercase) && !b.iter().any(u8::is_ascii_lowercase);
    }
    s.chars().any(char::is_uppercase) && !s.chars().any(char::is_lowercase)
}

/// The number of words (`split_whitespace`) of `s`.
fn word_count(s: &str) -> usize {
    if !s.is_ascii() {
        return s.split_whitespace().count();
    }
    // ASCII white space as `char::is_whitespace` has it: TAB to CR, space.
    let space = |c: u8| c == b' ' || (b'\t'..=b'\r').contains(&c);
    let mut n = 0;
    let mut prev_space = true;
    for &c in s.as_bytes() {
        let sp = space(c);
        n += usize::from(prev_space && !sp);
        prev_space = sp;
    }
    n
}

/// A line break, a tab or a double space inside a name.
fn needs_join(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().any(|&c| matches!(c, b'\n' | b'\r' | b'\t')) || b.windows(2).any(|w| w == b"  ")
}

/// What the merge needs to know of a name's spelling, found in one pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    /// Number of words (`split_whitespace`).
    words: usize,
    /// ASCII words separated by single spaces: the upper case is the
    /// upper-cased words joined by single spaces.
    single: bool,
    /// See [`needs_join`].
    join: bool,
    /// See [`shouted`].
    shouted: bool,
}

fn shape(s: &str) -> Shape {
    let b = s.as_bytes();
    if !b.is_ascii() {
        return Shape {
            words: word_count(s),
            single: false,
            join: needs_join(s),
            shouted: shouted(s),
        };
    }
    let (mut words, mut prev_space) = (0, true);
    let (mut ctrl, mut double, mut up, mut low) = (false, false, false, false);
    let mut prev = 0u8;
    for &c in b {
        let control = (b'\t'..=b'\r').contains(&c);
        let space = c == b' ' || control;
        words += usize::from(prev_space && !space);
        ctrl |= control;
        double |= c == b' ' && prev == b' ';
        up |= c.is_ascii_uppercase();
        low |= c.is_ascii_lowercase();
        prev_space = space;
        prev = c;
    }
    let edges = b.first().is_some_and(|&c| c != b' ') && b.last().is_some_and(|&c| c != b' ');
    Shape {
        words,
        single: !ctrl && !double && edges,
        join: double || b.iter().any(|&c| matches!(c, b'\n' | b'\r' | b'\t')),
        shouted: up && !low,
    }
}

/// Appends `s` upper-cased to `out`.
fn push_upper(out: &mut String, s: &str) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        out[start..].make_ascii_uppercase();
    } else {
        out.extend(s.chars().flat_map(char::to_uppercase));
    }
}

/// Appends the upper-cased words of `s` joined by single spaces to `out`;
/// returns their number.
fn push_upper_joined(out: &mut String, s: &str) -> usize {
    let mut n = 0;
    for w in s.split_whitespace() {
        if n > 0 {
            out.push(' ');
        }
        push_upper(out, w);
        n += 1;
    }
    n
}

/// True when the words of `long` (joined by single spaces) begin with all
/// the words of `short`.
fn starts_with_words(long: &str, short: &str) -> bool {
    long.len() > short.len() && long.starts_with(short) && long.as_bytes()[short.len()] == b' '
}

/// True when the words of `long` end with all the words of `short`.
fn ends_with_words(long: &str, short: &str) -> bool {
    long.len() > short.len()
        && long.ends_with(short)
        && long.as_bytes()[long.len() - short.len() - 1] == b' '
}

fn str_hash(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    h.finish()
}

/// Hashes of the first and the last word of words joined by single spaces.
fn edge_hashes(joined: &str) -> (u64, u64) {
    let first = joined.split(' ').next().unwrap_or("");
    let last = joined.rsplit(' ').next().unwrap_or("");
    (str_hash(first), str_hash(last))
}

const NIL: u32 = u32::MAX;

/// The state of one merge: groups, the upper-cased names that lead to
/// them, and one string arena for all the upper-cased text (no allocation
/// per name).
struct Merger {
    groups: Vec<Group>,
    /// Hash of an upper-cased name to the first of its `keys`.
    by_key: FxHashMap<u64, u32>,
    /// Kind and upper-cased name (arena range), its group, the next key of
    /// the same hash.
    keys: Vec<(EntityKind, (usize, usize), usize, u32)>,
    arena: String,
    /// Scratch buffer for look-ups.
    buf: String,
}

impl Merger {
    fn text(&self, r: (usize, usize)) -> &str {
        &self.arena[r.0..r.1]
    }

    /// The group of the upper-cased name in `self.buf`, whose hash is `h`.
    fn get(&self, kind: EntityKind, h: u64) -> Option<usize> {
        let mut k = *self.by_key.get(&h)?;
        while k != NIL {
            let (kk, r, g, next) = self.keys[k as usize];
            if kk == kind && self.text(r) == self.buf {
                return Some(g);
            }
            k = next;
        }
        None
    }

    /// Leads a name that leads nowhere yet (hash `h`, text `r` in the
    /// arena) to group `g`.
    fn insert_new(&mut self, kind: EntityKind, h: u64, r: (usize, usize), g: usize) {
        let head = self.by_key.entry(h).or_insert(NIL);
        self.keys.push((kind, r, g, *head));
        *head = (self.keys.len() - 1) as u32;
    }

    /// Leads the upper-cased name in `self.buf` to group `g`, unless it
    /// already leads somewhere.
    fn insert(&mut self, kind: EntityKind, g: usize) {
        let h = str_hash(&self.buf);
        if self.get(kind, h).is_some() {
            return;
        }
        let start = self.arena.len();
        self.arena.push_str(&self.buf);
        self.insert_new(kind, h, (start, self.arena.len()), g);
    }
}

/// Merges the mentions of a document into entities, most salient first.
pub(crate) fn entities(ex: &Extractor, text: &str, spans: &[Span]) -> Vec<Entity> {
    // Distinct surface forms first (a name repeats): the merging below then
    // runs once per form, not once per mention.
    struct Form<'t> {
        span: Span,
        raw: &'t str,
        count: usize,
        shape: Shape,
        /// Sort key: more words first, mixed case first, then text order.
        order: (std::cmp::Reverse<usize>, bool, usize),
    }
    let mut forms: Vec<Form<'_>> = Vec::with_capacity(spans.len());
    let mut form_at: FxHashMap<(EntityKind, &str), usize> =
        FxHashMap::with_capacity_and_hasher(spans.len(), Default::default());
    for s in spans {
        let raw = &text[s.start..s.end];
        match form_at.get(&(s.kind, raw)) {
            Some(&i) => forms[i].count += 1,
            None => {
                let sh = shape(raw);
                form_at.insert((s.kind, raw), forms.len());
                forms.push(Form {
                    span: *s,
                    raw,
                    count: 1,
                    shape: sh,
                    order: (std::cmp::Reverse(sh.words), sh.shouted, s.start),
                });
            }
        }
    }
    // Fuller forms first (more words, mixed case), so that short forms and
    // upper-case headlines find them.
    forms.sort_unstable_by_key(|f| f.order);
    let mut m = Merger {
        groups: Vec::with_capacity(forms.len()),
        by_key: FxHashMap::with_capacity_and_hasher(forms.len() * 2, Default::default()),
        keys: Vec::with_capacity(forms.len() * 2),
        arena: String::with_capacity(forms.len() * 24),
        buf: String::with_capacity(64),
    };
    // Distinct surface forms of each group, in order of appearance.
    let mut group_forms: Vec<(usize, Cow<'_, str>, Shape)> = Vec::with_capacity(forms.len());
    for f in &forms {
        let s = f.span;
        // Hard-wrapped text can break a name across lines: one space each.
        let (surface, surface_shape): (Cow<'_, str>, Shape) = if f.shape.join {
            let joined = f.raw.split_whitespace().collect::<Vec<_>>().join(" ");
            let sh = shape(&joined);
            (Cow::Owned(joined), sh)
        } else {
            (Cow::Borrowed(f.raw), f.shape)
        };
        let (canonical, canonical_shape) = match s.entry {
            Some(e) => {
                let name = ex.entries[e as usize].name.as_str();
                (name, shape(name))
            }
            None => (surface.as_ref(), surface_shape),
        };
        m.buf.clear();
        push_upper(&mut m.buf, canonical);
        let h = str_hash(&m.buf);
        let gi = match m.get(s.kind, h) {
            Some(g) => g,
            None => match partner(text, spans, &m, s, (&surface, surface_shape), canonical) {
                Some(g) => g,
                None => {
                    // `m.buf` still holds the upper case of `canonical`.
                    let start = m.arena.len();
                    let (words, upper, key) = if canonical_shape.single {
                        m.arena.push_str(&m.buf);
                        let r = (start, m.arena.len());
                        (canonical_shape.words, r, r)
                    } else {
                        let n = push_upper_joined(&mut m.arena, canonical);
                        let upper = (start, m.arena.len());
                        m.arena.push_str(&m.buf);
                        (n, upper, (upper.1, m.arena.len()))
                    };
                    let (first_word, last_word) = edge_hashes(m.text(upper));
                    m.groups.push(Group {
                        kind: s.kind,
                        upper,
                        words,
                        mixed: false,
                        first_word,
                        last_word,
                        mentions: 0,
                        first: s.start,
                        entry: s.entry,
                    });
                    let g = m.groups.len() - 1;
                    m.insert_new(s.kind, h, key, g);
                    g
                }
            },
        };
        if surface != canonical {
            m.buf.clear();
            push_upper(&mut m.buf, &surface);
            m.insert(s.kind, gi);
        }
        let g = &mut m.groups[gi];
        g.mentions += f.count;
        g.first = g.first.min(s.start);
        // Forms of one kind differ (one per kind and raw text) unless
        // joining lines made two alike: only then look for a double.
        let odd = matches!(surface, Cow::Owned(_)) || s.kind != g.kind;
        let check = odd || g.mixed;
        g.mixed |= odd;
        if !check
            || !group_forms
                .iter()
                .any(|(x, f, _)| *x == gi && *f == surface)
        {
            group_forms.push((gi, surface, surface_shape));
        }
    }
    // Forms grouped, each group's in order of appearance.
    group_forms.sort_by_key(|(g, _, _)| *g);
    let mut out: Vec<Entity> = Vec::with_capacity(m.groups.len());
    let mut rest = group_forms.as_slice();
    for (gi, g) in m.groups.iter().enumerate() {
        let n = rest.iter().take_while(|(x, _, _)| *x == gi).count();
        let (mine, after) = rest.split_at(n);
        rest = after;
        out.push(finish(ex, g, mine));
    }
    out.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.first.cmp(&b.first)));
    out
}

/// Picks the display name and the aliases of a group.
fn finish(ex: &Extractor, g: &Group, forms: &[(usize, Cow<'_, str>, Shape)]) -> Entity {
    let entry = g.entry.map(|e| &ex.entries[e as usize]);
    let name: &str = match entry {
        Some(e) => e.name.as_str(),
        None => forms
            .iter()
            .max_by_key(|(_, f, sh)| {
                (
                    !sh.shouted || f.chars().filter(|c| c.is_alphabetic()).count() <= 5,
                    sh.words,
                    std::cmp::Reverse(f.len()),
                )
            })
            .map_or("", |(_, f, _)| f.as_ref()),
    };
    // Only the forms the text uses: the gazetteer's other aliases are known
    // to whoever needs them (queries expand them) and would bloat every
    // article that names a country.
    let mut aliases: Vec<String> = Vec::new();
    for (_, f, _) in forms {
        if f.as_ref() != name && !aliases.iter().any(|a| a == f.as_ref()) {
            aliases.push(f.to_string());
        }
    }
    Entity {
        name: name.to_string(),
        kind: g.kind,
        aliases,
        mentions: g.mentions,
        first: g.first,
    }
}

/// The group a short mention refers to: a person's bare surname or given
/// name, an acronym of an organisation, or the first words of one.
/// `m.buf` holds the upper case of `canonical`, and so does it on return.
fn partner(
    text: &str,
    spans: &[Span],
    m: &Merger,
    s: Span,
    (surface, surface_shape): (&str, Shape),
    canonical: &str,
) -> Option<usize> {
    if s.kind != EntityKind::Person && s.kind != EntityKind::Org {
        return None;
    }
    let mut owned = String::new();
    let (words, n) = if surface_shape.single && surface == canonical {
        (m.buf.as_str(), surface_shape.words)
    } else {
        let n = push_upper_joined(&mut owned, surface);
        (owned.as_str(), n)
    };
    if n == 0 {
        return None;
    }
    let (first, last) = edge_hashes(words);
    if s.kind == EntityKind::Person {
        // "Ebrard" -> "Marcelo Ebrard"; "van der Berg" -> "Anna van der Berg";
        // "Zhao" -> "Zhao Minghui".
        return m.groups.iter().position(|g| {
            g.kind == EntityKind::Person
                && g.words > n
                && ((g.last_word == last && ends_with_words(m.text(g.upper), words))
                    || (n == 1
                        && g.first_word == first
                        && starts_with_words(m.text(g.upper), words)))
        });
    }
    // "Civic Renewal Party ( CRPV )": the acronym names that entity.
    if surface_shape.shouted && !surface.contains(' ') {
        if let Some(long) = defined_by(text, spans, s) {
            let long_text = &text[long.start..long.end];
            let mut long_words = String::with_capacity(long_text.len());
            push_upper_joined(&mut long_words, long_text);
            if let Some(g) = m.groups.iter().position(|g| m.text(g.upper) == long_words) {
                return Some(g);
            }
        }
        let acr = surface.chars().filter(|c| c.is_alphabetic());
        if let Some(g) = m.groups.iter().position(|g| {
            g.kind == EntityKind::Org
                && g.words >= 2
                && m.text(g.upper)
                    .split(' ')
                    .filter(|w| !matches!(*w, "OF" | "THE" | "AND" | "FOR" | "&"))
                    .filter_map(|w| w.chars().next())
                    .eq(acr.clone())
        }) {
            return Some(g);
        }
    }
    // "Harrow Valley" -> "Harrow Valley Insurance Corp", "KELLCO" -> "KELLCO Corp".
    m.groups.iter().position(|g| {
        g.kind == EntityKind::Org
            && g.words > n
            && g.first_word == first
            && starts_with_words(m.text(g.upper), words)
    })
}

/// The span that `s` is the parenthesised acronym of, if any.
fn defined_by(text: &str, spans: &[Span], s: Span) -> Option<Span> {
    let before = text[..s.start].trim_end();
    let before = before.strip_suffix('(')?.trim_end();
    let after = text[s.end..].trim_start();
    if !after.starts_with(')') {
        return None;
    }
    // Spans are in text order and do not overlap: their ends ascend.
    let end = before.len();
    let i = spans.partition_point(|x| x.end < end);
    spans.get(i).copied().filter(|x| x.end == end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_agrees_with_its_parts() {
        for s in [
            "",
            " ",
            "DEA",
            "Marcelo Ebrard",
            "First\nBoston Corp",
            "A  B",
            " A",
            "A ",
            "KELLCO CORP",
            "U.S.",
            "Rodríguez",
            "SÃO PAULO",
            "a\tb",
            "x\u{b}y",
            "1996",
        ] {
            let single = s.is_ascii()
                && !s.bytes().any(|c| (b'\t'..=b'\r').contains(&c))
                && !s.is_empty()
                && !s.starts_with(' ')
                && !s.ends_with(' ')
                && !s.contains("  ");
            let want = Shape {
                words: s.split_whitespace().count(),
                single,
                join: s.contains(['\n', '\r', '\t']) || s.contains("  "),
                shouted: s.chars().any(char::is_uppercase) && !s.chars().any(char::is_lowercase),
            };
            assert_eq!(shape(s), want, "{s:?}");
        }
    }

    #[test]
    fn word_edges() {
        assert!(starts_with_words("NEW YORK CITY", "NEW YORK"));
        assert!(!starts_with_words("NEW YORKER", "NEW YORK"));
        assert!(ends_with_words("ANNA VAN DER BERG", "VAN DER BERG"));
        assert!(!ends_with_words("ANNA VANDER BERG", "DER BERG"));
        assert!(!ends_with_words("BERG", "BERG"));
    }
}
