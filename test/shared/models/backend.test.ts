import { test } from 'node:test';
import assert from 'node:assert/strict';
import { switchBackend, tf } from '../../../shared/models/backend';

/** Row-major values of a [rows, cols] matrix product with optional transposes, computed in plain JS (float64). */
function reference(a: number[][], b: number[][], ta: boolean, tb: boolean): number[][] {
  const A = ta ? a[0]!.map((_, j) => a.map((r) => r[j]!)) : a;
  const B = tb ? b[0]!.map((_, j) => b.map((r) => r[j]!)) : b;
  return A.map((row) => B[0]!.map((_, j) => row.reduce((s, v, k) => s + v * B[k]![j]!, 0)));
}

test('wasm matMul with transposed operands (the backprop forms) equals the plain product', async (t) => {
  if ((await switchBackend('wasm')) !== 'wasm') return t.skip('wasm backend unavailable');
  if (process.env.SER_WASM_PLAIN_MATMUL !== '1') assert.ok((tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc as { transposeFree?: boolean }).transposeFree, 'the transpose-free BatchMatMul is installed');
  const x = tf.randomUniform([32, 13], -1, 1, 'float32', 5);
  const dy = tf.randomUniform([32, 7], -1, 1, 'float32', 6);
  const w = tf.randomUniform([13, 7], -1, 1, 'float32', 7);
  const v = tf.randomUniform([7, 32], -1, 1, 'float32', 8);
  const [X, DY, W, V] = [x.arraySync(), dy.arraySync(), w.arraySync(), v.arraySync()] as number[][][];
  const before = tf.memory().numTensors;
  const cases: [tf.Tensor, number[][]][] = [
    [tf.matMul(x, dy, true, false), reference(X!, DY!, true, false)], // dW = xᵀ·dy
    [tf.matMul(dy, w, false, true), reference(DY!, W!, false, true)], // dx = dy·Wᵀ
    [tf.matMul(x, v, true, true), reference(X!, V!, true, true)],
    [tf.matMul(x, w), reference(X!, W!, false, false)],
  ];
  for (const [got, want] of cases) {
    const g = got.arraySync() as number[][];
    assert.deepEqual([g.length, g[0]!.length], [want.length, want[0]!.length]);
    g.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - want[i]![j]!) < 1e-4, `[${i},${j}] ${v} vs ${want[i]![j]}`)));
  }
  // Batched (rank 3) with both transposes, and no leaked buffers from the explicit transposes.
  const a3 = tf.randomUniform([3, 4, 5], -1, 1, 'float32', 10);
  const b3 = tf.randomUniform([3, 6, 4], -1, 1, 'float32', 9);
  const got3 = tf.tidy(() => tf.matMul(a3, b3, true, true).arraySync()) as number[][][];
  const [A3, B3] = [a3.arraySync(), b3.arraySync()] as number[][][][];
  got3.forEach((m, i) => assert.ok(m.every((row, r) => row.every((v, c) => Math.abs(v - reference(A3![i]!, B3![i]!, true, true)[r]![c]!) < 1e-4))));
  tf.dispose([...cases.map(([g]) => g), a3, b3]);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([x, dy, w, v]);
});
