import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RealFft, isRealFftSize, wasmHeap } from '../../../shared/audio/fft-wasm';
import { PFFFT_PACKAGE_VERSION, PFFFT_SIMD_WASM_BASE64 } from '../../../shared/audio/pffft-wasm';

/** Direct DFT of a real signal: [re, im] for bins 0..n/2. */
function dft(x: Float32Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const re = new Float64Array(n / 2 + 1);
  const im = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    for (let t = 0; t < n; t++) {
      re[k] += x[t] * Math.cos((2 * Math.PI * k * t) / n);
      im[k] -= x[t] * Math.sin((2 * Math.PI * k * t) / n);
    }
  }
  return { re, im };
}

describe('fft-wasm (PFFFT)', () => {
  it('embeds exactly the wasm of the installed, pinned @echogarden/pffft-wasm (regenerate with scripts/gen-pffft-wasm.ts)', () => {
    const require = createRequire(import.meta.url);
    const simdDir = path.dirname(require.resolve('@echogarden/pffft-wasm/simd'));
    const installed = readFileSync(path.join(simdDir, 'pffft.wasm'));
    assert.ok(Buffer.from(PFFFT_SIMD_WASM_BASE64, 'base64').equals(installed));
    const pkg = JSON.parse(readFileSync(path.resolve(simdDir, '../../package.json'), 'utf8')) as { version: string };
    assert.equal(pkg.version, PFFFT_PACKAGE_VERSION);
  });

  it('accepts powers of two from 32 only', () => {
    assert.ok(isRealFftSize(32) && isRealFftSize(2048));
    assert.ok(!isRealFftSize(16) && !isRealFftSize(48) && !isRealFftSize(2048.5));
    assert.throws(() => new RealFft(100), RangeError);
  });

  it('forwardOrdered equals the direct DFT (float32 accuracy)', () => {
    const n = 256;
    const fft = new RealFft(n);
    const input = fft.alloc();
    const output = fft.alloc();
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + 0.5 * Math.cos(i * 2.1) + ((i * 7919) % 17) / 40);
    let heap = wasmHeap();
    heap.set(x, input);
    fft.forwardOrdered(input, output);
    heap = wasmHeap();
    const { re, im } = dft(x);
    const tol = 1e-5 * Math.max(...re.map((r, k) => Math.hypot(r, im[k])));
    assert.ok(Math.abs(heap[output] - re[0]) < tol, 'DC');
    assert.ok(Math.abs(heap[output + 1] - re[n / 2]) < tol, 'Nyquist');
    for (let k = 1; k < n / 2; k++) {
      assert.ok(Math.abs(heap[output + 2 * k] - re[k]) < tol, `Re bin ${k}`);
      assert.ok(Math.abs(heap[output + 2 * k + 1] - im[k]) < tol, `Im bin ${k}`);
    }
  });

  it('forward → convolveAccumulate → backward is a circular convolution (scaled by 1/n)', () => {
    const n = 64;
    const fft = new RealFft(n);
    const [a, b, ab, fa, fb] = [fft.alloc(), fft.alloc(), fft.alloc(), fft.alloc(), fft.alloc()];
    const x = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.9) + i / n);
    const h = new Float32Array(n);
    h.set([0.25, 0.5, 0.25, -0.1]);
    const heap = wasmHeap();
    heap.set(x, a);
    heap.set(h, b);
    heap.fill(0, ab, ab + n);
    fft.forward(a, fa);
    fft.forward(b, fb);
    fft.convolveAccumulate(fa, fb, ab, 1 / n);
    fft.backward(ab, ab);
    for (let i = 0; i < n; i++) {
      let expected = 0;
      for (let k = 0; k < 4; k++) expected += h[k] * x[(i - k + n) % n];
      assert.ok(Math.abs(wasmHeap()[ab + i] - expected) < 1e-5, `sample ${i}`);
    }
  });
});
