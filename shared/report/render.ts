/**
 * report.html of a training run: one self-contained page (inline SVG, heat maps as embedded PNG data: URIs, CSS
 * inline, no script, no external URL) showing
 *  - validation accuracy per epoch of every model on one plot,
 *  - the confusion matrix of every model as a heat map (candidate first),
 *  - per-class precision / recall / F1 of the candidate (others folded),
 *  - for one test example: predicted probability per emotion next to its waveform, a 10 ms zoom and its dB
 *    spectrogram with the frame means overlaid (the course's exploration and last figures).
 * The metrics and example are also embedded as JSON (<script type="application/json" id="report-data">).
 */
import { EMOTIONS } from '../config';
import type { ModelName } from '../names';
import type { ModelMetrics, RunMetrics } from '../types';
import { blues, css, SERIES_COLORS, viridis } from './colors';
import { pngDataUri } from './png';
import { axes, esc, inner, linear, polyline, r1, svg, ticks, type Box } from './svg';

/** A dB spectrogram, frame-major: values[f·bins + b] is frame f, bin b (bin 0 = 0 Hz). */
export interface DbSpectrogram {
  frames: number;
  bins: number;
  values: Float32Array;
  /** Frequency of the top bin, Hz (sampleRate / 2 for a full one-sided spectrum). */
  maxFrequencyHz: number;
  /** Seconds between frames (hop / sampleRate). */
  hopSeconds: number;
}

/** One test clip shown in the report. */
export interface ReportExample {
  /** File name or S3 key. */
  file: string;
  /** Model whose probabilities are shown (default: the run's candidate). */
  model?: ModelName;
  /** Samples of the analysed window (3 s from 0.5 s), mono float. */
  samples: Float32Array;
  /** Their rate, Hz (22,050). */
  sampleRate: number;
  /** dB spectrogram (bins may be downsampled to keep the page small). */
  dbSpectrogram: DbSpectrogram;
  /** Mean dB per frame (the model's frame features). */
  frameMeans: ArrayLike<number>;
  /** Predicted probability per class, index = class id. */
  probabilities: ArrayLike<number>;
  /** True class id. */
  trueLabel: number;
}

export interface ReportInput {
  metrics: RunMetrics;
  example?: ReportExample;
  /** Zoom window on the example's time axis, s (default 1.50-1.51, the course's). */
  zoom?: { startSeconds: number; endSeconds: number };
  /** Shown in the footer (ISO time). */
  generatedAt?: string;
}

const DEFAULT_ZOOM = { startSeconds: 1.5, endSeconds: 1.51 };
const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const labelsOf = (m: ModelMetrics) => (m.perClass.length ? m.perClass.map((c) => c.label) : [...EMOTIONS]);

function legend(items: { name: string; color: string; dashed?: boolean }[], x: number, y: number): string {
  return items
    .map(
      (it, i) =>
        `<g transform="translate(${x} ${y + i * 18})"><line x1="0" x2="18" y1="0" y2="0" stroke="${it.color}" stroke-width="2.5"${it.dashed ? ' stroke-dasharray="4 3"' : ''}/><text x="24" y="4">${esc(it.name)}</text></g>`,
    )
    .join('');
}

