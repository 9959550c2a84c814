/**
 * A small, strict RIFF/WAVE reader (own code rather than `wavefile`: see docs/wav.md for why).
 *
 * `decodeWav` parses only the header and returns a view over the sample bytes; `mono(start, end)` decodes just the
 * requested frame range, downmixed by averaging the channels and scaled like libsndfile's float read
 * (int16 / 32768, int24 / 8388608, int32 / 2147483648, uint8 (x − 128) / 128) — i.e. what librosa sees.
 *
 * Every size in the header is checked against the real buffer before it is used; nothing is allocated from a size
 * the header claims. Bad input throws AudioError with a stable code (see docs/wav.md for the table).
 */
import { DEFAULT_FEATURE_CONFIG } from '../config';
import { AudioError, ErrorCode } from '../errors';
import {
  ALAW_TO_FLOAT,
  MULAW_TO_FLOAT,
  WAVE_FORMAT,
  describeFormatTag,
  encodingOfTag,
  formatGuid,
  tagOfSubFormatGuid,
  type WavEncoding,
} from './wav-format';

export type { WavEncoding } from './wav-format';

/** Upper bounds applied before any decoding. */
export interface WavLimits {
  /** Largest accepted file, bytes. @default DEFAULT_FEATURE_CONFIG.maxFileBytes (100 MiB) */
  maxFileBytes?: number;
  /** Longest accepted recording, seconds. @default DEFAULT_FEATURE_CONFIG.maxDurationSeconds (600 s) */
  maxDurationSeconds?: number;
}

/** A parsed WAV: header facts plus a lazy, range-limited mono decoder. */
export interface DecodedWav {
  /** Native sample rate, Hz. */
  readonly sampleRate: number;
  /** Interleaved channels in the file. */
  readonly channels: number;
  /** Sample frames per channel (whole frames only; a trailing partial frame is ignored). */
  readonly frames: number;
  /** Significant bits per sample (the extensible header's valid bits when given, else the fmt chunk's bits). */
  readonly bitsPerSample: number;
  readonly encoding: WavEncoding;
  /**
   * Decode frames [startFrame, endFrame) as the channel average, float32 scaled like libsndfile.
   * Bounds are floored and clamped to [0, frames], so asking past the end returns the frames that exist.
   * Throws AudioError NON_FINITE_SAMPLES when a float sample in the range is NaN or ±Infinity.
   */
  mono(startFrame: number, endFrame: number): Float32Array;
}

/** Sample rates outside this range are treated as a corrupt header, Hz. */
export const SAMPLE_RATE_RANGE = Object.freeze({ min: 1_000, max: 384_000 });

const CONVERT_HINT = 'Convert it to 16-bit PCM WAV, e.g. `ffmpeg -i input -c:a pcm_s16le output.wav`.';
const REEXPORT_HINT = 'The file is damaged: re-export or re-upload it from the original recording.';

const fail = (code: ErrorCode, message: string, suggestion?: string) => new AudioError(code, message, { suggestion });

/** Where the pieces of a WAV are, after walking its chunks. */
interface ChunkMap {
  fmt: { offset: number; size: number };
  data: { offset: number; declaredSize: number };
  /** 64-bit data size from an RF64 `ds64` chunk. */
  ds64DataSize?: number;
  /** End of the file according to the RIFF header, when it states one. */
  riffEnd?: number;
}

/** Sample layout derived from the fmt chunk. */
interface Format {
  encoding: WavEncoding;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  /** Bytes of one sample of one channel. */
  containerBytes: number;
  bitsPerSample: number;
}

