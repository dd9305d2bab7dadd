//! The index schema: every field name is written here and nowhere else, and
//! the mapping from the names users type (`headline:`, `person:`) to fields.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions,
};

use crate::analyzer::{KEY_ANALYZER, NAME_ANALYZER, WORDS_ANALYZER, analyzer_name};

use crate::entity::EntityKind;
use crate::lang::Lang;

/// Bumped whenever a field or analyzer changes in a way old indexes cannot serve.
pub const SCHEMA_VERSION: u32 = 4;

/// The per-language indexed copies of an article's text.
#[derive(Debug, Clone, Copy)]
pub struct LangFields {
    /// Headline words, analyzed for this language.
    pub headline: Field,
    /// Body words, analyzed for this language.
    pub body: Field,
}

/// Handles to every field of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Stable article id: the canonical path, or `path#n` inside a multi-article file.
    pub id: Field,
    /// Canonical path of the file the article came from (stored).
    pub path: Field,
    /// The indexed root the file was found under (stored): a file reached
    /// through a link lies outside it, and is removed when a walk of that
    /// root no longer finds it.
    pub root: Field,
    /// Folder holding the file (fast, for statistics).
    pub folder: Field,
    /// Hash of `path`: the fixed-size key that deletes every article of a file.
    pub path_hash: Field,
    /// Headline as written (stored only; indexed through `text`).
    pub headline: Field,
    /// Body as written, page debris removed (stored only; indexed through `text`).
    pub body: Field,
    /// Indexed headline and body, one pair per language, in [`Lang::ALL`] order.
    pub text: [LangFields; 7],
    /// Words of the entity names and aliases of one kind, in
    /// [`EntityKind::ALL`] order, so `Ebrard` matches "Marcelo Ebrard".
    pub kind_words: [Field; 4],
    /// Exact entity keys, typed and folded (`org:dea`), for names and aliases.
    pub entity_key: Field,
    /// Every word of the headline and body as written, folded, unstemmed:
    /// the vocabulary that spelling suggestions and completions draw from
    /// (document frequencies only).
    pub words: Field,
    /// Canonical entity names per kind, in [`EntityKind::ALL`] order (fast
    /// columns for facets).
    pub kind_names: [Field; 4],
    /// Every entity as `kind<TAB>name`, most salient first (stored, for display).
    pub entities: Field,
    /// Publication date (midnight UTC of the day).
    pub date: Field,
    /// Where the date was found (`front-matter`, `path`, `text`, `metadata`).
    pub date_source: Field,
    /// Language code of the analysis used for the article.
    pub lang: Field,
    /// Publisher or outlet, when the article names one.
    pub source: Field,
    /// Authors, one value each, when known.
    pub author: Field,
    /// When the article was last changed (midnight UTC of the day; stored).
    pub updated: Field,
    /// Section or desk of the publication, when known.
    pub section: Field,
    /// Exact, folded keys of the author, section and source values
    /// (`author:ana lopez`), for filters.
    pub meta_key: Field,
    /// Original URL, when known.
    pub url: Field,
    /// When a web archive captured the page (never the publication date).
    pub crawled: Field,
    /// Tags or keywords from the article's metadata.
    pub tags: Field,
    /// File format the article was read from (`txt`, `md`, `html`, `json`...).
    pub format: Field,
    /// Size in bytes of the source file when indexed.
    pub size: Field,
    /// Modification time of the source file, nanoseconds since the Unix epoch.
    pub mtime: Field,
    /// Hash of the source file's bytes: confirms changes and detects renames.
    /// For a web archive, the hash of the bytes before `read_to`.
    pub file_hash: Field,
    /// For a web archive, the offset up to which it was read: a file that
    /// grew past it with the same bytes before it is read on from there.
    pub read_to: Field,
    /// MinHash fingerprint of the body in four fast words, for
    /// near-duplicate detection (fast columns read in constant time).
    pub fingerprint: [Field; 4],
}

