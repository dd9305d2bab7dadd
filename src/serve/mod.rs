//! `news serve`: the HTTP JSON API and the search page, on axum.
//!
//! Every endpoint builds the same validated
//! [`SearchRequest`](crate::request::SearchRequest) the command line builds,
//! within the HTTP [`Limits`](crate::request::Limits), and answers with the
//! same JSON wire types. Client mistakes are 400s with
//! `{"error": {"code", "message"}}`, unknown ids 404s; nothing a client
//! sends can reach a file: the page's assets are compiled into the binary.
//! Connections are bounded in number and time ([`connection`]), expensive
//! requests in concurrency ([`admission`]), and only requests naming this
//! server are answered ([`access`]). A repeated question on an unchanged
//! index is answered from [`cache`].

mod access;
mod admission;
mod cache;
mod connection;
mod params;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{FromRef, Path as UrlPath, RawQuery, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use crate::deadline::{AbandonOnDrop, Deadline};
use crate::error::{Error, Result};
use crate::output::json::{
    ArticleJson, EntityPageJson, ErrorBodyJson, ErrorJson, SearchJson, TimelineJson,
};
use crate::search::{Engine, Lookup};
use cache::ResponseCache;

pub use access::{CONTENT_SECURITY_POLICY, Cors, Hosts};
pub use admission::{
    Admission, DEEP_PAGE_END, DEEP_RUNNING, DEEP_WAITING_PER_CORE, Lane, RETRY_AFTER_SECS,
    RUNNING_PER_CORE, WAITING_PER_CORE,
};
pub use connection::{HEADER_TIMEOUT, MAX_CONNECTIONS, WRITE_STALL_TIMEOUT};
pub use params::search_request;

/// Longest time a request may take before the server answers 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest request body accepted (the API takes none).
const MAX_BODY_BYTES: usize = 16 * 1024;

/// What `news serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Origins allowed to call the API from another site (`*` alone for any).
    pub cors: Vec<String>,
    /// Host names accepted in `Host` besides loopback and the listen address.
    pub allow_hosts: Vec<String>,
}

/// What every handler can reach.
#[derive(Clone)]
struct Shared {
    engine: Arc<Engine>,
    admission: Admission,
    cache: Arc<ResponseCache>,
}

impl FromRef<Shared> for Arc<ResponseCache> {
    fn from_ref(shared: &Shared) -> Arc<ResponseCache> {
        Arc::clone(&shared.cache)
    }
}

impl FromRef<Shared> for Arc<Engine> {
    fn from_ref(shared: &Shared) -> Arc<Engine> {
        Arc::clone(&shared.engine)
    }
}

impl FromRef<Shared> for Admission {
    fn from_ref(shared: &Shared) -> Admission {
        shared.admission.clone()
    }
}

/// Runs the server until interrupted. `ready` is called with the bound
/// address once the server accepts connections.
pub fn run(index_dir: &Path, options: &ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    let hosts = Hosts::new(options.listen.ip(), &options.allow_hosts)?;
    let cors = Cors::from_args(&options.cors)?;
    let engine = Arc::new(Engine::open_live(index_dir)?);
    let cap = connection::connection_cap();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Server(e.to_string()))?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .map_err(|e| Error::Server(format!("cannot listen on {}: {e}", options.listen)))?;
        let bound = listener
            .local_addr()
            .map_err(|e| Error::Server(e.to_string()))?;
        let app = router(engine, hosts, &cors, Admission::for_cores(cores));
        ready(bound);
        connection::serve(listener, app, cap, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        Ok(())
    });
    // A search still running past the grace period is not waited for.
    runtime.shutdown_timeout(REQUEST_TIMEOUT);
    served
}

/// The application: routes, limits and headers.
pub fn router(engine: Arc<Engine>, hosts: Hosts, cors: &Cors, admission: Admission) -> Router {
    let mut app = Router::new()
        .route("/", get(page))
        .route("/app.js", get(script))
        .route("/style.css", get(style))
        .route("/health", get(health))
        .route("/api/search", get(search))
        .route("/api/stats", get(stats))
        .route("/api/timeline", get(timeline))
        .route("/api/entities/{name}", get(entity))
        .route("/api/articles/{id}", get(article))
        .route("/api/articles/{id}/similar", get(similar))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(Shared {
            engine,
            admission,
            cache: Arc::new(ResponseCache::new()),
        })
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(hosts),
            access::check_host,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        // For browsers that predate `frame-ancestors`.
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ));
    let allowed = match cors {
        Cors::Off => None,
        Cors::Any => Some(AllowOrigin::any()),
        Cors::Origins(origins) => Some(AllowOrigin::list(origins.iter().cloned())),
    };
    if let Some(allowed) = allowed {
        app = app.layer(
            CorsLayer::new()
                .allow_origin(allowed)
                .allow_methods([Method::GET]),
        );
    }
    app
}

/// A JSON error response.
fn error(status: StatusCode, error: ErrorJson) -> Response {
    (status, axum::Json(ErrorBodyJson { error })).into_response()
}

