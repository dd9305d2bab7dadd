//! Roots: the folders and files an index covers, as given on the command
//! line or remembered from earlier runs, kept free of roots inside others.

use std::path::PathBuf;

use super::summary::Event;
use crate::error::{Error, Result};
use crate::store::Catalog;

/// Canonical roots from the command line, or `None` to re-scan the catalog's.
pub(super) fn resolve(paths: &[PathBuf]) -> Result<Option<Vec<PathBuf>>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let mut roots = Vec::new();
    for path in paths {
        let canonical = std::fs::canonicalize(path).map_err(|e| Error::io(path, e))?;
        if canonical.to_str().is_none() {
            return Err(Error::File {
                path: path.clone(),
                message: "path is not valid UTF-8".into(),
            });
        }
        roots.push(canonical);
    }
    Ok(Some(roots))
}

/// The roots indexed before that are still there; a missing one (an
/// unmounted drive) is reported and keeps its articles.
pub(super) fn previous(catalog: &Catalog, report: &mut dyn FnMut(Event)) -> Result<Vec<PathBuf>> {
    if catalog.roots.is_empty() {
        return Err(Error::parameter(
            "path",
            "no path given and none indexed before: run `news index PATH...`",
        ));
    }
    let mut roots = Vec::new();
    for root in &catalog.roots {
        let path = PathBuf::from(root);
        if path.exists() {
            roots.push(path);
        } else {
            // An unmounted drive must not empty the index: keep its articles.
            report(Event::Note(format!(
                "{root}: indexed before but not found now; its articles are kept"
            )));
        }
    }
    Ok(roots)
}

/// Adds new roots to the known ones, dropping any root inside another.
pub(super) fn merge(old: &[String], new: &[PathBuf]) -> Vec<String> {
    let mut all: Vec<PathBuf> = old.iter().map(PathBuf::from).collect();
    all.extend(new.iter().cloned());
    all.sort();
    all.dedup();
    let mut kept: Vec<PathBuf> = Vec::new();
    for root in all {
        if !kept.iter().any(|k| root.starts_with(k)) {
            kept.push(root);
        }
    }
    kept.iter()
        .filter_map(|p| p.to_str().map(str::to_string))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_inside_others_are_dropped() {
        let merged = merge(
            &["/a/b".to_string(), "/c".to_string()],
            &[
                PathBuf::from("/a"),
                PathBuf::from("/c/d"),
                PathBuf::from("/e"),
            ],
        );
        assert_eq!(merged, vec!["/a", "/c", "/e"]);
        // A sibling with a common prefix is not inside.
        let merged = merge(&["/a".to_string()], &[PathBuf::from("/ab")]);
        assert_eq!(merged, vec!["/a", "/ab"]);
    }
}