/** Validation accuracy per epoch, one line per model. */
export function accuracyChart(models: ModelMetrics[], candidate: ModelName): string {
  const box: Box = { width: 760, height: 330, margin: { top: 16, right: 190, bottom: 42, left: 52 } };
  const { x0, x1, y0, y1 } = inner(box);
  const epochs = Math.max(1, ...models.map((m) => m.history.valAcc.length));
  const x = linear(1, Math.max(2, epochs), x0, x1);
  const all = models.flatMap((m) => m.history.valAcc).filter(Number.isFinite);
  const yMax = Math.min(1, Math.ceil(((all.length ? Math.max(...all) : 1) + 0.05) * 10) / 10);
  const y = linear(0, yMax, y1, y0);
  let body = axes(box, { x, y, xLabel: 'epoch', yLabel: 'validation accuracy', grid: true, xTicks: ticks(1, epochs, 6).filter((t) => t >= 1), yFormat: (v) => pct(v, 0) });
  const chance = 1 / NUM_LABELS(models);
  body += `<line class="chance" x1="${x0}" x2="${x1}" y1="${r1(y(chance))}" y2="${r1(y(chance))}"/><text class="note" x="${x1 - 4}" y="${r1(y(chance) - 4)}" text-anchor="end">chance ${pct(chance, 1)}</text>`;
  models.forEach((m, i) => {
    const xs = m.history.valAcc.map((_, e) => e + 1);
    body += polyline(xs, m.history.valAcc, x, y, `stroke="${SERIES_COLORS[i % SERIES_COLORS.length]}" stroke-width="${m.model === candidate ? 2.4 : 1.5}" data-model="${esc(m.model)}"`);
  });
  body += legend(
    models.map((m, i) => ({ name: `${m.model}${m.model === candidate ? ' ★' : ''} ${pct(m.accuracy)}`, color: SERIES_COLORS[i % SERIES_COLORS.length]! })),
    x1 + 18,
    y0 + 10,
  );
  return svg(box, body, 'validation accuracy per epoch');
}

const NUM_LABELS = (models: ModelMetrics[]) => Math.max(2, ...models.map((m) => m.confusion.length));

/** Confusion matrix heat map: rows = true class, columns = predicted; colour = share of the row, text = count. */
export function confusionChart(m: ModelMetrics, title: string): string {
  const labels = labelsOf(m);
  const n = m.confusion.length;
  const cell = 38;
  const box: Box = { width: 96 + n * cell + 10, height: 30 + n * cell + 84, margin: { top: 30, right: 10, bottom: 84, left: 96 } };
  const { x0, y0 } = inner(box);
  let body = `<text class="title" x="${x0}" y="18">${esc(title)}</text>`;
  for (let t = 0; t < n; t++) {
    const row = m.confusion[t]!;
    const total = row.reduce((a, b) => a + b, 0) || 1;
    for (let p = 0; p < n; p++) {
      const count = row[p] ?? 0;
      const share = count / total;
      const fill = blues(share);
      const ink = share > 0.5 ? '#fff' : '#222';
      const cx = x0 + p * cell;
      const cy = y0 + t * cell;
      body += `<rect x="${cx}" y="${cy}" width="${cell}" height="${cell}" fill="${css(fill)}"${t === p ? ' class="diag"' : ''}><title>true ${esc(labels[t] ?? t)}, predicted ${esc(labels[p] ?? p)}: ${count} (${pct(share)})</title></rect>`;
      body += `<text class="count" x="${cx + cell / 2}" y="${cy + cell / 2 + 4}" text-anchor="middle" fill="${ink}">${count}</text>`;
    }
    body += `<text x="${x0 - 6}" y="${y0 + t * cell + cell / 2 + 4}" text-anchor="end">${esc(labels[t] ?? t)}</text>`;
  }
  for (let p = 0; p < n; p++) {
    body += `<text transform="translate(${x0 + p * cell + cell / 2 + 4} ${y0 + n * cell + 8}) rotate(-50)" text-anchor="end">${esc(labels[p] ?? p)}</text>`;
  }
  body += `<text class="label" x="${x0 + (n * cell) / 2}" y="${box.height - 4}" text-anchor="middle">predicted</text>`;
  body += `<text class="label" transform="translate(12 ${y0 + (n * cell) / 2}) rotate(-90)" text-anchor="middle">true</text>`;
  return svg(box, body, `confusion matrix of ${m.model}`);
}

