/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The static demo's page script (bundled by esbuild into demo.js; scripts/build-demo.mjs): loads
 * model.json and model.bin beside the page, then recommends, finds similar items, folds in the
 * visitor's ratings and explains, all in the browser through DemoRecommender. Text from the model
 * is only ever set through textContent.
 */
import { decodeDemoData, type DemoMeta } from '../demoData.js';
import { DemoRecommender, type RankedItem } from '../demoRecommender.js';
import type { UserWeights } from '../../als/explain.js';

/** Reasons shown per recommendation. */
const REASONS = 3;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

function showError(err: unknown): void {
  const box = $('error');
  box.textContent = err instanceof Error ? err.message : String(err);
  box.hidden = false;
}

function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function fillTable(table: HTMLTableElement, rows: string[][], numericLast = true): void {
  table.tBodies[0]!.replaceChildren(...rows.map((cells) => {
    const tr = document.createElement('tr');
    cells.forEach((text, j) => tr.append(cell(text, j === cells.length - 1 && numericLast ? 'num' : j === 2 ? 'genres' : '')));
    return tr;
  }));
  table.hidden = rows.length === 0;
}

async function loadModel(): Promise<DemoRecommender> {
  const [metaReply, binaryReply] = await Promise.all([fetch('model.json'), fetch('model.bin')]);
  if (!metaReply.ok || !binaryReply.ok) throw new Error(`Could not load the model data (model.json ${metaReply.status}, model.bin ${binaryReply.status})`);
  const meta = (await metaReply.json()) as DemoMeta;
  const recommender = new DemoRecommender(decodeDemoData(meta, await binaryReply.arrayBuffer()));
  document.body.dataset.modelLoadedMs = performance.now().toFixed(0);
  return recommender;
}

