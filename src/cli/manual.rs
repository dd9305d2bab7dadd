//! What the command line says about itself beyond its options: the
//! examples that end every `--help`, and the manual page, one page with
//! every command, rendered from the same clap definitions.

use std::io::Write;

use clap_mangen::Man;
use roff::{Roff, bold, roman};

/// Examples of each command (`news` for the top level): a command line and
/// what it does.
const EXAMPLES: &[(&str, &[(&str, &str)])] = &[
    (
        "news",
        &[
            ("news index ~/archive", "index a folder of articles"),
            ("news search \"Ebrard DEA\"", "search it"),
            (
                "news serve",
                "search it in a browser at http://127.0.0.1:7878",
            ),
        ],
    ),
    (
        "index",
        &[
            (
                "news index ~/archive",
                "index a folder; again: only what changed",
            ),
            (
                "news index --watch ~/archive",
                "index, then apply changes as files change (Ctrl-C stops)",
            ),
            (
                "news index --rebuild --no-entities ~/archive",
                "start again, faster, without entities",
            ),
        ],
    ),
    (
        "search",
        &[
            (
                "news search \"Ebrard DEA\"",
                "ranked hits with highlighted passages",
            ),
            (
                "news search --json --since 2021 --org DEA security",
                "filtered, as JSON",
            ),
            ("news search --batch queries.txt", "one JSON line per query"),
        ],
    ),
    (
        "timeline",
        &[
            (
                "news timeline Ebrard",
                "articles naming Ebrard per period, as bars",
            ),
            (
                "news timeline --by year --json --org DEA",
                "articles with the DEA per year, as JSON",
            ),
        ],
    ),
    (
        "related",
        &[
            (
                "news related \"Marcelo Ebrard\"",
                "who appears with Ebrard, strongest ties first",
            ),
            (
                "news related DEA --kind org --since 2021 --json",
                "who appears with the DEA since 2021, as JSON",
            ),
            (
                "news related --pairs --query security",
                "the strongest pairs in articles about security",
            ),
        ],
    ),
    (
        "show",
        &[
            (
                "news show ~/archive/2021/10/08/talks.md",
                "an article with its metadata",
            ),
            (
                "news show --json ~/archive/2021/10/08/talks.md",
                "the same, as JSON",
            ),
        ],
    ),
    (
        "similar",
        &[
            (
                "news similar ~/archive/2021/10/08/talks.md",
                "stories like this one",
            ),
            (
                "news similar --limit 3 --json ~/archive/2021/10/08/talks.md",
                "the three closest, as JSON",
            ),
        ],
    ),
    (
        "stats",
        &[
            (
                "news stats",
                "counts, dates, folders, languages, top entities",
            ),
            ("news stats --json", "the same, as JSON"),
        ],
    ),
    (
        "entities",
        &[
            ("news entities article.txt", "the entities of a text"),
            (
                "news entities --json --entities-file names.tsv -",
                "of standard input, with your own gazetteer, as JSON",
            ),
        ],
    ),
    (
        "serve",
        &[
            ("news serve", "the API and search page on 127.0.0.1:7878"),
            (
                "news serve --listen 0.0.0.0:8080",
                "shared with the network",
            ),
            (
                "news serve --cors https://intranet.example",
                "callable from that site's pages",
            ),
        ],
    ),
    (
        "export",
        &[
            (
                "news export --format quickwit --out export/",
                "config and documents for Quickwit",
            ),
            (
                "news export --format elasticsearch --out export/",
                "mapping and bulk file for Elasticsearch",
            ),
        ],
    ),
    (
        "completions",
        &[
            (
                "news completions bash > ~/.local/share/bash-completion/completions/news",
                "bash",
            ),
            (
                "news completions zsh > ~/.zfunc/_news",
                "zsh, with ~/.zfunc in fpath",
            ),
            (
                "news completions fish > ~/.config/fish/completions/news.fish",
                "fish",
            ),
        ],
    ),
    (
        "man",
        &[
            ("news man | man -l -", "read the manual"),
            (
                "news man > ~/.local/share/man/man1/news.1",
                "install it for `man news`",
            ),
        ],
    ),
];

/// The examples of `command` (`news` for the top level).
pub fn examples(command: &str) -> &'static [(&'static str, &'static str)] {
    EXAMPLES
        .iter()
        .find(|(name, _)| *name == command)
        .map_or(&[], |(_, examples)| examples)
}

/// The closing block of a command's `--help`: each example under a
/// comment saying what it does (a comment of its own line, so that narrow
/// terminals wrap nothing).
pub fn examples_help(command: &str) -> String {
    let mut text = String::from("Examples:");
    for (line, what) in examples(command) {
        text.push_str(&format!("\n  # {what}\n  {line}"));
    }
    text
}

/// The whole manual as one roff page: the top level, then each command
/// with its synopsis, options and examples.
pub fn page(mut cli: clap::Command) -> Vec<u8> {
    cli.build();
    let mut out = Vec::new();
    let top = Man::new(cli.clone()).title("NEWS");
    // Writing to a Vec cannot fail.
    let _ = top.render_title(&mut out);
    let _ = top.render_name_section(&mut out);
    let _ = top.render_synopsis_section(&mut out);
    let _ = top.render_description_section(&mut out);
    let _ = top.render_options_section(&mut out);
    let commands: Vec<&clap::Command> = cli
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .collect();
    let mut list = Roff::default();
    list.control("SH", ["COMMANDS"]);
    for sub in &commands {
        list.control("TP", []);
        list.text([bold(format!("news {}", sub.get_name()))]);
        list.text([roman(
            sub.get_about().map(|a| a.to_string()).unwrap_or_default(),
        )]);
    }
    let _ = list.to_writer(&mut out);
    for sub in commands {
        let name = sub.get_name();
        let mut heading = Roff::default();
        heading.control("SH", [format!("NEWS {}", name.to_uppercase()).as_str()]);
        let _ = heading.to_writer(&mut out);
        let man = Man::new(sub.clone());
        let mut section = Vec::new();
        let _ = man.render_description_section(&mut section);
        let _ = man.render_synopsis_section(&mut section);
        let _ = man.render_options_section(&mut section);
        // A command's own sections become subsections of its section.
        for line in String::from_utf8_lossy(&section).lines() {
            let _ = match line.strip_prefix(".SH ") {
                Some(title) => writeln!(out, ".SS {title}"),
                None => writeln!(out, "{line}"),
            };
        }
        let _ = examples_roff("SS", name).to_writer(&mut out);
    }
    let _ = examples_roff("SH", "news").to_writer(&mut out);
    once_preamble(&out)
}

/// `page` with the two lines of preamble every rendered piece starts with
/// kept only at the top.
fn once_preamble(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let mut seen = std::collections::HashSet::new();
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let preamble = line.starts_with(".ie \\n(.g") || line.starts_with(".el .ds Aq");
        if preamble && !seen.insert(line) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.into_bytes()
}

/// The examples of `command` under a heading of level `level` (`SH` or
/// `SS`): each command line, then what it does.
fn examples_roff(level: &str, command: &str) -> Roff {
    let mut roff = Roff::default();
    roff.control(level, ["EXAMPLES"]);
    for (line, what) in examples(command) {
        roff.control("TP", []);
        roff.text([roman(*line)]);
        roff.text([roman(*what)]);
    }
    roff
}
