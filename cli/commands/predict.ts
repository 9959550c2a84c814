/** `ser predict FILE.wav [--intensity normal|strong] [--sex male|female]` — POST /predict with the WAV as the body. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { z } from 'zod';
import type { PredictResponse } from '../../shared/predict/predictor';
import { handleError } from '../handle-error';
import { callApi } from '../local/api-client';
import { resolveTarget, withTargetOptions, type Target, type TargetFlags } from '../local/target';

export const predictOptionsSchema = z.object({
  file: z.string().min(1),
  intensity: z.enum(['normal', 'strong']).optional(),
  sex: z.enum(['male', 'female']).optional(),
});
export type PredictOptions = z.input<typeof predictOptionsSchema>;

/** The file name travels as `filename` so a RAVDESS-named file supplies intensity/sex itself. */
export async function runPredict(target: Target, options: PredictOptions): Promise<PredictResponse> {
  const o = predictOptionsSchema.parse(options);
  const body = await readFile(o.file);
  return callApi<PredictResponse>(target, {
    method: 'POST',
    path: '/predict',
    query: { intensity: o.intensity, sex: o.sex, filename: basename(o.file) },
    body,
    contentType: 'audio/wav',
  });
}

export function formatPrediction(file: string, p: PredictResponse): string {
  const top = Object.entries(p.probabilities).sort((a, b) => b[1] - a[1]).slice(0, 3);
  return `${basename(file)}: ${p.emotion} (${(top[0]![1] * 100).toFixed(1)}%; then ${top.slice(1).map(([k, v]) => `${k} ${(v * 100).toFixed(1)}%`).join(', ')}) — model ${p.modelVersion}\n`;
}

export function predictCommand(): Command {
  return withTargetOptions(
    new Command('predict')
      .description('predict the emotion of a WAV with the served model')
      .argument('<file>', 'WAV file')
      .addOption(new Option('--intensity <level>', 'normal | strong (read from a RAVDESS file name otherwise)').choices(['normal', 'strong']))
      .addOption(new Option('--sex <sex>', 'male | female (read from a RAVDESS file name otherwise)').choices(['male', 'female']))
      .option('--json', 'print the raw JSON response', false),
  ).action(async (file: string, flags: TargetFlags & { intensity?: 'normal'; sex?: 'male'; json: boolean }) => {
    try {
      const p = await runPredict(await resolveTarget(flags), { file, intensity: flags.intensity, sex: flags.sex });
      process.stdout.write(flags.json ? `${JSON.stringify(p, null, 2)}\n` : formatPrediction(file, p));
    } catch (e) {
      handleError(e);
    }
  });
}