function ascii(bytes: Uint8Array, offset: number, length = 4): string {
  let s = '';
  for (let i = offset; i < offset + length && i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** RIFF chunk ids are four printable ASCII characters. */
function looksLikeChunkId(bytes: Uint8Array, offset: number): boolean {
  if (offset + 4 > bytes.length) return false;
  for (let i = offset; i < offset + 4; i++) if (bytes[i]! < 0x20 || bytes[i]! > 0x7e) return false;
  return true;
}

/** Name a few common non-WAV formats so the error says what the user actually uploaded. */
function sniff(bytes: Uint8Array): string {
  const head = ascii(bytes, 0, 4);
  if (head === 'fLaC') return ' It looks like FLAC.';
  if (head === 'OggS') return ' It looks like Ogg (Vorbis/Opus).';
  if (head === 'FORM') return ' It looks like AIFF.';
  if (head.startsWith('ID3') || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0)) return ' It looks like MP3.';
  if (ascii(bytes, 4, 4) === 'ftyp') return ' It looks like MP4/M4A.';
  return '';
}

function checkRiffHeader(bytes: Uint8Array): void {
  const magic = ascii(bytes, 0, 4);
  const isPrefix = (word: string) => word.startsWith(magic);
  if (bytes.length < 12) {
    if (bytes.length > 0 && (isPrefix('RIFF') || isPrefix('RF64')) && (bytes.length <= 8 || 'WAVE'.startsWith(ascii(bytes, 8)))) {
      throw fail(ErrorCode.TRUNCATED_HEADER, `File is only ${bytes.length} bytes: it ends inside the 12-byte RIFF/WAVE header.`, REEXPORT_HINT);
    }
    throw fail(ErrorCode.NOT_RIFF_WAVE, `File is ${bytes.length} bytes and does not start with a RIFF/WAVE header.${sniff(bytes)}`, CONVERT_HINT);
  }
  if (magic === 'RIFX') {
    throw fail(ErrorCode.UNSUPPORTED_ENCODING, 'Big-endian WAV (RIFX) is not supported.', CONVERT_HINT);
  }
  if (magic !== 'RIFF' && magic !== 'RF64') {
    throw fail(ErrorCode.NOT_RIFF_WAVE, `Not a WAV file: it starts with ${JSON.stringify(magic)}, not "RIFF".${sniff(bytes)}`, CONVERT_HINT);
  }
  const form = ascii(bytes, 8, 4);
  if (form !== 'WAVE') {
    throw fail(ErrorCode.NOT_RIFF_WAVE, `A RIFF file of type ${JSON.stringify(form)}, not "WAVE" (not audio in WAV form).`, CONVERT_HINT);
  }
}

/** Walk the chunks after the RIFF header, in any order, bounded by the real buffer. */
function mapChunks(bytes: Uint8Array, view: DataView): ChunkMap {
  const riffSize = view.getUint32(4, true);
  const riffEnd = ascii(bytes, 0, 4) === 'RIFF' && riffSize !== 0 && riffSize !== 0xffffffff ? 8 + riffSize : undefined;
  let fmt: ChunkMap['fmt'] | undefined;
  let data: ChunkMap['data'] | undefined;
  let ds64DataSize: number | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'data') {
      data ??= { offset: body, declaredSize: size };
      if (fmt) break; // everything needed is known; the data chunk may run to the end of the file
    } else if (body + size > bytes.length) {
      throw fail(
        ErrorCode.TRUNCATED_HEADER,
        `Chunk ${JSON.stringify(id)} at byte ${offset} claims ${size} bytes but the file ends ${bytes.length - body} bytes later, before ${fmt ? 'the data chunk' : 'the fmt chunk'} was found.`,
        REEXPORT_HINT,
      );
    } else if (id === 'fmt ') {
      fmt ??= { offset: body, size };
      if (data) break;
    } else if (id === 'ds64' && size >= 16) {
      ds64DataSize = view.getUint32(body + 8, true) + view.getUint32(body + 12, true) * 2 ** 32;
    }
    let next = body + size + (size & 1); // odd-sized chunks are followed by a pad byte
    // Some writers forget the pad byte: accept the unpadded position when only it holds a plausible chunk id.
    if (size & 1 && !looksLikeChunkId(bytes, next) && looksLikeChunkId(bytes, next - 1)) next -= 1;
    offset = next;
  }
  if (!fmt || !data) {
    const leftover = bytes.length - offset;
    if (leftover > 0 && leftover < 8) {
      throw fail(ErrorCode.TRUNCATED_HEADER, `The file ends inside a chunk header at byte ${offset}, before ${fmt ? 'the data chunk' : 'the fmt chunk'} was found.`, REEXPORT_HINT);
    }
    if (!fmt) throw fail(ErrorCode.MISSING_FMT_CHUNK, 'The WAV has no "fmt " chunk, so its sample format is unknown.', REEXPORT_HINT);
    throw fail(ErrorCode.MISSING_DATA_CHUNK, 'The WAV has no "data" chunk: it holds no audio.', REEXPORT_HINT);
  }
  return { fmt, data, ds64DataSize, riffEnd };
}

