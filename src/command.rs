//! Commands as the rest of the crate sees them: plain values, free of the
//! command-line parser's types, that [`crate::app`] runs. [`crate::cli`]
//! builds them from the arguments.

use std::path::PathBuf;

use crate::indexer::IndexOptions;
use crate::request::SearchParams;

/// How search results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendering {
    /// For people; colour decided from the terminal and `NO_COLOR`.
    Human { color: Option<bool> },
    /// One JSON document.
    Json,
    /// One JSON object per hit.
    NdJson,
}

/// A search command.
#[derive(Debug, Clone)]
pub struct SearchCommand {
    /// Index folder.
    pub index_dir: PathBuf,
    /// The request as typed, validated when it runs (each batch line
    /// validates its own, with the line's query).
    pub request: SearchParams,
    /// Output.
    pub rendering: Rendering,
    /// Batch input: a file, or `-` for standard input.
    pub batch: Option<PathBuf>,
}

/// A timeline command.
#[derive(Debug, Clone)]
pub struct TimelineCommand {
    /// Index folder.
    pub index_dir: PathBuf,
    /// The query and filters as typed (page and order unused).
    pub request: SearchParams,
    /// Period length; `None` picks one that fits the dates.
    pub by: Option<crate::timeline::Period>,
    /// Output (`NdJson` is not offered).
    pub rendering: Rendering,
}

/// A command about entities seen together (`related`).
#[derive(Debug, Clone)]
pub struct RelatedCommand {
    /// Index folder.
    pub index_dir: PathBuf,
    /// The entity asked about; `None` for the strongest pairs.
    pub name: Option<String>,
    /// Its kind, or any.
    pub kind: Option<crate::entity::EntityKind>,
    /// The query and filters choosing the articles (page and order unused).
    pub request: SearchParams,
    /// Entities or pairs listed.
    pub limit: usize,
    /// Output (`NdJson` is not offered).
    pub rendering: Rendering,
}

/// An index command.
#[derive(Debug, Clone)]
pub struct IndexCommand {
    /// What to index.
    pub options: IndexOptions,
    /// Only errors and the summary.
    pub quiet: bool,
    /// Summary as JSON.
    pub json: bool,
}

/// A command about one stored article (`show`, `similar`).
#[derive(Debug, Clone)]
pub struct ArticleCommand {
    /// Index folder.
    pub index_dir: PathBuf,
    /// Article id or path.
    pub article: String,
    /// Articles listed (`similar`).
    pub limit: usize,
    /// Output.
    pub rendering: Rendering,
}

/// A parsed command line, free of clap types.
#[derive(Debug, Clone)]
pub enum Command {
    /// `news index`.
    Index(IndexCommand),
    /// `news search`.
    Search(SearchCommand),
    /// `news show`.
    Show(ArticleCommand),
    /// `news timeline`.
    Timeline(TimelineCommand),
    /// `news related`.
    Related(RelatedCommand),
    /// `news similar`.
    Similar(ArticleCommand),
    /// `news stats`.
    Stats {
        /// Index folder.
        index_dir: PathBuf,
        /// JSON output.
        json: bool,
    },
    /// `news export`.
    Export {
        /// Index folder.
        index_dir: PathBuf,
        /// Target engine.
        format: crate::export::ExportFormat,
        /// Output folder.
        out: PathBuf,
    },
    /// `news serve`.
    Serve {
        /// Index folder.
        index_dir: PathBuf,
        /// Listen address and CORS.
        options: crate::serve::ServeOptions,
    },
    /// `news completions`, `news man`: text the command line generated
    /// from its own definitions, printed as it is.
    Print(Vec<u8>),
    /// `news entities`.
    Entities {
        /// Input file; `None` or `-` for standard input.
        file: Option<PathBuf>,
        /// User gazetteer.
        entities_file: Option<PathBuf>,
        /// JSON output.
        json: bool,
    },
}
