/**
 * RAVDESS file names (Livingstone & Russo 2018): `03-01-EE-II-SS-RR-AA.wav` =
 * modality (03 audio-only) - vocal channel (01 speech) - emotion (01-08) - intensity (01 normal, 02 strong) -
 * statement (01-02) - repetition (01-02) - actor (01-24; odd = male).
 */
import { EMOTIONS } from './config';
import { InvalidRavdessNameError } from './errors';
import type { RavdessLabels } from './types';

/** Seven two-digit fields and a .wav suffix (any case): the shape of a RAVDESS name. */
const RAVDESS_SHAPE = /^(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})\.wav$/i;

export const RAVDESS_ACTORS = Object.freeze({ min: 1, max: 24 });

/** The last path segment of a file path or S3 key (either separator). */
export function baseName(nameOrKey: string): string {
  return nameOrKey.slice(Math.max(nameOrKey.lastIndexOf('/'), nameOrKey.lastIndexOf('\\')) + 1);
}

/**
 * Labels from a RAVDESS file name.
 *
 * @param fileNameOrKey a basename, a local path or an S3 key (only the last segment is read)
 * @returns the labels, or undefined when the name is not RAVDESS-shaped (an unlabelled clip)
 * @throws InvalidRavdessNameError when the name has the RAVDESS shape but a field is impossible
 *   (e.g. emotion 09, or a "strong" neutral clip), naming the field and the allowed values
 */
export function parseRavdessName(fileNameOrKey: string): RavdessLabels | undefined {
  const name = baseName(fileNameOrKey);
  const m = RAVDESS_SHAPE.exec(name);
  if (!m) return undefined;
  const [modality, channel, emotion, intensity, statement, repetition, actor] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
  const check = (ok: boolean, field: string, value: number, allowed: string) => {
    if (!ok) {
      throw new InvalidRavdessNameError(`${name}: ${field} is ${String(value).padStart(2, '0')}, but RAVDESS allows ${allowed}.`, {
        suggestion: 'Rename the file to a valid RAVDESS name (03-01-EE-II-SS-RR-AA.wav), or give it a non-RAVDESS name to store it unlabelled.',
      });
    }
  };
  check(modality === 3, 'modality (field 1)', modality, '03 (audio-only)');
  check(channel === 1, 'vocal channel (field 2)', channel, '01 (speech)');
  check(emotion >= 1 && emotion <= EMOTIONS.length, 'emotion (field 3)', emotion, `01-${String(EMOTIONS.length).padStart(2, '0')} (${EMOTIONS.join(', ')})`);
  check(intensity === 1 || intensity === 2, 'intensity (field 4)', intensity, '01 (normal) or 02 (strong)');
  check(!(emotion === 1 && intensity === 2), 'intensity (field 4)', intensity, 'only 01 (normal) for the neutral emotion (01)');
  check(statement === 1 || statement === 2, 'statement (field 5)', statement, '01 ("Kids are talking by the door") or 02 ("Dogs are sitting by the door")');
  check(repetition === 1 || repetition === 2, 'repetition (field 6)', repetition, '01 or 02');
  check(actor >= RAVDESS_ACTORS.min && actor <= RAVDESS_ACTORS.max, 'actor (field 7)', actor, '01-24');
  return {
    emotion: emotion - 1,
    intensity: intensity === 2 ? 1 : 0,
    male: actor % 2 === 1 ? 1 : 0,
    actor,
    statement,
    repetition,
  };
}

/** The RAVDESS basename for labels — the inverse of parseRavdessName (audio-only speech, modality 03, channel 01). */
export function formatRavdessName(labels: RavdessLabels): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const name = ['03', '01', two(labels.emotion + 1), two(labels.intensity + 1), two(labels.statement), two(labels.repetition), two(labels.actor)].join('-') + '.wav';
  // Validate through the parser so the formatter cannot produce a name the parser rejects.
  parseRavdessName(name);
  return name;
}
