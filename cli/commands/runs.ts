/** `ser runs [ID]` — training runs, newest first (GET /training-runs), or one run in detail (GET /training-runs/{id}). */
import { Command } from 'commander';
import type { RunItem } from '../../shared/types';
import { handleError } from '../handle-error';
import { callApi } from '../local/api-client';
import { formatRun, listOf, pct, table } from '../local/format';
import { resolveTarget, withTargetOptions, type Target, type TargetFlags } from '../local/target';

export async function listRuns(target: Target): Promise<RunItem[]> {
  return listOf<RunItem>(await callApi(target, { method: 'GET', path: '/training-runs' }), 'runs');
}

export function formatRuns(runs: RunItem[]): string {
  if (!runs.length) return 'no training runs yet (start one with `ser train`)\n';
  return table(
    ['run', 'status', 'created', 'epochs', 'best', 'accuracy'],
    runs.map((r) => {
      const best = r.metrics?.length ? r.metrics.reduce((a, b) => (b.accuracy > a.accuracy ? b : a)) : undefined;
      return [r.runId, r.status, r.createdAt, r.params?.epochs, best?.model ?? r.error?.code, pct(best?.accuracy)];
    }),
  );
}

export function runsCommand(): Command {
  return withTargetOptions(new Command('runs').description('list training runs, or show one').argument('[id]', 'run id')).action(async (id: string | undefined, flags: TargetFlags) => {
    try {
      const target = await resolveTarget(flags);
      if (id) process.stdout.write(formatRun(await callApi<RunItem>(target, { method: 'GET', path: `/training-runs/${encodeURIComponent(id)}` })));
      else process.stdout.write(formatRuns(await listRuns(target)));
    } catch (e) {
      handleError(e);
    }
  });
}
