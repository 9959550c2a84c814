import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { CommanderError } from 'commander';
import { EXIT, UsageError, exitCodeOf, formatError, toSerError } from '../../cli/handle-error';
import { AudioError, ErrorCode } from '../../shared/errors';

test('formats a SerError as "error CODE: message" plus its suggestion, exit 1', () => {
  const e = new AudioError(ErrorCode.NO_SAMPLES, 'The recording is empty.', { suggestion: 'Upload audio.' });
  assert.equal(formatError(e), 'error NO_SAMPLES: The recording is empty.\n  Upload audio.\n');
  assert.equal(exitCodeOf(e), EXIT.FAILED);
});

test('maps usage errors and zod validation failures to INVALID_ARGUMENT, exit 2', () => {
  assert.equal(exitCodeOf(new UsageError('bad')), EXIT.USAGE);
  const zod = z.object({ out: z.string() }).safeParse({ out: 3 });
  assert.ok(!zod.success);
  const e = toSerError(zod.error);
  assert.equal(e.code, 'INVALID_ARGUMENT');
  assert.match(e.message, /--out: /);
  assert.equal(exitCodeOf(zod.error), EXIT.USAGE);
});

test('maps commander errors by their exit code (help = 0, usage = 2) and anything else to INTERNAL, exit 1', () => {
  assert.equal(exitCodeOf(new CommanderError(0, 'commander.helpDisplayed', '')), EXIT.OK);
  assert.equal(exitCodeOf(new CommanderError(1, 'commander.unknownOption', '')), EXIT.USAGE);
  assert.match(formatError(new TypeError('boom')), /^error INTERNAL: boom\n {2}This looks like a bug/);
  assert.equal(exitCodeOf(new TypeError('boom')), EXIT.FAILED);
});