impl Fields {
    /// Looks up every field in `schema`, failing if the schema is not ours.
    pub fn from_schema(schema: &Schema) -> Result<Fields, String> {
        let get = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| format!("field {name:?} is missing"))
        };
        let lang_fields = |lang: Lang| -> Result<LangFields, String> {
            Ok(LangFields {
                headline: get(&format!("headline_{}", lang.code()))?,
                body: get(&format!("body_{}", lang.code()))?,
            })
        };
        let kinds = |suffix: &str| -> Result<[Field; 4], String> {
            Ok([
                get(&format!("person{suffix}"))?,
                get(&format!("org{suffix}"))?,
                get(&format!("place{suffix}"))?,
                get(&format!("other{suffix}"))?,
            ])
        };
        Ok(Fields {
            id: get("id")?,
            path: get("path")?,
            root: get("root")?,
            folder: get("folder")?,
            path_hash: get("path_hash")?,
            headline: get("headline")?,
            body: get("body")?,
            text: [
                lang_fields(Lang::En)?,
                lang_fields(Lang::Es)?,
                lang_fields(Lang::Fr)?,
                lang_fields(Lang::De)?,
                lang_fields(Lang::Pt)?,
                lang_fields(Lang::It)?,
                lang_fields(Lang::Und)?,
            ],
            kind_words: kinds("_words")?,
            entity_key: get("entity_key")?,
            words: get("words")?,
            kind_names: kinds("")?,
            entities: get("entities")?,
            date: get("date")?,
            date_source: get("date_source")?,
            lang: get("lang")?,
            source: get("source")?,
            author: get("author")?,
            updated: get("updated")?,
            section: get("section")?,
            meta_key: get("meta_key")?,
            url: get("url")?,
            crawled: get("crawled")?,
            tags: get("tags")?,
            format: get("format")?,
            size: get("size")?,
            mtime: get("mtime")?,
            file_hash: get("file_hash")?,
            read_to: get("read_to")?,
            fingerprint: [
                get("fingerprint0")?,
                get("fingerprint1")?,
                get("fingerprint2")?,
                get("fingerprint3")?,
            ],
        })
    }

    /// The indexed fields of one language.
    pub fn lang(&self, lang: Lang) -> LangFields {
        self.text[lang.index()]
    }

    /// The stored canonical-name field of one entity kind.
    pub fn kind_names(&self, kind: EntityKind) -> Field {
        self.kind_names[kind.index()]
    }

    /// The indexed words field of one entity kind.
    pub fn kind_words(&self, kind: EntityKind) -> Field {
        self.kind_words[kind.index()]
    }
}

