/**
 * `npm run bench:wav` — time decodeWav + mono() over the 17 RAVDESS WAVs in ../shared and print the ratio against
 * wavefile 11 (getSamples + our own downmix) measured in the same run. Lower ratio = faster than wavefile.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import wavefile from 'wavefile';
import { decodeWav } from '../shared/audio/wav';

const dir = resolve(import.meta.dirname, '../../shared/ravdess/wav');
const files = readdirSync(dir).filter((f) => f.endsWith('.wav')).map((f) => readFileSync(resolve(dir, f)));
const rounds = Number(process.argv[2] ?? 20);

function time(label: string, fn: (bytes: Uint8Array) => number): number {
  let sink = 0;
  for (const b of files) sink += fn(b); // warm-up
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const b of files) sink += fn(b);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / (rounds * files.length);
  console.log(`${label.padEnd(40)} ${ms.toFixed(3)} ms/file  (checksum ${sink.toFixed(3)})`);
  return ms;
}

const ours = time('decodeWav + mono(all frames)', (b) => {
  const w = decodeWav(b);
  return w.mono(0, w.frames)[1000]!;
});
const window = time('decodeWav + mono(0.5 s … 3.5 s)', (b) => {
  const w = decodeWav(b);
  return w.mono(0.5 * w.sampleRate, 3.5 * w.sampleRate)[1000]!;
});
const ref = time('wavefile getSamples + downmix', (b) => {
  const wf = new (wavefile as any).WaveFile(b);
  const s = wf.getSamples(false, Float32Array);
  const chans: Float32Array[] = Array.isArray(s) ? s : [s];
  const out = new Float32Array(chans[0]!.length);
  for (const c of chans) for (let i = 0; i < out.length; i++) out[i]! += c[i]! / 32768 / chans.length;
  return out[1000]!;
});
console.log(JSON.stringify({ files: files.length, rounds, oursMsPerFile: ours, windowMsPerFile: window, wavefileMsPerFile: ref, ratioFull: ours / ref, ratioWindow: window / ref }));
