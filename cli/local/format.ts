/** Plain-text tables and the shapes the CLI reads from the control API (tolerant of extra fields). */
import type { RunItem } from '../../shared/types';

/** Left-aligned columns separated by two spaces. */
export function table(headers: string[], rows: (string | number | undefined)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === undefined ? '' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (c ?? '').padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

export const pct = (x: number | undefined) => (x === undefined ? '' : `${(x * 100).toFixed(1)}%`);

/** A list response: a bare array or an object holding one under `key` (or `items`). */
export function listOf<T>(response: unknown, key: string): T[] {
  if (Array.isArray(response)) return response as T[];
  const o = (response ?? {}) as Record<string, unknown>;
  return ((o[key] ?? o.items ?? []) as T[]) ?? [];
}

export function formatRun(run: RunItem): string {
  const lines = [`run ${run.runId}: ${run.status}`];
  if (run.params) lines.push(`  params: ${JSON.stringify(run.params)}`);
  if (run.error) lines.push(`  error: ${run.error.code}: ${run.error.message}`);
  if (run.metrics?.length) {
    lines.push(
      table(
        ['  model', 'accuracy', 'macro F1', 'train s'],
        run.metrics.map((m) => [`  ${m.model}`, pct(m.accuracy), m.macroF1?.toFixed(3), m.trainSeconds?.toFixed(1)]),
      ).trimEnd(),
    );
  }
  if (run.candidate) lines.push(`  candidate: ${run.candidate}${run.promoted === undefined ? '' : run.promoted ? ' (promoted)' : ' (not promoted)'}`);
  return lines.join('\n') + '\n';
}
