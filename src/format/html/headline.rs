//! A page's headline without the site's name that titles often carry
//! ("… - Sportsnet.ca", "… | CNN", "BBC News - …"): a part of the title
//! split at a separator is dropped when it names the site, as the page's
//! `og:site_name`, its publisher or its host name say.

/// What separates a site's name from the headline in a title.
const SEPARATORS: [&str; 9] = [
    " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " » ", " « ",
];

/// Longest site name part, in words.
const MAX_SITE_WORDS: usize = 6;

/// Lower-case letters and digits only.
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The distinctive label of a host name: `www.sportsnet.ca` → `sportsnet`.
pub fn host_label(url: &str) -> Option<String> {
    let host = url
        .split_once("://")?
        .1
        .split(['/', '?', '#', ':'])
        .next()?;
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let main = match labels.len() {
        0 => return None,
        1 => labels[0],
        n => {
            // "bbc.co.uk": the label before a short second-level one.
            let second = labels[n - 2];
            if n >= 3
                && second.len() <= 3
                && matches!(second, "co" | "com" | "org" | "net" | "gov" | "ac")
            {
                labels[n - 3]
            } else {
                second
            }
        }
    };
    let main = squash(main);
    (main.len() >= 2).then_some(main)
}

/// Whether a part of a title names the site.
fn names_site(part: &str, sites: &[String]) -> bool {
    if part.split_whitespace().count() > MAX_SITE_WORDS {
        return false;
    }
    let p = squash(part);
    if p.len() < 2 {
        return false;
    }
    let bare = p.strip_prefix("the").unwrap_or(&p);
    sites.iter().any(|s| {
        [p.as_str(), bare].iter().any(|p| {
            !p.is_empty()
                && (*p == s || p.starts_with(s.as_str()) || (s.starts_with(p) && p.len() >= 3))
        })
    })
}

/// The headline of `title` with a site-name prefix or suffix removed.
/// `sites` are the names the site goes by (site name, publisher) and
/// `host` the label of its host name.
pub fn strip_site(title: &str, sites: &[&str], host: Option<&str>) -> String {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let names: Vec<String> = sites
        .iter()
        .map(|s| squash(s))
        .chain(host.map(str::to_string))
        .filter(|s| s.len() >= 2)
        .collect();
    if names.is_empty() {
        return title;
    }
    let mut rest: &str = &title;
    loop {
        let mut changed = false;
        // A suffix: the part after the last separator.
        if let Some((at, sep)) = SEPARATORS
            .iter()
            .filter_map(|sep| rest.rfind(sep).map(|i| (i, *sep)))
            .max_by_key(|(i, _)| *i)
            && names_site(&rest[at + sep.len()..], &names)
            && !rest[..at].trim().is_empty()
        {
            rest = rest[..at].trim_end();
            changed = true;
        }
        // A prefix: the part before the first separator.
        if let Some((at, sep)) = SEPARATORS
            .iter()
            .filter_map(|sep| rest.find(sep).map(|i| (i, *sep)))
            .min_by_key(|(i, _)| *i)
            && names_site(&rest[..at], &names)
            && !rest[at + sep.len()..].trim().is_empty()
        {
            rest = rest[at + sep.len()..].trim_start();
            changed = true;
        }
        if !changed {
            break;
        }
    }
    rest.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names_are_removed() {
        let host = host_label("https://www.sportsnet.ca/nhl/story");
        assert_eq!(host.as_deref(), Some("sportsnet"));
        assert_eq!(
            strip_site(
                "Oilers win in overtime - Sportsnet.ca",
                &[],
                host.as_deref()
            ),
            "Oilers win in overtime"
        );
        assert_eq!(
            strip_site("Storm hits coast | CNN", &["CNN"], None),
            "Storm hits coast"
        );
        assert_eq!(
            strip_site("BBC News - Floods return", &["BBC News"], None),
            "Floods return"
        );
        assert_eq!(
            strip_site(
                "Floods return | World | The Meridian Wire",
                &["Meridian Wire"],
                host_label("https://meridian.co.uk/x").as_deref()
            ),
            "Floods return | World"
        );
        assert_eq!(
            host_label("https://news.bbc.co.uk/x").as_deref(),
            Some("bbc")
        );
    }

    #[test]
    fn headlines_with_separators_are_kept() {
        assert_eq!(
            strip_site("Mexico - US talks resume", &["Meridian"], Some("meridian")),
            "Mexico - US talks resume"
        );
        assert_eq!(strip_site("CNN", &["CNN"], None), "CNN");
        assert_eq!(
            strip_site("Rates rise | Markets", &[], None),
            "Rates rise | Markets"
        );
    }
}
