//! Model-based test of incremental indexing: random add / modify / delete /
//! rename / touch sequences between runs; after every run the index holds
//! exactly the folder's articles.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use news_search::indexer::{IndexOptions, run};
use news_search::search::Engine;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Add(usize, u32),
    Modify(usize, u32),
    Delete(usize),
    Rename(usize, usize),
    Touch(usize, u32),
    /// A same-size edit that keeps the old modification time, as happens
    /// within one tick of a coarse filesystem clock.
    ModifySameTick(usize, u32),
    Index,
}

const NAMES: [&str; 8] = [
    "a.txt", "b.txt", "c.md", "d/e.txt", "d/f.txt", "g/h/i.md", "j.txt", "k.md",
];

fn op() -> impl Strategy<Value = Op> {
    let name = 0..NAMES.len();
    prop_oneof![
        3 => (name.clone(), any::<u32>()).prop_map(|(n, s)| Op::Add(n, s)),
        2 => (name.clone(), any::<u32>()).prop_map(|(n, s)| Op::Modify(n, s)),
        1 => name.clone().prop_map(Op::Delete),
        1 => (name.clone(), 0..NAMES.len()).prop_map(|(a, b)| Op::Rename(a, b)),
        1 => (name.clone(), any::<u32>()).prop_map(|(n, s)| Op::Touch(n, s)),
        3 => (name, any::<u32>()).prop_map(|(n, s)| Op::ModifySameTick(n, s)),
        3 => Just(Op::Index),
    ]
}

/// Article text for a seed. Every text has the same size, so every edit is
/// a same-size edit: the hard case for stat-only change detection.
fn content(seed: u32) -> String {
    format!(
        "Story {:010}\n\nWord{:03} appears in this body.",
        seed,
        seed % 1000
    )
}

fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn indexed(index: &Path) -> BTreeMap<String, String> {
    let engine = Engine::open(index).unwrap();
    let mut out = BTreeMap::new();
    engine
        .for_each_article(|a| {
            assert!(
                out.insert(a.id.clone(), a.headline.clone()).is_none(),
                "duplicate {}",
                a.id
            );
            Ok(())
        })
        .unwrap();
    out
}

fn check(root: &Path, index: &Path, model: &BTreeMap<String, String>) {
    let mut options = IndexOptions::new(index.to_path_buf(), vec![root.to_path_buf()]);
    options.threads = 2;
    let summary = run(&options, &mut |_| {}).unwrap();
    let canonical = std::fs::canonicalize(root).unwrap();
    let expected: BTreeMap<String, String> = model
        .iter()
        .map(|(name, text)| {
            let id = canonical.join(name).to_string_lossy().into_owned();
            (id, text.lines().next().unwrap().to_string())
        })
        .collect();
    assert_eq!(indexed(index), expected, "after run {summary:?}");
    assert_eq!(summary.articles as usize, model.len());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, max_shrink_iters: 200, .. ProptestConfig::default() })]

    #[test]
    fn the_index_always_equals_the_folder(ops in prop::collection::vec(op(), 1..14)) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("corpus");
        let index = tmp.path().join("index");
        std::fs::create_dir_all(&root).unwrap();
        let mut model: BTreeMap<String, String> = BTreeMap::new();
        // When the last run started: a same-tick edit (same size, same
        // mtime) is only detectable, and so only fair to test, for a file
        // whose mtime was shortly before that run, as a real write's is.
        let mut last_run: Option<SystemTime> = None;
        for op in ops.into_iter().chain([Op::Index]) {
            match op {
                Op::Add(n, seed) | Op::Modify(n, seed) => {
                    let name = NAMES[n];
                    if matches!(op, Op::Modify(..)) && !model.contains_key(name) {
                        continue;
                    }
                    let text = content(seed);
                    write(&root, name, &text);
                    model.insert(name.to_string(), text);
                }
                Op::Delete(n) => {
                    if model.remove(NAMES[n]).is_some() {
                        std::fs::remove_file(root.join(NAMES[n])).unwrap();
                    }
                }
                Op::Rename(a, b) => {
                    if a != b && let Some(text) = model.remove(NAMES[a]) {
                        let to = root.join(NAMES[b]);
                        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                        std::fs::rename(root.join(NAMES[a]), &to).unwrap();
                        model.insert(NAMES[b].to_string(), text);
                    }
                }
                Op::Touch(n, secs) => {
                    if model.contains_key(NAMES[n]) {
                        let when = SystemTime::now() - Duration::from_secs(u64::from(secs % 100_000));
                        let file = std::fs::File::options().write(true).open(root.join(NAMES[n])).unwrap();
                        file.set_modified(when).unwrap();
                    }
                }
                Op::ModifySameTick(n, seed) => {
                    let name = NAMES[n];
                    if !model.contains_key(name) {
                        continue;
                    }
                    let path = root.join(name);
                    let old = std::fs::metadata(&path).unwrap().modified().unwrap();
                    let fair = last_run.is_some_and(|run| {
                        run.duration_since(old).is_ok_and(|d| d < Duration::from_millis(1500))
                    });
                    if !fair {
                        continue;
                    }
                    let text = content(seed);
                    std::fs::write(&path, &text).unwrap();
                    std::fs::File::options().write(true).open(&path).unwrap().set_modified(old).unwrap();
                    model.insert(name.to_string(), text);
                }
                Op::Index => {
                    last_run = Some(SystemTime::now());
                    check(&root, &index, &model);
                }
            }
        }
    }
}
