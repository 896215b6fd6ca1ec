// The alsrec dashboard: plain DOM and fetch() against the server's own API, nothing else.
// Text from the API is only ever set through textContent, never parsed as HTML.

import { drawCharts, highlightUser } from './dashboardCharts.js';

const $ = (id) => document.getElementById(id);

/** GET or POST JSON; a non-2xx reply throws its `message`. */
async function api(path, body) {
  const init = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(path, init);
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.message ?? `${res.status} ${res.statusText}`);
  return data;
}

function showError(err) {
  const box = $('error');
  box.textContent = err instanceof Error ? err.message : String(err);
  box.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => { box.hidden = true; }, 6000);
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

/** "A, B and C" */
function listPhrase(parts) {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** The title cell: the title, and under it the rated movies that push its score up most (ALS.explain). */
function titleCell(m) {
  const td = document.createElement('td');
  const title = document.createElement('span');
  title.className = 'title';
  title.textContent = m.title;
  td.append(title);
  const reasons = (m.reasons ?? []).filter((r) => r.contribution > 0);
  if (reasons.length > 0) {
    const why = document.createElement('div');
    why.className = 'reasons';
    why.textContent = `Because you rated ${listPhrase(reasons.map((r) => `${r.title} (${Math.round(100 * r.share)}%)`))}`;
    td.append(why);
  }
  return td;
}

/** Fills a table with items; `last` picks the right-hand column (score, cosine or rating). */
function fillTable(table, items, { ranked, last }) {
  const tbody = table.tBodies[0];
  tbody.replaceChildren(...items.map((m, j) => {
    const tr = document.createElement('tr');
    // The item's id exactly as the API gave it ("00123" stays "00123"), for scripts and tests.
    tr.dataset.itemId = String(m.itemId);
    if (ranked) tr.append(cell(String(j + 1), 'num'));
    tr.append(titleCell(m), cell(m.genres.join(', '), 'genres'), cell(last(m), 'num'));
    return tr;
  }));
  table.hidden = items.length === 0;
}

/** How many reasons each recommendation shows. */
const REASONS = 3;

const score = (m) => m.score.toFixed(3);
const plural = (count, noun) => `${count} ${noun}${count === 1 ? '' : 's'}`;

// --- A user: history and recommendations -------------------------------------------------
let userIds = [];

async function showUser(id, n) {
  $('user-status').textContent = `Loading user ${id}…`;
  try {
    const [recs, history] = await Promise.all([
      api(`/users/${encodeURIComponent(id)}/recommendations?n=${encodeURIComponent(n)}&explain=${REASONS}`),
      api(`/users/${encodeURIComponent(id)}/history`),
    ]);
    fillTable($('user-recs'), recs.recommendations, { ranked: true, last: score });
    fillTable($('user-history'), history.ratings, { ranked: false, last: (m) => String(m.rating) });
    $('user-status').textContent = `User ${id}: ${plural(history.ratings.length, 'rated item')}; ${plural(recs.recommendations.length, 'recommendation')}.`;
    highlightUser(id, history.ratings.map((m) => m.itemId), recs.recommendations.map((m) => m.itemId));
  } catch (err) {
    $('user-status').textContent = '';
    showError(err);
  }
}

$('user-form').addEventListener('submit', (event) => {
  event.preventDefault();
  showUser($('user-id').value, $('user-n').value || 10);
});

$('user-random').addEventListener('click', () => {
  if (userIds.length === 0) return;
  $('user-id').value = String(userIds[Math.floor(Math.random() * userIds.length)]);
  showUser($('user-id').value, $('user-n').value || 10);
});

// --- Similar items -------------------------------------------------------------------------
async function showSimilar(itemId, button) {
  for (const b of $('similar-matches').querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === button));
  try {
    const data = await api(`/items/${encodeURIComponent(itemId)}/similar?n=10`);
    $('similar-title').textContent = `Items similar to ${data.item.title}`;
    $('similar-title').hidden = false;
    fillTable($('similar-table'), data.similar, { ranked: true, last: score });
  } catch (err) {
    showError(err);
  }
}

$('similar-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const query = $('similar-query').value.trim();
  if (query === '') return;
  try {
    const found = await api(`/items?search=${encodeURIComponent(query)}&limit=20`);
    const buttons = found.items.map((m) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = m.title;
      b.addEventListener('click', () => showSimilar(m.itemId, b));
      return b;
    });
    $('similar-matches').replaceChildren(...buttons);
    const more = found.total > found.items.length ? ` (first ${found.items.length} shown)` : '';
    $('similar-status').textContent = found.total === 0 ? `No title contains "${query}".` : `${plural(found.total, 'matching item')}${more}; showing the first.`;
    if (buttons.length > 0) await showSimilar(found.items[0].itemId, buttons[0]);
    else { $('similar-table').hidden = true; $('similar-title').hidden = true; }
  } catch (err) {
    showError(err);
  }
});

