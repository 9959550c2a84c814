/**
 * WAV format vocabulary: format tags, the WAVE_FORMAT_EXTENSIBLE sub-format GUID, the names of encodings we refuse,
 * and the G.711 (A-law / µ-law) expansion tables. Pure data and tiny lookups; the reader lives in wav.ts.
 */

/** Sample encodings the reader decodes. */
export type WavEncoding = 'pcm' | 'float' | 'alaw' | 'mulaw';

/** wFormatTag values of the fmt chunk that matter to us. */
export const WAVE_FORMAT = {
  PCM: 0x0001,
  IEEE_FLOAT: 0x0003,
  ALAW: 0x0006,
  MULAW: 0x0007,
  EXTENSIBLE: 0xfffe,
} as const;

/** Decodable format tags → encoding. */
const ENCODING_OF_TAG: ReadonlyMap<number, WavEncoding> = new Map([
  [WAVE_FORMAT.PCM, 'pcm'],
  [WAVE_FORMAT.IEEE_FLOAT, 'float'],
  [WAVE_FORMAT.ALAW, 'alaw'],
  [WAVE_FORMAT.MULAW, 'mulaw'],
]);

/** Well-known compressed encodings, so an error can name what the user uploaded. */
const KNOWN_UNSUPPORTED: ReadonlyMap<number, string> = new Map([
  [0x0002, 'Microsoft ADPCM'],
  [0x0010, 'OKI ADPCM'],
  [0x0011, 'IMA ADPCM'],
  [0x0016, 'ITU G.723 ADPCM'],
  [0x0031, 'GSM 6.10'],
  [0x0040, 'G.721 ADPCM'],
  [0x0050, 'MPEG-1 audio'],
  [0x0055, 'MPEG Layer 3 (MP3)'],
  [0x0064, 'G.726 ADPCM'],
  [0x0092, 'Dolby AC-3 (S/PDIF)'],
  [0x00ff, 'AAC'],
  [0x0160, 'Windows Media Audio v1'],
  [0x0161, 'Windows Media Audio'],
  [0x0162, 'Windows Media Audio Pro'],
  [0x1610, 'MPEG-4 AAC (HE-AAC)'],
  [0x2000, 'Dolby AC-3'],
  [0xf1ac, 'FLAC'],
]);

/** Encoding of a plain (non-extensible) format tag, or undefined if we do not decode it. */
export function encodingOfTag(tag: number): WavEncoding | undefined {
  return ENCODING_OF_TAG.get(tag);
}

/** Human name of a format tag for error messages, e.g. `0x0055 (MPEG Layer 3 (MP3))`. */
export function describeFormatTag(tag: number): string {
  const hex = `0x${tag.toString(16).padStart(4, '0')}`;
  const name = KNOWN_UNSUPPORTED.get(tag);
  return name ? `${hex} (${name})` : hex;
}

/**
 * The last 14 bytes of every KSDATAFORMAT_SUBTYPE_* GUID derived from a WAVE format tag
 * (`XXXXXXXX-0000-0010-8000-00AA00389B71`, as stored little-endian in the file).
 */
const KSDATAFORMAT_BASE = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71] as const;

/**
 * The format tag named by a WAVE_FORMAT_EXTENSIBLE sub-format GUID (16 bytes at `offset`), or undefined when the
 * GUID is not of the KSDATAFORMAT family (e.g. Ambisonic B-format GUIDs) — such data cannot be decoded as PCM.
 */
export function tagOfSubFormatGuid(view: DataView, offset: number): number | undefined {
  // Data1 (u32 LE) carries the tag in its low 16 bits; its high 16 bits must be zero.
  if (view.getUint16(offset + 2, true) !== 0) return undefined;
  for (let i = 0; i < KSDATAFORMAT_BASE.length; i++) {
    if (view.getUint8(offset + 4 + i) !== KSDATAFORMAT_BASE[i]) return undefined;
  }
  return view.getUint16(offset, true);
}

/** Format the 16 GUID bytes at `offset` in the usual text form, for error messages. */
export function formatGuid(view: DataView, offset: number): string {
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  const tail = Array.from({ length: 8 }, (_, i) => hex(view.getUint8(offset + 8 + i), 2)).join('');
  return `${hex(view.getUint32(offset, true), 8)}-${hex(view.getUint16(offset + 4, true), 4)}-${hex(view.getUint16(offset + 6, true), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`;
}

/** ITU-T G.711 µ-law byte → linear 16-bit value (−32124 … 32124), as libsndfile's table. */
function mulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  return u & 0x80 ? -magnitude : magnitude;
}

/** ITU-T G.711 A-law byte → linear 16-bit value (−32256 … 32256), as libsndfile's table. */
function alawToLinear(byte: number): number {
  const a = byte ^ 0x55;
  const segment = (a & 0x70) >> 4;
  let t = (a & 0x0f) << 4;
  if (segment === 0) t += 8;
  else t = (t + 0x108) << (segment - 1);
  return a & 0x80 ? t : -t;
}

function table(expand: (byte: number) => number): Float32Array {
  // Scaled like libsndfile's float read of 16-bit data.
  return Float32Array.from({ length: 256 }, (_, b) => expand(b) / 32768);
}

/** µ-law byte → float sample in [−1, 1). */
export const MULAW_TO_FLOAT: Float32Array = table(mulawToLinear);
/** A-law byte → float sample in [−1, 1). */
export const ALAW_TO_FLOAT: Float32Array = table(alawToLinear);
