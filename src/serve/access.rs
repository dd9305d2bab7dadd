//! Who may talk to the server and what browsers may do with its answers:
//! the `Host` check that defeats DNS rebinding, the CORS origins accepted
//! by `--cors`, and the security headers of every response.
//!
//! A web page cannot read another site's answers, but if its own name is
//! made to resolve to 127.0.0.1 (DNS rebinding) the browser takes the
//! server for that site and lets the page read it. The browser still sends
//! the page's name in `Host`, so refusing names the server does not know
//! closes that door. An IP address in `Host` cannot come from rebinding:
//! the browser's origin is then the address itself.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::{Error, Result};
use crate::output::json::ErrorJson;

/// The Content-Security-Policy of every response: only the server's own
/// scripts, styles and API; no framing (clickjacking), no `<base>` and no
/// form posting elsewhere.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
     style-src 'self'; script-src 'self'; connect-src 'self'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Names and addresses accepted in the `Host` header.
#[derive(Debug, Clone)]
pub struct Hosts {
    listen: IpAddr,
    names: Vec<String>,
}

impl Hosts {
    /// Loopback names and addresses, the listen address (any address when
    /// listening on all interfaces), and `extra` names (`--allow-host`).
    pub fn new(listen: IpAddr, extra: &[String]) -> Result<Hosts> {
        let names = extra
            .iter()
            .map(|name| host_name(name))
            .collect::<Result<Vec<_>>>()?;
        Ok(Hosts { listen, names })
    }

    /// Whether a `Host` header value (`name[:port]`, `[v6][:port]`) names
    /// this server.
    pub fn allows(&self, host: &str) -> bool {
        let name = strip_port(host);
        if let Ok(ip) = name
            .strip_prefix('[')
            .and_then(|v6| v6.strip_suffix(']'))
            .unwrap_or(name)
            .parse::<IpAddr>()
        {
            let ip = ip.to_canonical();
            return ip.is_loopback()
                || ip == self.listen.to_canonical()
                || self.listen.is_unspecified();
        }
        let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
        name == "localhost" || self.names.contains(&name)
    }
}

/// The host part of a `Host` value: an IPv6 literal keeps its brackets.
fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// A host name as given to `--allow-host`, lower-cased.
fn host_name(name: &str) -> Result<String> {
    let lower = name.trim_end_matches('.').to_ascii_lowercase();
    let valid_label = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if lower.parse::<IpAddr>().is_ok() || (lower.len() <= 253 && lower.split('.').all(valid_label))
    {
        Ok(lower)
    } else {
        Err(Error::parameter(
            "allow-host",
            format!("'{name}' is not a host name (give the name alone, without scheme or port)"),
        ))
    }
}

/// Refuses requests whose target host names another server: 421
/// Misdirected Request, or 400 when a request names no host at all. The
/// host of an absolute URI (`GET http://host/...`) takes precedence over
/// `Host`, as HTTP/1.1 says.
pub async fn check_host(State(hosts): State<Arc<Hosts>>, request: Request, next: Next) -> Response {
    let host = request
        .uri()
        .authority()
        .map(|a| a.host().to_string())
        .or_else(|| {
            request
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .map(str::to_string)
        });
    match host {
        Some(host) if hosts.allows(&host) => next.run(request).await,
        Some(host) => super::error(
            StatusCode::MISDIRECTED_REQUEST,
            ErrorJson {
                code: "unknown_host".into(),
                message: format!(
                    "this server does not answer to '{}' (see --allow-host)",
                    strip_port(&host)
                ),
            },
        ),
        None => super::error(
            StatusCode::BAD_REQUEST,
            ErrorJson {
                code: "unknown_host".into(),
                message: "the request names no host".into(),
            },
        ),
    }
}

/// Which browser origins may call the API from another site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cors {
    /// None (the default).
    Off,
    /// Any site (`--cors '*'`).
    Any,
    /// These origins, normalised (`https://example.org:8443`).
    Origins(Vec<HeaderValue>),
}