function start(rec: DemoRecommender): void {
  const { titles, genres, userIds } = rec.model.meta;
  /** "A (41%), B (20%) and C (9%)": the rated items that push each score up most (explain). */
  const reasons = (ranked: RankedItem[], weights: UserWeights): string[] => ranked.map((r) => {
    const parts = rec.explain(weights, r.item, REASONS).reasons.filter((c) => c.contribution > 0).map((c) => `${titles[c.item]} (${Math.round(100 * c.share)}%)`);
    return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  });
  const recRows = (ranked: RankedItem[], because: string[]) => ranked.map((r, j) => [String(j + 1), titles[r.item]!, because[j] ?? '', r.score.toFixed(3)]);

  // --- A user ---------------------------------------------------------------------------
  const showUser = (idText: string): void => {
    const u = rec.userRow(idText);
    if (u < 0) {
      $('user-status').textContent = `No user ${idText} in this model (${plural(userIds.length, 'user')}; try Random user).`;
      $<HTMLTableElement>('user-recs').hidden = true;
      $<HTMLTableElement>('user-history').hidden = true;
      return;
    }
    const n = Math.min(100, Math.max(1, Number($<HTMLInputElement>('user-n').value) || 10));
    const ranked = rec.recommend(u, n);
    const history = rec.history(u);
    fillTable($<HTMLTableElement>('user-recs'), recRows(ranked, reasons(ranked, rec.weightsOfUser(u))));
    fillTable($<HTMLTableElement>('user-history'), history.map((h) => [titles[h.item]!, genres[h.item]!.join(', '), String(h.rating)]));
    $('user-status').textContent = `User ${userIds[u]}: ${plural(history.length, 'rated item')}; ${plural(ranked.length, 'recommendation')}.`;
    const url = new URL(location.href);
    url.searchParams.set('user', String(userIds[u]));
    window.history.replaceState(null, '', url);
    if (document.body.dataset.firstRecommendationMs === undefined) {
      document.body.dataset.firstRecommendationMs = performance.now().toFixed(0);
    }
  };
  $('user-form').addEventListener('submit', (event) => {
    event.preventDefault();
    showUser($<HTMLInputElement>('user-id').value);
  });
  const randomUser = () => {
    $<HTMLInputElement>('user-id').value = String(userIds[Math.floor(Math.random() * userIds.length)]);
    showUser($<HTMLInputElement>('user-id').value);
  };
  $('user-random').addEventListener('click', randomUser);

  // --- Similar items --------------------------------------------------------------------
  const showSimilar = (item: number, button: HTMLButtonElement) => {
    for (const b of $('similar-matches').querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === button));
    $('similar-title').textContent = `Similar to ${titles[item]}`;
    $('similar-title').hidden = false;
    fillTable($<HTMLTableElement>('similar-table'), rec.similar(item, 10).map((r, j) => [String(j + 1), titles[r.item]!, genres[r.item]!.join(', '), r.score.toFixed(3)]));
  };
  $('similar-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const query = $<HTMLInputElement>('similar-query').value;
    const found = rec.search(query, 20);
    const buttons = found.map((i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = titles[i]!;
      b.addEventListener('click', () => showSimilar(i, b));
      return b;
    });
    $('similar-matches').replaceChildren(...buttons);
    $('similar-status').textContent = found.length === 0 ? `No title contains "${query.trim()}".` : `${plural(found.length, 'matching item')}${found.length === 20 ? ' (first 20)' : ''}; showing the first.`;
    if (buttons.length > 0) showSimilar(found[0]!, buttons[0]!);
    else {
      $<HTMLTableElement>('similar-table').hidden = true;
      $('similar-title').hidden = true;
    }
  });

  // --- Rate a few (fold-in) ---------------------------------------------------------------
  const rated = new Map<number, number>();
  const ratingSelect = (value: number, label: string, onChange: (r: number) => void) => {
    const select = document.createElement('select');
    select.setAttribute('aria-label', label);
    for (const r of [5, 4, 3, 2, 1]) select.append(new Option(`${r} ★`, String(r)));
    select.value = String(value);
    select.addEventListener('change', () => onChange(Number(select.value)));
    return select;
  };
  const refresh = () => {
    if (rated.size === 0) {
      $<HTMLTableElement>('new-recs').hidden = true;
      $('rate-status').textContent = 'Rate a movie to get recommendations.';
      return;
    }
    const x = rec.foldIn(rated);
    const ranked = rec.recommendFor(x, rated.keys(), 10);
    fillTable($<HTMLTableElement>('new-recs'), recRows(ranked, reasons(ranked, rec.weightsOfRatings(rated))));
    $('rate-status').textContent = `${plural(ranked.length, 'recommendation')} from ${plural(rated.size, 'rating')}.`;
  };
  const renderRated = () => {
    $('rated').replaceChildren(...[...rated].map(([item, rating]) => {
      const li = document.createElement('li');
      const title = document.createElement('span');
      title.textContent = titles[item]!;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove ${titles[item]}`);
      remove.addEventListener('click', () => { rated.delete(item); renderRated(); refresh(); });
      li.append(title, ratingSelect(rating, `Your rating of ${titles[item]}`, (r) => { rated.set(item, r); refresh(); }), remove);
      return li;
    }));
  };
  $('rate-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const query = $<HTMLInputElement>('rate-query').value;
    const found = rec.search(query, 10);
    $('rate-matches').replaceChildren(...found.map((item) => {
      const li = document.createElement('li');
      const title = document.createElement('span');
      title.textContent = titles[item]!;
      let rating = 5;
      const add = document.createElement('button');
      add.type = 'button';
      add.textContent = 'Rate';
      add.setAttribute('aria-label', `Rate ${titles[item]}`);
      add.addEventListener('click', () => { rated.set(item, rating); renderRated(); refresh(); });
      li.append(title, ratingSelect(rating, `Rating for ${titles[item]}`, (r) => { rating = r; }), add);
      return li;
    }));
    $('rate-status').textContent = found.length === 0 ? `No title contains "${query.trim()}".` : `${plural(found.length, 'matching item')}.`;
  });

  // --- Start on ?user=ID, else a random user ------------------------------------------------
  const wanted = new URLSearchParams(location.search).get('user');
  if (wanted !== null && rec.userRow(wanted) >= 0) {
    $<HTMLInputElement>('user-id').value = wanted;
    showUser(wanted);
  } else {
    randomUser();
    if (wanted !== null) $('user-status').textContent = `No user ${wanted} in this model; showing user ${$<HTMLInputElement>('user-id').value} instead. ${$('user-status').textContent}`;
  }
  const about = $('about');
  const facts: Array<[string, string]> = [
    ['users', userIds.length.toLocaleString('en')],
    ['items', titles.length.toLocaleString('en')],
    ['factors', String(rec.k)],
    ['model data', `${(rec.model.meta.binaryBytes / 1e6).toFixed(2)} MB binary`],
    ['first recommendation', `${document.body.dataset.firstRecommendationMs} ms after the page started loading (model data in at ${document.body.dataset.modelLoadedMs} ms)`],
  ];
  for (const [name, value] of facts) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value;
    about.append(dt, dd);
  }
  document.body.dataset.ready = 'true';
}

loadModel().then(start).catch(showError);