function parseFormat(view: DataView, { offset, size }: ChunkMap['fmt']): Format {
  if (size < 16) throw fail(ErrorCode.INVALID_FORMAT, `The "fmt " chunk is ${size} bytes; a WAV format needs at least 16.`, REEXPORT_HINT);
  const tag = view.getUint16(offset, true);
  const channels = view.getUint16(offset + 2, true);
  const sampleRate = view.getUint32(offset + 4, true);
  const blockAlign = view.getUint16(offset + 12, true);
  let bitsPerSample = view.getUint16(offset + 14, true);
  const containerBits = bitsPerSample;
  let encoding = encodingOfTag(tag);
  if (tag === WAVE_FORMAT.EXTENSIBLE) {
    if (size < 40) throw fail(ErrorCode.INVALID_FORMAT, `WAVE_FORMAT_EXTENSIBLE needs a 40-byte "fmt " chunk; this one is ${size} bytes.`, REEXPORT_HINT);
    const subTag = tagOfSubFormatGuid(view, offset + 24);
    encoding = subTag === undefined ? undefined : encodingOfTag(subTag);
    if (!encoding) {
      const what = subTag === undefined ? `sub-format GUID ${formatGuid(view, offset + 24)}` : `sub-format ${describeFormatTag(subTag)}`;
      throw fail(ErrorCode.UNSUPPORTED_ENCODING, `Unsupported WAVE_FORMAT_EXTENSIBLE ${what}: only PCM, IEEE float, A-law and µ-law are decoded.`, CONVERT_HINT);
    }
    const validBits = view.getUint16(offset + 18, true);
    if (validBits > containerBits) {
      throw fail(ErrorCode.INVALID_FORMAT, `Header says ${validBits} valid bits in a ${containerBits}-bit sample container.`, REEXPORT_HINT);
    }
    if (validBits > 0) bitsPerSample = validBits;
  } else if (!encoding) {
    throw fail(ErrorCode.UNSUPPORTED_ENCODING, `Unsupported WAV encoding ${describeFormatTag(tag)}: only PCM, IEEE float, A-law and µ-law are decoded.`, CONVERT_HINT);
  }

  if (channels === 0) throw fail(ErrorCode.INVALID_FORMAT, 'The WAV header declares 0 channels.', REEXPORT_HINT);
  if (sampleRate < SAMPLE_RATE_RANGE.min || sampleRate > SAMPLE_RATE_RANGE.max) {
    throw fail(
      ErrorCode.INVALID_SAMPLE_RATE,
      `Sample rate ${sampleRate} Hz is outside the accepted ${SAMPLE_RATE_RANGE.min}-${SAMPLE_RATE_RANGE.max} Hz range (corrupt header?).`,
      'Resample the recording to a common rate (e.g. 48000 or 22050 Hz) and re-export it as WAV.',
    );
  }
  const containerBytes = blockAlign / channels;
  const allowed: Record<WavEncoding, readonly number[]> = { pcm: [1, 2, 3, 4], float: [4, 8], alaw: [1], mulaw: [1] };
  const bitsFit =
    encoding === 'pcm' ? Math.ceil(containerBits / 8) === containerBytes && containerBits > 0 : containerBits === containerBytes * 8;
  if (!Number.isInteger(containerBytes) || !allowed[encoding].includes(containerBytes) || !bitsFit) {
    throw fail(
      ErrorCode.INVALID_FORMAT,
      `Inconsistent ${encoding} format: block align ${blockAlign} bytes for ${channels} channel(s) at ${containerBits} bits per sample ` +
        `(supported sample sizes: ${allowed[encoding].map((b) => `${b * 8}-bit`).join(', ')}).`,
      CONVERT_HINT,
    );
  }
  return { encoding, channels, sampleRate, blockAlign, containerBytes, bitsPerSample };
}

