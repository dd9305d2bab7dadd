// End-to-end test of the `news serve` search page in headless Chromium.
//
//   node e2e.mjs BASE_URL [SCREENSHOT.png]
//   NEWS_URL=http://127.0.0.1:7878 SCREENSHOT=out.png node e2e.mjs
//
// Expects a server on an index of sample-corpus/. Uses Debian's Chromium
// (CHROMIUM overrides /usr/bin/chromium); never downloads a browser.
// Exits 0 when every check passes, 1 with the failed check otherwise.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const base = (process.argv[2] || process.env.NEWS_URL || '').replace(/\/+$/, '');
const screenshot = path.resolve(process.argv[3] || process.env.SCREENSHOT || 'search-page.png');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const OVERALL_TIMEOUT_MS = 100_000;
const WAIT_MS = 15_000;

const QUERY = 'Ebrard DEA';
const FIRST_HEADLINE = 'Mexico and United States agree to overhaul binational security strategy';

if (!/^https?:\/\//.test(base)) {
  console.error('usage: node e2e.mjs BASE_URL [SCREENSHOT.png]   (e.g. http://127.0.0.1:7878)');
  process.exit(2);
}

let current = 'starting';
let checks = 0;
const started = Date.now();

function step(name) {
  current = name;
  console.log(`· ${name}`);
}

function check(ok, message) {
  checks += 1;
  if (!ok) throw new Error(message);
}

/** Waits for a condition in the page; on timeout fails with `message`. */
async function waitFor(page, message, fn, arg) {
  try {
    await page.waitForFunction(fn, arg, { timeout: WAIT_MS, polling: 50 });
  } catch (err) {
    if (/Timeout/i.test(String(err && err.message))) throw new Error(`${message} (waited ${WAIT_MS / 1000} s)`);
    throw err;
  }
  checks += 1;
}

