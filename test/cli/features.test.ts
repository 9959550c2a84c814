import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { runFeatures, type FeaturesIo } from '../../cli/commands/features';
import { exitCodeOf, UsageError } from '../../cli/handle-error';
import { FEATURES_CSV_HEADER, parseFeaturesCsv } from '../../shared/dataset/features-csv';
import { parseRavdessName } from '../../shared/ravdess';
import { DEFAULT_FEATURE_CONFIG } from '../../shared/config';

const repo = resolve(import.meta.dirname, '../..');
const ravdess = resolve(repo, '../shared/ravdess/wav');
const golden = parseFeaturesCsv(readFileSync(resolve(repo, '../shared/golden/librosa_features_actors01-20.csv'), 'utf8'));
const A = '03-01-01-01-02-01-13.wav'; // mono, 111 frames (short clip)
const B = '03-01-02-01-01-02-01.wav'; // stereo

let dir: string;
let work: string;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'ser-features-'));
  dir = join(work, 'in');
  mkdirSync(join(dir, 'nested', 'deeper'), { recursive: true });
  copyFileSync(join(ravdess, A), join(dir, A));
  copyFileSync(join(ravdess, B), join(dir, 'nested', B));
  copyFileSync(join(ravdess, A), join(dir, 'nested', 'deeper', 'My Clip.WAV')); // unlabelled copy, upper-case suffix
  writeFileSync(join(dir, 'broken.wav'), readFileSync(join(ravdess, B)).subarray(0, 30)); // ends inside the fmt chunk
  writeFileSync(join(dir, 'notes.txt'), 'not audio'); // ignored: not .wav
});

after(() => rmSync(work, { recursive: true, force: true }));

function captureIo(): FeaturesIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    writeStdout: (t: string) => void (io.out += t),
    stderr: { isTTY: false, write: (t: string) => ((io.err += t), true) },
  };
  return io;
}

test('writes one row per good file in a stable order, reports the corrupt file, exits 1', async () => {
  const io = captureIo();
  const out = join(work, 'out', 'features.csv');
  const result = await runFeatures({ paths: [dir], out, quiet: true }, io);

  assert.equal(result.exitCode, 1);
  assert.equal(result.files, 4);
  const text = readFileSync(out, 'utf8');
  assert.equal(text.split('\n', 1)[0], FEATURES_CSV_HEADER.join(','));
  const rows = parseFeaturesCsv(text);
  assert.deepEqual(rows.map((r) => r.file), [A, 'nested/' + B, 'nested/deeper/My Clip.WAV']);
  assert.equal(io.out, '', 'nothing on stdout when --out is given');

  // Labels from RAVDESS names; the unlabelled copy has empty label cells but the same features.
  assert.deepEqual(rows[0]!.labels, parseRavdessName(A));
  assert.deepEqual(rows[1]!.labels, parseRavdessName(B));
  assert.equal(rows[2]!.labels, undefined);
  assert.match(text.split('\n')[3]!, /^nested\/deeper\/My Clip\.WAV,,,,,,,\d+,/);
  assert.deepEqual(rows[2]!.means, rows[0]!.means);

  // Features agree with librosa's golden rows (frame count exactly, floor within 1 dB — the DSP tests check parity closely).
  for (const [row, name] of [[rows[0]!, A], [rows[1]!, B]] as const) {
    const ref = golden.find((g) => g.file === name)!;
    assert.equal(row.frames, ref.frames, name);
    assert.ok(Math.abs(row.floorDb - ref.floorDb) < 1, `${name}: floor ${row.floorDb} vs ${ref.floorDb}`);
  }

  // The failure: path, code and reason on stderr; and in the result.
  assert.deepEqual(result.failures.map((f) => [f.file, f.code]), [['broken.wav', 'TRUNCATED_HEADER']]);
  assert.match(io.err, new RegExp(`failed ${join(dir, 'broken.wav').replace(/[.\\]/g, '\\$&')}: TRUNCATED_HEADER: .*claims 16 bytes`));
  assert.match(io.err, /features: 3 of 4 files written to .*features\.csv, 1 failed/);
});

