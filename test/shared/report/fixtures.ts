/** Fake but plausible run metrics and test example for report tests and screenshots. */
import { EMOTIONS } from '../../../shared/config';
import { MODEL_NAMES, type ModelName } from '../../../shared/names';
import type { ModelMetrics, RunMetrics } from '../../../shared/types';
import type { ReportExample } from '../../../shared/report/render';

/** Deterministic pseudo-random numbers in [0, 1). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function fakeModel(model: ModelName, finalAcc: number, epochs: number, rand: () => number): ModelMetrics {
  const n = EMOTIONS.length;
  const confusion = Array.from({ length: n }, (_, t) =>
    Array.from({ length: n }, (_, p) => (t === p ? Math.round(30 * finalAcc + rand() * 6) : Math.round(rand() * 30 * (1 - finalAcc) / 3))),
  );
  const perClass = EMOTIONS.map((label, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[c]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    return { label, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support };
  });
  const valAcc = Array.from({ length: epochs }, (_, e) => Math.min(1, finalAcc * (1 - Math.exp(-e / 30)) + 0.125 * Math.exp(-e / 30) + (rand() - 0.5) * 0.04));
  return {
    model,
    params: { perceptron: 1064, mlp: 10856, mlp_tanh_adam: 10856, conv1d: 2543 }[model],
    accuracy: finalAcc,
    confusion,
    perClass,
    macroF1: perClass.reduce((a, c) => a + c.f1, 0) / n,
    trainSeconds: 10 + rand() * 50,
    history: { loss: valAcc.map((a) => 2 - a), acc: valAcc.map((a) => a + 0.05), valLoss: valAcc.map((a) => 2.1 - a), valAcc },
    backend: 'wasm',
  };
}

export function fakeMetrics(epochs = 250): RunMetrics {
  const rand = rng(7);
  const acc: Record<ModelName, number> = { perceptron: 0.31, mlp: 0.38, mlp_tanh_adam: 0.45, conv1d: 0.52 };
  return { runId: 'run-20240501-120000-abc123', models: MODEL_NAMES.map((m) => fakeModel(m, acc[m], epochs, rand)), candidate: 'conv1d', trainCount: 960, testCount: 240, backend: 'wasm' };
}

/** A 3 s voiced-like clip (harmonics of a gliding f0 under an envelope) and its coarse dB spectrogram. */
export function fakeExample(): ReportExample {
  const sampleRate = 22_050;
  const rand = rng(3);
  const samples = new Float32Array(3 * sampleRate);
  let phase = 0;
  for (let i = 0; i < samples.length; i++) {
    const t = i / sampleRate;
    const f0 = 140 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
    phase += (2 * Math.PI * f0) / sampleRate;
    const env = Math.max(0, Math.sin(Math.PI * Math.min(1, Math.max(0, (t - 0.2) / 2.3)))) ** 2;
    let v = 0;
    for (let h = 1; h <= 6; h++) v += Math.sin(h * phase) / h;
    samples[i] = 0.3 * env * v + 0.002 * (rand() - 0.5);
  }
  const frames = 130;
  const bins = 128;
  const values = new Float32Array(frames * bins);
  const means = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    const t = (f * 512) / sampleRate;
    const env = Math.max(0, Math.sin(Math.PI * Math.min(1, Math.max(0, (t - 0.2) / 2.3)))) ** 2;
    const f0 = 140 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
    let sum = 0;
    for (let b = 0; b < bins; b++) {
      const hz = (b / (bins - 1)) * (sampleRate / 2);
      const harmonic = Math.max(0, 1 - Math.abs(((hz / f0 + 0.5) % 1) - 0.5) * 6);
      const db = 20 + 60 * env * Math.exp(-hz / 3000) * (0.4 + 0.6 * harmonic) + rand() * 6;
      values[f * bins + b] = db;
      sum += db;
    }
    means[f] = sum / bins;
  }
  return {
    file: '03-01-05-02-01-01-02.wav',
    samples,
    sampleRate,
    dbSpectrogram: { frames, bins, values, maxFrequencyHz: sampleRate / 2, hopSeconds: 512 / sampleRate },
    frameMeans: means,
    probabilities: [0.02, 0.03, 0.08, 0.05, 0.61, 0.12, 0.06, 0.03],
    trueLabel: 4,
  };
}
