// The dashboard's pictures: the training loss per iteration, the evaluation saved with the model
// and the item map, drawn with Chart.js (served by the server itself at /vendor/chart.umd.js, so
// nothing comes from a CDN). Every chart is keyboard-usable: focus it, then ← → Home End step
// through its points, and the focused point's figures are read out in a live region.

const $ = (id) => document.getElementById(id);
/** Okabe-Ito colours: distinguishable with the common colour-vision deficiencies. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000'];
const format = (v, digits = 4) => (Number.isFinite(v) ? Number(v).toFixed(digits) : '—');

function chartDefaults() {
  const { Chart } = window;
  Chart.defaults.font.size = 14;
  Chart.defaults.color = '#1b1f24';
  Chart.defaults.animation = false; // screenshots and tests see the final picture at once
  Chart.defaults.maintainAspectRatio = false;
}

/**
 * Arrow-key navigation over a chart's points. `order()` lists [datasetIndex, index] pairs in
 * stepping order; `describe(datasetIndex, index)` is the text read out for one.
 */
function keyboardSteps(chart, canvas, readout, order, describe) {
  let at = -1;
  const show = () => {
    const points = order();
    if (points.length === 0) return;
    at = Math.max(0, Math.min(at, points.length - 1));
    const [datasetIndex, index] = points[at];
    const active = [{ datasetIndex, index }];
    chart.setActiveElements(active);
    const element = chart.getDatasetMeta(datasetIndex).data[index];
    chart.tooltip.setActiveElements(active, { x: element?.x ?? 0, y: element?.y ?? 0 });
    chart.update();
    readout.textContent = describe(datasetIndex, index);
  };
  canvas.addEventListener('keydown', (event) => {
    const count = order().length;
    const moves = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: count - 1 };
    if (!(event.key in moves) || count === 0) return;
    event.preventDefault();
    at = at < 0 && event.key !== 'End' ? 0 : moves[event.key];
    show();
  });
  canvas.addEventListener('blur', () => {
    chart.setActiveElements([]);
    chart.tooltip.setActiveElements([], { x: 0, y: 0 });
    chart.update();
  });
}

function fillRows(tbody, rows) {
  tbody.replaceChildren(...rows.map((cells) => {
    const tr = document.createElement('tr');
    for (const [text, className] of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      if (className) td.className = className;
      tr.append(td);
    }
    return tr;
  }));
}

/** A chart replaced by one line saying why there is nothing to draw. */
function noChart(figureId, text) {
  const figure = $(figureId);
  figure.querySelector('.canvas-box').hidden = true;
  figure.querySelector('details')?.setAttribute('hidden', '');
  figure.querySelector('.readout').textContent = text;
  figure.dataset.empty = 'true';
}

function lossChart(history) {
  if (history === null) {
    noChart('loss-figure', 'No training loss saved with this model: train with --loss (or evaluate --save) to record it.');
    return;
  }
  const iterations = history.loss.map((_, j) => j + 1);
  const canvas = $('loss-chart');
  const chart = new window.Chart(canvas, {
    type: 'line',
    data: { labels: iterations, datasets: [{ label: 'training loss', data: history.loss, borderColor: PALETTE[0], backgroundColor: PALETTE[0], pointRadius: 3, tension: 0 }] },
    options: {
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => `loss ${format(c.parsed.y, 6)}` } } },
      scales: { x: { title: { display: true, text: 'iteration' } }, y: { title: { display: true, text: 'loss (normalised)' } } },
    },
  });
  canvas.dataset.points = String(history.loss.length);
  fillRows($('loss-table').tBodies[0], iterations.map((it, j) => [[String(it)], [format(history.loss[j], 6), 'num'], [format(history.seconds[j], 3), 'num']]));
  keyboardSteps(chart, canvas, $('loss-readout'), () => iterations.map((_, j) => [0, j]),
    (_d, j) => `Iteration ${j + 1} of ${iterations.length}: loss ${format(history.loss[j], 6)} (${format(history.seconds[j], 3)} s)`);
}

/** The metric keys and labels the evaluation chart shows, for every K the summary has. */
function evaluationColumns(evaluation) {
  const ks = evaluation.k;
  return [...ks.map((k) => [`hitRate@${k}`, `HitRate@${k}`]), ...ks.map((k) => [`ndcg@${k}`, `NDCG@${k}`])];
}