impl Cors {
    /// Reads the `--cors` values: `*` alone, or origins
    /// `scheme://host[:port]` with scheme `http` or `https`.
    pub fn from_args(values: &[String]) -> Result<Cors> {
        if values.is_empty() {
            return Ok(Cors::Off);
        }
        if values.iter().any(|v| v == "*") {
            return if values.len() == 1 {
                Ok(Cors::Any)
            } else {
                Err(Error::parameter(
                    "cors",
                    "'*' allows every origin and cannot be combined with others",
                ))
            };
        }
        let origins = values
            .iter()
            .map(|v| {
                let origin = origin(v).map_err(|why| {
                    Error::parameter("cors", format!("'{v}' is not an origin: {why}"))
                })?;
                HeaderValue::from_str(&origin)
                    .map_err(|_| Error::parameter("cors", format!("'{v}' is not an origin")))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Cors::Origins(origins))
    }
}

/// Normalises one origin: lower case, default port dropped.
fn origin(value: &str) -> std::result::Result<String, &'static str> {
    if value.eq_ignore_ascii_case("null") {
        return Err("'null' is sent by sandboxed frames and local files, so any page can claim it");
    }
    let (scheme, rest) = value
        .split_once("://")
        .ok_or("expected scheme://host[:port]")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return Err("the scheme must be http or https"),
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Err("no host");
    }
    if rest.contains(['/', '?', '#', '@', ',', ' ', '\t', '*']) {
        return Err("an origin is scheme://host[:port] alone, one per --cors");
    }
    let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
        let (addr, after) = v6.split_once(']').ok_or("unclosed '['")?;
        addr.parse::<std::net::Ipv6Addr>()
            .map_err(|_| "bad IPv6 address")?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or("junk after ']'")?),
        };
        (format!("[{}]", addr.to_ascii_lowercase()), port)
    } else {
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (rest, None),
        };
        let host = host_name(host).map_err(|_| "bad host name")?;
        (host, port)
    };
    let port = match port {
        None => None,
        Some(p) => {
            let n: u16 = p.parse().map_err(|_| "bad port")?;
            if n == 0 {
                return Err("bad port");
            }
            (n.to_string() != default_port).then(|| n.to_string())
        }
    };
    Ok(match port {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(listen: &str, extra: &[&str]) -> Hosts {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        Hosts::new(listen.parse().unwrap(), &extra).unwrap()
    }

    #[test]
    fn loopback_and_listen_address_pass_other_names_do_not() {
        let h = hosts("127.0.0.1", &[]);
        for ok in [
            "127.0.0.1:7878",
            "127.0.0.1",
            "127.9.9.9:1",
            "localhost:7878",
            "LOCALHOST",
            "localhost.",
            "[::1]:7878",
            "[::ffff:127.0.0.1]",
        ] {
            assert!(h.allows(ok), "{ok}");
        }
        for refused in [
            "evil.example:7878",
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "192.168.1.5:7878",
            "",
            "[::2]",
        ] {
            assert!(!h.allows(refused), "{refused}");
        }
        let lan = hosts("192.168.1.5", &["News.Local"]);
        assert!(lan.allows("192.168.1.5:7878"));
        assert!(lan.allows("news.local:7878"));
        assert!(!lan.allows("10.0.0.1"));
        let all = hosts("0.0.0.0", &[]);
        assert!(all.allows("10.0.0.1:7878"));
        assert!(!all.allows("evil.example"));
    }

    #[test]
    fn allow_host_takes_names_only() {
        for bad in ["", "http://a", "a:80", "a b", "*", "a/b"] {
            assert!(
                Hosts::new("127.0.0.1".parse().unwrap(), &[bad.to_string()]).is_err(),
                "{bad}"
            );
        }
    }

    fn cors(values: &[&str]) -> Result<Cors> {
        Cors::from_args(&values.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn cors_takes_origins_and_star_alone() {
        assert_eq!(cors(&[]).unwrap(), Cors::Off);
        assert_eq!(cors(&["*"]).unwrap(), Cors::Any);
        assert_eq!(
            cors(&[
                "HTTPS://Example.org:443/",
                "http://a.test:8080",
                "http://[::1]:80"
            ])
            .unwrap(),
            Cors::Origins(vec![
                HeaderValue::from_static("https://example.org"),
                HeaderValue::from_static("http://a.test:8080"),
                HeaderValue::from_static("http://[::1]"),
            ])
        );
        for bad in [
            "null",
            "NULL",
            "foo bar",
            "https://a, https://b",
            "https://a,https://b",
            "https://a https://b",
            "example.org",
            "ftp://example.org",
            "https://",
            "https://a/path",
            "https://user@a",
            "https://a:0",
            "https://a:99999",
            "https://*.a",
            "https://[::1",
        ] {
            assert!(cors(&[bad]).is_err(), "{bad}");
        }
        assert!(cors(&["*", "https://a"]).is_err());
    }
}