/// Maps a library error to its HTTP status: the client's fault is 4xx.
fn from_error(err: Error) -> Response {
    let status = match err.code() {
        "not_found" => StatusCode::NOT_FOUND,
        "timeout" => StatusCode::REQUEST_TIMEOUT,
        "internal" => {
            eprintln!("news serve: {err}");
            StatusCode::INTERNAL_SERVER_ERROR
        }
        _ => StatusCode::BAD_REQUEST,
    };
    error(status, ErrorJson::from(&err))
}

/// The answer when every search slot and queue place is taken.
fn overloaded() -> Response {
    let mut response = error(
        StatusCode::SERVICE_UNAVAILABLE,
        ErrorJson {
            code: "overloaded".into(),
            message: "too many searches at once; retry shortly".into(),
        },
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    response
}

/// Runs expensive index work off the async workers once admitted in
/// `lane`; the ticket goes with the work, so work outliving its request
/// still counts. The work gets a deadline: the request's time limit, or
/// sooner if the request is dropped (timed out, or its client gone).
async fn admitted<T: Send + 'static>(
    admission: &Admission,
    lane: Lane,
    engine: Arc<Engine>,
    work: impl FnOnce(&Engine, &Deadline) -> Result<T> + Send + 'static,
) -> std::result::Result<T, Response> {
    let ticket = admission.enter(lane).await.map_err(|_| overloaded())?;
    let abandoned = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let _abandon_on_drop = AbandonOnDrop(Arc::clone(&abandoned));
    let deadline = Deadline::after(REQUEST_TIMEOUT).or_when(abandoned);
    let work = move |e: &Engine| {
        let _ticket = ticket;
        work(e, &deadline)
    };
    match lane {
        Lane::Ordinary => blocking(engine, work).await,
        Lane::Deep => on_own_thread(engine, work).await,
    }
}

/// Runs deep work on a thread of its own at the lowest priority, so that
/// ordinary searches on the blocking pool get the CPU first (a thread
/// cannot raise its priority back once lowered, so deep work never runs
/// on the pool's threads). Deep work is admitted one at a time.
async fn on_own_thread<T: Send + 'static>(
    engine: Arc<Engine>,
    work: impl FnOnce(&Engine) -> Result<T> + Send + 'static,
) -> std::result::Result<T, Response> {
    let (send, receive) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name("news-deep".into())
        .spawn(move || {
            lower_priority(DEEP_NICE);
            let _ = send.send(work(&engine));
        });
    if let Err(e) = spawned {
        return Err(from_error(Error::Server(e.to_string())));
    }
    match receive.await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(from_error(err)),
        Err(_) => Err(from_error(Error::Server(
            "deep search thread failed".into(),
        ))),
    }
}

/// How much lower than the server's own the nice value of the threads
/// running ordinary searches is.
const SEARCH_NICE: i32 = 10;
/// How much lower the nice value of the threads running deep pages is.
const DEEP_NICE: i32 = 19;

