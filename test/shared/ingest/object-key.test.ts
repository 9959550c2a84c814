import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseName, decodeS3Key, encodeS3Key, skipReason } from '../../../shared/ingest/object-key';

test('decodes S3 notification keys: + is a space, %2B a plus, UTF-8 escapes', () => {
  assert.equal(decodeS3Key('audio/my+file.wav'), 'audio/my file.wav');
  assert.equal(decodeS3Key('audio/a%2Bb.wav'), 'audio/a+b.wav');
  assert.equal(decodeS3Key('audio/%C3%A9t%C3%A9+%F0%9F%8E%A4.wav'), 'audio/été 🎤.wav');
});

test('encodeS3Key is the inverse of decodeS3Key and keeps slashes', () => {
  for (const key of ['audio/a b+c.wav', 'audio/x/été 🎤 (1).WAV', "audio/it's&=?.wav"]) {
    const encoded = encodeS3Key(key);
    assert.ok(!encoded.includes(' '));
    assert.equal(decodeS3Key(encoded), key);
  }
  assert.equal(encodeS3Key('audio/a b.wav'), 'audio/a+b.wav');
});

test('skips keys outside audio/ and keys without a .wav/.WAV suffix', () => {
  assert.equal(skipReason('audio/x/03-01-01-01-01-01-01.wav'), undefined);
  assert.equal(skipReason('audio/LOUD.WAV'), undefined);
  assert.equal(skipReason('models/run/x.wav'), 'OUTSIDE_AUDIO_PREFIX');
  assert.equal(skipReason('audio/notes.txt'), 'NOT_WAV');
  assert.equal(skipReason('audio/odd.Wav'), 'NOT_WAV');
});

test('baseName returns the last segment of a key', () => {
  assert.equal(baseName('audio/a/b/03-01-01-01-01-01-01.wav'), '03-01-01-01-01-01-01.wav');
  assert.equal(baseName('x.wav'), 'x.wav');
});
