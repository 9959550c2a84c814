/**
 * FastConv1D: the same layer as Keras/tfjs `Conv1D(filters, kernelSize, strides=1, padding='same')` on a
 * one-channel input, computed as one gather + one small matrix product instead of tfjs's conv kernels.
 *
 * Why: on the tfjs cpu backend the Conv2D backprop-filter kernel is a slow element loop (250 epochs of the course
 * Conv1D take ~10 min) and the wasm backend has no Conv2DBackpropFilter kernel at all.
 *
 * How (im2col): pad the signal 'same' (TensorFlow's split: left ⌊(k−1)/2⌋, right the rest), gather the k taps of
 * every output position with a constant index table → cols [batch·L, k], then y = cols · W[k, filters] + bias.
 * The input is data, so tfjs never differentiates the gather; the kernel gradient is colsᵀ · dy, one tiny matMul.
 * Gather, pad, matMul and reshape exist on every backend (cpu, wasm, tensorflow).
 *
 * Weights keep Keras's shapes (kernel [k, 1, filters], bias [filters]), so a trained model is saved as a standard
 * `Conv1D` model (see artifacts.ts) that any tfjs or Keras reader loads.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors';

export interface FastConv1DArgs {
  filters: number;
  kernelSize: number;
  /** Seed of the glorot-uniform kernel initializer (Keras's default initializer). */
  seed?: number;
  inputShape?: number[];
  name?: string;
}

/** 'same' padding for stride 1 as TensorFlow computes it: total k−1, the extra one on the right (k=10 → 4 left, 5 right). */
export function samePadding(kernelSize: number): [left: number, right: number] {
  const total = kernelSize - 1;
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** im2col index table [length·kernelSize] into the padded signal: entry i·k + j = i + j (output i, tap j). */
export function im2colIndices(length: number, kernelSize: number): tf.Tensor1D {
  const idx = new Int32Array(length * kernelSize);
  for (let i = 0; i < length; i++) for (let j = 0; j < kernelSize; j++) idx[i * kernelSize + j] = i + j;
  return tf.tensor1d(idx, 'int32');
}

/**
 * y = conv1d(x, kernel, stride 1, 'same') + bias for x [batch, length, 1], kernel [k, 1, filters], bias [filters],
 * by im2col: gather the k taps of each output from the padded signal, then one matMul. `indices` may pass a cached
 * im2colIndices(length, k). Returns [batch, length, filters].
 */
export function conv1dSameIm2col(x: tf.Tensor3D, kernel: tf.Tensor3D, bias: tf.Tensor1D, indices?: tf.Tensor1D): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, length, channels] = x.shape;
    const [k, kernelChannels, filters] = kernel.shape;
    if (channels !== 1 || kernelChannels !== 1) throw new ConfigError(`conv1dSameIm2col needs one input channel, got ${channels} (kernel ${kernelChannels})`);
    const [left, right] = samePadding(k);
    const padded = tf.pad(x.reshape([batch, length]), [[0, 0], [left, right]]);
    const cols = tf.gather(padded, indices ?? im2colIndices(length, k), 1).reshape([batch * length, k]);
    const y = tf.matMul(cols, kernel.reshape([k, filters])).reshape([batch, length, filters]);
    return tf.add(y, bias) as tf.Tensor3D;
  });
}

export class FastConv1D extends tf.layers.Layer {
  static className = 'FastConv1D';
  readonly filters: number;
  readonly kernelSize: number;
  private readonly seed?: number;
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;
  private indices?: tf.Tensor1D;
  private length = 0;

  constructor(args: FastConv1DArgs) {
    super({ ...(args.inputShape ? { inputShape: args.inputShape } : {}), ...(args.name ? { name: args.name } : {}) });
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const [length, channels] = [shape[1], shape[2]];
    if (channels !== 1 || typeof length !== 'number') throw new ConfigError(`FastConv1D needs input [batch, length, 1] with a known length, got [${shape.join(', ')}]`);
    this.length = length;
    this.kernel = this.addWeight('kernel', [this.kernelSize, 1, this.filters], 'float32', tf.initializers.glorotUniform({ seed: this.seed }));
    this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.indices = tf.keep(im2colIndices(length, this.kernelSize));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], shape[1], this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    return conv1dSameIm2col(x, this.kernel!.read() as tf.Tensor3D, this.bias!.read() as tf.Tensor1D, this.indices);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, ...(this.seed !== undefined ? { seed: this.seed } : {}) };
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    this.indices?.dispose();
    return super.dispose();
  }
}

tf.serialization.registerClass(FastConv1D);
