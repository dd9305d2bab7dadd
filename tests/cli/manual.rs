//! What `news` says about itself: `--help` of every command, shell
//! completions and the man page, checked for every command and option the
//! binary reports.

use std::process::Command;

use crate::harness::Env;

/// The commands `news --help` lists (without `help`).
fn commands(env: &Env) -> Vec<String> {
    let run = env.run_raw(&["--help"]);
    run.code(0);
    let list = run
        .stdout
        .split("Commands:")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or_default()
        .to_string();
    let names: Vec<String> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_string)
        .collect();
    assert!(names.len() >= 10, "{}", run.stdout);
    names
}

/// The long options a command's `--help` lists.
fn long_options(help: &str) -> Vec<String> {
    help.lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('-'))
        .filter_map(|l| {
            l.split(|c: char| c.is_whitespace() || c == ',' || c == '=')
                .find(|w| w.starts_with("--"))
                .map(str::to_string)
        })
        .collect()
}

/// The options and arguments of a help text, each with the lines that
/// describe it.
fn option_blocks(help: &str) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    let mut open = false;
    for line in help.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() {
            open = false;
        } else if indent <= 6 && trimmed.starts_with(['-', '[', '<']) {
            blocks.push(line.to_string());
            open = true;
        } else if indent > 6 && open {
            if let Some(last) = blocks.last_mut() {
                last.push_str(line);
            }
        } else {
            open = false;
        }
    }
    blocks
}

#[test]
fn every_help_ends_with_examples_and_shows_one_default_per_option() {
    let env = Env::new();
    let mut helps = vec![("news".to_string(), env.run_raw(&["--help"]))];
    for name in commands(&env) {
        let run = env.run_raw(&[name.as_str(), "--help"]);
        helps.push((name, run));
    }
    for (name, run) in &helps {
        run.code(0);
        let (_, examples) = run
            .stdout
            .rsplit_once("\nExamples:\n")
            .unwrap_or_else(|| panic!("{name} --help has no examples:\n{}", run.stdout));
        let lines: Vec<&str> = examples.lines().filter(|l| !l.trim().is_empty()).collect();
        let commands = lines.iter().filter(|l| l.starts_with("  news")).count();
        assert!((2..=3).contains(&commands), "{name}: {commands} examples");
        for pair in lines.chunks(2) {
            assert!(
                pair.len() == 2 && pair[0].starts_with("  # ") && pair[1].starts_with("  news"),
                "{name}: {pair:?}"
            );
        }
        for block in option_blocks(&run.stdout) {
            assert!(
                block.matches("[default").count() <= 1,
                "{name}: two defaults in {block:?}"
            );
        }
    }
    let index = env.run_raw(&["index", "--help"]);
    assert!(
        index.stdout.contains("[default: one per core]"),
        "{}",
        index.stdout
    );
}

/// Runs a shell's syntax check on a script; `Err` with the shell's
/// complaint when it fails.
fn syntax_check(shell: &str, flag: &str, script: &std::path::Path) -> Result<(), String> {
    let out = Command::new(shell)
        .arg(flag)
        .arg(script)
        .output()
        .map_err(|e| format!("{shell} does not run: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{shell} {flag}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The completion script for `shell`, written to a file in `dir`.
fn completion_script(env: &Env, shell: &str, dir: &std::path::Path) -> std::path::PathBuf {
    let run = env.run_raw(&["completions", shell]);
    run.code(0);
    let script = dir.join(format!("news.{shell}"));
    std::fs::write(&script, &run.stdout).unwrap();
    script
}

#[test]
fn completions_cover_every_command_in_every_shell() {
    let env = Env::new();
    let names = commands(&env);
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = env.run_raw(&["completions", shell]);
        run.code(0);
        for name in &names {
            assert!(run.stdout.contains(name.as_str()), "{shell}: no {name}");
        }
        for option in ["no-collapse", "prefix", "entities-file", "cors"] {
            assert!(run.stdout.contains(option), "{shell}: no {option}");
        }
    }
    assert_ne!(env.run_raw(&["completions", "tcsh"]).code, 0);
    let dir = tempfile::tempdir().unwrap();
    let script = completion_script(&env, "bash", dir.path());
    if let Err(e) = syntax_check("bash", "-n", &script) {
        panic!("{e}");
    }
}

#[test]
#[cfg_attr(not(news_zsh), ignore = "needs zsh on PATH")]
fn the_zsh_completion_script_parses() {
    let dir = tempfile::tempdir().unwrap();
    let script = completion_script(&Env::new(), "zsh", dir.path());
    if let Err(e) = syntax_check("zsh", "-n", &script) {
        panic!("{e}");
    }
}

#[test]
#[cfg_attr(not(news_fish), ignore = "needs fish on PATH")]
fn the_fish_completion_script_parses() {
    let dir = tempfile::tempdir().unwrap();
    let script = completion_script(&Env::new(), "fish", dir.path());
    if let Err(e) = syntax_check("fish", "--no-execute", &script) {
        panic!("{e}");
    }
}

#[test]
fn the_man_page_has_every_command_and_option() {
    let env = Env::new();
    let run = env.run_raw(&["man"]);
    run.code(0);
    let page = &run.stdout;
    assert_eq!(page.matches(".TH NEWS 1").count(), 1, "{page}");
    for name in commands(&env) {
        let heading = format!(".SH \"NEWS {}\"", name.to_uppercase());
        let (_, section) = page
            .split_once(&heading)
            .unwrap_or_else(|| panic!("no section {heading}"));
        let section = section.split("\n.SH ").next().unwrap_or_default();
        let help = env.run_raw(&[name.as_str(), "--help"]).stdout;
        for option in long_options(&help) {
            let roff = option.replace('-', "\\-");
            assert!(
                section.contains(&format!("\\fB{roff}\\fR")),
                "news {name}: {option} is missing from the man page"
            );
        }
        assert!(section.contains(".SS EXAMPLES"), "news {name}: no examples");
    }
}

#[test]
#[cfg_attr(not(news_groff), ignore = "needs groff on PATH")]
fn groff_reads_the_man_page_without_a_warning() {
    let env = Env::new();
    let run = env.run_raw(&["man"]);
    run.code(0);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("news.1");
    std::fs::write(&file, &run.stdout).unwrap();
    let out = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(&file)
        .output()
        .expect("groff does not run");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "groff: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
