/**
 * Small inline-SVG chart primitives for the report (no library, no external resource): axes with ticks, line
 * series, bars, a heat map of cells. Every function returns an SVG/HTML string; numbers are rounded to keep the
 * page small.
 */

/** Escape text for HTML/SVG content and attribute values. */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Round for SVG coordinates (0.1 px is below what a screen shows). */
export const r1 = (x: number): string => (Math.round(x * 10) / 10).toString();

export interface Box {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export interface Scale {
  (value: number): number;
  domain: [number, number];
}

/** Linear map of [d0, d1] onto [p0, p1]. */
export function linear(d0: number, d1: number, p0: number, p1: number): Scale {
  const span = d1 - d0 || 1;
  const s = ((v: number) => p0 + ((v - d0) / span) * (p1 - p0)) as Scale;
  s.domain = [d0, d1];
  return s;
}

/** About `count` round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

const fmtTick = (v: number) => (Math.abs(v) >= 1000 ? `${Number((v / 1000).toFixed(2))}k` : String(Number(v.toFixed(4))));

/** Inner plot rectangle of a box. */
export function inner(box: Box) {
  return { x0: box.margin.left, x1: box.width - box.margin.right, y0: box.margin.top, y1: box.height - box.margin.bottom };
}

export interface AxisOptions {
  x: Scale;
  y: Scale;
  xLabel?: string;
  yLabel?: string;
  xTicks?: number[];
  yTicks?: number[];
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
  grid?: boolean;
}

/** Left and bottom axes with ticks, labels and an optional horizontal grid. */
export function axes(box: Box, o: AxisOptions): string {
  const { x0, x1, y0, y1 } = inner(box);
  const xt = o.xTicks ?? ticks(...o.x.domain);
  const yt = o.yTicks ?? ticks(...o.y.domain);
  const xf = o.xFormat ?? fmtTick;
  const yf = o.yFormat ?? fmtTick;
  let s = `<g class="axis">`;
  if (o.grid) for (const v of yt) s += `<line class="grid" x1="${x0}" x2="${x1}" y1="${r1(o.y(v))}" y2="${r1(o.y(v))}"/>`;
  s += `<line x1="${x0}" x2="${x1}" y1="${y1}" y2="${y1}"/><line x1="${x0}" x2="${x0}" y1="${y0}" y2="${y1}"/>`;
  for (const v of xt) s += `<line x1="${r1(o.x(v))}" x2="${r1(o.x(v))}" y1="${y1}" y2="${y1 + 4}"/><text x="${r1(o.x(v))}" y="${y1 + 16}" text-anchor="middle">${esc(xf(v))}</text>`;
  for (const v of yt) s += `<line x1="${x0 - 4}" x2="${x0}" y1="${r1(o.y(v))}" y2="${r1(o.y(v))}"/><text x="${x0 - 7}" y="${r1(o.y(v) + 4)}" text-anchor="end">${esc(yf(v))}</text>`;
  if (o.xLabel) s += `<text class="label" x="${r1((x0 + x1) / 2)}" y="${box.height - 4}" text-anchor="middle">${esc(o.xLabel)}</text>`;
  if (o.yLabel) s += `<text class="label" transform="translate(12 ${r1((y0 + y1) / 2)}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`;
  return s + '</g>';
}

/** A polyline through (x[i], y[i]) with the given scales. */
export function polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, x: Scale, y: Scale, attrs: string): string {
  const pts: string[] = [];
  for (let i = 0; i < ys.length; i++) if (Number.isFinite(ys[i]!)) pts.push(`${r1(x(xs[i]!))},${r1(y(ys[i]!))}`);
  return `<polyline fill="none" ${attrs} points="${pts.join(' ')}"/>`;
}

/** An <svg> element of the box's size (inline in HTML: no namespace needed). */
export function svg(box: Box, body: string, label: string): string {
  return `<svg viewBox="0 0 ${box.width} ${box.height}" width="${box.width}" height="${box.height}" role="img" aria-label="${esc(label)}">${body}</svg>`;
}
