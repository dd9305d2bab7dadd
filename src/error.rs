//! The crate's error type: every failure a user can cause or meet, with the
//! context (path, query position) needed to print it once, on one line.

use std::path::PathBuf;

/// Errors returned by the library. Each variant renders as one line.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No index exists where one was expected.
    #[error("no index at {0}: run `news index PATH...` first")]
    MissingIndex(PathBuf),

    /// The index folder exists but was written by something else or a newer format.
    #[error("{path}: not a news index ({reason})")]
    NotAnIndex { path: PathBuf, reason: String },

    /// Another process holds the index writer lock.
    #[error("index {0} is being written by another process")]
    Locked(PathBuf),

    /// A query that cannot be parsed or is refused before reaching the engine.
    #[error("bad query at position {position}: {message}")]
    Query { position: usize, message: String },

    /// A command-line or API parameter out of range or malformed.
    #[error("invalid {name}: {message}")]
    Parameter { name: &'static str, message: String },

    /// An article id or path that is not in the index.
    #[error("no article with id or path {0:?} in the index")]
    UnknownArticle(String),

    /// An entity name or alias no matching article has.
    #[error("no matching article names the entity {0:?}")]
    UnknownEntity(String),

    /// A file given on the command line (not one found while walking) failed.
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },

    /// An I/O error with the path it concerns.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// An error from the search engine library.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),

    /// Output could not be written (closed pipe, full disk).
    #[error("writing output: {0}")]
    Output(std::io::Error),

    /// The HTTP server failed to start or stopped with an error.
    #[error("server: {0}")]
    Server(String),

    /// Work stopped because its deadline passed or its request went away.
    #[error("stopped: the request took too long or was abandoned")]
    Cancelled,
}

impl Error {
    /// Builds an [`Error::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Builds an [`Error::Parameter`].
    pub fn parameter(name: &'static str, message: impl Into<String>) -> Self {
        Error::Parameter {
            name,
            message: message.into(),
        }
    }

    /// Builds an [`Error::Query`] at a character position of the query text (0-based).
    pub fn query(position: usize, message: impl Into<String>) -> Self {
        Error::Query {
            position,
            message: message.into(),
        }
    }

    /// A stable, machine-readable code of the error's class, shared by batch
    /// output and the HTTP API: `bad_query`, `bad_parameter` and `not_found`
    /// are the client's doing, `timeout` is work stopped at its deadline,
    /// `internal` is anything else.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Query { .. } => "bad_query",
            Error::Parameter { .. } => "bad_parameter",
            Error::UnknownArticle(_) | Error::UnknownEntity(_) => "not_found",
            Error::Cancelled => "timeout",
            _ => "internal",
        }
    }

    /// Whether the error was caused by what the client asked for rather than by the server side.
    pub fn is_client_error(&self) -> bool {
        matches!(self.code(), "bad_query" | "bad_parameter" | "not_found")
    }
}

/// The crate's result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;
