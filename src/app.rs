//! Running a parsed command: calls the library, renders to stdout, reports
//! progress and problems on stderr, and decides the exit code.

use std::io::{BufRead, BufWriter, IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::command::{
    ArticleCommand, Command, IndexCommand, RelatedCommand, Rendering, SearchCommand,
    TimelineCommand,
};
use crate::corpus::SkipReason;
use crate::error::{Error, Result};
use crate::indexer::{self, Event};
use crate::output::{human, json};
use crate::request::{Limits, Page};
use crate::search::Engine;

/// Exit codes, grep-like.
pub mod exit {
    /// Success: hits found, or every file indexed.
    pub const OK: u8 = 0;
    /// A search found nothing.
    pub const NO_HITS: u8 = 1;
    /// An error: bad query, missing index, unusable arguments.
    pub const ERROR: u8 = 2;
    /// An index run finished but skipped some files for problems.
    pub const SKIPPED: u8 = 3;
}

/// Runs a command and returns its exit code.
pub fn run(command: Command) -> Result<u8> {
    let result = match command {
        Command::Index(cmd) => run_index(&cmd),
        Command::Search(cmd) => run_search(&cmd),
        Command::Show(cmd) => run_show(&cmd),
        Command::Timeline(cmd) => run_timeline(&cmd),
        Command::Related(cmd) => run_related(&cmd),
        Command::Similar(cmd) => run_similar(&cmd),
        Command::Stats { index_dir, json } => run_stats(&index_dir, json),
        Command::Serve { index_dir, options } => run_serve(&index_dir, &options),
        Command::Export {
            index_dir,
            format,
            out,
        } => {
            let engine = Engine::open(&index_dir)?;
            let summary = crate::export::export(&engine, format, &out)?;
            let mut stdout = std::io::stdout().lock();
            for file in &summary.files {
                writeln!(stdout, "wrote {file}").map_err(Error::Output)?;
            }
            writeln!(stdout, "{} articles exported", summary.articles).map_err(Error::Output)?;
            Ok(exit::OK)
        }
        Command::Entities {
            file,
            entities_file,
            json,
        } => run_entities(file.as_deref(), entities_file.as_deref(), json),
        Command::Print(text) => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&text).map_err(Error::Output)?;
            stdout.flush().map_err(Error::Output)?;
            Ok(exit::OK)
        }
    };
    match result {
        // A closed pipe (`news search x | head`) is not an error.
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(exit::OK),
        other => other,
    }
}

/// Leaves an engine undropped once a one-shot command has written all
/// its output: the process ends right after, and the system reclaims its
/// maps and memory at once, faster than unmapping every segment file and
/// freeing every cache one by one.
fn leave(engine: Engine) {
    std::mem::forget(engine);
}

fn use_color(choice: Option<bool>) -> bool {
    choice.unwrap_or_else(|| {
        std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    })
}

fn run_search(cmd: &SearchCommand) -> Result<u8> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if let Some(batch) = &cmd.batch {
        let engine = Engine::open_for_many(&cmd.index_dir)?;
        let code = run_batch(&engine, cmd, batch, &mut out)?;
        out.flush().map_err(Error::Output)?;
        return Ok(code);
    }
    let engine = Engine::open(&cmd.index_dir)?;
    let request = cmd.request.validate(&Limits::COMMAND_LINE)?;
    let results = engine.search(&request)?;
    let offset = request.page.offset();
    match cmd.rendering {
        Rendering::Human { color } => {
            human::write_results(&mut out, &results, offset, use_color(color))?
        }
        Rendering::Json => json::write_results(&mut out, &results)?,
        Rendering::NdJson => json::write_hit_lines(&mut out, &results, offset)?,
    }
    out.flush().map_err(Error::Output)?;
    leave(engine);
    Ok(if results.total == 0 {
        exit::NO_HITS
    } else {
        exit::OK
    })
}

/// Width of charts on standard output: the terminal's, or 80 columns
/// when it is not a terminal.
fn chart_width() -> usize {
    const PIPED_COLUMNS: usize = 80;
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return PIPED_COLUMNS;
    }
    terminal_size::terminal_size_of(&stdout).map_or(PIPED_COLUMNS, |(w, _)| usize::from(w.0))
}

fn run_timeline(cmd: &TimelineCommand) -> Result<u8> {
    let engine = Engine::open(&cmd.index_dir)?;
    let request = cmd.request.validate(&Limits::COMMAND_LINE)?;
    let timeline = engine.timeline(&request, cmd.by)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match cmd.rendering {
        Rendering::Human { color } => {
            human::write_timeline(&mut out, &timeline, chart_width(), use_color(color))?
        }
        _ => json::write_line(&mut out, &json::TimelineJson::from(&timeline))?,
    }
    out.flush().map_err(Error::Output)?;
    Ok(if timeline.total == 0 {
        exit::NO_HITS
    } else {
        exit::OK
    })
}

