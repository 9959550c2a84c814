/**
 * HostAdam: tfjs's Adam update (same formula, hyper-parameters and state) computed in one JavaScript loop per
 * variable instead of ~14 tensor kernels per variable and step.
 *
 * Why: on the wasm and cpu backends every kernel call costs tens of µs of dispatch, and the course's models are
 * tiny (≤ 10,856 weights), so tfjs's Adam spends far more time dispatching than computing (≈ 90 kernel calls per
 * batch for the MLP). Here each variable costs one read of its gradient and value and one upload of the result.
 *
 * Update (tfjs AdamOptimizer, t = iteration from 1):
 *   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  w ← w − lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)
 * Arithmetic runs in float64 and is stored as float32 (tfjs rounds after every kernel): results agree to ~1e-7.
 */
import * as tf from '@tensorflow/tfjs';

type NamedTensor = { name: string; tensor: tf.Tensor };

export class HostAdam extends tf.AdamOptimizer {
  private readonly moments = new Map<string, { m: Float32Array; v: Float32Array }>();
  /** β1ᵗ and β2ᵗ for the next step (float64). */
  private beta1Power: number;
  private beta2Power: number;

  constructor(learningRate: number, beta1: number, beta2: number, epsilon: number) {
    super(learningRate, beta1, beta2, epsilon);
    this.beta1Power = beta1;
    this.beta2Power = beta2;
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries = Array.isArray(variableGradients) ? variableGradients.map((g) => [g.name, g.tensor] as const) : Object.entries(variableGradients);
    const { learningRate: lr, beta1, beta2, epsilon } = this;
    const c1 = 1 - this.beta1Power;
    const c2 = 1 - this.beta2Power;
    for (const [name, gradient] of entries) {
      if (gradient == null) continue;
      const variable = tf.engine().registeredVariables[name]!;
      const g = gradient.dataSync() as Float32Array;
      const w = variable.dataSync() as Float32Array;
      let state = this.moments.get(name);
      if (!state) this.moments.set(name, (state = { m: new Float32Array(g.length), v: new Float32Array(g.length) }));
      const { m, v } = state;
      const next = new Float32Array(w.length);
      for (let i = 0; i < next.length; i++) {
        const gi = g[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        next[i] = w[i]! - lr * ((m[i]! / c1) / (Math.sqrt(v[i]! / c2) + epsilon));
      }
      variable.assign(tf.tensor(next, variable.shape, 'float32'));
    }
    this.beta1Power *= beta1;
    this.beta2Power *= beta2;
    this.incrementIterations();
  }

  /** Moments as tensors in tfjs's order (all m, then all v), for getWeights-based tooling. */
  override async getWeights(): Promise<NamedTensor[]> {
    const named = [...this.moments];
    return [
      await this.saveIterations(),
      ...named.map(([n, s]) => ({ name: `${n}/m`, tensor: tf.tensor(s.m) })),
      ...named.map(([n, s]) => ({ name: `${n}/v`, tensor: tf.tensor(s.v) })),
    ];
  }

  override async setWeights(): Promise<void> {
    throw new Error('HostAdam does not restore optimizer state (the course trains from scratch)');
  }

  override dispose(): void {
    this.moments.clear();
    super.dispose();
  }
}
