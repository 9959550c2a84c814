/**
 * Model artifacts in the tfjs layers format as bytes: `model.json` (topology + weights manifest pointing at
 * `weights.bin`) and `weights.bin` (float32 little-endian, in manifest order). Custom IO handlers keep this
 * independent of the file system, so the same bytes go to S3, to disk or into a test.
 *
 * The conv1d model trains with FastConv1D; it is saved as the standard tfjs/Keras `Conv1D` layer with the same
 * weights (kernel [10, 1, 5], bias [5]), so prediction needs no custom layer to load it.
 */
import * as tf from '@tensorflow/tfjs';
import { SerError, ErrorCode } from '../errors';
import type { ModelName } from '../names';
import { buildModel } from './architectures';
import { FastConv1D } from './fast-conv1d';

/** File names of one saved model. */
export const MODEL_FILES = { topology: 'model.json', weights: 'weights.bin' } as const;

export interface ModelArtifactsBytes {
  /** model.json text (UTF-8). */
  modelJson: Uint8Array;
  /** weights.bin. */
  weights: Uint8Array;
}

/** True when the model contains a FastConv1D layer (must be converted before saving). */
export function usesFastConv(model: tf.LayersModel): boolean {
  return model.layers.some((l) => l instanceof FastConv1D);
}

/**
 * The model in its saved form: itself, or for a FastConv1D model the same architecture with tfjs's Conv1D and the
 * same weights (outputs are equal; see the fast-conv tests).
 */
export function toStandardModel(name: ModelName, model: tf.LayersModel): tf.LayersModel {
  if (!usesFastConv(model)) return model;
  const inputLength = model.inputs[0]!.shape[1] as number;
  const standard = buildModel(name, { inputLength, fastConv: false });
  standard.setWeights(model.getWeights());
  return standard;
}

/** Serialise a model (already in standard form) to model.json + weights.bin bytes. */
export async function saveModelToBytes(model: tf.LayersModel): Promise<ModelArtifactsBytes> {
  if (usesFastConv(model)) throw new SerError(ErrorCode.INTERNAL, 'convert FastConv1D models with toStandardModel() before saving');
  let saved: ModelArtifactsBytes | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${MODEL_FILES.weights}`], weights: artifacts.weightSpecs ?? [] }],
      };
      saved = { modelJson: new TextEncoder().encode(JSON.stringify(json)), weights: new Uint8Array(weightData) };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return saved!;
}

/** Load a model from model.json + weights.bin bytes (any tfjs layers-format model with one weights file). */
export async function loadModelFromBytes(bytes: ModelArtifactsBytes): Promise<tf.LayersModel> {
  let json: { modelTopology?: object; weightsManifest?: { weights: tf.io.WeightsManifestEntry[] }[] };
  try {
    json = JSON.parse(new TextDecoder().decode(bytes.modelJson));
  } catch (cause) {
    throw new SerError(ErrorCode.INVALID_DATASET, 'model.json is not JSON', { cause });
  }
  const weightSpecs = (json.weightsManifest ?? []).flatMap((g) => g.weights);
  const weightData = bytes.weights.buffer.slice(bytes.weights.byteOffset, bytes.weights.byteOffset + bytes.weights.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));
}