function summaryTable(metrics: RunMetrics): string {
  const rows = metrics.models
    .map(
      (m) =>
        `<tr${m.model === metrics.candidate ? ' class="candidate"' : ''}><td>${esc(m.model)}${m.model === metrics.candidate ? ' ★' : ''}</td><td>${m.params.toLocaleString('en-US')}</td><td>${pct(m.accuracy)}</td><td>${m.macroF1.toFixed(3)}</td><td>${m.trainSeconds.toFixed(1)}</td><td>${m.history.valAcc.length}</td><td>${esc(m.backend)}</td></tr>`,
    )
    .join('');
  return `<table class="summary"><thead><tr><th>model</th><th>parameters</th><th>test accuracy</th><th>macro F1</th><th>training s</th><th>epochs</th><th>backend</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function perClassTable(m: ModelMetrics): string {
  const rows = m.perClass
    .map((c) => `<tr><td>${esc(c.label)}</td><td>${c.precision.toFixed(3)}</td><td>${c.recall.toFixed(3)}</td><td>${c.f1.toFixed(3)}</td><td>${c.support}</td></tr>`)
    .join('');
  const support = m.perClass.reduce((a, c) => a + c.support, 0);
  return `<table class="per-class" data-model="${esc(m.model)}"><thead><tr><th>emotion</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr></thead><tbody>${rows}</tbody><tfoot><tr><td>accuracy</td><td></td><td></td><td>${m.accuracy.toFixed(3)}</td><td>${support}</td></tr><tr><td>macro avg</td><td></td><td></td><td>${m.macroF1.toFixed(3)}</td><td>${support}</td></tr></tfoot></table>`;
}

/** Predicted probability per emotion: the predicted bar in orange, the true class marked. */
export function probabilityChart(probabilities: ArrayLike<number>, labels: readonly string[], trueLabel: number): string {
  const box: Box = { width: 420, height: 300, margin: { top: 16, right: 46, bottom: 34, left: 78 } };
  const { x0, x1, y0, y1 } = inner(box);
  const n = labels.length;
  const band = (y1 - y0) / n;
  const x = linear(0, 1, x0, x1);
  let predicted = 0;
  for (let i = 1; i < n; i++) if (probabilities[i]! > probabilities[predicted]!) predicted = i;
  let body = axes(box, { x, y: linear(0, 1, y1, y0), xLabel: 'probability', xTicks: [0, 0.25, 0.5, 0.75, 1], yTicks: [], grid: false });
  for (let i = 0; i < n; i++) {
    const p = probabilities[i] ?? 0;
    const top = y0 + i * band + band * 0.15;
    const cls = i === predicted ? 'bar predicted' : 'bar';
    body += `<rect class="${cls}" x="${x0}" y="${r1(top)}" width="${r1(Math.max(0, x(p) - x0))}" height="${r1(band * 0.7)}"><title>${esc(labels[i]!)}: ${p.toFixed(4)}</title></rect>`;
    body += `<text x="${x0 - 6}" y="${r1(top + band * 0.35 + 4)}" text-anchor="end"${i === trueLabel ? ' class="true-label"' : ''}>${esc(labels[i]!)}${i === trueLabel ? ' ✓' : ''}</text>`;
    body += `<text class="value" x="${r1(x(p) + 4)}" y="${r1(top + band * 0.35 + 4)}">${p.toFixed(3)}</text>`;
  }
  return svg(box, body, 'predicted probability per emotion');
}

/** Waveform of the whole window as a min/max envelope, the zoom window shaded. */
export function waveformChart(samples: Float32Array, sampleRate: number, zoom: { startSeconds: number; endSeconds: number }): string {
  const box: Box = { width: 560, height: 200, margin: { top: 12, right: 14, bottom: 38, left: 52 } };
  const { x0, x1, y0, y1 } = inner(box);
  const seconds = samples.length / sampleRate;
  const x = linear(0, seconds, x0, x1);
  let peak = 0;
  for (const v of samples) peak = Math.max(peak, Math.abs(v));
  const lim = peak > 0 ? peak * 1.05 : 1;
  const y = linear(-lim, lim, y1, y0);
  const columns = Math.max(1, Math.round(x1 - x0));
  const per = samples.length / columns;
  const upper: string[] = [];
  const lower: string[] = [];
  for (let c = 0; c < columns; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = Math.floor(c * per); i < Math.min(samples.length, Math.floor((c + 1) * per) || 1); i++) {
      lo = Math.min(lo, samples[i]!);
      hi = Math.max(hi, samples[i]!);
    }
    if (!Number.isFinite(lo)) continue;
    upper.push(`${r1(x0 + c + 0.5)},${r1(y(hi))}`);
    lower.unshift(`${r1(x0 + c + 0.5)},${r1(y(lo))}`);
  }
  let body = axes(box, { x, y, xLabel: 'time in the analysed window (s)', yLabel: 'amplitude', yTicks: ticks(-lim, lim, 4) });
  body += `<polygon class="wave" points="${[...upper, ...lower].join(' ')}"/>`;
  // The 10 ms zoom window is ~2 px wide at this scale: drawn on top, with a label.
  const zx = x(zoom.startSeconds);
  body += `<rect class="zoom-band" x="${r1(zx - 1)}" y="${y0}" width="${r1(Math.max(2, x(zoom.endSeconds) - zx) + 2)}" height="${y1 - y0}"/><text class="zoom-label" x="${r1(zx + 5)}" y="${y0 + 10}">zoom ${zoom.startSeconds.toFixed(2)}-${zoom.endSeconds.toFixed(2)} s ↓</text>`;
  return svg(box, body, 'waveform');
}

/** The samples of the zoom window, one dot per sample. */
export function zoomChart(samples: Float32Array, sampleRate: number, zoom: { startSeconds: number; endSeconds: number }): string {
  const box: Box = { width: 560, height: 200, margin: { top: 12, right: 24, bottom: 38, left: 52 } };
  const { x0, x1, y0, y1 } = inner(box);
  const start = Math.max(0, Math.floor(zoom.startSeconds * sampleRate));
  const end = Math.min(samples.length, Math.ceil(zoom.endSeconds * sampleRate) + 1);
  const part = samples.subarray(start, Math.max(start, end));
  const xs = Array.from(part, (_, i) => (start + i) / sampleRate);
  let peak = 0;
  for (const v of part) peak = Math.max(peak, Math.abs(v));
  const lim = peak > 0 ? peak * 1.1 : 1;
  const x = linear(zoom.startSeconds, zoom.endSeconds, x0, x1);
  const y = linear(-lim, lim, y1, y0);
  let body = axes(box, { x, y, xLabel: `time (s), ${part.length} samples at ${sampleRate} Hz`, yLabel: 'amplitude', xFormat: (v) => String(Number(v.toFixed(4))), yTicks: ticks(-lim, lim, 4) });
  body += `<line class="zero" x1="${x0}" x2="${x1}" y1="${r1(y(0))}" y2="${r1(y(0))}"/>`;
  body += polyline(xs, part, x, y, 'class="zoom-line"');
  body += part.length <= 600 ? Array.from(part, (v, i) => `<circle cx="${r1(x(xs[i]!))}" cy="${r1(y(v))}" r="1.6"/>`).join('') : '';
  if (!part.length) body += `<text x="${(x0 + x1) / 2}" y="${(y0 + y1) / 2}" text-anchor="middle">the clip is shorter than the zoom window</text>`;
  return svg(box, body, `waveform zoom ${zoom.startSeconds}-${zoom.endSeconds} s`);
}

/** dB spectrogram heat map (frames × bins, as an embedded PNG) with the frame means (right dB axis) overlaid. */
export function spectrogramChart(spec: DbSpectrogram, frameMeans: ArrayLike<number>): string {
  const box: Box = { width: 1080, height: 340, margin: { top: 12, right: 70, bottom: 40, left: 62 } };
  const { x0, x1, y0, y1 } = inner(box);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of spec.values) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  if (!(hi > lo)) (lo = Number.isFinite(lo) ? lo - 1 : 0), (hi = lo + 1);
  const rgb = new Uint8Array(spec.frames * spec.bins * 3);
  for (let b = 0; b < spec.bins; b++) {
    const row = spec.bins - 1 - b; // low frequencies at the bottom
    for (let f = 0; f < spec.frames; f++) {
      const [r, g, bl] = viridis((spec.values[f * spec.bins + b]! - lo) / (hi - lo));
      const o = (row * spec.frames + f) * 3;
      rgb[o] = r;
      rgb[o + 1] = g;
      rgb[o + 2] = bl;
    }
  }
  const seconds = spec.frames * spec.hopSeconds;
  const x = linear(0, seconds, x0, x1);
  const yHz = linear(0, spec.maxFrequencyHz, y1, y0);
  const yDb = linear(lo, hi, y1, y0);
  let body = `<image x="${x0}" y="${y0}" width="${x1 - x0}" height="${y1 - y0}" preserveAspectRatio="none" href="${pngDataUri(spec.frames, spec.bins, rgb)}"/>`;
  body += axes(box, { x, y: yHz, xLabel: 'time in the analysed window (s)', yLabel: 'frequency (Hz)' });
  const xs = Array.from({ length: frameMeans.length }, (_, f) => (f + 0.5) * spec.hopSeconds);
  body += polyline(xs, frameMeans, x, yDb, 'class="means"');
  let right = `<line x1="${x1}" x2="${x1}" y1="${y0}" y2="${y1}"/>`;
  for (const v of ticks(lo, hi, 5)) right += `<line x1="${x1}" x2="${x1 + 4}" y1="${r1(yDb(v))}" y2="${r1(yDb(v))}"/><text x="${x1 + 7}" y="${r1(yDb(v) + 4)}">${Number(v.toFixed(1))}</text>`;
  right += `<text class="label" transform="translate(${box.width - 10} ${(y0 + y1) / 2}) rotate(90)" text-anchor="middle">dB (colour and frame means)</text>`;
  body += `<g class="axis">${right}</g>`;
  body += `<g class="on-dark"><rect x="${x0 + 6}" y="${y0 + 5}" width="196" height="19" rx="3"/>${legend([{ name: 'frame mean (model feature)', color: '#ffffff' }], x0 + 12, y0 + 15)}</g>`;
  return svg(box, body, 'dB spectrogram with frame means');
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:0;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:24px 28px 40px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde1e7;padding-bottom:4px}
.meta{color:#5b6474;margin:0 0 12px}.card{background:#fff;border:1px solid #e3e6eb;border-radius:8px;padding:12px 14px;margin:10px 0}
.row{display:flex;flex-wrap:wrap;gap:14px;align-items:flex-start}.row>.card{margin:0}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}th,td{padding:4px 12px;text-align:right;border-bottom:1px solid #eceef2}
th:first-child,td:first-child{text-align:left}thead th{background:#f0f2f5}tfoot td{font-weight:600}tr.candidate td{background:#fff7e0;font-weight:600}
svg{display:block;max-width:100%;height:auto}svg text{font-size:11px;fill:#3a4252}svg .label{font-size:12px;fill:#1d2330}svg .title{font-size:13px;font-weight:600;fill:#1d2330}
.axis line{stroke:#9aa3b2;stroke-width:1}.axis line.grid{stroke:#eceef2}.chance{stroke:#888;stroke-dasharray:4 4}.note{fill:#777}
.diag{stroke:#1d2330;stroke-width:1}svg .count{font-size:11px}
.bar{fill:#8fb4d9}.bar.predicted{fill:#e69f00}svg .true-label{font-weight:700;fill:#006d3c}svg .value{fill:#555}
.wave{fill:#2b6cb0;stroke:#2b6cb0;stroke-width:.6}.zoom-band{fill:#e69f00;opacity:.85}svg .zoom-label{fill:#b36b00;font-weight:600}.zoom-line{stroke:#2b6cb0;stroke-width:1.2}circle{fill:#1d4f86}.zero{stroke:#ccc}
image{image-rendering:pixelated}.means{stroke:#fff;stroke-width:2}.on-dark rect{fill:rgba(0,0,0,.55)}svg .on-dark text{fill:#fff}
details summary{cursor:pointer;margin:6px 0}.muted{color:#6b7383}`;

/** Render the run report as a self-contained HTML document. */
export function renderReport(input: ReportInput): string {
  const { metrics, example } = input;
  const zoom = input.zoom ?? DEFAULT_ZOOM;
  const ordered = [...metrics.models].sort((a, b) => Number(b.model === metrics.candidate) - Number(a.model === metrics.candidate));
  const candidate = metrics.models.find((m) => m.model === metrics.candidate) ?? ordered[0];

  let html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Training run ${esc(metrics.runId)}</title><style>${STYLE}</style></head><body><main>`;
  html += `<h1>Speech emotion recognition — training run ${esc(metrics.runId)}</h1>`;
  html += `<p class="meta">${metrics.trainCount} training and ${metrics.testCount} test clips · backend ${esc(metrics.backend)} · candidate <b>${esc(metrics.candidate)}</b>${candidate ? ` (test accuracy ${pct(candidate.accuracy)})` : ''}</p>`;
  html += `<div class="card">${summaryTable(metrics)}</div>`;

  html += `<h2>Validation accuracy per epoch</h2><div class="card">${accuracyChart(metrics.models, metrics.candidate)}<p class="muted">Accuracy on the test part after each epoch; the dashed line is chance. ★ = the run's candidate (best test accuracy).</p></div>`;

  html += `<h2>Confusion matrices</h2><div class="row">${ordered.map((m) => `<div class="card">${confusionChart(m, `${m.model}${m.model === metrics.candidate ? ' ★' : ''} — ${pct(m.accuracy)}`)}</div>`).join('')}</div>`;
  html += `<p class="muted">Rows are the true emotion, columns the predicted one; colour is the share of the row (recall on the diagonal), numbers are clip counts.</p>`;

  if (candidate) {
    html += `<h2>Per-class precision, recall and F1 — ${esc(candidate.model)}</h2><div class="card">${perClassTable(candidate)}</div>`;
    const others = ordered.filter((m) => m !== candidate);
    if (others.length) html += others.map((m) => `<details class="card"><summary>${esc(m.model)}</summary>${perClassTable(m)}</details>`).join('');
  }

  if (example) {
    const labels = candidate ? labelsOf(candidate) : [...EMOTIONS];
    let predicted = 0;
    for (let i = 1; i < example.probabilities.length; i++) if (example.probabilities[i]! > example.probabilities[predicted]!) predicted = i;
    html += `<h2>One test example — ${esc(example.file)}</h2>`;
    html += `<p class="meta">true emotion <b>${esc(labels[example.trueLabel] ?? example.trueLabel)}</b> · predicted <b>${esc(labels[predicted] ?? predicted)}</b> by ${esc(example.model ?? metrics.candidate)} · ${(example.samples.length / example.sampleRate).toFixed(2)} s analysed at ${example.sampleRate} Hz</p>`;
    html += `<div class="row"><div class="card">${probabilityChart(example.probabilities, labels, example.trueLabel)}</div><div class="card">${waveformChart(example.samples, example.sampleRate, zoom)}${zoomChart(example.samples, example.sampleRate, zoom)}</div></div>`;
    html += `<div class="card">${spectrogramChart(example.dbSpectrogram, example.frameMeans)}<p class="muted">|STFT| in dB (colour) and, in white, the mean dB of each frame — the ${example.frameMeans.length} frame features the models read.</p></div>`;
  }

  const data = {
    metrics,
    ...(example
      ? { example: { file: example.file, model: example.model ?? metrics.candidate, trueLabel: example.trueLabel, probabilities: Array.from(example.probabilities), frameMeans: Array.from(example.frameMeans, (v) => Number(v.toFixed(3))) } }
      : {}),
  };
  html += `<p class="muted">Generated ${esc(input.generatedAt ?? new Date().toISOString())} · self-contained: no JavaScript, no external resource.</p>`;
  // JSON in a non-executed script element; "<" escaped so the data can never close the element.
  html += `<script type="application/json" id="report-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`;
  return html + '</main></body></html>';
}
