// The search page of `news serve`: plain JavaScript, no build step.
//
// The whole page state lives in the URL (q, since, until, sort, fuzzy,
// entity..., page, article, and about/kind for an entity's page), so any
// view can be shared or bookmarked and
// back/forward work. Searches run as the query is typed, so they ask the
// server to read the last word as a prefix and to repair unfinished syntax
// (an open quote or bracket) rather than refuse it. Article text comes from the archive and is untrusted:
// it only ever reaches the page through textContent and text nodes.
'use strict';

(() => {
  const PAGE_SIZE = 10;
  const MAX_OFFSET = 10000;
  const MAX_PAGE = Math.floor(MAX_OFFSET / PAGE_SIZE) + 1;
  const MAX_FILTERS = 20;
  const SIMILAR_LIMIT = 6;
  const DEBOUNCE_MS = 250;
  const CHIPS_SHOWN = 8;
  const FACET_ROWS = 6;
  const PERIOD = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
  const SORTS = ['relevance', 'newest', 'oldest'];
  const TYPE_NAMES = { person: 'Person', org: 'Organisation', place: 'Place', other: 'Other' };
  const FACET_GROUPS = [
    ['person', 'People'],
    ['org', 'Organisations'],
    ['place', 'Places'],
  ];
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  const $ = (id) => document.getElementById(id);
  const ui = {
    form: $('search-form'),
    q: $('q'),
    error: $('search-error'),
    stats: $('stats'),
    progress: $('progress'),
    results: $('results'),
    summary: $('summary'),
    fuzzy: $('fuzzy'),
    sort: $('sort'),
    filtersJump: $('filters-jump'),
    active: $('active-filters'),
    relaxed: $('relaxed'),
    suggestion: $('suggestion'),
    readAs: $('read-as'),
    body: $('results-body'),
    hits: $('hits'),
    empty: $('empty'),
    pager: $('pager'),
    facets: $('facets'),
    histogram: $('histogram'),
    dateForm: $('date-range'),
    since: $('since'),
    until: $('until'),
    dateError: $('date-error'),
    entityFacets: $('entity-facets'),
    entityPage: $('entity-page'),
    reader: $('reader'),
    readerClose: $('reader-close'),
    readerScroll: $('reader-scroll'),
    readerContent: $('reader-content'),
    similar: $('similar'),
    similarList: $('similar-list'),
  };

  // ---------------------------------------------------------------- helpers

  /** Builds an element. Strings become text nodes, never markup. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [key, value] of Object.entries(attrs)) {
        if (value == null || value === false) continue;
        if (key === 'class') el.className = value;
        else if (key === 'text') el.textContent = value;
        else if (key === 'dataset') Object.assign(el.dataset, value);
        else if (key.startsWith('on') && typeof value === 'function') {
          el.addEventListener(key.slice(2), value);
        } else el.setAttribute(key, value === true ? '' : String(value));
      }
    }
    for (const child of children.flat(Infinity)) {
      if (child == null || child === false) continue;
      el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  /** Replaces an element's children, skipping null and false. */
  function fill(el, ...children) {
    el.replaceChildren(...children.flat(Infinity).filter((c) => c != null && c !== false));
    return el;
  }

  /** Case- and accent-insensitive form of a name, as the server folds it. */
  function fold(s) {
    return String(s).normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().trim();
  }

  const numberFormat = new Intl.NumberFormat('en');
  const fmt = (n) => numberFormat.format(n);
  const plural = (n, one, many) => `${fmt(n)} ${n === 1 ? one : many}`;

  /** "2021-10-08" → "8 Oct 2021"; "2021-03" → "Mar 2021"; "2021" → "2021". */
  function formatDate(value) {
    if (!value || !PERIOD.test(value)) return value || '';
    const [y, m, d] = value.split('-');
    if (!m) return y;
    const month = MONTHS[Number(m) - 1];
    return d ? `${Number(d)} ${month} ${y}` : `${month} ${y}`;
  }

  /** Short label of a histogram bar: "2021" or "Mar ’21". */
  function periodLabel(period) {
    const [y, m] = period.split('-');
    return m ? `${MONTHS[Number(m) - 1]} ’${y.slice(2)}` : y;
  }

  function basename(path) {
    const clean = String(path).replace(/#.*$/, '');
    const name = clean.split(/[\\/]/).pop() || clean;
    const part = String(path).match(/#(\d+)$/);
    return part ? `${name} (part ${part[1]})` : name;
  }

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  /**
   * The snippet with its highlights as <mark>s. The server's ranges are
   * byte offsets into the UTF-8 text, so slice bytes, not UTF-16 units.
   */
  function highlighted(text, ranges) {
    const frag = document.createDocumentFragment();
    const bytes = encoder.encode(text || '');
    const spans = (Array.isArray(ranges) ? ranges : [])
      .filter((r) => Array.isArray(r) && Number.isInteger(r[0]) && Number.isInteger(r[1]))
      .map(([a, b]) => [Math.max(0, a), Math.min(bytes.length, b)])
      .filter(([a, b]) => a < b)
      .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let pos = 0;
    for (let [a, b] of spans) {
      if (b <= pos) continue;
      if (a < pos) a = pos;
      if (a > pos) frag.append(decoder.decode(bytes.subarray(pos, a)));
      frag.append(h('mark', null, decoder.decode(bytes.subarray(a, b))));
      pos = b;
    }
    if (pos < bytes.length) frag.append(decoder.decode(bytes.subarray(pos)));
    return frag;
  }

  /** Only http(s) links from article metadata are made clickable. */
  function safeUrl(url) {
    try {
      const u = new URL(url);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
    } catch {
      return null;
    }
  }

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function getJson(url, signal) {
    let response;
    try {
      response = await fetch(url, { signal, headers: { Accept: 'application/json' } });
    } catch (err) {
      if (err.name === 'AbortError') throw err;
      throw new ApiError(0, 'network', 'Cannot reach the news server. Is `news serve` still running?');
    }
    let body = null;
    try {
      body = await response.json();
    } catch (err) {
      if (err.name === 'AbortError') throw err;
    }
    if (!response.ok) {
      const message = body && body.error && body.error.message;
      throw new ApiError(
        response.status,
        (body && body.error && body.error.code) || 'http',
        message || `The server answered ${response.status} ${response.statusText}.`,
      );
    }
    if (!body || typeof body !== 'object') {
      throw new ApiError(response.status, 'bad_response', 'The server sent an answer this page cannot read.');
    }
    return body;
  }

  function sentence(message) {
    const m = String(message || '').trim();
    return m ? m[0].toUpperCase() + m.slice(1) + (/[.!?]$/.test(m) ? '' : '.') : '';
  }

  // ------------------------------------------------------------------ state

  function emptyState() {
    return { q: '', since: '', until: '', sort: 'relevance', fuzzy: false, entities: [], page: 1, article: '', about: '', kind: '' };
  }

  function uniqueNames(names) {
    const seen = new Set();
    const out = [];
    for (const raw of names) {
      const name = String(raw).trim();
      if (!name || seen.has(fold(name))) continue;
      seen.add(fold(name));
      out.push(name);
    }
    return out.slice(0, MAX_FILTERS);
  }

  function stateFromUrl() {
    const p = new URLSearchParams(location.search);
    const s = emptyState();
    s.q = (p.get('q') || '').trim();
    s.since = (p.get('since') || '').trim();
    s.until = (p.get('until') || '').trim();
    const sort = (p.get('sort') || '').toLowerCase();
    if (SORTS.includes(sort)) s.sort = sort;
    s.fuzzy = ['1', 'true', 'yes', 'on'].includes((p.get('fuzzy') || '').toLowerCase());
    s.entities = uniqueNames(p.getAll('entity'));
    const page = parseInt(p.get('page') || '1', 10);
    s.page = Number.isFinite(page) && page > 1 ? Math.min(page, MAX_PAGE) : 1;
    s.article = p.get('article') || '';
    s.about = (p.get('about') || '').trim();
    const kind = (p.get('kind') || '').toLowerCase();
    if (s.about && TYPE_NAMES[kind]) s.kind = kind;
    return s;
  }

  function pageUrl(s) {
    const p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    if (s.since) p.set('since', s.since);
    if (s.until) p.set('until', s.until);
    if (s.sort !== 'relevance') p.set('sort', s.sort);
    if (s.fuzzy) p.set('fuzzy', '1');
    for (const e of s.entities) p.append('entity', e);
    if (s.page > 1) p.set('page', String(s.page));
    if (s.article) p.set('article', s.article);
    if (s.about) p.set('about', s.about);
    if (s.about && s.kind) p.set('kind', s.kind);
    // A literal "+" is already %2B, so "+" only ever stands for a space.
    const qs = p.toString().replace(/\+/g, '%20');
    return qs ? `/?${qs}` : '/';
  }

  function searchUrl(s) {
    const p = new URLSearchParams();
    p.set('q', s.q);
    p.set('limit', String(PAGE_SIZE));
    p.set('offset', String((s.page - 1) * PAGE_SIZE));
    if (s.since) p.set('since', s.since);
    if (s.until) p.set('until', s.until);
    if (s.sort !== 'relevance') p.set('sort', s.sort);
    if (s.fuzzy) p.set('fuzzy', '1');
    for (const e of s.entities) p.append('entity', e);
    p.set('facets', '1');
    p.set('prefix', '1');
    p.set('lenient', '1');
    return `/api/search?${p}`;
  }

  /** The timeline of the same result set: the search's query and filters. */
  function timelineUrl(s) {
    const p = new URLSearchParams();
    p.set('q', s.q);
    if (s.since) p.set('since', s.since);
    if (s.until) p.set('until', s.until);
    if (s.fuzzy) p.set('fuzzy', '1');
    for (const e of s.entities) p.append('entity', e);
    p.set('prefix', '1');
    p.set('lenient', '1');
    return `/api/timeline?${p}`;
  }

  function entityUrl(s) {
    const p = new URLSearchParams();
    if (s.kind) p.set('kind', s.kind);
    if (s.since) p.set('since', s.since);
    if (s.until) p.set('until', s.until);
    p.set('limit', String(PAGE_SIZE));
    return `/api/entities/${encodeURIComponent(s.about)}?${p}`;
  }

  /** The state of an entity's page, keeping the dates being looked at. */
  function aboutState(name, kind) {
    return { ...emptyState(), about: name, kind: TYPE_NAMES[kind] ? kind : '', since: state.since, until: state.until };
  }

  const articleUrl = (id) => `/api/articles/${encodeURIComponent(id)}`;

  let state = stateFromUrl();
  /** Whether the current history entry was made by typing (so more typing replaces it). */
  let typingEntry = false;

  /** Moves to a new state: records it in history, then shows it. */
  function navigate(next, { replace = false, syncInput = true } = {}) {
    const url = pageUrl(next);
    const current = location.pathname + location.search;
    if (replace) history.replaceState(null, '', url);
    else if (url !== current) history.pushState(null, '', url);
    state = next;
    render({ syncInput });
  }

  function withFilters(changes) {
    return { ...state, ...changes, page: 1, article: '' };
  }

  function hasFilters(s) {
    return s.entities.length > 0 || !!s.since || !!s.until;
  }

  function isActiveEntity(entity) {
    const names = [entity.text, ...(entity.aliases || [])].map(fold);
    return state.entities.some((f) => names.includes(fold(f)));
  }

  function toggleEntity(name) {
    const key = fold(name);
    const present = state.entities.some((e) => fold(e) === key);
    const entities = present
      ? state.entities.filter((e) => fold(e) !== key)
      : uniqueNames([...state.entities, name]);
    typingEntry = false;
    navigate(withFilters({ entities }));
  }

  /** Remembered entity types, for labelling active filter chips. */
  const entityTypes = new Map();
  function learnTypes(entities) {
    for (const e of entities || []) {
      if (!e || !e.text) continue;
      entityTypes.set(fold(e.text), e.type);
      for (const a of e.aliases || []) if (!entityTypes.has(fold(a))) entityTypes.set(fold(a), e.type);
    }
  }

  // ----------------------------------------------------------------- search

  let searchSeq = 0;
  let searchAbort = null;
  /** The search on screen, and the one last asked for (on screen or on its way). */
  let shownSearch = null;
  let wantedSearch = null;
  let lastResults = null;

  function setLoading(on) {
    ui.progress.hidden = !on;
    ui.results.setAttribute('aria-busy', on ? 'true' : 'false');
    ui.body.classList.toggle('is-stale', on && lastResults !== null);
  }

  /** Shows the results of `s`; only the latest request ever reaches the page. */
  async function runSearch(s, { force = false } = {}) {
    const url = searchUrl(s);
    if (url === wantedSearch && !force) return;
    wantedSearch = url;
    const seq = ++searchSeq;
    if (searchAbort) searchAbort.abort();
    searchAbort = null;
    if (url === shownSearch && !force) {
      // Back to what is on screen: drop the newer request still in flight.
      setLoading(false);
      return;
    }
    const abort = new AbortController();
    searchAbort = abort;
    setLoading(true);
    try {
      const data = await getJson(url, abort.signal);
      if (seq !== searchSeq) return; // a newer request owns the page
      shownSearch = url;
      lastResults = data;
      showSearchError(null);
      renderResults(s, data);
    } catch (err) {
      if (seq !== searchSeq || err.name === 'AbortError') return;
      shownSearch = null;
      wantedSearch = null;
      renderFailure(s, err);
    } finally {
      if (seq === searchSeq) setLoading(false);
    }
  }

  function showSearchError(message) {
    ui.error.hidden = !message;
    ui.error.textContent = message || '';
    ui.q.setAttribute('aria-invalid', message ? 'true' : 'false');
  }

  function renderFailure(s, err) {
    lastResults = null;
    ui.hits.replaceChildren();
    ui.pager.hidden = true;
    ui.relaxed.hidden = true;
    ui.suggestion.hidden = true;
    ui.readAs.hidden = true;
    renderActiveFilters(s);
    renderFacets(s, null);
    if (err.status === 400) {
      showSearchError(sentence(err.message));
      ui.summary.textContent = 'No results: the search could not be run.';
      showEmpty('Check the search', 'Fix the problem shown under the search box and the results will follow.', []);
    } else {
      showSearchError(null);
      ui.summary.textContent = 'Results could not be loaded.';
      showEmpty('Something went wrong', sentence(err.message), [
        h('button', { class: 'button', type: 'button', onclick: () => runSearch(state, { force: true }) }, 'Try again'),
      ]);
    }
  }

  function showEmpty(title, text, actions) {
    fill(ui.empty, 
      h('h2', { class: 'empty-title' }, title),
      h('p', { class: 'empty-text' }, text),
      actions.length ? h('div', { class: 'empty-actions' }, actions) : null,
    );
    ui.empty.hidden = false;
  }

  function renderResults(s, data) {
    const hits = Array.isArray(data.hits) ? data.hits : [];
    const total = Number(data.total) || 0;
    const pages = Math.max(1, Math.min(MAX_PAGE, Math.ceil(total / PAGE_SIZE)));
    for (const hit of hits) learnTypes(hit.entities);

    // Summary line.
    const what = s.q ? h('span', null, ' for ', h('q', { class: 'summary-query' }, s.q)) : null;
    const count = total === 0 ? 'No articles' : s.q || hasFilters(s) ? plural(total, 'article', 'articles') : `All ${plural(total, 'article', 'articles')}`;
    fill(ui.summary, 
      h('strong', null, count),
      what,
      total > PAGE_SIZE ? h('span', { class: 'summary-page' }, ` · page ${fmt(s.page)} of ${fmt(pages)}`) : null,
    );

    ui.relaxed.hidden = !data.relaxed;
    if (data.relaxed) {
      ui.relaxed.textContent = 'No article contains every word, so these match some of them.';
    }
    renderSuggestion(s, data.suggestion);
    const readAs = typeof data.read_as === 'string' ? data.read_as.trim() : '';
    ui.readAs.hidden = !readAs || readAs === s.q;
    if (!ui.readAs.hidden) {
      fill(ui.readAs, 'Searching for ', h('q', { class: 'read-as-query' }, readAs), ' while you finish typing.');
    }

    renderActiveFilters(s);
    ui.hits.replaceChildren(...hits.map((hit, i) => renderHit(s, hit, (s.page - 1) * PAGE_SIZE + i + 1)));

    if (hits.length === 0) {
      const actions = [];
      if (hasFilters(s)) {
        actions.push(h('button', { class: 'button', type: 'button', onclick: clearFilters }, 'Clear filters'));
      }
      if (!s.fuzzy && s.q) {
        actions.push(h('button', { class: 'button', type: 'button', onclick: () => navigate(withFilters({ fuzzy: true })) }, 'Try fuzzy matching'));
      }
      if (total > 0) {
        showEmpty('No more results', `This page is past the last one (${fmt(pages)}).`, [
          h('button', { class: 'button', type: 'button', onclick: () => goToPage(1) }, 'Back to page 1'),
        ]);
      } else {
        showEmpty(
          s.q ? 'No articles match your search' : 'No articles here',
          hasFilters(s)
            ? 'Try removing a filter or widening the dates.'
            : 'Try other or fewer words, or check the spelling.',
          actions,
        );
      }
    } else {
      ui.empty.hidden = true;
    }

    renderPager(s, total, pages);
    renderFacets(s, data.facets || null);
  }

  /** "Did you mean …" with a link that searches the corrected query. */
  function renderSuggestion(s, suggestion) {
    const query = suggestion && typeof suggestion.query === 'string' ? suggestion.query.trim() : '';
    ui.suggestion.hidden = !query || query === s.q;
    if (ui.suggestion.hidden) {
      ui.suggestion.replaceChildren();
      return;
    }
    const total = Number(suggestion.total) || 0;
    const link = h('a', {
      class: 'suggestion-link',
      href: pageUrl({ ...s, q: query, page: 1, article: '' }),
      onclick: (ev) => {
        if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
        ev.preventDefault();
        clearTimeout(typingTimer);
        typingEntry = false;
        navigate({ ...s, q: query, page: 1, article: '' });
        ui.q.focus();
      },
    }, query);
    fill(ui.suggestion, 'Did you mean ', link, '? ', h('span', { class: 'suggestion-count' }, `(${plural(total, 'article', 'articles')})`));
  }

  function renderHit(s, hit, rank) {
    const date = hit.date
      ? h('time', { datetime: hit.date }, formatDate(hit.date))
      : h('span', { class: 'muted' }, 'Undated');
    const meta = h('p', { class: 'hit-meta' },
      hit.source ? h('span', { class: 'hit-source' }, hit.source) : null,
      hit.source ? h('span', { class: 'sep', 'aria-hidden': 'true' }, '·') : null,
      date,
      hit.lang && hit.lang !== 'en' ? h('span', { class: 'lang', title: 'Language' }, hit.lang.toUpperCase()) : null,
    );

    const link = h('a', {
      class: 'hit-link',
      href: pageUrl({ ...s, article: hit.id }),
      dataset: { id: hit.id },
      onclick: (ev) => {
        if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
        ev.preventDefault();
        openArticle(hit.id);
      },
    }, hit.headline || basename(hit.path || hit.id));

    const snippet = hit.snippet && hit.snippet.text
      ? h('p', { class: 'hit-snippet' }, highlighted(hit.snippet.text, hit.snippet.highlights))
      : null;

    const item = h('li', { class: 'hit', dataset: { rank: String(rank) } },
      meta,
      h('h3', { class: 'hit-title' }, link),
      snippet,
      entityChips(hit.entities || [], `hit-${rank}`),
      duplicatesBlock(s, hit),
    );
    return item;
  }

  /** Entity chips; active filters first, the rest behind "+N more". */
  function entityChips(entities, key) {
    if (!entities.length) return null;
    const ordered = [...entities.filter(isActiveEntity), ...entities.filter((e) => !isActiveEntity(e))];
    const list = h('ul', { class: 'chips', 'aria-label': 'People, organisations and places in this article', id: `chips-${key}` });
    ordered.forEach((entity, i) => {
      const li = h('li', null, entityChip(entity));
      if (i >= CHIPS_SHOWN) li.hidden = true;
      list.append(li);
    });
    if (ordered.length > CHIPS_SHOWN) {
      const more = ordered.length - CHIPS_SHOWN;
      const button = h('button', {
        class: 'chip chip-more',
        type: 'button',
        'aria-expanded': 'false',
        'aria-controls': list.id,
      }, `+${more} more`);
      button.addEventListener('click', () => {
        const open = button.getAttribute('aria-expanded') !== 'true';
        button.setAttribute('aria-expanded', String(open));
        button.textContent = open ? 'Show fewer' : `+${more} more`;
        [...list.children].forEach((li, i) => {
          if (i >= CHIPS_SHOWN && li !== button.parentElement) li.hidden = !open;
        });
      });
      list.append(h('li', null, button));
    }
    return list;
  }

  function entityChip(entity, { onPick } = {}) {
    const type = TYPE_NAMES[entity.type] ? entity.type : 'other';
    const active = isActiveEntity(entity);
    const aliases = (entity.aliases || []).filter((a) => a !== entity.text);
    const title = `${TYPE_NAMES[type]}${aliases.length ? ` · also ${aliases.slice(0, 4).join(', ')}` : ''}`;
    return h('button', {
      class: `chip chip-${type}${active ? ' is-active' : ''}`,
      type: 'button',
      title: active ? `${title} · filtering by this` : title,
      'aria-pressed': active ? 'true' : 'false',
      'aria-label': `${TYPE_NAMES[type]}: ${entity.text}. ${active ? 'Remove this filter' : 'Filter by this'}`,
      dataset: { entity: entity.text, type },
      onclick: () => (onPick ? onPick(entity) : toggleEntity(entity.text)),
    }, h('span', { class: 'chip-dot', 'aria-hidden': 'true' }), entity.text);
  }

  function duplicatesBlock(s, hit) {
    const dups = Array.isArray(hit.duplicates) ? hit.duplicates : [];
    if (!dups.length) return null;
    return h('details', { class: 'dups' },
      h('summary', null, `+${dups.length} similar ${dups.length === 1 ? 'copy' : 'copies'}`),
      h('ul', { class: 'dups-list' }, dups.map((id) => h('li', null,
        h('a', {
          href: pageUrl({ ...s, article: id }),
          onclick: (ev) => {
            if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
            ev.preventDefault();
            openArticle(id);
          },
        }, basename(id)),
      ))),
    );
  }

  function renderActiveFilters(s) {
    const chips = [];
    for (const name of s.entities) {
      const type = entityTypes.get(fold(name)) || 'other';
      chips.push(h('button', {
        class: `filter-chip filter-${type}`,
        type: 'button',
        'aria-label': `Remove filter ${name}`,
        title: 'Remove this filter',
        dataset: { entity: name },
        onclick: () => toggleEntity(name),
      }, h('span', { class: 'chip-dot', 'aria-hidden': 'true' }), h('span', null, name), h('span', { class: 'x', 'aria-hidden': 'true' }, '×')));
    }
    const dateChip = (label, changes) => h('button', {
      class: 'filter-chip filter-date',
      type: 'button',
      'aria-label': `Remove filter ${label}`,
      title: 'Remove this filter',
      dataset: { date: label },
      onclick: () => navigate(withFilters(changes)),
    }, h('span', null, label), h('span', { class: 'x', 'aria-hidden': 'true' }, '×'));
    if (s.since && s.since === s.until) {
      chips.push(dateChip(`In ${formatDate(s.since)}`, { since: '', until: '' }));
    } else {
      if (s.since) chips.push(dateChip(`From ${formatDate(s.since)}`, { since: '' }));
      if (s.until) chips.push(dateChip(`To ${formatDate(s.until)}`, { until: '' }));
    }
    if (!chips.length) {
      ui.active.hidden = true;
      ui.active.replaceChildren();
      return;
    }
    fill(ui.active, 
      h('span', { class: 'active-label', id: 'active-label' }, 'Filters'),
      h('div', { class: 'active-chips', role: 'group', 'aria-labelledby': 'active-label' }, chips),
      h('button', { class: 'link-button', type: 'button', id: 'clear-filters', onclick: clearFilters }, 'Clear filters'),
    );
    ui.active.hidden = false;
  }

  function clearFilters() {
    typingEntry = false;
    navigate(withFilters({ entities: [], since: '', until: '' }));
  }

  function goToPage(page) {
    typingEntry = false;
    navigate({ ...state, page, article: '' });
    ui.results.scrollIntoView({ block: 'start' });
  }

  function renderPager(s, total, pages) {
    if (pages <= 1) {
      ui.pager.hidden = true;
      ui.pager.replaceChildren();
      return;
    }
    const link = (page, label, attrs = {}) => h('a', {
      class: 'page-link',
      href: pageUrl({ ...s, page, article: '' }),
      ...attrs,
      onclick: (ev) => {
        if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
        ev.preventDefault();
        goToPage(page);
      },
    }, label);
    const items = [];
    items.push(s.page > 1
      ? link(s.page - 1, '← Previous', { rel: 'prev', class: 'page-link page-step' })
      : h('span', { class: 'page-link page-step is-disabled', 'aria-disabled': 'true' }, '← Previous'));
    const numbers = h('span', { class: 'page-numbers' });
    const wanted = new Set([1, pages, s.page - 1, s.page, s.page + 1]);
    if (s.page <= 3) [2, 3, 4].forEach((p) => wanted.add(p));
    if (s.page >= pages - 2) [pages - 1, pages - 2, pages - 3].forEach((p) => wanted.add(p));
    const list = [...wanted].filter((p) => p >= 1 && p <= pages).sort((a, b) => a - b);
    let prev = 0;
    for (const p of list) {
      if (p - prev > 1) numbers.append(h('span', { class: 'page-gap', 'aria-hidden': 'true' }, '…'));
      numbers.append(p === s.page
        ? h('span', { class: 'page-link is-current', 'aria-current': 'page', 'aria-label': `Page ${p}, current` }, String(p))
        : link(p, String(p), { 'aria-label': `Page ${p}` }));
      prev = p;
    }
    items.push(numbers);
    items.push(h('span', { class: 'page-status' }, `Page ${fmt(s.page)} of ${fmt(pages)}`));
    items.push(s.page < pages
      ? link(s.page + 1, 'Next →', { rel: 'next', class: 'page-link page-step' })
      : h('span', { class: 'page-link page-step is-disabled', 'aria-disabled': 'true' }, 'Next →'));
    ui.pager.replaceChildren(...items);
    ui.pager.hidden = false;
  }

  // ----------------------------------------------------------------- facets

  const expandedFacets = new Set();

  function renderFacets(s, facets) {
    const sections = [];
    for (const [type, title] of FACET_GROUPS) {
      const rows = facets && Array.isArray(facets[type]) ? facets[type] : [];
      if (!rows.length) continue;
      for (const [name] of rows) if (!entityTypes.has(fold(name))) entityTypes.set(fold(name), type);
      const max = Math.max(...rows.map((r) => r[1]), 1);
      const list = h('ul', { class: 'facet-list', id: `facet-${type}` });
      rows.forEach(([name, count], i) => {
        const active = state.entities.some((e) => fold(e) === fold(name));
        const bar = h('span', { class: 'facet-bar', 'aria-hidden': 'true' });
        bar.style.width = `${Math.max(4, Math.round((count / max) * 100))}%`;
        const li = h('li', null, h('button', {
          class: `facet-item facet-${type}${active ? ' is-active' : ''}`,
          type: 'button',
          'aria-pressed': active ? 'true' : 'false',
          'aria-label': `${name}, ${plural(count, 'article', 'articles')}. ${active ? 'Remove this filter' : 'Filter by this'}`,
          dataset: { entity: name, count: String(count), type },
          onclick: () => toggleEntity(name),
        },
        bar,
        h('span', { class: 'facet-name' }, name),
        h('span', { class: 'facet-count' }, fmt(count))),
        h('a', {
          class: 'facet-about',
          href: pageUrl(aboutState(name, type)),
          title: `About ${name}`,
          'aria-label': `About ${name}: timeline, related entities, top stories`,
          dataset: { entity: name },
          onclick: (ev) => {
            ev.preventDefault();
            typingEntry = false;
            navigate(aboutState(name, type));
          },
        }, '›'));
        if (i >= FACET_ROWS && !expandedFacets.has(type) && !active) li.hidden = true;
        list.append(li);
      });
      const hiddenRows = [...list.children].filter((li) => li.hidden).length;
      let more = null;
      if (rows.length > FACET_ROWS) {
        const open = expandedFacets.has(type);
        more = h('button', {
          class: 'link-button facet-more',
          type: 'button',
          'aria-expanded': String(open),
          'aria-controls': list.id,
          onclick: () => {
            if (expandedFacets.has(type)) expandedFacets.delete(type);
            else expandedFacets.add(type);
            renderFacets(state, lastResults && lastResults.facets);
            const again = document.querySelector(`#facet-section-${type} .facet-more`);
            if (again) again.focus();
          },
        }, open ? 'Show fewer' : `Show ${hiddenRows} more`);
        if (!open && hiddenRows === 0) more = null;
      }
      sections.push(h('section', { class: 'facet', id: `facet-section-${type}`, 'aria-labelledby': `facet-title-${type}` },
        h('h2', { class: 'facet-title', id: `facet-title-${type}` }, h('span', { class: `chip-dot dot-${type}`, 'aria-hidden': 'true' }), title),
        list,
        more));
    }
    if (!sections.length && facets && lastResults && lastResults.hits && lastResults.hits.length) {
      sections.push(h('section', { class: 'facet' }, h('p', { class: 'facet-none' }, 'No people, organisations or places to refine by.')));
    }
    ui.entityFacets.replaceChildren(...sections);
  }

  /** The dates a bucket of a timeline covers, as since/until values. */
  function bucketRange(start, by) {
    if (by === 'year') return { since: start.slice(0, 4), until: start.slice(0, 4) };
    if (by === 'month') return { since: start.slice(0, 7), until: start.slice(0, 7) };
    if (by === 'week') {
      const end = new Date(`${start}T00:00:00Z`);
      end.setUTCDate(end.getUTCDate() + 6);
      return { since: start, until: end.toISOString().slice(0, 10) };
    }
    return { since: start, until: start };
  }

  /** Short label of a bar: "2021", "Mar ’21" or "8 Mar ’21". */
  function bucketLabel(range, by) {
    if (by === 'day' || by === 'week') {
      const [y, m, d] = range.since.split('-');
      return `${Number(d)} ${MONTHS[Number(m) - 1]} ’${y.slice(2)}`;
    }
    return periodLabel(range.since);
  }

  function rangeTitle(range) {
    return range.since === range.until ? formatDate(range.since) : `${formatDate(range.since)} – ${formatDate(range.until)}`;
  }

  /**
   * Bars of a timeline (every period from the first match to the last,
   * empty ones included) in `container`. A bar filters by its period;
   * dragging across bars filters by the whole range.
   */
  function renderTimeline(container, s, data) {
    const by = data && data.by;
    const buckets = data && Array.isArray(data.buckets)
      ? data.buckets.filter((b) => b && PERIOD.test(b.start) && Number.isFinite(b.count)) : [];
    container.classList.toggle('is-empty', !buckets.length);
    if (!buckets.length) {
      container.replaceChildren(h('p', { class: 'facet-none' }, 'No dates to show.'));
      container.ranges = [];
      return;
    }
    const ranges = buckets.map((b) => bucketRange(b.start, by));
    container.ranges = ranges;
    container.dataset.by = by;
    const max = Math.max(...buckets.map((b) => b.count), 1);
    const labelEvery = buckets.length <= 6 ? 1 : Math.ceil(buckets.length / 5);
    const bars = buckets.map((bucket, i) => {
      const range = ranges[i];
      const { count } = bucket;
      const active = s.since === range.since && s.until === range.until;
      const inside = !!s.since && !!s.until && s.since <= range.since && range.until <= s.until && s.since !== s.until;
      const fill = h('span', { class: 'bar-fill', 'aria-hidden': 'true' });
      fill.style.height = count ? `${Math.max(4, Math.round((count / max) * 100))}%` : '0';
      const last = buckets.length - 1;
      const labelled = i === last || (i % labelEvery === 0 && last - i >= labelEvery);
      const parts = [
        h('span', { class: 'bar-count', 'aria-hidden': 'true' }, count ? fmt(count) : ''),
        h('span', { class: 'bar-track', 'aria-hidden': 'true' }, fill),
        h('span', { class: 'bar-label', 'aria-hidden': 'true' }, labelled ? bucketLabel(range, by) : ''),
      ];
      const title = `${rangeTitle(range)}: ${plural(count, 'article', 'articles')}`;
      const dataset = { index: String(i), period: range.since, since: range.since, until: range.until, count: String(count) };
      if (!count) return h('span', { class: 'bar is-zero', title, dataset }, parts);
      return h('button', {
        class: `bar${active || inside ? ' is-active' : ''}`,
        type: 'button',
        title,
        'aria-pressed': active ? 'true' : 'false',
        'aria-label': `${rangeTitle(range)}, ${plural(count, 'article', 'articles')}. ${active ? 'Remove this date filter' : 'Show only this period'}`,
        dataset,
        onclick: () => {
          if (dragged) return;
          typingEntry = false;
          navigate(withFilters(active ? { since: '', until: '' } : { since: range.since, until: range.until }));
        },
      }, parts);
    });
    container.replaceChildren(...bars);
    container.classList.toggle('is-dense', buckets.length > 12);
  }

  /** A drag across bars in progress, and whether the last one just ended. */
  let drag = null;
  let dragged = false;

  function markDrag() {
    if (!drag) return;
    const [lo, hi] = [Math.min(drag.from, drag.to), Math.max(drag.from, drag.to)];
    for (const bar of drag.container.querySelectorAll('[data-index]')) {
      const i = Number(bar.dataset.index);
      bar.classList.toggle('is-selecting', i >= lo && i <= hi);
    }
  }

  /** Lets a pointer dragged across the bars of `container` choose a range. */
  function wireDrag(container) {
    container.addEventListener('pointerdown', (ev) => {
      const bar = ev.button === 0 && ev.target.closest && ev.target.closest('[data-index]');
      if (!bar || !container.contains(bar)) return;
      const i = Number(bar.dataset.index);
      drag = { container, from: i, to: i };
      ev.preventDefault();
    });
    container.addEventListener('pointermove', (ev) => {
      if (!drag || drag.container !== container) return;
      const el = document.elementFromPoint(ev.clientX, ev.clientY);
      const bar = el && el.closest && el.closest('[data-index]');
      if (!bar || !container.contains(bar)) return;
      drag.to = Number(bar.dataset.index);
      container.classList.toggle('is-dragging', drag.to !== drag.from);
      markDrag();
    });
  }

  window.addEventListener('pointerup', () => {
    if (!drag) return;
    const { container, from, to } = drag;
    drag = null;
    container.classList.remove('is-dragging');
    for (const bar of container.querySelectorAll('.is-selecting')) bar.classList.remove('is-selecting');
    if (from === to) return;
    // The click that ends a drag is not a click on one bar.
    dragged = true;
    setTimeout(() => { dragged = false; }, 0);
    const ranges = container.ranges || [];
    const lo = ranges[Math.min(from, to)];
    const hi = ranges[Math.max(from, to)];
    if (!lo || !hi) return;
    typingEntry = false;
    navigate(withFilters({ since: lo.since, until: hi.until }));
  });

  wireDrag(ui.histogram);

  let timelineSeq = 0;
  let timelineAbort = null;
  let shownTimeline = '';

  /** Shows the timeline of the result set of `s` in the date panel. */
  async function runTimeline(s) {
    const url = timelineUrl(s);
    if (url === shownTimeline) {
      return;
    }
    const seq = ++timelineSeq;
    if (timelineAbort) timelineAbort.abort();
    const controller = new AbortController();
    timelineAbort = controller;
    try {
      const data = await getJson(url, controller.signal);
      if (seq !== timelineSeq) return;
      shownTimeline = url;
      renderTimeline(ui.histogram, s, data);
    } catch (err) {
      if (seq !== timelineSeq || (err && err.name === 'AbortError')) return;
      shownTimeline = '';
      ui.histogram.classList.add('is-empty');
      ui.histogram.replaceChildren(h('p', { class: 'facet-none' }, 'No timeline to show.'));
    }
  }

  // ----------------------------------------------------------- entity page

  let entitySeq = 0;
  let shownEntity = '';

  /** Shows the page of the entity `s.about`: timeline, ties, top stories. */
  async function runEntity(s) {
    const url = entityUrl(s);
    if (url === shownEntity) return;
    const seq = ++entitySeq;
    setLoading(true);
    let data;
    try {
      data = await getJson(url);
    } catch (err) {
      if (seq !== entitySeq) return;
      setLoading(false);
      shownEntity = '';
      ui.entityPage.replaceChildren(
        h('h1', { class: 'entity-title', id: 'entity-title', tabindex: '-1' }, s.about),
        h('p', { class: 'entity-none' }, err.status === 404
          ? 'No article names this entity with these dates.'
          : sentence(err.message)),
        h('a', { class: 'button button-ghost', href: '/', onclick: (ev) => { ev.preventDefault(); navigate(emptyState()); } }, 'Back to search'),
      );
      document.title = `${s.about} · news`;
      return;
    }
    if (seq !== entitySeq) return;
    setLoading(false);
    shownEntity = url;
    renderEntity(s, data);
  }

  function renderEntity(s, data) {
    const entity = data.entity || { text: s.about, type: s.kind || 'other' };
    const type = TYPE_NAMES[entity.type] ? entity.type : 'other';
    document.title = `${entity.text} · news`;
    const searchState = { ...emptyState(), entities: [entity.text], since: s.since, until: s.until };
    const timelineBox = h('div', { class: 'histogram entity-timeline', id: 'entity-timeline', role: 'group', 'aria-label': 'Articles by period; choose or drag across bars to filter' });
    wireDrag(timelineBox);
    renderTimeline(timelineBox, s, data.timeline);
    const related = Array.isArray(data.related) ? data.related : [];
    const relatedList = h('ul', { class: 'chips entity-related', id: 'entity-related', 'aria-label': `Entities that appear with ${entity.text}` },
      ...related.map((tie) => h('li', null, h('button', {
        class: `chip chip-${TYPE_NAMES[tie.type] ? tie.type : 'other'}`,
        type: 'button',
        title: `${plural(tie.count, 'article', 'articles')} together · score ${Number(tie.score).toFixed(1)}`,
        'aria-label': `${tie.text}, ${plural(tie.count, 'article', 'articles')} with ${entity.text}. Show the articles with both`,
        dataset: { entity: tie.text, type: tie.type, count: String(tie.count) },
        onclick: () => {
          typingEntry = false;
          navigate({ ...searchState, entities: uniqueNames([entity.text, tie.text]) });
        },
      }, h('span', { class: 'chip-dot', 'aria-hidden': 'true' }), tie.text))));
    const top = Array.isArray(data.top) ? data.top : [];
    learnTypes([entity, ...related.map((t) => ({ text: t.text, type: t.type }))]);
    const topList = h('ol', { class: 'similar-list entity-top', id: 'entity-top' },
      ...top.map((hit) => h('li', null, h('button', {
        class: 'similar-link',
        type: 'button',
        dataset: { id: hit.id },
        onclick: () => openArticle(hit.id),
      },
      h('span', { class: 'similar-headline' }, hit.headline || basename(hit.path)),
      h('span', { class: 'similar-meta' }, [hit.source, hit.date ? formatDate(hit.date) : 'Undated'].filter(Boolean).join(' · '))))));
    const dates = s.since || s.until ? ` · ${rangeTitle({ since: s.since || '…', until: s.until || '…' })}` : '';
    ui.entityPage.replaceChildren(
      h('p', { class: 'entity-kicker' }, h('span', { class: `chip-dot dot-${type}`, 'aria-hidden': 'true' }), TYPE_NAMES[type]),
      h('h1', { class: 'entity-title', id: 'entity-title', tabindex: '-1' }, entity.text),
      h('p', { class: 'entity-summary', id: 'entity-summary' },
        h('strong', null, fmt(Number(data.articles) || 0)), ` ${Number(data.articles) === 1 ? 'article' : 'articles'}${dates} · `,
        h('a', {
          href: pageUrl(searchState),
          onclick: (ev) => { ev.preventDefault(); typingEntry = false; navigate(searchState); },
        }, 'search its articles')),
      h('section', { class: 'entity-section', 'aria-labelledby': 'entity-timeline-title' },
        h('h2', { class: 'facet-title', id: 'entity-timeline-title' }, 'Coverage over time'), timelineBox),
      h('section', { class: 'entity-section', 'aria-labelledby': 'entity-related-title' },
        h('h2', { class: 'facet-title', id: 'entity-related-title' }, 'Appears most with'),
        related.length ? relatedList : h('p', { class: 'facet-none' }, 'No other entity appears with it.')),
      h('section', { class: 'entity-section', 'aria-labelledby': 'entity-top-title' },
        h('h2', { class: 'facet-title', id: 'entity-top-title' }, 'Latest stories'), topList),
    );
  }

  // ---------------------------------------------------------------- article

  let articleSeq = 0;
  let shownArticle = '';
  let returnFocus = null;

  function openArticle(id) {
    returnFocus = document.activeElement;
    typingEntry = false;
    navigate({ ...state, article: id });
  }

  function closeArticle() {
    if (!state.article) return;
    typingEntry = false;
    navigate({ ...state, article: '' });
  }

  function syncReader(s) {
    if (!s.article) {
      shownArticle = '';
      articleSeq++;
      if (ui.reader.open) {
        ui.reader.close();
        document.documentElement.classList.remove('has-reader');
        const target = returnFocus && document.contains(returnFocus) ? returnFocus : null;
        returnFocus = null;
        if (target) target.focus();
      }
      return;
    }
    if (!ui.reader.open) {
      ui.reader.showModal();
      document.documentElement.classList.add('has-reader');
    }
    if (shownArticle === s.article) return;
    shownArticle = s.article;
    loadArticle(s.article);
  }

  async function loadArticle(id) {
    const seq = ++articleSeq;
    ui.readerContent.setAttribute('aria-busy', 'true');
    ui.readerContent.replaceChildren(
      h('div', { class: 'reader-loading' }, h('span', { class: 'skeleton skeleton-meta' }), h('span', { class: 'skeleton skeleton-title' }), h('span', { class: 'skeleton skeleton-line' }), h('span', { class: 'skeleton skeleton-line' }), h('span', { class: 'skeleton skeleton-line short' })),
    );
    ui.similar.hidden = true;
    ui.readerScroll.scrollTop = 0;
    const similar = getJson(`${articleUrl(id)}/similar?limit=${SIMILAR_LIMIT}`).catch((err) => ({ error: err }));
    let article;
    try {
      article = await getJson(articleUrl(id));
    } catch (err) {
      if (seq !== articleSeq) return;
      ui.readerContent.setAttribute('aria-busy', 'false');
      ui.readerContent.replaceChildren(
        h('h2', { class: 'reader-title', id: 'reader-title', tabindex: '-1' }, err.status === 404 ? 'Article not found' : 'The article could not be loaded'),
        h('p', { class: 'reader-error' }, err.status === 404 ? 'It is no longer in the index; it may have been removed or re-indexed under another name.' : sentence(err.message)),
      );
      document.title = 'Article not found · news';
      return;
    }
    if (seq !== articleSeq) return;
    renderArticle(article);
    const sim = await similar;
    if (seq !== articleSeq) return;
    renderSimilar(sim);
  }

  function renderArticle(a) {
    learnTypes(a.entities);
    const meta = h('p', { class: 'reader-meta' },
      a.source ? h('span', { class: 'reader-source' }, a.source) : null,
      a.date ? h('time', { datetime: a.date }, formatDate(a.date)) : h('span', null, 'Undated'),
      a.author ? h('span', null, `By ${a.author}`) : null,
      a.lang && a.lang !== 'en' ? h('span', { class: 'lang' }, a.lang.toUpperCase()) : null,
    );
    const title = h('h2', { class: 'reader-title', id: 'reader-title', tabindex: '-1' }, a.headline || basename(a.path || a.id));

    const groups = [];
    const byType = { person: [], org: [], place: [], other: [] };
    for (const e of a.entities || []) (byType[e.type] || byType.other).push(e);
    for (const [type, label] of [...FACET_GROUPS, ['other', 'Other']]) {
      if (!byType[type].length) continue;
      groups.push(h('div', { class: 'reader-entity-group' },
        h('h3', { class: 'reader-entity-label' }, label),
        h('ul', { class: 'chips' }, byType[type].map((e) => h('li', null, entityChip(e, {
          onPick: (entity) => {
            const entities = isActiveEntity(entity) ? state.entities : uniqueNames([...state.entities, entity.text]);
            returnFocus = null;
            typingEntry = false;
            navigate(withFilters({ entities }));
          },
        })))),
      ));
    }

    const paragraphs = String(a.body || '')
      .split(/\r?\n\s*\r?\n/)
      .map((p) => p.replace(/\s*\r?\n\s*/g, ' ').trim())
      .filter(Boolean);
    const body = h('div', { class: 'reader-text', id: 'reader-text' },
      paragraphs.length ? paragraphs.map((p) => h('p', null, p)) : h('p', { class: 'muted' }, 'This article has no text.'));

    const facts = [];
    const link = a.url && safeUrl(a.url);
    if (link) facts.push(['Original', h('a', { href: link, rel: 'noopener noreferrer nofollow', target: '_blank' }, link)]);
    if (Array.isArray(a.tags) && a.tags.length) facts.push(['Tags', h('span', { class: 'tags' }, a.tags.map((t) => h('span', { class: 'tag' }, t)))]);
    if (a.date && a.date_source) facts.push(['Date from', a.date_source]);
    facts.push(['File', h('code', { class: 'path' }, a.path || a.id)]);
    if (a.format) facts.push(['Format', a.format]);

    ui.readerContent.setAttribute('aria-busy', 'false');
    fill(ui.readerContent,
      h('header', { class: 'reader-head' }, meta, title),
      groups.length ? h('section', { class: 'reader-entities', 'aria-label': 'People, organisations and places' }, groups) : null,
      body,
      h('dl', { class: 'reader-facts' }, facts.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v)))),
    );
    document.title = `${a.headline || 'Article'} · news`;
    ui.readerScroll.scrollTop = 0;
  }

  function renderSimilar(sim) {
    if (sim.error) {
      ui.similarList.replaceChildren(h('li', { class: 'muted' }, 'Similar stories could not be loaded.'));
      ui.similar.hidden = false;
      return;
    }
    const hits = Array.isArray(sim.hits) ? sim.hits : [];
    if (!hits.length) {
      ui.similarList.replaceChildren(h('li', { class: 'muted similar-none' }, 'No similar stories in the archive.'));
      ui.similar.hidden = false;
      return;
    }
    ui.similarList.replaceChildren(...hits.map((hit) => h('li', null,
      h('a', {
        class: 'similar-link',
        href: pageUrl({ ...state, article: hit.id }),
        dataset: { id: hit.id },
        onclick: (ev) => {
          if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
          ev.preventDefault();
          typingEntry = false;
          navigate({ ...state, article: hit.id });
          const heading = document.getElementById('reader-title');
          if (heading) heading.focus();
        },
      },
      h('span', { class: 'similar-headline' }, hit.headline || basename(hit.id)),
      h('span', { class: 'similar-meta' }, [hit.source, hit.date ? formatDate(hit.date) : 'Undated'].filter(Boolean).join(' · '))),
    )));
    ui.similar.hidden = false;
  }

  // ----------------------------------------------------------------- render

  function syncControls(s, syncInput) {
    if (syncInput && ui.q.value.trim() !== s.q) ui.q.value = s.q;
    ui.sort.value = s.sort;
    ui.fuzzy.checked = s.fuzzy;
    if (document.activeElement !== ui.since) ui.since.value = s.since;
    if (document.activeElement !== ui.until) ui.until.value = s.until;
    ui.dateError.hidden = true;
    if (!s.article && !s.about) document.title = s.q ? `${s.q} · news` : 'news · search the archive';
  }

  function render({ syncInput = true } = {}) {
    syncControls(state, syncInput);
    const about = !!state.about;
    ui.entityPage.hidden = !about;
    ui.results.hidden = about;
    ui.facets.hidden = about;
    if (about) {
      runEntity(state);
    } else {
      shownEntity = '';
      runSearch(state);
      runTimeline(state);
    }
    syncReader(state);
  }

  // ----------------------------------------------------------------- events

  let typingTimer = 0;

  function commitQuery(push) {
    clearTimeout(typingTimer);
    const q = ui.q.value.trim();
    if (q === state.q) {
      if (push) {
        typingEntry = false;
        runSearch(state);
      }
      return;
    }
    const next = { ...state, q, page: 1, article: '', about: '', kind: '' };
    navigate(next, { replace: !push && typingEntry, syncInput: false });
    typingEntry = !push;
  }

  ui.q.addEventListener('input', () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => commitQuery(false), DEBOUNCE_MS);
  });

  ui.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    commitQuery(true);
  });

  ui.sort.addEventListener('change', () => {
    typingEntry = false;
    navigate({ ...state, sort: SORTS.includes(ui.sort.value) ? ui.sort.value : 'relevance', page: 1, article: '' });
  });

  ui.fuzzy.addEventListener('change', () => {
    typingEntry = false;
    navigate(withFilters({ fuzzy: ui.fuzzy.checked }));
  });

  ui.dateForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    applyDates();
  });
  for (const input of [ui.since, ui.until]) {
    input.addEventListener('change', applyDates);
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        applyDates();
      }
    });
  }

  function applyDates() {
    const since = ui.since.value.trim();
    const until = ui.until.value.trim();
    const bad = [[since, 'From'], [until, 'To']].find(([v]) => v && !PERIOD.test(v));
    if (bad) {
      ui.dateError.textContent = `${bad[1]}: write a year, year-month or date, like 2021, 2021-03 or 2021-03-15.`;
      ui.dateError.hidden = false;
      return;
    }
    if (since && until && since.slice(0, Math.min(since.length, until.length)) > until.slice(0, Math.min(since.length, until.length))) {
      ui.dateError.textContent = 'The “From” date is after the “To” date.';
      ui.dateError.hidden = false;
      return;
    }
    ui.dateError.hidden = true;
    if (since === state.since && until === state.until) return;
    typingEntry = false;
    navigate(withFilters({ since, until }));
  }

  ui.filtersJump.addEventListener('click', () => {
    ui.facets.scrollIntoView({ behavior: 'smooth', block: 'start' });
    ui.facets.focus({ preventScroll: true });
  });

  ui.readerClose.addEventListener('click', closeArticle);
  ui.reader.addEventListener('cancel', (ev) => {
    ev.preventDefault();
    closeArticle();
  });
  // A click on the backdrop (outside the panel) closes the article.
  ui.reader.addEventListener('click', (ev) => {
    if (ev.target === ui.reader) closeArticle();
  });

  document.addEventListener('keydown', (ev) => {
    if (ev.key === '/' && !ev.ctrlKey && !ev.metaKey && !ev.altKey && !ui.reader.open) {
      const t = ev.target;
      const editable = t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
      if (!editable) {
        ev.preventDefault();
        ui.q.focus();
        ui.q.select();
      }
    } else if (ev.key === 'Escape' && ui.reader.open) {
      ev.preventDefault();
      closeArticle();
    }
  });

  window.addEventListener('popstate', () => {
    clearTimeout(typingTimer);
    typingEntry = false;
    state = stateFromUrl();
    render({ syncInput: true });
  });

  async function loadStats() {
    try {
      const stats = await getJson('/api/stats');
      const n = Number(stats.articles) || 0;
      const range = Array.isArray(stats.date_range) && stats.date_range[0] && stats.date_range[1]
        ? ` · ${stats.date_range[0].slice(0, 4)}–${stats.date_range[1].slice(0, 4)}` : '';
      ui.stats.textContent = `${plural(n, 'article', 'articles')}${range}`;
      const top = stats.top_entities || {};
      for (const type of ['person', 'org', 'place']) {
        for (const row of Array.isArray(top[type]) ? top[type] : []) {
          if (Array.isArray(row) && !entityTypes.has(fold(row[0]))) entityTypes.set(fold(row[0]), type);
        }
      }
      if (state.entities.length && lastResults) renderActiveFilters(state);
    } catch {
      ui.stats.textContent = '';
    }
  }

  // Normalise the address (drops unknown or empty parameters) and start.
  history.replaceState(null, '', pageUrl(state));
  render({ syncInput: true });
  loadStats();
  if (!state.q && !state.article) ui.q.focus();
})();
