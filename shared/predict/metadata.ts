/**
 * Which metadata inputs (intensity, sex) a prediction uses and where each came from: the caller's parameters
 * first, else the labels of a RAVDESS file name, else — when the served model needs it — a MISSING_METADATA error.
 */
import { ErrorCode, RequestError } from '../errors';
import type { Preprocessing, RavdessLabels } from '../types';

/** Where an input came from: the request's parameters, a RAVDESS file name, or nowhere because the model does not use it. */
export type InputSource = 'request' | 'filename' | 'not-needed';

export interface ResolvedInputs {
  /** 0 normal, 1 strong; undefined when the model does not use it. */
  intensity?: 0 | 1;
  /** 1 male, 0 female; undefined when the model does not use it. */
  male?: 0 | 1;
  source: { intensity: InputSource; male: InputSource };
}

export interface GivenMetadata {
  intensity?: 0 | 1;
  male?: 0 | 1;
  fileName?: string;
}

/** Parses a RAVDESS name (undefined when the name is not RAVDESS-shaped; throws on an impossible field). */
export type NameParser = (fileNameOrKey: string) => RavdessLabels | undefined;

/**
 * Resolve the metadata inputs a model needs.
 * @throws RequestError MISSING_METADATA naming each missing input; InvalidRavdessNameError (from `parseName`) when
 *   a needed value would come from a RAVDESS-shaped name with an impossible field.
 */
export function resolveInputs(needs: Preprocessing['needs'], given: GivenMetadata, parseName: NameParser): ResolvedInputs {
  const resolved: ResolvedInputs = { source: { intensity: 'not-needed', male: 'not-needed' } };
  let labels: RavdessLabels | undefined;
  let parsed = false;
  const fromName = (): RavdessLabels | undefined => {
    if (!parsed && given.fileName) labels = parseName(given.fileName);
    parsed = true;
    return labels;
  };
  const missing: string[] = [];
  for (const field of ['intensity', 'male'] as const) {
    if (!needs[field]) continue;
    const value = given[field] ?? fromName()?.[field];
    if (value === undefined) {
      missing.push(field === 'male' ? 'sex' : 'intensity');
      continue;
    }
    resolved[field] = value;
    resolved.source[field] = given[field] !== undefined ? 'request' : 'filename';
  }
  if (missing.length) {
    const params = missing.map((m) => (m === 'sex' ? 'sex=male|female' : 'intensity=normal|strong')).join(' and ');
    throw new RequestError(ErrorCode.MISSING_METADATA, `The served model needs ${missing.join(' and ')}, which the request does not give`, {
      suggestion: `Add ${params} (query parameters or JSON fields), or name the file the RAVDESS way (03-01-EE-II-SS-RR-AA.wav) with filename=… or Content-Disposition.`,
    });
  }
  return resolved;
}
