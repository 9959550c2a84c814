/**
 * Chooses the tfjs backend once per process: tfjs-node (native TensorFlow) when it is installed (the trainer
 * container), otherwise @tensorflow/tfjs on wasm (every kernel our models use exists there), otherwise the plain
 * JavaScript cpu backend. tfjs-node is an optionalDependency, so it is imported dynamically.
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

async function tryWasm(): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) return false;
    await tf.ready();
    const have = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    return REQUIRED_KERNELS.every((k) => have.has(k));
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
