/** `ser promote VERSION` — serve this model version (POST /models/{version}/promote), e.g. to roll back. */
import { Command } from 'commander';
import { handleError } from '../handle-error';
import { callApi } from '../local/api-client';
import { resolveTarget, withTargetOptions, type Target, type TargetFlags } from '../local/target';

export async function promote(target: Target, version: string): Promise<unknown> {
  return callApi(target, { method: 'POST', path: `/models/${encodeURIComponent(version)}/promote` });
}

export function promoteCommand(): Command {
  return withTargetOptions(
    new Command('promote').description('serve a model version (<runId>.<model>), e.g. to roll back').argument('<version>', 'model version, see `ser models`'),
  ).action(async (version: string, flags: TargetFlags) => {
    try {
      const result = await promote(await resolveTarget(flags), version);
      process.stdout.write(`now serving ${version}\n${JSON.stringify(result, null, 2)}\n`);
    } catch (e) {
      handleError(e);
    }
  });
}
