//! The gazetteer file format and its override rule, shared by the crate (a
//! user's file, read at run time) and the build script (the built-in files,
//! merged once at compile time). It uses `std` alone so that the build
//! script can include it; the type column stays opaque here (`T`), read by
//! the caller.

use std::collections::HashMap;

/// One line of a gazetteer: canonical name, type and aliases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<T> {
    pub name: String,
    pub ty: T,
    pub aliases: Vec<String>,
}

/// Parses one `name<TAB>type<TAB>alias|alias` line, the type read by
/// `read_type`: `Ok(None)` for blank and comment lines.
pub fn parse_line<T>(
    line: &str,
    read_type: impl FnOnce(&str) -> Option<T>,
) -> Result<Option<Row<T>>, String> {
    let line = line.trim_end_matches(['\r', '\n']);
    if line.trim().is_empty() || line.trim_start().starts_with('#') {
        return Ok(None);
    }
    let mut cols = line.split('\t');
    let name = cols.next().unwrap_or("").trim();
    if name.is_empty() {
        return Err("empty name".to_string());
    }
    let ty = cols
        .next()
        .ok_or_else(|| format!("missing type column after {name:?} (use a TAB)"))?;
    let ty = read_type(ty)
        .ok_or_else(|| format!("unknown type {:?} (person, org, place or other)", ty.trim()))?;
    let aliases: Vec<String> = match cols.next() {
        Some(a) => a
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != name)
            .map(str::to_string)
            .collect(),
        None => Vec::new(),
    };
    if cols.next().is_some_and(|c| !c.trim().is_empty()) {
        return Err("too many columns (expected name, type, aliases)".to_string());
    }
    Ok(Some(Row {
        name: name.to_string(),
        ty,
        aliases,
    }))
}

/// Adds `other`'s rows to `rows`; a row with the same name, or whose name or
/// alias is an existing name or alias, replaces the old meaning of it.
pub fn extend<T>(rows: &mut Vec<Row<T>>, other: Vec<Row<T>>) {
    if rows.is_empty() {
        *rows = other;
        return;
    }
    let mut by_surface: HashMap<String, usize> = HashMap::new();
    for (i, e) in rows.iter().enumerate() {
        by_surface.insert(e.name.clone(), i);
        for a in &e.aliases {
            by_surface.entry(a.clone()).or_insert(i);
        }
    }
    let mut removed = vec![false; rows.len()];
    for mut e in other {
        let surfaces: Vec<String> = std::iter::once(&e.name)
            .chain(e.aliases.iter())
            .cloned()
            .collect();
        for s in &surfaces {
            if let Some(&i) = by_surface.get(s) {
                if i >= removed.len() || removed[i] {
                    continue;
                }
                if rows[i].name == *s {
                    // Same name: the new row replaces the old one's type
                    // and keeps its aliases too.
                    removed[i] = true;
                    let old: Vec<String> = rows[i].aliases.clone();
                    for alias in old {
                        if alias != e.name && !e.aliases.contains(&alias) {
                            e.aliases.push(alias);
                        }
                    }
                } else {
                    // Only an alias collides: the old row loses it.
                    rows[i].aliases.retain(|a| a != s);
                }
            }
        }
        let idx = rows.len();
        by_surface.insert(e.name.clone(), idx);
        for a in &e.aliases {
            by_surface.insert(a.clone(), idx);
        }
        rows.push(e);
        removed.push(false);
    }
    let mut i = 0;
    rows.retain(|_| {
        let keep = !removed[i];
        i += 1;
        keep
    });
}
