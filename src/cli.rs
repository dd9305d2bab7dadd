//! The command line: clap types, converted once into the plain commands of
//! [`crate::command`] that the rest of the crate understands. No other
//! module depends on clap. Shell completions and the man page are
//! generated from the same definitions (`manual`), and so is every
//! `--help`'s closing list of examples.

mod manual;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::command::{
    ArticleCommand, Command, IndexCommand, RelatedCommand, Rendering, SearchCommand,
    TimelineCommand,
};
use crate::corpus::{DEFAULT_MAX_FILE_SIZE, WalkOptions};
use crate::entity::EntityKind;
use crate::export::ExportFormat;
use crate::indexer::{DEFAULT_COMMIT_INTERVAL, DEFAULT_MEMORY_BYTES, IndexOptions};
use crate::related::DEFAULT_RELATED;
use crate::request::{DEFAULT_LIMIT, SearchParams, SortOrder};
use crate::store;
use crate::timeline::Period;

/// A fast, local full-text search engine for news archives.
#[derive(Debug, Parser)]
#[command(name = "news", version, about, long_about = None, propagate_version = true)]
#[command(after_help = manual::examples_help("news"))]
struct Cli {
    /// Index folder [default: $NEWS_INDEX, else ~/.local/share/news/index]
    #[arg(long, global = true, value_name = "DIR")]
    index: Option<PathBuf>,

    #[command(subcommand)]
    command: CliCommand,
}

#[derive(Debug, Subcommand)]
enum CliCommand {
    /// Index article files (.txt .md .html .json .jsonl .warc .mhtml, .gz too)
    #[command(after_help = manual::examples_help("index"))]
    Index(IndexArgs),
    /// Search the index
    #[command(after_help = manual::examples_help("search"))]
    Search(SearchArgs),
    /// Show one article with its metadata
    #[command(after_help = manual::examples_help("show"))]
    Show(ShowArgs),
    /// Count matching articles per day, week, month or year
    #[command(after_help = manual::examples_help("timeline"))]
    Timeline(TimelineArgs),
    /// List the entities seen most with one, or the strongest pairs
    #[command(after_help = manual::examples_help("related"))]
    Related(RelatedArgs),
    /// Find articles similar to one article
    #[command(after_help = manual::examples_help("similar"))]
    Similar(SimilarArgs),
    /// Show statistics of the index
    #[command(after_help = manual::examples_help("stats"))]
    Stats(StatsArgs),
    /// Extract entities from a text without indexing it
    #[command(after_help = manual::examples_help("entities"))]
    Entities(EntitiesArgs),
    /// Serve the HTTP API and the search page
    #[command(after_help = manual::examples_help("serve"))]
    Serve(ServeArgs),
    /// Export the index for Quickwit or Elasticsearch/OpenSearch
    #[command(after_help = manual::examples_help("export"))]
    Export(ExportArgs),
    /// Print a shell completion script
    #[command(after_help = manual::examples_help("completions"))]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), every command in one page
    #[command(after_help = manual::examples_help("man"))]
    Man,
}

#[derive(Debug, Args)]
struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// Target engine
    #[arg(long, value_parser = by_name::<ExportFormat>())]
    format: ExportFormat,

    /// Folder to write the config and documents into
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on (a non-loopback address is shared with the network)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7878")]
    listen: std::net::SocketAddr,

    /// Allow browser calls from this origin, scheme://host[:port]
    /// (repeatable; `*` alone allows any site; CORS is off otherwise)
    #[arg(long, value_name = "ORIGIN")]
    cors: Vec<String>,

    /// Also answer requests addressed to this host name (repeatable;
    /// loopback names and the listen address are always accepted)
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_hosts: Vec<String>,
}

#[derive(Debug, Args)]
struct EntitiesArgs {
    /// Text file to read [default: standard input]
    #[arg(value_name = "FILE|-")]
    file: Option<PathBuf>,

    /// A gazetteer (TSV: name, type, aliases) adding to the built-in one
    #[arg(long, value_name = "FILE")]
    entities_file: Option<PathBuf>,

