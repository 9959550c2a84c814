/** Colour scales of the report: viridis-like for spectrograms, a white→blue ramp for confusion matrices. */

type Rgb = [number, number, number];

/** Anchors of matplotlib's viridis (the course's default colormap), at 0, 0.25, 0.5, 0.75, 1. */
const VIRIDIS: Rgb[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

const BLUES: Rgb[] = [
  [247, 251, 255],
  [198, 219, 239],
  [107, 174, 214],
  [33, 113, 181],
  [8, 48, 107],
];

function ramp(stops: Rgb[], t: number): Rgb {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as Rgb;
}

/** Viridis colour of t ∈ [0, 1]. */
export const viridis = (t: number): Rgb => ramp(VIRIDIS, t);
/** Blue ramp colour of t ∈ [0, 1]. */
export const blues = (t: number): Rgb => ramp(BLUES, t);
export const css = ([r, g, b]: Rgb): string => `rgb(${r},${g},${b})`;

/** Line colours of the four models (colour-blind safe, Okabe-Ito). */
export const SERIES_COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9'] as const;
