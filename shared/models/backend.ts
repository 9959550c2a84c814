/**
 * Chooses the tfjs backend once per process: tfjs-node (native TensorFlow) when it is installed (the trainer
 * container), otherwise @tensorflow/tfjs on wasm (every kernel our models use exists there), otherwise the plain
 * JavaScript cpu backend. tfjs-node is an optionalDependency, so it is imported dynamically. On wasm, BatchMatMul is
 * wrapped so transposed products (every gradient) take XNNPACK's fast path (see installTransposeFreeMatMul).
 *
 * Why wasm and not cpu for the dense models too: measured on seed 1, 50 epochs, CPU seconds of the process, the JS cpu
 * backend took 9.0 / 18.9 / 28.5 s (perceptron / mlp / mlp_tanh_adam) against wasm's 6.6 / 8.5 / 10.3 s: its
 * per-op dispatch is cheaper, but its matMul ([32,132]·[132,64]: 1.7 ms vs 0.14 ms) costs more than that saves.
 */
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

let chosen: Promise<BackendName> | undefined;

/** Kernels the four models need for training and prediction; wasm is used only if it registers all of them. */
const REQUIRED_KERNELS = ['BatchMatMul', '_FusedMatMul', 'Softmax', 'Relu', 'Tanh', 'Sigmoid', 'MaxPool', 'MaxPoolGrad', 'PadV2', 'Concat', 'Slice', 'Max', 'Sum', 'Log', 'Exp'];

async function tryNode(): Promise<boolean> {
  try {
    // A variable specifier keeps bundlers and tsc from requiring the optional package.
    const name = '@tensorflow/tfjs-node';
    await import(name);
    return (await tf.setBackend('tensorflow')) === true;
  } catch {
    return false;
  }
}

type KernelFunc = (params: { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs?: Record<string, unknown> }) => tf.TensorInfo;
interface DataBackend { disposeData(dataId: object): void }

/** Set SER_WASM_PLAIN_MATMUL=1 to keep wasm's own BatchMatMul (benches measure the difference). */
const PLAIN_MATMUL_ENV = 'SER_WASM_PLAIN_MATMUL';

/**
 * wasm's BatchMatMul is fast (XNNPACK) only without transposes; with transposeA/transposeB it runs a plain loop,
 * 2.5-4× slower (measured on [32,132]ᵀ·[32,64]: 370-480 µs vs 150 µs). Backprop uses those forms for every Dense
 * layer (dW = xᵀ·dy, dx = dy·Wᵀ), so the wasm kernel is wrapped: transpose the operand explicitly with wasm's
 * Transpose kernel, then multiply untransposed. Same products and shapes (sums may round in another order).
 * Installed once; no other backend is touched.
 */
function installTransposeFreeMatMul(): void {
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose || (original.kernelFunc as { transposeFree?: boolean }).transposeFree) return;
  const matMul = original.kernelFunc as unknown as KernelFunc;
  const transposeKernel = transpose.kernelFunc as unknown as KernelFunc;
  /** x with its last two axes swapped (a new wasm buffer the caller disposes). */
  const swapLastTwo = (x: tf.TensorInfo, backend: unknown): tf.TensorInfo => {
    const perm = x.shape.map((_, i) => i);
    const r = perm.length;
    [perm[r - 2], perm[r - 1]] = [r - 1, r - 2];
    return transposeKernel({ inputs: { x }, backend, attrs: { perm } });
  };
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs = {} }) => {
    if (!attrs.transposeA && !attrs.transposeB) return matMul({ inputs, backend, attrs });
    const a = attrs.transposeA ? swapLastTwo(inputs.a!, backend) : inputs.a!;
    const b = attrs.transposeB ? swapLastTwo(inputs.b!, backend) : inputs.b!;
    try {
      return matMul({ inputs: { a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      if (a !== inputs.a) (backend as DataBackend).disposeData(a.dataId);
      if (b !== inputs.b) (backend as DataBackend).disposeData(b.dataId);
    }
  };
  Object.assign(kernelFunc, { transposeFree: true });
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...original, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

async function tryWasm(): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) return false;
    await tf.ready();
    const have = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    if (!REQUIRED_KERNELS.every((k) => have.has(k))) return false;
    if (process.env[PLAIN_MATMUL_ENV] !== '1') installTransposeFreeMatMul();
    return true;
  } catch {
    return false;
  }
}

async function choose(preference: BackendPreference): Promise<BackendName> {
  if ((preference === 'auto' || preference === 'tensorflow') && (await tryNode())) return 'tensorflow';
  if ((preference === 'auto' || preference === 'wasm') && (await tryWasm())) return 'wasm';
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}

/**
 * Initialise the backend (once per process; later calls return the first choice).
 * `preference` (or env SER_TF_BACKEND = tensorflow|wasm|cpu) forces one; it falls back down the list when unavailable.
 */
export function initBackend(preference?: BackendPreference): Promise<BackendName> {
  const envPref = process.env.SER_TF_BACKEND as BackendPreference | undefined;
  chosen ??= choose(preference ?? envPref ?? 'auto');
  return chosen;
}

/** Switch backend explicitly (benches compare backends in one process). */
export async function switchBackend(name: BackendName): Promise<BackendName> {
  chosen = choose(name);
  return chosen;
}

export { tf };