fn run_related(cmd: &RelatedCommand) -> Result<u8> {
    let engine = Engine::open(&cmd.index_dir)?;
    let request = cmd.request.validate(&Limits::COMMAND_LINE)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    let found = match &cmd.name {
        Some(name) => {
            let related = engine.related(name, cmd.kind, &request, cmd.limit)?;
            match cmd.rendering {
                Rendering::Human { color } => {
                    human::write_related(&mut out, &related, use_color(color))?
                }
                _ => json::write_line(&mut out, &json::RelatedJson::from(&related))?,
            }
            !related.related.is_empty()
        }
        None => {
            let pairs = engine.pairs(&request, cmd.limit)?;
            match cmd.rendering {
                Rendering::Human { color } => {
                    human::write_pairs(&mut out, &pairs, use_color(color))?
                }
                _ => json::write_line(&mut out, &json::PairsJson::from(&pairs))?,
            }
            !pairs.pairs.is_empty()
        }
    };
    out.flush().map_err(Error::Output)?;
    Ok(if found { exit::OK } else { exit::NO_HITS })
}

fn run_show(cmd: &ArticleCommand) -> Result<u8> {
    let engine = Engine::open(&cmd.index_dir)?;
    let article = engine.article(&cmd.article)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match cmd.rendering {
        Rendering::Human { color } => human::write_article(&mut out, &article, use_color(color))?,
        _ => json::write_line(&mut out, &json::ArticleJson::from(&article))?,
    }
    out.flush().map_err(Error::Output)?;
    Ok(exit::OK)
}

fn run_similar(cmd: &ArticleCommand) -> Result<u8> {
    let engine = Engine::open(&cmd.index_dir)?;
    let page = Page::new(cmd.limit, 0, &Limits::COMMAND_LINE)?;
    let results = engine.similar(&cmd.article, crate::search::Lookup::ResolvePaths, page)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match cmd.rendering {
        Rendering::Human { color } => {
            human::write_results(&mut out, &results, 0, use_color(color))?
        }
        _ => json::write_results(&mut out, &results)?,
    }
    out.flush().map_err(Error::Output)?;
    Ok(if results.hits.is_empty() {
        exit::NO_HITS
    } else {
        exit::OK
    })
}

fn run_serve(index_dir: &std::path::Path, options: &crate::serve::ServeOptions) -> Result<u8> {
    if !options.listen.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone on the network can search this index",
            options.listen
        );
    }
    crate::serve::run(index_dir, options, |addr| {
        println!("news: serving {} on http://{addr}", index_dir.display());
        let _ = std::io::stdout().flush();
    })?;
    Ok(exit::OK)
}

fn run_stats(index_dir: &std::path::Path, as_json: bool) -> Result<u8> {
    let engine = Engine::open(index_dir)?;
    let stats = engine.stats()?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    if as_json {
        json::write_line(&mut out, &stats)?;
    } else {
        human::write_stats(&mut out, &stats)?;
    }
    out.flush().map_err(Error::Output)?;
    leave(engine);
    Ok(exit::OK)
}

fn run_entities(
    file: Option<&std::path::Path>,
    entities_file: Option<&std::path::Path>,
    as_json: bool,
) -> Result<u8> {
    let (name, bytes) = match file {
        Some(path) if path.as_os_str() != "-" => (
            path.to_path_buf(),
            std::fs::read(path).map_err(|e| Error::io(path, e))?,
        ),
        _ => {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
                .map_err(|e| Error::io("<stdin>", e))?;
            (std::path::PathBuf::from("<stdin>"), bytes)
        }
    };
    let gzip = name.extension().is_some_and(|e| e == "gz");
    let gzip = gzip.then(crate::compression::Limits::default);
    let text = crate::corpus::decode(&name.to_string_lossy(), bytes, gzip)
        .map(|d| d.text)
        .or_else(|skip| match skip.reason {
            crate::corpus::SkipReason::Empty => Ok(String::new()),
            _ => Err(Error::File {
                path: name.clone(),
                message: format!("{} input", skip.reason.name()),
            }),
        })?;
    let custom;
    let extractor = match entities_file {
        Some(file) => {
            custom = crate::entity::Extractor::with_gazetteer_file(file)?;
            &custom
        }
        None => crate::entity::Extractor::builtin(),
    };
    let mentions = extractor.mentions(&text);
    let mut out = BufWriter::new(std::io::stdout().lock());
    if as_json {
        json::write_line(&mut out, &json::EntitiesJson::from(mentions.as_slice()))?;
    } else {
        for m in &mentions {
            writeln!(out, "{}\t{}", human::clean(&m.text), m.kind.name()).map_err(Error::Output)?;
        }
    }
    out.flush().map_err(Error::Output)?;
    Ok(exit::OK)
}