// --- Rate a few items (a new user) --------------------------------------------------------
/** itemId → { title, rating } */
const rated = new Map();

function ratingSelect(value, label, onChange) {
  const select = document.createElement('select');
  select.setAttribute('aria-label', label);
  for (const r of [5, 4, 3, 2, 1]) {
    const option = document.createElement('option');
    option.value = String(r);
    option.textContent = `${r} ★`;
    select.append(option);
  }
  select.value = String(value);
  select.addEventListener('change', () => onChange(Number(select.value)));
  return select;
}

function renderRated() {
  $('rated').replaceChildren(...[...rated].map(([itemId, m]) => {
    const li = document.createElement('li');
    const title = document.createElement('span');
    title.textContent = m.title;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'Remove';
    remove.setAttribute('aria-label', `Remove ${m.title}`);
    remove.addEventListener('click', () => { rated.delete(itemId); renderRated(); refreshNewUser(); });
    li.append(title, ratingSelect(m.rating, `Your rating of ${m.title}`, (r) => { m.rating = r; refreshNewUser(); }), remove);
    return li;
  }));
}

let newUserRequest = 0;
async function refreshNewUser() {
  const mine = ++newUserRequest; // only the latest answer is shown
  if (rated.size === 0) {
    $('new-recs').hidden = true;
    $('rate-status').textContent = 'Rate an item to get recommendations.';
    return;
  }
  try {
    const ratings = [...rated].map(([itemId, m]) => ({ itemId, rating: m.rating }));
    const data = await api('/recommendations', { ratings, n: 10, explain: REASONS });
    if (mine !== newUserRequest) return;
    fillTable($('new-recs'), data.recommendations, { ranked: true, last: score });
    $('rate-status').textContent = `${plural(data.recommendations.length, 'recommendation')} from ${plural(rated.size, 'rating')}.`;
  } catch (err) {
    showError(err);
  }
}

$('rate-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const query = $('rate-query').value.trim();
  if (query === '') return;
  try {
    const found = await api(`/items?search=${encodeURIComponent(query)}&limit=10`);
    $('rate-matches').replaceChildren(...found.items.map((m) => {
      const li = document.createElement('li');
      const title = document.createElement('span');
      title.textContent = m.title;
      let rating = 5;
      const select = ratingSelect(rating, `Rating for ${m.title}`, (r) => { rating = r; });
      const add = document.createElement('button');
      add.type = 'button';
      add.textContent = 'Rate';
      add.setAttribute('aria-label', `Rate ${m.title}`);
      add.addEventListener('click', () => { rated.set(m.itemId, { title: m.title, rating }); renderRated(); refreshNewUser(); });
      li.append(title, select, add);
      return li;
    }));
    $('rate-status').textContent = found.total === 0 ? `No title contains "${query}".` : `${plural(found.total, 'matching item')}.`;
  } catch (err) {
    showError(err);
  }
});

// --- About the model, and the user picker -----------------------------------------------
function describe(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en') : String(Number(value.toPrecision(4)));
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Nested objects as dotted names: { als: { 'precision@10': 0.3 } } → [['als.precision@10', 0.3]]. */
function flatten(object, prefix = '') {
  return Object.entries(object).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? flatten(value, `${prefix}${key}.`) : [[`${prefix}${key}`, value]]);
}

function addFacts(dl, entries) {
  for (const [name, value] of entries) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = describe(value);
    dl.append(dt, dd);
  }
}

async function start() {
  try {
    const [health, users] = await Promise.all([api('/health'), api('/users?limit=1000')]);
    const dl = $('about');
    addFacts(dl, [['users', health.model.users], ['items', health.model.items], ['training ratings', health.model.ratings], ['scoring', health.model.scoring], ['package version', health.version]]);
    addFacts(dl, Object.entries(health.options));
    // The per-model figures of an `evaluate --save` summary are charted (and tabled) below.
    const evaluationFacts = health.evaluation?.kind === 'alsrec.evaluate' ? (({ models: _charted, ...rest }) => rest)(health.evaluation) : health.evaluation;
    if (health.evaluation) addFacts(dl, flatten(evaluationFacts).map(([k, v]) => [`evaluation: ${k}`, v]));
    else addFacts(dl, [['evaluation', 'none saved with the model']]);
    userIds = users.users.map((u) => u.userId);
    $('user-ids').replaceChildren(...userIds.map((id) => {
      const option = document.createElement('option');
      option.value = String(id);
      return option;
    }));
    await drawCharts(api, health.evaluation ?? null);
    document.body.dataset.ready = 'true';
  } catch (err) {
    showError(err);
  }
}

start();