/// Builds the schema of a new index.
pub fn build() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field("id", STRING | STORED);
    b.add_text_field("path", STORED);
    b.add_u64_field("path_hash", INDEXED | FAST);
    b.add_text_field("root", STORED);
    b.add_text_field("folder", FAST);
    b.add_text_field("headline", STORED);
    b.add_text_field("body", STORED);
    for lang in Lang::ALL {
        let analyzed = text_options(
            &analyzer_name(lang),
            IndexRecordOption::WithFreqsAndPositions,
        );
        b.add_text_field(&format!("headline_{}", lang.code()), analyzed.clone());
        b.add_text_field(&format!("body_{}", lang.code()), analyzed);
    }
    // Entity names are a bag of labels, not prose: their count says nothing
    // about relevance, so no length normalisation, and no positions (a name's
    // words are matched together, not as a phrase).
    let names = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(NAME_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqs)
            .set_fieldnorms(false),
    );
    for kind in EntityKind::ALL {
        b.add_text_field(&format!("{}_words", kind.name()), names.clone());
    }
    b.add_text_field(
        "entity_key",
        text_options(KEY_ANALYZER, IndexRecordOption::Basic),
    );
    // Only which articles hold a word is needed (its document frequency),
    // so no frequencies, positions or length norms.
    b.add_text_field(
        "words",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(WORDS_ANALYZER)
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        ),
    );
    for kind in EntityKind::ALL {
        b.add_text_field(kind.name(), FAST);
    }
    b.add_text_field("entities", STORED);
    b.add_date_field(
        "date",
        DateOptions::from(INDEXED)
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    b.add_text_field("date_source", STORED);
    b.add_text_field("lang", STRING | STORED | FAST);
    b.add_text_field("source", STRING | STORED | FAST);
    b.add_text_field("author", STORED);
    b.add_date_field(
        "updated",
        DateOptions::from(STORED).set_precision(DateTimePrecision::Seconds),
    );
    b.add_text_field("section", STORED);
    b.add_text_field(
        "meta_key",
        text_options(KEY_ANALYZER, IndexRecordOption::Basic),
    );
    b.add_text_field("url", STORED);
    b.add_date_field(
        "crawled",
        DateOptions::from(STORED)
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    b.add_text_field("tags", STORED | FAST);
    b.add_text_field("format", STORED | FAST);
    b.add_u64_field("size", FAST);
    b.add_i64_field("mtime", FAST);
    b.add_u64_field("file_hash", FAST);
    b.add_u64_field("read_to", FAST);
    for i in 0..4 {
        b.add_u64_field(&format!("fingerprint{i}"), FAST);
    }
    b.build()
}

fn text_options(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

/// The key of an entity name or alias of one kind in the `entity_key`
/// field, before the field's analyzer folds it: `org:DEA`.
pub fn entity_key(kind: EntityKind, name: &str) -> String {
    format!("{}:{name}", kind.name())
}

/// A metadata value that filters match exactly (case and accents ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum MetaFilter {
    /// One of the article's authors.
    Author,
    /// The section or desk.
    Section,
    /// The publisher or outlet.
    Source,
}

impl MetaFilter {
    /// The name of the filter, as parameters and the `meta_key` field spell it.
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// The key of a metadata value in the `meta_key` field, before the field's
/// analyzer folds it: `author:Ana López`.
pub fn meta_key(filter: MetaFilter, value: &str) -> String {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{}:{value}", filter.name())
}

/// The key of a file path in the `path_hash` field.
pub fn path_hash(path: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(path.as_bytes())
}

/// A field a user can name in a query (`headline:`, `person:`...) or a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserField {
    /// Words of the headline.
    Headline,
    /// Words of the body.
    Body,
    /// Words of any entity name or alias.
    Entity,
    /// Words of the entities of one kind.
    Kind(EntityKind),
    /// Publication date, by day, month, year or range.
    Date,
    /// Language code.
    Lang,
    /// Publisher or outlet, exactly.
    Source,
}

impl UserField {
    /// The names users type, with the field each one means.
    pub const NAMES: [(&'static str, UserField); 13] = [
        ("headline", UserField::Headline),
        ("title", UserField::Headline),
        ("body", UserField::Body),
        ("text", UserField::Body),
        ("entity", UserField::Entity),
        ("entities", UserField::Entity),
        ("person", UserField::Kind(EntityKind::Person)),
        ("org", UserField::Kind(EntityKind::Org)),
        ("place", UserField::Kind(EntityKind::Place)),
        ("other", UserField::Kind(EntityKind::Other)),
        ("date", UserField::Date),
        ("lang", UserField::Lang),
        ("source", UserField::Source),
    ];

    /// Resolves a user-typed field name, case-insensitively.
    pub fn from_name(name: &str) -> Option<UserField> {
        UserField::NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, f)| f)
    }

    /// The names a user can type, for error messages.
    pub fn known_names() -> String {
        UserField::NAMES
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_has_every_field() {
        let schema = build();
        assert!(Fields::from_schema(&schema).is_ok());
        let other = Schema::builder().build();
        assert!(Fields::from_schema(&other).is_err());
    }

    #[test]
    fn user_field_names() {
        assert_eq!(UserField::from_name("Headline"), Some(UserField::Headline));
        assert_eq!(
            UserField::from_name("org"),
            Some(UserField::Kind(EntityKind::Org))
        );
        assert_eq!(UserField::from_name("nope"), None);
    }
}