/// Lowers the scheduling priority of the calling thread (Linux keeps a
/// nice value per thread) below the server's own, so that a server started
/// with `nice` still puts its searches below its network threads.
fn lower_priority(by: i32) {
    #[cfg(target_os = "linux")]
    {
        // Read before any thread is lowered: every thread starts at it.
        static BASE: std::sync::OnceLock<i32> = std::sync::OnceLock::new();
        // SAFETY: plain system calls on the calling thread.
        unsafe {
            let base = *BASE.get_or_init(|| libc::getpriority(libc::PRIO_PROCESS, 0));
            libc::setpriority(libc::PRIO_PROCESS, 0, (base + by).min(19));
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = by;
}

/// Lowers the scheduling priority of the calling blocking thread, once, so
/// that on a busy machine the threads accepting connections and answering
/// cheap requests get the CPU first.
fn yield_to_network() {
    thread_local! {
        static LOWERED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if !LOWERED.replace(true) {
        lower_priority(SEARCH_NICE);
    }
}

/// Runs blocking index work off the async workers.
async fn blocking<T: Send + 'static>(
    engine: Arc<Engine>,
    work: impl FnOnce(&Engine) -> Result<T> + Send + 'static,
) -> std::result::Result<T, Response> {
    match tokio::task::spawn_blocking(move || {
        yield_to_network();
        work(&engine)
    })
    .await
    {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(from_error(err)),
        Err(join) => Err(from_error(Error::Server(join.to_string()))),
    }
}

/// The index version readers see now: answers kept from another version
/// are not served.
fn version(engine: &Engine) -> u64 {
    engine.searcher().generation().generation_id()
}

/// A kept answer, as JSON.
fn kept(body: axum::body::Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Answers with `value` as JSON and keeps the answer for `key` on index
/// `version`, taken before the work began: an answer computed on a newer
/// version is at worst dropped early, never served as an older one's.
fn keep(
    cache: &ResponseCache,
    key: String,
    version: u64,
    value: &impl serde::Serialize,
) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => {
            let body = axum::body::Bytes::from(body);
            cache.put(key, version, body.clone());
            kept(body)
        }
        Err(e) => from_error(Error::Server(e.to_string())),
    }
}

async fn search(
    State(engine): State<Arc<Engine>>,
    State(admission): State<Admission>,
    State(cache): State<Arc<ResponseCache>>,
    RawQuery(raw): RawQuery,
) -> Response {
    let raw = raw.unwrap_or_default();
    let request = match search_request(&raw) {
        Ok(r) => r,
        Err(e) => return from_error(e),
    };
    let key = format!("search?{raw}");
    let version = version(&engine);
    if let Some(body) = cache.get(&key, version) {
        return kept(body);
    }
    let lane = Lane::for_page_end(request.page.offset() + request.page.limit());
    match admitted(&admission, lane, engine, move |e, deadline| {
        e.search_within(&request, deadline)
    })
    .await
    {
        Ok(results) => keep(&cache, key, version, &SearchJson::from(&results)),
        Err(response) => response,
    }
}

async fn timeline(
    State(engine): State<Arc<Engine>>,
    State(admission): State<Admission>,
    State(cache): State<Arc<ResponseCache>>,
    RawQuery(raw): RawQuery,
) -> Response {
    let raw = raw.unwrap_or_default();
    let (request, by) = match params::timeline_request(&raw) {
        Ok(r) => r,
        Err(e) => return from_error(e),
    };
    let key = format!("timeline?{raw}");
    let version = version(&engine);
    if let Some(body) = cache.get(&key, version) {
        return kept(body);
    }
    match admitted(&admission, Lane::Ordinary, engine, move |e, deadline| {
        e.timeline_within(&request, by, deadline)
    })
    .await
    {
        Ok(timeline) => keep(&cache, key, version, &TimelineJson::from(&timeline)),
        Err(response) => response,
    }
}

/// One entity's page: its ties, its timeline and its top stories, among
/// the articles the parameters choose.
async fn entity(
    State(engine): State<Arc<Engine>>,
    State(admission): State<Admission>,
    UrlPath(name): UrlPath<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let query = match params::entity_query(raw.as_deref().unwrap_or("")) {
        Ok(q) => q,
        Err(e) => return from_error(e),
    };
    match admitted(&admission, Lane::Ordinary, engine, move |e, deadline| {
        let related = e.related_within(
            &name,
            query.kind,
            &query.request,
            crate::related::DEFAULT_RELATED,
            deadline,
        )?;
        let mut with_name = query.request;
        with_name
            .filters
            .entities
            .push(crate::request::EntityFilter {
                kind: query.kind,
                name,
            });
        let timeline = e.timeline_within(&with_name, query.by, deadline)?;
        let top = e.search_within(&with_name, deadline)?;
        Ok(EntityPageJson::new(&related, &timeline, &top))
    })
    .await
    {
        Ok(page) => axum::Json(page).into_response(),
        Err(response) => response,
    }
}

async fn article(State(engine): State<Arc<Engine>>, UrlPath(id): UrlPath<String>) -> Response {
    match blocking(engine, move |e| e.locate(&id, Lookup::Exact)).await {
        Ok((_, article)) => axum::Json(ArticleJson::from(&article)).into_response(),
        Err(response) => response,
    }
}

async fn similar(
    State(engine): State<Arc<Engine>>,
    State(admission): State<Admission>,
    UrlPath(id): UrlPath<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let page = match params::similar_page(raw.as_deref().unwrap_or("")) {
        Ok(page) => page,
        Err(e) => return from_error(e),
    };
    match admitted(&admission, Lane::Ordinary, engine, move |e, deadline| {
        e.similar_within(&id, Lookup::Exact, page, deadline)
    })
    .await
    {
        Ok(results) => axum::Json(SearchJson::from(&results)).into_response(),
        Err(response) => response,
    }
}

async fn stats(State(engine): State<Arc<Engine>>, State(admission): State<Admission>) -> Response {
    match admitted(&admission, Lane::Ordinary, engine, |e, deadline| {
        e.stats_within(deadline)
    })
    .await
    {
        Ok(stats) => axum::Json(&*stats).into_response(),
        Err(response) => response,
    }
}

async fn health(State(engine): State<Arc<Engine>>) -> Response {
    let articles = engine.searcher().num_docs();
    axum::Json(serde_json::json!({"status": "ok", "articles": articles})).into_response()
}

async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        ErrorJson {
            code: "not_found".into(),
            message: "no such endpoint".into(),
        },
    )
}

async fn method_not_allowed() -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorJson {
            code: "method_not_allowed".into(),
            message: "only GET is supported".into(),
        },
    )
}

const PAGE: &str = include_str!("assets/index.html");
const SCRIPT: &str = include_str!("assets/app.js");
const STYLE: &str = include_str!("assets/style.css");

async fn page() -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE).into_response()
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}
