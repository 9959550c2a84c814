/** `ser models` — model versions and which one is served (GET /models). */
import { Command } from 'commander';
import { handleError } from '../handle-error';
import { callApi } from '../local/api-client';
import { listOf, pct, table } from '../local/format';
import { resolveTarget, withTargetOptions, type Target, type TargetFlags } from '../local/target';

export interface ModelEntry {
  version: string;
  runId?: string;
  model?: string;
  accuracy?: number;
  macroF1?: number;
  createdAt?: string;
  served?: boolean;
}

export interface ModelsView {
  served?: { version: string; accuracy?: number; promotedAt?: string } | null;
  models: ModelEntry[];
}

export async function getModels(target: Target): Promise<ModelsView> {
  const response = await callApi<unknown>(target, { method: 'GET', path: '/models' });
  const served = (response && typeof response === 'object' && !Array.isArray(response) ? (response as { served?: ModelsView['served'] }).served : undefined) ?? null;
  return { served, models: listOf<ModelEntry>(response, 'models') };
}

export function formatModels(view: ModelsView): string {
  if (!view.models.length) return 'no models yet (train one with `ser train`)\n';
  const servedVersion = view.served?.version;
  return (
    table(
      ['', 'version', 'accuracy', 'macro F1', 'created'],
      view.models.map((m) => [m.version === servedVersion || m.served ? '*' : '', m.version, pct(m.accuracy), m.macroF1?.toFixed(3), m.createdAt]),
    ) + (servedVersion ? `* served: ${servedVersion}\n` : 'no model is served yet\n')
  );
}

export function modelsCommand(): Command {
  return withTargetOptions(new Command('models').description('list model versions; * marks the served one')).action(async (flags: TargetFlags) => {
    try {
      process.stdout.write(formatModels(await getModels(await resolveTarget(flags))));
    } catch (e) {
      handleError(e);
    }
  });
}
