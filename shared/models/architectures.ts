/**
 * The four course models, layer for layer as in the reference notebook (Keras): same layers, same activations,
 * same optimizers and learning rates, and Keras's default initializers (glorot-uniform kernels, zero biases —
 * tfjs defaults to glorot-normal, so they are set explicitly here).
 */
import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../config';
import { ConfigError } from '../errors';
import { MODEL_NAMES, type ModelName } from '../names';
import { FastConv1D } from './fast-conv1d';
import { HostAdam } from './host-adam';

export interface BuildOptions {
  /** Number of model inputs (132: 130 frame means + intensity + male). */
  inputLength: number;
  /** Seed for the weight initializers (each layer gets seed + its index). Omit for random. */
  seed?: number;
  /**
   * Conv1D only: compute the convolution with FastConv1D (im2col + matMul; default true). false builds tfjs's own
   * Conv1D layer — the form in which the model is saved and served.
   */
  fastConv?: boolean;
}

/** Parameter counts of the reference models for 132 inputs (Keras `count_params()`). */
export const REFERENCE_PARAMS: Record<ModelName, number> = { perceptron: 1064, mlp: 10856, mlp_tanh_adam: 10856, conv1d: 2543 };

/** Conv1D block constants of the course. */
export const CONV = { filters: 5, kernelSize: 10, poolSize: 10, poolStride: 2, dropout: 0.1 } as const;

/** Keras SGD default learning rate. */
export const SGD_LEARNING_RATE = 0.01;
export const ADAM_LEARNING_RATE = 0.001;

/** Models whose input is [batch, inputs, 1] instead of [batch, inputs]. */
export function needsChannelAxis(model: ModelName): boolean {
  return model === 'conv1d';
}

function dense(units: number, seed: number | undefined, inputLength?: number): tf.layers.Layer {
  return tf.layers.dense({
    units,
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
    biasInitializer: 'zeros',
    ...(inputLength ? { inputShape: [inputLength] } : {}),
  });
}

const act = (activation: 'softmax' | 'relu' | 'tanh' | 'sigmoid') => tf.layers.activation({ activation });
const at = (seed: number | undefined, i: number) => (seed === undefined ? undefined : seed + i);

function layersOf(name: ModelName, o: BuildOptions): tf.layers.Layer[] {
  const n = o.inputLength;
  switch (name) {
    case 'perceptron':
      return [dense(NUM_CLASSES, at(o.seed, 0), n), act('softmax')];
    case 'mlp':
      return [dense(64, at(o.seed, 0), n), act('relu'), dense(32, at(o.seed, 1)), act('relu'), dense(NUM_CLASSES, at(o.seed, 2)), act('softmax')];
    case 'mlp_tanh_adam':
      return [dense(64, at(o.seed, 0), n), act('tanh'), dense(32, at(o.seed, 1)), act('sigmoid'), dense(NUM_CLASSES, at(o.seed, 2)), act('softmax')];
    case 'conv1d': {
      const conv =
        o.fastConv === false
          ? tf.layers.conv1d({
              filters: CONV.filters,
              kernelSize: CONV.kernelSize,
              strides: 1,
              padding: 'same',
              kernelInitializer: tf.initializers.glorotUniform({ seed: at(o.seed, 0) }),
              biasInitializer: 'zeros',
              inputShape: [n, 1],
            })
          : new FastConv1D({ filters: CONV.filters, kernelSize: CONV.kernelSize, seed: at(o.seed, 0), inputShape: [n, 1] });
      return [
        conv,
        act('relu'),
        tf.layers.dropout({ rate: CONV.dropout }),
        tf.layers.maxPooling1d({ poolSize: CONV.poolSize, strides: CONV.poolStride, padding: 'valid' }),
        tf.layers.dropout({ rate: CONV.dropout }),
        tf.layers.flatten(),
        dense(NUM_CLASSES, at(o.seed, 1)),
        act('softmax'),
      ];
    }
  }
}

function optimizerOf(name: ModelName): tf.Optimizer {
  if (name === 'perceptron' || name === 'mlp') return tf.train.sgd(SGD_LEARNING_RATE);
  // Same Adam; on wasm/cpu the update runs as one JS loop per variable (kernel dispatch dominates there, see host-adam.ts).
  return tf.getBackend() === 'tensorflow' ? tf.train.adam(ADAM_LEARNING_RATE, 0.9, 0.999, 1e-7) : new HostAdam(ADAM_LEARNING_RATE, 0.9, 0.999, 1e-7);
}

/**
 * Build and compile one course model (sparse categorical cross-entropy, accuracy metric).
 * Input: [batch, inputLength] for dense models, [batch, inputLength, 1] for conv1d; output: [batch, 8] probabilities.
 */
export function buildModel(name: ModelName, options: BuildOptions): tf.Sequential {
  if (!MODEL_NAMES.includes(name)) throw new ConfigError(`unknown model "${name}"; expected one of ${MODEL_NAMES.join(', ')}`);
  if (!Number.isInteger(options.inputLength) || options.inputLength < CONV.poolSize) {
    throw new ConfigError(`inputLength must be an integer ≥ ${CONV.poolSize}, got ${options.inputLength}`);
  }
  const model = tf.sequential({ name, layers: layersOf(name, options) });
  model.compile({ optimizer: optimizerOf(name), loss: 'sparseCategoricalCrossentropy', metrics: ['acc'] });
  return model;
}