/** Waits for a promise; on timeout fails with `message`. */
async function within(promise, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} (waited ${WAIT_MS / 1000} s)`)), WAIT_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True once no animation or transition of the page is running. */
function still() {
  return document.getAnimations().every((a) => a.playState !== 'running');
}

/** True once the page shows the answer to its current address (no request in flight). */
function settled() {
  const results = document.getElementById('results');
  return results && results.getAttribute('aria-busy') === 'false' && document.getElementById('progress').hidden;
}

const fold = (s) => String(s).normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().trim();

const timer = setTimeout(() => {
  console.error(`FAIL: ${current}: the browser test took longer than ${OVERALL_TIMEOUT_MS / 1000} s`);
  process.exit(1);
}, OVERALL_TIMEOUT_MS);

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-e2e-'));
let context;
let page;
const problems = [];

function watch(p) {
  p.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  p.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // The too-long-query check makes the API answer 400 on purpose.
    if (/Failed to load resource: the server responded with a status of 400/.test(text)) return;
    problems.push(`console error: ${text}`);
  });
}

async function headlines(p) {
  return p.$$eval('#hits .hit .hit-link', (els) => els.map((e) => e.textContent.trim()));
}

try {
  if (!fs.existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath} (apt-get install chromium)`);
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
  page = context.pages()[0] || (await context.newPage());
  watch(page);

  // ------------------------------------------------------------ search
  step('open the page');
  const response = await page.goto(`${base}/`, { waitUntil: 'domcontentloaded' });
  check(response && response.ok(), `GET / answered ${response && response.status()}`);
  const csp = (response.headers()['content-security-policy'] || '');
  check(csp.includes("script-src 'self'"), `the page is served without its Content-Security-Policy (got "${csp}")`);
  await page.waitForSelector('#q', { state: 'visible', timeout: WAIT_MS });
  await waitFor(page, 'the page never finished its first load', settled);

  step(`type "${QUERY}" into the search box`);
  // The empty page focuses the box itself; leave it, then come back with "/".
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press('/');
  check(await page.evaluate(() => document.activeElement && document.activeElement.id === 'q'), 'pressing "/" does not focus the search box');
  await page.keyboard.type(QUERY, { delay: 40 });
  await waitFor(page, 'results never updated for the typed query (debounced search as you type)',
    (q) => new URLSearchParams(location.search).get('q') === q
      && document.querySelector('#summary .summary-query')?.textContent === q
      && document.querySelectorAll('#hits .hit').length > 0, QUERY);
  await waitFor(page, 'results did not settle', settled);

  step('the first result is the US–Mexico security meeting');
  const first = (await headlines(page))[0];
  check(first === FIRST_HEADLINE, `first result is "${first}", expected "${FIRST_HEADLINE}"`);
  check(new URL(page.url()).search.includes('q=Ebrard%20DEA'), `the URL does not carry the query: ${page.url()}`);

  step('the snippet highlights the query words');
  const marks = await page.$$eval('#hits .hit:first-child .hit-snippet mark', (els) => els.map((e) => e.textContent));
  check(marks.length > 0, 'the first snippet has no <mark>');
  check(marks.some((m) => /^(ebrard|dea)$/i.test(m)), `no <mark> is exactly Ebrard or DEA (marks: ${JSON.stringify(marks)}); byte offsets misread?`);
  const snippetText = await page.$eval('#hits .hit:first-child .hit-snippet', (e) => e.textContent);
  check(!snippetText.includes('\uFFFD'), 'the snippet has broken characters (U+FFFD): highlight offsets cut a character');

  step('the results show dates, sources and entity chips');
  const meta = await page.$eval('#hits .hit:first-child .hit-meta', (e) => e.textContent);
  check(/8 Oct 2021/.test(meta) && /Meridian Wire/.test(meta), `the first result's date and source are missing: "${meta}"`);
  const chipTypes = await page.$$eval('#hits .hit:first-child .chip[data-type]', (els) => [...new Set(els.map((e) => e.dataset.type))]);
  for (const t of ['person', 'org', 'place']) check(chipTypes.includes(t), `the first result has no ${t} chip (types: ${chipTypes})`);

  step('the facet panel shows people, organisations, places and a date histogram');
  for (const type of ['person', 'org', 'place']) {
    const n = await page.$$eval(`#facet-${type} .facet-item`, (els) => els.length);
    check(n > 0, `no ${type} facet entries`);
  }
  const bars = await page.$$eval('#histogram button.bar', (els) => els.map((b) => ({
    period: b.dataset.period,
    height: b.querySelector('.bar-fill').getBoundingClientRect().height,
  })));
  check(bars.length > 0, 'the date histogram has no bars');
  check(bars.every((b) => b.height > 0), `a histogram bar has no height: ${JSON.stringify(bars)}`);

  step(`save a screenshot to ${screenshot}`);
  fs.mkdirSync(path.dirname(screenshot), { recursive: true });
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await waitFor(page, 'the page never stopped animating', still);
  await page.screenshot({ path: screenshot, fullPage: true });

  // ----------------------------------------------------------- facets
  step('click a person in the facet panel');
  const totalBefore = await page.$eval('#summary strong', (e) => parseInt(e.textContent.replace(/\D/g, ''), 10));
  const facets = await page.$$eval('#facet-person .facet-item', (els) => els.map((e) => ({ name: e.dataset.entity, count: Number(e.dataset.count) })));
  // The rarest person narrows the results the most.
  const pick = facets.reduce((a, b) => (b.count < a.count ? b : a));
  await page.click(`#facet-person .facet-item[data-entity="${pick.name.replace(/"/g, '\\"')}"]`);
  await waitFor(page, `the URL never got entity=${pick.name}`,
    (name) => new URLSearchParams(location.search).getAll('entity').includes(name), pick.name);
  await waitFor(page, 'results did not settle after the facet click', settled);

  step(`results are filtered by ${pick.name}`);
  const chip = await page.$$eval('#active-filters .filter-chip[data-entity]', (els) => els.map((e) => e.dataset.entity));
  check(chip.includes(pick.name), `no active filter chip for ${pick.name} (chips: ${JSON.stringify(chip)})`);
  const totalAfter = await page.$eval('#summary strong', (e) => parseInt(e.textContent.replace(/\D/g, ''), 10));
  check(totalAfter >= 1 && totalAfter <= totalBefore, `filtered total ${totalAfter} is not within 1..${totalBefore}`);
  check(totalAfter === pick.count, `the facet said ${pick.count} articles, the filtered search found ${totalAfter}`);
  const perHit = await page.$$eval('#hits .hit', (hits) => hits.map((hit) => ({
    headline: hit.querySelector('.hit-link').textContent,
    chips: [...hit.querySelectorAll('.chip[data-entity]')].filter((c) => !c.closest('li').hidden).map((c) => c.dataset.entity),
  })));
  check(perHit.length > 0, 'no results after filtering');
  for (const hit of perHit) {
    check(hit.chips.some((c) => fold(c) === fold(pick.name)), `result "${hit.headline}" shows no ${pick.name} chip (chips: ${hit.chips.join(', ')})`);
  }

  // ----------------------------------------------------------- article
  step('open an article');
  const firstFiltered = perHit[0].headline;
  await page.click('#hits .hit:first-child .hit-link');
  await waitFor(page, 'the article view never opened', () => document.getElementById('reader').open
    && new URLSearchParams(location.search).has('article'));
  await waitFor(page, 'the article view never showed its headline and text',
    (h) => document.getElementById('reader-title')?.textContent === h
      && document.querySelectorAll('#reader-text p').length > 0, firstFiltered);
  const paragraphs = await page.$$eval('#reader-text p', (ps) => ps.map((p) => p.textContent));
  check(paragraphs.length >= 3, `the article text has ${paragraphs.length} paragraph(s); paragraphs are not preserved`);
  check(paragraphs.join(' ').length > 800, 'the article text is too short to be the full text');
  const readerMeta = await page.$eval('.reader-meta', (e) => e.textContent);
  check(/\d{4}/.test(readerMeta), `the article view has no date: "${readerMeta}"`);
  check(await page.$$eval('#reader-content .chip', (els) => els.length) > 0, 'the article view shows no entities');

  step('the article view lists similar stories');
  await waitFor(page, 'no similar stories were listed', () => document.querySelectorAll('#similar-list .similar-link').length > 0);
  const similar = await page.$eval('#similar-list .similar-link .similar-headline', (e) => e.textContent);
  await page.click('#similar-list .similar-link');
  await waitFor(page, `clicking the similar story "${similar}" did not open it`,
    (h) => document.getElementById('reader-title')?.textContent === h, similar);

  step('back and forward move between articles');
  await page.goBack();
  await waitFor(page, 'Back did not return to the first article',
    (h) => document.getElementById('reader').open && document.getElementById('reader-title')?.textContent === h, firstFiltered);
  await page.goForward();
  await waitFor(page, 'Forward did not return to the similar story',
    (h) => document.getElementById('reader').open && document.getElementById('reader-title')?.textContent === h, similar);

  step('Escape closes the article view');
  await page.keyboard.press('Escape');
  await waitFor(page, 'Escape did not close the article view', () => !document.getElementById('reader').open
    && !new URLSearchParams(location.search).has('article'));

  // ------------------------------------------------------------ errors
  step('a query the server refuses shows its message near the box');
  await page.fill('#q', 'war '.repeat(501));
  await page.press('#q', 'Enter');
  await waitFor(page, 'no error message for a query longer than the server takes',
    () => { const e = document.getElementById('search-error'); return e && !e.hidden && /too long/i.test(e.textContent); });

  step('clear filters');
  await page.fill('#q', QUERY);
  await page.press('#q', 'Enter');
  await waitFor(page, 'the error did not go away after fixing the query', () => document.getElementById('search-error').hidden
    && document.querySelectorAll('#hits .hit').length > 0);
  await page.click('#clear-filters');
  await waitFor(page, 'clear filters left filters in the URL', () => !new URLSearchParams(location.search).has('entity')
    && document.getElementById('active-filters').hidden);

  // -------------------------------------------------------- as you type
  const UNFINISHED = '"Ebrard DE';
  step(`type ${UNFINISHED} (a phrase not yet closed): results, not an error`);
  await page.fill('#q', '');
  await page.type('#q', UNFINISHED, { delay: 40 });
  await waitFor(page, `no results for ${UNFINISHED} as it was typed`,
    (q) => new URLSearchParams(location.search).get('q') === q
      && document.querySelector('#summary .summary-query')?.textContent === q
      && document.querySelectorAll('#hits .hit').length > 0, UNFINISHED);
  await waitFor(page, 'results did not settle', settled);
  check(await page.$eval('#search-error', (e) => e.hidden), `an error shows for ${UNFINISHED}: ${await page.$eval('#search-error', (e) => e.textContent)}`);
  const readAs = await page.$eval('#read-as', (e) => (e.hidden ? '' : e.textContent));
  check(readAs.includes('"Ebrard DE"'), `the page does not say how it read ${UNFINISHED} (notice: "${readAs}")`);
  const unfinishedHits = await headlines(page);
  check(unfinishedHits.includes(FIRST_HEADLINE), `the results for ${UNFINISHED} miss "${FIRST_HEADLINE}": ${JSON.stringify(unfinishedHits)}`);

  step('type Ebrad (a misspelt name) and follow the suggestion');
  await page.fill('#q', '');
  await page.type('#q', 'Ebrad', { delay: 40 });
  await waitFor(page, 'no "Did you mean" for Ebrad',
    () => { const s = document.getElementById('suggestion'); return s && !s.hidden && s.querySelector('a.suggestion-link')?.textContent === 'Ebrard'; });
  const offered = await page.$eval('#suggestion', (e) => e.textContent);
  check(/Did you mean Ebrard\?/.test(offered) && /\(\d+ articles?\)/.test(offered), `the suggestion reads "${offered}"`);
  await page.click('#suggestion a.suggestion-link');
  await waitFor(page, 'clicking the suggestion did not search for Ebrard',
    () => new URLSearchParams(location.search).get('q') === 'Ebrard'
      && document.querySelector('#summary .summary-query')?.textContent === 'Ebrard'
      && document.querySelectorAll('#hits .hit').length > 0);
  await waitFor(page, 'results did not settle', settled);
  check(await page.inputValue('#q') === 'Ebrard', 'the search box does not show the corrected query');
  check(await page.$eval('#suggestion', (e) => e.hidden), 'a suggestion is still offered for the corrected query');

  step('a slow answer to an older query never replaces the latest results');
  // The server is made slow for "Chebe" only (a delay of the route, not of
  // the test); the test waits for that request to be sent and to end.
  let chebeSent;
  let chebeEnded;
  const sent = new Promise((r) => { chebeSent = r; });
  const ended = new Promise((r) => { chebeEnded = r; });
  const isChebe = (request) => new URL(request.url()).searchParams.get('q') === 'Chebe';
  const onEnd = (request) => { if (isChebe(request)) chebeEnded(); };
  page.on('requestfinished', onEnd);
  page.on('requestfailed', onEnd);
  await page.route('**/api/search?*', async (route) => {
    if (isChebe(route.request())) {
      chebeSent();
      await new Promise((r) => setTimeout(r, 1500));
    }
    await route.continue().catch(() => {}); // the page may have cancelled it
  });
  await page.fill('#q', 'Chebe');
  await within(sent, 'the debounced search for "Chebe" was never sent');
  await page.press('#q', 't');
  await page.press('#q', 'Enter');
  await waitFor(page, 'the results for "Chebet" never showed',
    () => document.querySelector('#summary .summary-query')?.textContent === 'Chebet');
  await within(ended, 'the stale request for "Chebe" never ended');
  // Past the stale answer's arrival: a task and a frame later, then settled.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  await waitFor(page, 'results did not settle after the stale answer', settled);
  page.off('requestfinished', onEnd);
  page.off('requestfailed', onEnd);
  const after = await page.$eval('#summary .summary-query', (e) => e.textContent);
  check(after === 'Chebet', `a stale answer replaced the latest results (summary shows "${after}")`);
  const chebet = await headlines(page);
  check(chebet.length > 0 && chebet.every((t) => /Chebet/.test(t)), `results are not those of the latest query "Chebet": ${JSON.stringify(chebet)}`);
  await page.unroute('**/api/search?*');

  // -------------------------------------------------------- shared URL
  step('a shared URL shows its results');
  const shared = await context.newPage();
  watch(shared);
  await shared.goto(`${base}/?q=Ebrard%20DEA&since=2021`);
  await waitFor(shared, 'the shared URL never showed results', () => document.querySelectorAll('#hits .hit').length > 0);
  await waitFor(shared, 'results did not settle', settled);
  check((await headlines(shared))[0] === FIRST_HEADLINE, `the shared URL's first result is "${(await headlines(shared))[0]}"`);
  check(await shared.inputValue('#q') === QUERY, 'the shared URL did not fill the search box');
  check(await shared.inputValue('#since') === '2021', 'the shared URL did not fill the From date');
  const dateChip = await shared.$$eval('#active-filters .filter-chip', (els) => els.map((e) => e.textContent));
  check(dateChip.some((t) => t.includes('2021')), `no active filter chip for since=2021 (chips: ${JSON.stringify(dateChip)})`);

  const articleId = await shared.$eval('#hits .hit:first-child .hit-link', (e) => e.dataset.id);

  step('a timeline bar filters by its period');
  await waitFor(shared, 'the timeline never showed bars', () => document.querySelectorAll('#histogram button.bar').length > 0);
  const bar = await shared.$eval('#histogram button.bar', (b) => ({ since: b.dataset.since, until: b.dataset.until, count: Number(b.dataset.count) }));
  await shared.click(`#histogram button.bar[data-since="${bar.since}"]`);
  await waitFor(shared, `clicking the ${bar.since} bar did not set since=${bar.since}, until=${bar.until}`,
    (b) => { const u = new URLSearchParams(location.search); return u.get('since') === b.since && u.get('until') === b.until; }, bar);
  await waitFor(shared, 'results did not settle after the bar click', settled);
  const dates = await shared.$$eval('#hits .hit time', (els) => els.map((e) => e.getAttribute('datetime')));
  check(dates.length === bar.count && dates.every((d) => d >= bar.since && d.slice(0, bar.until.length) <= bar.until),
    `after the ${bar.since}–${bar.until} bar (${bar.count} articles) the results are dated ${JSON.stringify(dates)}`);

  step('a shared URL with an article opens it');
  await shared.goto(`${base}/?q=Ebrard%20DEA&article=${encodeURIComponent(articleId)}`);
  await waitFor(shared, 'the shared article URL did not open the article',
    (h) => document.getElementById('reader').open && document.getElementById('reader-title')?.textContent === h, FIRST_HEADLINE);
  await shared.close();

  // ---------------------------------------------------------- timeline
  step('drag a range across the timeline of every article');
  await page.goto(`${base}/`);
  await waitFor(page, 'results did not settle', settled);
  await waitFor(page, 'the timeline has too few bars to drag across', () => document.querySelectorAll('#histogram .bar[data-index]').length >= 6);
  const span = await page.$$eval('#histogram .bar[data-index]', (els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return { since: e.dataset.since, until: e.dataset.until, count: Number(e.dataset.count), x: r.x + r.width / 2, y: r.y + r.height / 2 };
  }));
  const [from, to] = [2, span.length - 3];
  const expected = span.slice(from, to + 1).reduce((n, b) => n + b.count, 0);
  await page.mouse.move(span[from].x, span[from].y);
  await page.mouse.down();
  await page.mouse.move(span[to].x, span[to].y, { steps: 12 });
  await page.mouse.up();
  await waitFor(page, `dragging did not filter from ${span[from].since} to ${span[to].until}`,
    (r) => { const u = new URLSearchParams(location.search); return u.get('since') === r.since && u.get('until') === r.until; },
    { since: span[from].since, until: span[to].until });
  await waitFor(page, 'results did not settle after the drag', settled);
  const dragged = await page.$eval('#summary strong', (e) => parseInt(e.textContent.replace(/\D/g, ''), 10));
  check(dragged === expected, `the dragged range holds ${expected} articles by its bars, the search found ${dragged}`);
  await waitFor(page, 'the timeline did not narrow to the dragged range',
    (r) => { const bars = [...document.querySelectorAll('#histogram .bar[data-index]')]; return bars.length > 0 && bars[0].dataset.since >= r.since && bars[bars.length - 1].dataset.until <= r.until; },
    { since: span[from].since, until: span[to].until });

  // ------------------------------------------------------- entity page
  step('open an entity page from the facet panel');
  await page.goto(`${base}/?q=Ebrard%20DEA`);
  await waitFor(page, 'results did not settle', settled);
  const person = await page.$eval('#facet-person .facet-about', (a) => a.dataset.entity);
  await page.click(`#facet-person .facet-about[data-entity="${person.replace(/"/g, '\\"')}"]`);
  await waitFor(page, `the URL never got about=${person}`, (n) => new URLSearchParams(location.search).get('about') === n, person);
  await waitFor(page, `the entity page never showed ${person}`,
    (n) => document.getElementById('entity-title')?.textContent === n && !document.getElementById('entity-page').hidden, person);
  check(await page.$eval('#results', (e) => e.hidden), 'the results stay on screen under the entity page');
  const entityArticles = await page.$eval('#entity-summary strong', (e) => parseInt(e.textContent.replace(/\D/g, ''), 10));
  check(entityArticles > 0, `the entity page counts ${entityArticles} articles`);
  const entityBars = await page.$$eval('#entity-timeline .bar[data-index]', (els) => els.reduce((n, e) => n + Number(e.dataset.count), 0));
  const topStories = await page.$$eval('#entity-top .similar-link', (els) => els.length);
  check(entityBars <= entityArticles && entityBars > 0, `the entity timeline counts ${entityBars} of ${entityArticles} articles`);
  check(topStories === Math.min(entityArticles, 10), `${topStories} top stories for ${entityArticles} articles`);

  step('an entity page has its own URL');
  const own = await context.newPage();
  watch(own);
  await own.goto(`${base}/?about=Marcelo%20Ebrard&kind=person`);
  await waitFor(own, 'the shared entity URL never showed its page',
    () => document.getElementById('entity-title')?.textContent === 'Marcelo Ebrard');
  const ties = await own.$$eval('#entity-related .chip', (els) => els.map((e) => e.dataset.entity));
  check(ties.length > 0, 'the entity page lists no related entities');

  step('click a related entity');
  const tie = ties[0];
  await own.click(`#entity-related .chip[data-entity="${tie.replace(/"/g, '\\"')}"]`);
  await waitFor(own, `clicking ${tie} did not filter by both entities`, (t) => {
    const u = new URLSearchParams(location.search);
    return !u.has('about') && u.getAll('entity').includes('Marcelo Ebrard') && u.getAll('entity').includes(t);
  }, tie);
  await waitFor(own, 'results did not settle after the related click', () => {
    const r = document.getElementById('results');
    return r && !r.hidden && r.getAttribute('aria-busy') === 'false' && document.querySelectorAll('#hits .hit').length > 0;
  });
  const both = await own.$$eval('#hits .hit', (hits) => hits.map((hit) => [...hit.querySelectorAll('.chip[data-entity]')].map((c) => c.dataset.entity)));
  check(both.every((names) => names.some((n) => fold(n) === fold('Marcelo Ebrard')) && names.some((n) => fold(n) === fold(tie))),
    `a result lacks Marcelo Ebrard or ${tie}: ${JSON.stringify(both)}`);
  await own.goBack();
  await waitFor(own, 'back did not return to the entity page', () => document.getElementById('entity-title')?.textContent === 'Marcelo Ebrard'
    && !document.getElementById('entity-page').hidden);
  await own.close();

  // ------------------------------------------------------------- phone
  step('a 375 px wide viewport has no horizontal scroll');
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(`${base}/?q=Ebrard%20DEA&entity=Marcelo%20Ebrard`);
  await waitFor(page, 'no results at phone width', () => document.querySelectorAll('#hits .hit').length > 0);
  await waitFor(page, 'results did not settle', settled);
  const overflow = await page.evaluate(() => {
    const doc = document.documentElement;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 1)
      .filter((e) => !e.closest('.visually-hidden') && !e.closest('dialog:not([open])'))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${[...e.classList].join('.')}`);
    return { scroll: doc.scrollWidth, client: doc.clientWidth, wide };
  });
  check(overflow.scroll <= overflow.client && overflow.wide.length === 0,
    `horizontal scroll at 375 px: scrollWidth ${overflow.scroll} > ${overflow.client}; too wide: ${overflow.wide.join(', ')}`);
  const facetsBelow = await page.evaluate(() => {
    const f = document.getElementById('facets').getBoundingClientRect();
    const r = document.getElementById('hits').getBoundingClientRect();
    return f.top >= r.bottom - 1 && f.width > 300;
  });
  check(facetsBelow, 'at 375 px the facet panel does not stack below the results');

  check(problems.length === 0, `the page reported problems:\n  ${problems.join('\n  ')}`);

  clearTimeout(timer);
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
  console.log(`PASS: ${checks} checks in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshot ${screenshot}`);
  process.exit(0);
} catch (err) {
  console.error(`FAIL: ${current}: ${err && err.message ? err.message : err}`);
  if (problems.length) console.error(`page problems:\n  ${problems.join('\n  ')}`);
  if (page) {
    const failure = screenshot.replace(/\.png$/i, '') + '.failure.png';
    try {
      await page.screenshot({ path: failure, fullPage: true });
      console.error(`screenshot of the failure: ${failure}`);
      console.error(`page URL: ${page.url()}`);
    } catch {
      // the page is gone
    }
  }
  clearTimeout(timer);
  if (context) await context.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
  process.exit(1);
}