function evaluationChart(evaluation) {
  const usable = evaluation !== null && evaluation.kind === 'alsrec.evaluate' && Array.isArray(evaluation.models) && Array.isArray(evaluation.k);
  if (!usable) {
    noChart('eval-figure', evaluation === null
      ? 'No evaluation saved with this model: alsrec evaluate --save model.alsrec saves one.'
      : 'The evaluation saved with this model has no per-K figures to chart (it is listed under About the model).');
    return;
  }
  const columns = evaluationColumns(evaluation);
  const models = evaluation.models;
  const canvas = $('eval-chart');
  const chart = new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels: columns.map(([, label]) => label),
      datasets: models.map((m, j) => ({
        label: m.name,
        data: columns.map(([key]) => m.metrics[key]?.mean ?? null),
        backgroundColor: PALETTE[j % PALETTE.length],
      })),
    },
    options: {
      plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${format(c.parsed.y)}` } } },
      scales: { y: { beginAtZero: true, title: { display: true, text: `mean over seeds ${evaluation.seeds.join(', ')}` } } },
    },
  });
  $('eval-caption').textContent = `Saved evaluation (${evaluation.split.name} split): HitRate and NDCG at each K`;
  canvas.dataset.points = String(columns.length * models.length);
  const head = $('eval-table').tHead.rows[0];
  head.replaceChildren(...['model', ...columns.map(([, label]) => label)].map((text, j) => {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    if (j > 0) th.className = 'num';
    return th;
  }));
  fillRows($('eval-table').tBodies[0], models.map((m) => [[m.name], ...columns.map(([key]) => {
    const v = m.metrics[key];
    return [v === undefined ? '—' : `${format(v.mean)} ± ${format(v.std)}`, 'num'];
  })]));
  // Step column by column (a metric at one K for every model), then to the next column.
  const order = () => columns.flatMap((_, c) => models.map((_m, d) => [d, c]));
  keyboardSteps(chart, canvas, $('eval-readout'), order, (d, c) => {
    const v = models[d].metrics[columns[c][0]];
    return `${columns[c][1]}, ${models[d].name}: ${v === undefined ? 'not computed' : `${format(v.mean)} ± ${format(v.std)}`}`;
  });
}

let mapState = null;

function itemMapChart(map) {
  const canvas = $('map-chart');
  const points = map.x.map((x, j) => ({ x, y: map.y[j] }));
  const pct = (v) => `${(v * 100).toFixed(1)}%`;
  const chart = new window.Chart(canvas, {
    type: 'scatter',
    data: {
      datasets: [
        { label: 'recommended for the user', data: [], rows: [], backgroundColor: PALETTE[5], borderColor: '#000', pointRadius: 7, pointStyle: 'triangle' },
        { label: "the user's history", data: [], rows: [], backgroundColor: PALETTE[0], pointRadius: 5 },
        { label: 'all items', data: points, rows: map.x.map((_, j) => j), backgroundColor: 'rgba(87, 96, 106, 0.35)', pointRadius: 2.5, pointHoverRadius: 6 },
      ],
    },
    options: {
      plugins: {
        tooltip: { callbacks: { label: (c) => map.titles[c.dataset.rows[c.dataIndex]] } },
        legend: { labels: { usePointStyle: true } },
      },
      scales: {
        x: { title: { display: true, text: `component 1 (${pct(map.explained[0])} of the variance)` } },
        y: { title: { display: true, text: `component 2 (${pct(map.explained[1])})` } },
      },
    },
  });
  $('map-caption').textContent = `Item map: ${map.itemIds.length === map.totalItems ? `all ${map.totalItems}` : `the ${map.itemIds.length} most-rated of ${map.totalItems}`} items on the two principal components of their factors (hover for titles)`;
  canvas.dataset.points = String(points.length);
  const rowOf = new Map(map.itemIds.map((id, j) => [id, j]));
  mapState = { chart, map, rowOf };
  // Recommendations first, then the history, then every item.
  const order = () => chart.data.datasets.flatMap((d, di) => d.data.map((_, j) => [di, j]));
  keyboardSteps(chart, canvas, $('map-readout'), order, (d, j) => {
    const row = chart.data.datasets[d].rows[j];
    return `${chart.data.datasets[d].label}: ${map.titles[row]} (${format(map.x[row], 3)}, ${format(map.y[row], 3)})`;
  });
}

/**
 * Highlights a user's history and recommendations on the item map (items the map does not show
 * are left out).
 * @param {Array<number|string>} historyIds
 * @param {Array<number|string>} recommendedIds
 */
export function highlightUser(userId, historyIds, recommendedIds) {
  if (mapState === null) return;
  const { chart, map, rowOf } = mapState;
  const rows = (ids) => ids.map((id) => rowOf.get(id)).filter((r) => r !== undefined);
  const [recs, history] = chart.data.datasets;
  recs.rows = rows(recommendedIds);
  history.rows = rows(historyIds);
  recs.data = recs.rows.map((r) => ({ x: map.x[r], y: map.y[r] }));
  history.data = history.rows.map((r) => ({ x: map.x[r], y: map.y[r] }));
  recs.label = `recommended for user ${userId}`;
  history.label = `user ${userId}'s history`;
  chart.update();
  $('map-chart').dataset.highlighted = String(recs.data.length + history.data.length);
}

/** Fetches what the charts need and draws them; `api` is the dashboard's fetch helper. */
export async function drawCharts(api, evaluation) {
  if (window.Chart === undefined) throw new Error('Chart.js did not load (/vendor/chart.umd.js)');
  chartDefaults();
  const [loss, map] = await Promise.all([api('/model/training-loss'), api('/model/item-map')]);
  lossChart(loss.trainingLoss);
  evaluationChart(evaluation);
  itemMapChart(map);
}