test('writes the CSV to stdout without --out and exits 0 when every file is good', async () => {
  const io = captureIo();
  const result = await runFeatures({ paths: [join(dir, A), join(dir, 'nested')] }, io);
  assert.equal(result.exitCode, 0);
  const rows = parseFeaturesCsv(io.out);
  assert.deepEqual(rows.map((r) => r.file), [B, 'deeper/My Clip.WAV', join(dir, A)].sort());
  assert.match(io.err, /features: 3 of 3 files written$/m);
  assert.doesNotMatch(io.err, /failed/);
});

test('reports an invalid RAVDESS name as a failed file, not an unlabelled row', async () => {
  const bad = join(work, '03-01-09-01-01-01-01.wav');
  copyFileSync(join(ravdess, A), bad);
  const io = captureIo();
  const result = await runFeatures({ paths: [bad, join(dir, A)], quiet: true }, io);
  assert.equal(result.exitCode, 1);
  assert.equal(result.rows.length, 1);
  assert.equal(result.failures[0]!.code, 'INVALID_RAVDESS_NAME');
  assert.match(io.err, /INVALID_RAVDESS_NAME: .*emotion \(field 3\) is 09/);
});

test('refuses a file over the size limit without reading it (sparse 100 MiB + 1 byte file)', async () => {
  const huge = join(work, 'huge.wav');
  writeFileSync(huge, '');
  truncateSync(huge, DEFAULT_FEATURE_CONFIG.maxFileBytes + 1);
  const io = captureIo();
  const result = await runFeatures({ paths: [huge], quiet: true }, io);
  assert.equal(result.exitCode, 1);
  assert.deepEqual(result.failures.map((f) => f.code), ['FILE_TOO_LARGE']);
  assert.match(io.err, /huge\.wav: FILE_TOO_LARGE: File is 104857601 bytes; the limit is 104857600 bytes/);
  rmSync(huge);
});

test('treats a missing path or an empty selection as a usage error (exit code 2)', async () => {
  const io = captureIo();
  await assert.rejects(runFeatures({ paths: [join(work, 'nope.wav')] }, io), (e: unknown) => e instanceof UsageError && exitCodeOf(e) === 2);
  const empty = join(work, 'empty');
  mkdirSync(empty);
  await assert.rejects(runFeatures({ paths: [empty] }, io), (e: unknown) => e instanceof UsageError && /No \.wav files/.test((e as Error).message));
  await assert.rejects(runFeatures({ paths: [] }, io), (e: unknown) => exitCodeOf(e) === 2);
});

test('the ser binary: --help documents exit codes, a bad file exits 1, a bad option exits 2', async () => {
  const run = promisify(execFile);
  const bin = resolve(repo, 'bin/ser.js');
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const help = await run(process.execPath, [bin, 'features', '--help'], { env });
  assert.match(help.stdout, /Exit codes: 0 every file extracted; 1 at least one file failed; 2 usage error/);
  const version = await run(process.execPath, [bin, '--version'], { env });
  assert.equal(version.stdout.trim(), JSON.parse(readFileSync(resolve(repo, 'package.json'), 'utf8')).version);

  const failed = await run(process.execPath, [bin, 'features', join(dir, 'broken.wav'), join(dir, A)], { env }).catch((e) => e);
  assert.equal(failed.code, 1);
  assert.equal(parseFeaturesCsv(failed.stdout).length, 1);
  assert.match(failed.stderr, /broken\.wav: TRUNCATED_HEADER/);

  const usage = await run(process.execPath, [bin, 'features', '--bogus', dir], { env }).catch((e) => e);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /unknown option '--bogus'/);
  const missing = await run(process.execPath, [bin, 'features', join(work, 'nope.wav')], { env }).catch((e) => e);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^error INVALID_ARGUMENT: No such file or directory/m);
});