    /// Print one JSON object
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct ShowArgs {
    /// Article id or file path
    #[arg(value_name = "ID|PATH")]
    article: String,

    /// Print one JSON object
    #[arg(long)]
    json: bool,

    /// Colour output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Args)]
struct SimilarArgs {
    /// Article id or file path
    #[arg(value_name = "ID|PATH")]
    article: String,

    /// Articles to list
    #[arg(long, short = 'n', default_value_t = DEFAULT_LIMIT)]
    limit: usize,

    /// Print one JSON document (the search contract)
    #[arg(long)]
    json: bool,

    /// Colour output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Args)]
struct StatsArgs {
    /// Print one JSON object
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct IndexArgs {
    /// Files or folders to index [default: the ones indexed before]
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Build a new index from everything again, beside the current one,
    /// which stays searchable until the new one replaces it
    #[arg(long)]
    rebuild: bool,

    /// After indexing, keep running and apply changes to the files as they
    /// happen, until Ctrl-C or SIGTERM
    #[arg(long, conflicts_with = "rebuild")]
    watch: bool,

    /// Memory budget of the index writer, in MB
    #[arg(long, value_name = "MB", default_value_t = (DEFAULT_MEMORY_BYTES / (1024 * 1024)) as u64, value_parser = clap::value_parser!(u64).range(16..=4096))]
    memory: u64,

    /// Worker threads reading and extracting [default: one per core]
    #[arg(long, value_name = "N")]
    threads: Option<usize>,

    /// Largest file read, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,

    /// Largest size a compressed file may expand to, in bytes (compressed
    /// files expanding over 100 times their size are refused too)
    #[arg(long, value_name = "BYTES", default_value_t = crate::compression::DEFAULT_MAX_OUTPUT)]
    max_decompressed_size: u64,

    /// Follow symlinks whose targets lie outside every indexed folder (by
    /// default they are skipped and reported as outside-root)
    #[arg(long, env = "NEWS_FOLLOW_OUTSIDE", value_parser = clap::builder::FalseyValueParser::new())]
    follow_outside: bool,

    /// Another extension to read as plain text (repeatable)
    #[arg(long = "ext", value_name = "EXT")]
    extensions: Vec<String>,

    /// A gazetteer (TSV: name, type, aliases) adding to the built-in one
    #[arg(long, value_name = "FILE")]
    entities_file: Option<PathBuf>,

    /// Do not extract entities (faster; no entity facets, filters or boosts)
    #[arg(long)]
    no_entities: bool,

    /// Longest time between commits, in seconds (a killed run keeps what
    /// was committed)
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_COMMIT_INTERVAL.as_secs_f64())]
    commit_interval: f64,

    /// Print nothing but errors and the summary
    #[arg(long, short)]
    quiet: bool,

    /// Print the summary as one JSON object
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatChoice {
    Human,
    Json,
    Ndjson,
}

/// The filters every command over a result set takes, as `news search`
/// does.
#[derive(Debug, Args)]
struct FilterArgs {
    /// Only articles dated on or after (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    since: Option<String>,

    /// Only articles dated on or before (YYYY, YYYY-MM or YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    until: Option<String>,

    /// Only articles with this entity, by exact name or alias (repeatable)
    #[arg(long = "entity", value_name = "NAME")]
    entities: Vec<String>,

    /// Only articles with this person (repeatable)
    #[arg(long = "person", value_name = "NAME")]
    persons: Vec<String>,

    /// Only articles with this organisation (repeatable)
    #[arg(long = "org", value_name = "NAME")]
    orgs: Vec<String>,

    /// Only articles with this place (repeatable)
    #[arg(long = "place", value_name = "NAME")]
    places: Vec<String>,

    /// Only articles in this language (en, es, fr, de, pt, it, und)
    #[arg(long, value_name = "CODE")]
    lang: Option<String>,

    /// Only articles by this author (exact name; case and accents ignored)
    #[arg(long, value_name = "NAME")]
    author: Option<String>,

    /// Only articles of this section (exact name; case and accents ignored)
    #[arg(long, value_name = "NAME")]
    section: Option<String>,

    /// Only articles from this source or publisher (exact name; case and accents ignored)
    #[arg(long, value_name = "NAME")]
    source: Option<String>,
}

impl FilterArgs {
    /// The request for `query` with these filters, every other option at
    /// its default.
    fn params(self, query: String) -> SearchParams {
        SearchParams {
            since: self.since,
            until: self.until,
            entities: self.entities,
            persons: self.persons,
            orgs: self.orgs,
            places: self.places,
            lang: self.lang,
            author: self.author,
            section: self.section,
            source: self.source,
            ..SearchParams::new(query)
        }
    }
}

#[derive(Debug, Args)]
struct TimelineArgs {
    /// Query text [default: every article] (a query starting with '-' goes
    /// after `--`)
    #[arg(value_name = "QUERY")]
    query: Option<String>,

    /// Period of each bar [default: the one giving 20 to 60 bars]
    #[arg(long, value_parser = by_name::<Period>())]
    by: Option<Period>,

    #[command(flatten)]
    filters: FilterArgs,

    /// Forgive typos, as `news search --fuzzy` does
    #[arg(long)]
    fuzzy: bool,

    /// Print one JSON object
    #[arg(long)]
    json: bool,

    /// Colour output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Args)]
struct RelatedArgs {
    /// The entity, by exact name or alias, as `--entity` takes it
    #[arg(value_name = "NAME", required_unless_present = "pairs")]
    name: Option<String>,

    /// List the most strongly tied pairs of all matching articles instead
    #[arg(long, conflicts_with_all = ["name", "kind"])]
    pairs: bool,

    /// Only the entity of this kind
    #[arg(long, value_parser = by_name::<EntityKind>())]
    kind: Option<EntityKind>,

    /// Only articles matching this query (query language of `news search`)
    #[arg(long, short = 'q', value_name = "QUERY")]
    query: Option<String>,

    #[command(flatten)]
    filters: FilterArgs,

    /// Entities or pairs to list
    #[arg(long, short = 'n', default_value_t = DEFAULT_RELATED)]
    limit: usize,

    /// Print one JSON object
    #[arg(long)]
    json: bool,

    /// Colour output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Args)]
struct SearchArgs {
    /// Query text (a query starting with '-' goes after `--`)
    #[arg(value_name = "QUERY", required_unless_present = "batch")]
    query: Option<String>,

    /// Hits per page
    #[arg(long, short = 'n', default_value_t = DEFAULT_LIMIT)]
    limit: usize,

    /// Hits skipped before the page
    #[arg(long, default_value_t = 0)]
    offset: usize,

    /// Print one JSON document (same as --format json)
    #[arg(long)]
    json: bool,

    /// Output format
    #[arg(long, value_enum)]
    format: Option<FormatChoice>,

    #[command(flatten)]
    filters: FilterArgs,

    /// Result order
    #[arg(long, value_parser = by_name::<SortOrder>(), default_value_t = SortOrder::Relevance)]
    sort: SortOrder,

    /// Blend relevance with recency (see README)
    #[arg(long)]
    recent: bool,

    /// Forgive typos: words of 4+ letters match within 1 edit (2 from 8 letters)
    #[arg(long)]
    fuzzy: bool,

    /// Match the last word as a prefix too, as a search box does while you
    /// type (exact matches rank first)
    #[arg(long)]
    prefix: bool,

    /// Add facets (top people, organisations, places, dates) of all results
    #[arg(long)]
    facets: bool,

    /// Show near-duplicate copies instead of folding them into one hit
    #[arg(long)]
    no_collapse: bool,

    /// Run one query per line of FILE (or - for stdin), one JSON line each
    #[arg(long, value_name = "FILE")]
    batch: Option<PathBuf>,

    /// Colour output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// Reads an enum by the names it declares for itself, listing them in
/// `--help`, so the command line spells its values as the rest does.
fn by_name<T>() -> impl clap::builder::TypedValueParser<Value = T>
where
    T: std::str::FromStr + strum::VariantNames + Clone + Send + Sync + 'static,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    use clap::builder::{PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(T::VARIANTS).try_map(|name| name.parse::<T>())
}

fn rendering(json: bool, color: ColorChoice) -> Rendering {
    if json {
        return Rendering::Json;
    }
    Rendering::Human {
        color: match color {
            ColorChoice::Auto => None,
            ColorChoice::Always => Some(true),
            ColorChoice::Never => Some(false),
        },
    }
}

/// Parses the process arguments (exits with usage on error, like every CLI).
pub fn parse() -> Command {
    convert(Cli::parse())
}

/// Parses arguments from an iterator (for tests).
pub fn try_parse_from<I, T>(args: I) -> Result<Command, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    Cli::try_parse_from(args).map(convert)
}

fn convert(cli: Cli) -> Command {
    let index_dir = store::location(cli.index.as_deref());
    match cli.command {
        CliCommand::Index(args) => {
            let mut options = IndexOptions::new(index_dir, args.paths);
            options.rebuild = args.rebuild;
            options.watch = args.watch;
            options.memory_bytes =
                usize::try_from(args.memory).unwrap_or(usize::MAX / 2) * 1024 * 1024;
            // Zero asks the indexer for one thread per core.
            options.threads = args.threads.unwrap_or(0);
            options.walk = WalkOptions {
                max_file_size: args.max_file_size,
                extra_extensions: args.extensions,
                decompression: crate::compression::Limits {
                    max_output: args.max_decompressed_size,
                    ..Default::default()
                },
                follow_outside: args.follow_outside,
            };
            options.entities_file = args.entities_file;
            options.extract_entities = !args.no_entities;
            options.commit_interval = Duration::try_from_secs_f64(args.commit_interval)
                .unwrap_or(DEFAULT_COMMIT_INTERVAL);
            Command::Index(IndexCommand {
                options,
                quiet: args.quiet,
                json: args.json,
            })
        }
        CliCommand::Search(args) => {
            let rendering = match (args.json, args.format) {
                (_, Some(FormatChoice::Ndjson)) => Rendering::NdJson,
                (true, _) | (_, Some(FormatChoice::Json)) => Rendering::Json,
                _ => rendering(false, args.color),
            };
            let request = SearchParams {
                limit: args.limit,
                offset: args.offset,
                sort: args.sort,
                recent: args.recent,
                fuzzy: args.fuzzy,
                facets: args.facets,
                collapse: !args.no_collapse,
                prefix: args.prefix,
                lenient: false,
                ..args.filters.params(args.query.unwrap_or_default())
            };
            Command::Search(SearchCommand {
                index_dir,
                request,
                rendering,
                batch: args.batch,
            })
        }
        CliCommand::Timeline(args) => Command::Timeline(TimelineCommand {
            index_dir,
            request: SearchParams {
                fuzzy: args.fuzzy,
                ..args.filters.params(args.query.unwrap_or_default())
            },
            by: args.by,
            rendering: rendering(args.json, args.color),
        }),
        CliCommand::Related(args) => Command::Related(RelatedCommand {
            index_dir,
            name: args.name,
            kind: args.kind,
            request: args.filters.params(args.query.unwrap_or_default()),
            limit: args.limit,
            rendering: rendering(args.json, args.color),
        }),
        CliCommand::Show(args) => Command::Show(ArticleCommand {
            index_dir,
            article: args.article,
            limit: 1,
            rendering: rendering(args.json, args.color),
        }),
        CliCommand::Similar(args) => Command::Similar(ArticleCommand {
            index_dir,
            article: args.article,
            limit: args.limit,
            rendering: rendering(args.json, args.color),
        }),
        CliCommand::Stats(args) => Command::Stats {
            index_dir,
            json: args.json,
        },
        CliCommand::Export(args) => Command::Export {
            index_dir,
            format: args.format,
            out: args.out,
        },
        CliCommand::Serve(args) => Command::Serve {
            index_dir,
            options: crate::serve::ServeOptions {
                listen: args.listen,
                cors: args.cors,
                allow_hosts: args.allow_hosts,
            },
        },
        CliCommand::Entities(args) => Command::Entities {
            file: args.file,
            entities_file: args.entities_file,
            json: args.json,
        },
        CliCommand::Completions(args) => Command::Print(completions(args.shell)),
        CliCommand::Man => Command::Print(man_page()),
    }
}

/// The completion script of `shell` for every command and option.
fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "news", &mut out);
    out
}

/// The manual page: every command, its options and examples, in roff.
pub fn man_page() -> Vec<u8> {
    manual::page(Cli::command())
}

/// The shells completion scripts are generated for, by name.
pub fn completion_shells() -> Vec<String> {
    clap_complete::Shell::value_variants()
        .iter()
        .filter_map(|s| s.to_possible_value())
        .map(|v| v.get_name().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_flags_become_a_request() {
        let Command::Search(cmd) = try_parse_from([
            "news", "search", "--index", "/tmp/i", "--since", "2021", "--entity", "DEA",
            "--entity", "Mexico", "--sort", "newest", "--json", "--", "-foo bar",
        ])
        .unwrap() else {
            panic!("not a search");
        };
        assert_eq!(cmd.index_dir, PathBuf::from("/tmp/i"));
        assert_eq!(cmd.request.query, "-foo bar");
        assert_eq!(cmd.request.entities, vec!["DEA", "Mexico"]);
        assert_eq!(cmd.request.sort, SortOrder::Newest);
        assert_eq!(cmd.rendering, Rendering::Json);
        assert!(cmd.request.collapse);
    }

    #[test]
    fn index_flags() {
        let Command::Index(cmd) = try_parse_from([
            "news",
            "index",
            "a",
            "b",
            "--memory",
            "64",
            "--ext",
            "log",
            "--rebuild",
            "--index",
            "/x",
        ])
        .unwrap() else {
            panic!("not index");
        };
        assert_eq!(
            cmd.options.paths,
            vec![PathBuf::from("a"), PathBuf::from("b")]
        );
        assert_eq!(cmd.options.memory_bytes, 64 * 1024 * 1024);
        assert_eq!(cmd.options.walk.extra_extensions, vec!["log"]);
        assert_eq!(
            cmd.options.walk.decompression,
            crate::compression::Limits::default()
        );
        assert_eq!(cmd.options.walk.decompression.max_output, 256 * 1024 * 1024);
        assert!(cmd.options.rebuild);
        assert!(!cmd.options.watch);
        assert!(try_parse_from(["news", "index", "--memory", "1"]).is_err());
        let Ok(Command::Index(cmd)) = try_parse_from(["news", "index", "--watch", "a"]) else {
            panic!("not index");
        };
        assert!(cmd.options.watch);
        // A rebuild switches indexes at its end; a watch never ends.
        assert!(try_parse_from(["news", "index", "--watch", "--rebuild"]).is_err());
    }

    /// The words of an example command line, as a shell would pass them
    /// (double quotes only; a redirection or pipe ends the command).
    fn shell_words(line: &str) -> Vec<String> {
        let mut words = Vec::new();
        let mut word = String::new();
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                ' ' if !quoted => {
                    if !word.is_empty() {
                        words.push(std::mem::take(&mut word));
                    }
                }
                _ => word.push(c),
            }
        }
        if !word.is_empty() {
            words.push(word);
        }
        let end = words
            .iter()
            .position(|w| w == ">" || w == "|")
            .unwrap_or(words.len());
        words.truncate(end);
        words
    }

    #[test]
    fn every_command_has_examples_that_parse() {
        let cli = Cli::command();
        let names: Vec<String> = std::iter::once("news".to_string())
            .chain(
                cli.get_subcommands()
                    .map(|c| c.get_name().to_string())
                    .filter(|n| n != "help"),
            )
            .collect();
        assert!(names.len() > 8, "{names:?}");
        for name in names {
            let examples = manual::examples(&name);
            assert!(
                (2..=3).contains(&examples.len()),
                "{name}: {} examples",
                examples.len()
            );
            for (line, what) in examples {
                assert!(!what.is_empty());
                let words = shell_words(line);
                assert_eq!(words[0], "news", "{line}");
                if name != "news" {
                    assert_eq!(words[1], name, "{line}");
                }
                if let Err(e) = try_parse_from(&words) {
                    panic!("{line}: {e}");
                }
            }
        }
    }

    #[test]
    fn completions_and_the_manual_come_from_the_definitions() {
        for shell in completion_shells() {
            let Command::Print(script) = try_parse_from(["news", "completions", &shell]).unwrap()
            else {
                panic!("{shell}: not printed");
            };
            let script = String::from_utf8(script).unwrap();
            assert!(
                script.contains("similar") && script.contains("no-collapse"),
                "{shell}"
            );
        }
        assert_eq!(
            completion_shells(),
            vec!["bash", "elvish", "fish", "powershell", "zsh"]
        );
        let page = String::from_utf8(man_page()).unwrap();
        assert!(page.starts_with(".ie"));
        assert_eq!(page.matches(".TH ").count(), 1);
        assert!(page.contains(".SH \"NEWS SEARCH\"") && page.contains("\\-\\-prefix"));
    }

    #[test]
    fn query_is_required_without_batch() {
        assert!(try_parse_from(["news", "search"]).is_err());
        assert!(try_parse_from(["news", "search", "--batch", "-"]).is_ok());
    }
}