/// Runs one query per input line; every line gets exactly one output line
/// (or one line per hit with ndjson), errors included, so outputs align
/// with inputs.
fn run_batch(
    engine: &Engine,
    cmd: &SearchCommand,
    batch: &std::path::Path,
    out: &mut impl Write,
) -> Result<u8> {
    let reader: Box<dyn BufRead> = if batch.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(batch).map_err(|e| Error::io(batch, e))?;
        Box::new(std::io::BufReader::new(file))
    };
    let mut any_hits = false;
    for line in reader.lines() {
        let line = line.map_err(|e| Error::io(batch, e))?;
        let query = line.trim_end_matches('\r');
        if query.trim().is_empty() {
            continue;
        }
        let params = cmd.request.with_query(query);
        let searched = params
            .validate(&Limits::BATCH)
            .and_then(|request| engine.search(&request));
        match searched {
            Ok(results) => {
                any_hits |= results.total > 0;
                match cmd.rendering {
                    Rendering::NdJson => json::write_hit_lines(out, &results, params.offset)?,
                    _ => json::write_results(out, &results)?,
                }
            }
            Err(e) if e.is_client_error() => json::write_line(
                out,
                &json::BatchErrorJson {
                    query: query.to_string(),
                    error: json::ErrorJson::from(&e),
                },
            )?,
            Err(e) => return Err(e),
        }
    }
    Ok(if any_hits { exit::OK } else { exit::NO_HITS })
}

fn run_index(cmd: &IndexCommand) -> Result<u8> {
    let interactive = std::io::stderr().is_terminal() && !cmd.quiet && !cmd.json;
    let bar = if interactive {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {wide_bar} {pos}/{len} files {per_sec} eta {eta} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let stderr = std::io::stderr();
    // Without a terminal, progress can be asked for as lines on stderr, so
    // that a script (or a test killing a run at a chosen point) follows it.
    let progress_lines = bar.is_none() && std::env::var_os("NEWS_PROGRESS_LINES").is_some();
    let mut report = |event: Event| match event {
        Event::Progress { done, queued } => {
            if let Some(bar) = &bar {
                bar.set_length(queued as u64);
                bar.set_position(done as u64);
            } else if progress_lines {
                let _ = writeln!(stderr.lock(), "progress {done} {queued}");
            }
        }
        Event::Skipped(skip) => {
            let detail = skip
                .detail
                .as_deref()
                .map(|d| format!(" ({})", human::clean(d)))
                .unwrap_or_default();
            let line = format!(
                "skipped [{}] {}{detail}",
                skip.reason.name(),
                human::clean(&skip.path)
            );
            match &bar {
                Some(bar) => bar.println(line),
                None => {
                    let _ = writeln!(stderr.lock(), "{line}");
                }
            }
        }
        Event::Note(note) => {
            if !cmd.quiet {
                let line = format!("note: {}", human::clean(&note));
                match &bar {
                    Some(bar) => bar.println(line),
                    None => {
                        let _ = writeln!(stderr.lock(), "{line}");
                    }
                }
            }
        }
        Event::Committing => {
            if let Some(bar) = &bar {
                bar.set_message("committing");
            } else if progress_lines {
                let _ = writeln!(stderr.lock(), "committing");
            }
        }
        Event::Watching { roots } => {
            if let Some(bar) = &bar {
                bar.finish_and_clear();
            }
            if !cmd.quiet {
                let _ = writeln!(
                    stderr.lock(),
                    "watching {roots} {} for changes (Ctrl-C to stop)",
                    if roots == 1 { "root" } else { "roots" }
                );
            }
        }
        Event::Applied(pass) => {
            if !cmd.quiet {
                let _ = writeln!(
                    stderr.lock(),
                    "applied changes: {} indexed, {} updated, {} deleted, {} moved",
                    pass.indexed,
                    pass.updated,
                    pass.deleted,
                    pass.moved
                );
            }
        }
    };
    // An index run frees writer arenas of a megabyte and more all along.
    crate::allocator::return_large_blocks();
    let summary = if cmd.options.watch {
        let stop = crate::interrupt::stop_flag();
        indexer::watch(&cmd.options, stop, &mut report)
    } else {
        indexer::run(&cmd.options, &mut report)
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let summary = summary?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if cmd.json {
        json::write_line(&mut out, &summary)?;
    } else {
        human::write_summary(&mut out, &summary)?;
    }
    // Roots made only of links to files elsewhere (a folder of links built
    // to index chosen files) index nothing by default: say why and how,
    // rather than finish as if the folder were empty.
    let outside = summary
        .skipped
        .get(SkipReason::OutsideRoot.name())
        .copied()
        .unwrap_or(0);
    if summary.articles == 0 && outside > 0 && !cmd.options.watch {
        return Err(Error::Parameter {
            name: "paths",
            message: format!(
                "nothing indexed: the {outside} file(s) found are links to files outside \
                 the indexed folders; pass --follow-outside (or set NEWS_FOLLOW_OUTSIDE=1) \
                 to index them"
            ),
        });
    }
    // A watch ends when asked to: that is its success, whatever files it
    // reported on the way.
    Ok(if summary.had_problems() && !cmd.options.watch {
        exit::SKIPPED
    } else {
        exit::OK
    })
}