/** Bytes of sample data actually present, after the streaming-size and truncation rules (see docs/wav.md). */
function dataBytes(bytes: Uint8Array, chunks: ChunkMap): number {
  const available = bytes.length - chunks.data.offset;
  const declared = chunks.data.declaredSize === 0xffffffff && chunks.ds64DataSize !== undefined ? chunks.ds64DataSize : chunks.data.declaredSize;
  // Streaming writers (ffmpeg to a pipe, recorders that crashed) leave a placeholder size: read to the end of the file.
  if (declared === 0 || declared === 0xffffffff) return available;
  if (declared <= available) return declared;
  if (chunks.riffEnd !== undefined && chunks.riffEnd > bytes.length) {
    throw fail(
      ErrorCode.TRUNCATED_DATA,
      `The file is cut short: its header announces ${chunks.riffEnd} bytes and ${declared} bytes of audio, but the file has ${bytes.length} bytes (${available} bytes of audio).`,
      'The upload or copy was interrupted: upload the complete file again.',
    );
  }
  throw fail(
    ErrorCode.DATA_SIZE_EXCEEDS_FILE,
    `The data chunk claims ${declared} bytes of audio but only ${available} bytes follow it (the writer produced a wrong header).`,
    REEXPORT_HINT,
  );
}

/**
 * Parse a WAV file's header and return a lazy decoder over its samples.
 *
 * Accepts RIFF (and RF64) WAVE with chunks in any order and odd-sized chunks; PCM 8 (unsigned)/16/24/32-bit,
 * IEEE float 32/64, A-law, µ-law, and WAVE_FORMAT_EXTENSIBLE with one of those sub-formats; any channel count.
 *
 * @param bytes the whole file
 * @param limits size (bytes) and duration (seconds) caps; defaults from DEFAULT_FEATURE_CONFIG
 * @throws AudioError with a stable code: NOT_RIFF_WAVE, TRUNCATED_HEADER, TRUNCATED_DATA, DATA_SIZE_EXCEEDS_FILE,
 *   MISSING_FMT_CHUNK, MISSING_DATA_CHUNK, UNSUPPORTED_ENCODING, INVALID_FORMAT, INVALID_SAMPLE_RATE, NO_SAMPLES,
 *   FILE_TOO_LARGE, TOO_LONG (and NON_FINITE_SAMPLES later, from `mono`)
 */
export function decodeWav(bytes: Uint8Array, limits: WavLimits = {}): DecodedWav {
  const maxFileBytes = limits.maxFileBytes ?? DEFAULT_FEATURE_CONFIG.maxFileBytes;
  const maxDurationSeconds = limits.maxDurationSeconds ?? DEFAULT_FEATURE_CONFIG.maxDurationSeconds;
  if (bytes.length > maxFileBytes) {
    throw fail(ErrorCode.FILE_TOO_LARGE, `File is ${bytes.length} bytes; the limit is ${maxFileBytes} bytes.`, 'Split the recording into shorter clips.');
  }
  checkRiffHeader(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks = mapChunks(bytes, view);
  const format = parseFormat(view, chunks.fmt);
  const frames = Math.floor(dataBytes(bytes, chunks) / format.blockAlign);
  if (frames === 0) throw fail(ErrorCode.NO_SAMPLES, 'The WAV data chunk holds no complete sample frame: the recording is empty.', 'Upload a recording with audio in it.');
  const seconds = frames / format.sampleRate;
  if (seconds > maxDurationSeconds) {
    throw fail(ErrorCode.TOO_LONG, `Recording is ${seconds.toFixed(1)} s long; the limit is ${maxDurationSeconds} s.`, 'Split the recording into shorter clips.');
  }
  const dataOffset = chunks.data.offset;
  return {
    sampleRate: format.sampleRate,
    channels: format.channels,
    frames,
    bitsPerSample: format.bitsPerSample,
    encoding: format.encoding,
    mono: (startFrame, endFrame) => decodeMono(bytes, view, dataOffset, format, frames, startFrame, endFrame),
  };
}

function clampFrame(frame: number, frames: number): number {
  if (Number.isNaN(frame)) throw new RangeError('frame index is NaN');
  return Math.max(0, Math.min(frames, Math.floor(frame)));
}

function decodeMono(bytes: Uint8Array, view: DataView, dataOffset: number, format: Format, frames: number, startFrame: number, endFrame: number): Float32Array {
  const end = clampFrame(endFrame, frames);
  const start = Math.min(clampFrame(startFrame, frames), end);
  const n = end - start;
  const out = new Float32Array(n);
  const { channels, blockAlign, containerBytes, encoding } = format;
  // Sum channel by channel into float32 (as numpy's float32 mean does), then divide.
  for (let c = 0; c < channels; c++) {
    const first = dataOffset + start * blockAlign + c * containerBytes;
    addChannel(out, n, bytes, view, first, blockAlign, encoding, containerBytes);
  }
  if (channels > 1) for (let i = 0; i < n; i++) out[i]! /= channels;
  if (encoding === 'float') {
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(out[i]!)) {
        throw fail(
          ErrorCode.NON_FINITE_SAMPLES,
          `Sample frame ${start + i} is ${out[i]} (float WAVs must hold finite values; float64 values beyond ±3.4e38 also overflow).`,
          'Re-export the audio with a tool that clips or normalises it, or save it as 16-bit PCM.',
        );
      }
    }
  }
  return out;
}

/** out[i] += sample of one channel at frame i, for i < n; `first` is the byte of frame 0's sample, `stride` = blockAlign. */
function addChannel(out: Float32Array, n: number, bytes: Uint8Array, view: DataView, first: number, stride: number, encoding: WavEncoding, size: number): void {
  let p = first;
  if (encoding === 'pcm') {
    switch (size) {
      case 1:
        for (let i = 0; i < n; i++, p += stride) out[i]! += (bytes[p]! - 128) / 128;
        return;
      case 2:
        for (let i = 0; i < n; i++, p += stride) out[i]! += view.getInt16(p, true) / 32768;
        return;
      case 3:
        for (let i = 0; i < n; i++, p += stride) out[i]! += (((bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16)) << 8) >> 8) / 8388608;
        return;
      default:
        for (let i = 0; i < n; i++, p += stride) out[i]! += view.getInt32(p, true) / 2147483648;
        return;
    }
  }
  if (encoding === 'float') {
    if (size === 4) for (let i = 0; i < n; i++, p += stride) out[i]! += view.getFloat32(p, true);
    else for (let i = 0; i < n; i++, p += stride) out[i]! += view.getFloat64(p, true);
    return;
  }
  const table = encoding === 'alaw' ? ALAW_TO_FLOAT : MULAW_TO_FLOAT;
  for (let i = 0; i < n; i++, p += stride) out[i]! += table[bytes[p]!]!;
}
