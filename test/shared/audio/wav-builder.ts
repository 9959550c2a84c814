/**
 * Test helper: build WAV bytes with arbitrary chunks, so tests can generate every encoding and every kind of
 * broken header instead of committing audio files.
 */

export interface Chunk {
  id: string;
  body: Uint8Array;
  /** Size written in the chunk header (default: body length) — lie here to build broken files. */
  declaredSize?: number;
  /** Omit the pad byte after an odd-sized body (a common writer bug). */
  noPad?: boolean;
}

export interface FmtOptions {
  tag?: number;
  channels?: number;
  sampleRate?: number;
  bitsPerSample?: number;
  blockAlign?: number;
  byteRate?: number;
  /** WAVE_FORMAT_EXTENSIBLE: the sub-format tag (builds the standard GUID) or 16 raw GUID bytes. */
  subFormat?: number | Uint8Array;
  validBits?: number;
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, o), (o += p.length);
  return out;
}

export function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

/** A chunk: id, size, body, pad byte when odd. */
export function chunk(c: Chunk): Uint8Array {
  const pad = c.body.length % 2 === 1 && !c.noPad ? [new Uint8Array(1)] : [];
  return concat([ascii(c.id.padEnd(4).slice(0, 4)), u32(c.declaredSize ?? c.body.length), c.body, ...pad]);
}

/** The KSDATAFORMAT sub-format GUID of a format tag. */
export function subFormatGuid(tag: number): Uint8Array {
  const g = new Uint8Array(16);
  new DataView(g.buffer).setUint16(0, tag, true);
  g.set([0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 4);
  return g;
}

export function fmtChunk(o: FmtOptions = {}): Chunk {
  const channels = o.channels ?? 1;
  const bits = o.bitsPerSample ?? 16;
  const sampleRate = o.sampleRate ?? 48_000;
  const blockAlign = o.blockAlign ?? channels * Math.ceil(bits / 8);
  const extensible = o.subFormat !== undefined;
  const body = new Uint8Array(extensible ? 40 : 16);
  const v = new DataView(body.buffer);
  v.setUint16(0, extensible ? 0xfffe : (o.tag ?? 1), true);
  v.setUint16(2, channels, true);
  v.setUint32(4, sampleRate, true);
  v.setUint32(8, o.byteRate ?? sampleRate * blockAlign, true);
  v.setUint16(12, blockAlign, true);
  v.setUint16(14, bits, true);
  if (extensible) {
    v.setUint16(16, 22, true);
    v.setUint16(18, o.validBits ?? bits, true);
    v.setUint32(20, 0, true);
    body.set(typeof o.subFormat === 'number' ? subFormatGuid(o.subFormat) : o.subFormat!, 24);
  }
  return { id: 'fmt ', body };
}

/** A whole file: RIFF header (size computed unless given) + chunks. */
export function riff(chunks: Chunk[], opts: { magic?: string; form?: string; riffSize?: number } = {}): Uint8Array {
  const body = concat([ascii(opts.form ?? 'WAVE'), ...chunks.map(chunk)]);
  return concat([ascii(opts.magic ?? 'RIFF'), u32(opts.riffSize ?? body.length), body]);
}

/** Interleaved samples → bytes for a PCM/float encoding. */
export function samples(kind: 'u8' | 'i16' | 'i24' | 'i32' | 'f32' | 'f64' | 'bytes', values: number[]): Uint8Array {
  const size = { u8: 1, bytes: 1, i16: 2, i24: 3, i32: 4, f32: 4, f64: 8 }[kind];
  const b = new Uint8Array(values.length * size);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => {
    const o = i * size;
    if (kind === 'u8' || kind === 'bytes') v.setUint8(o, x);
    else if (kind === 'i16') v.setInt16(o, x, true);
    else if (kind === 'i24') v.setUint16(o, x & 0xffff, true), v.setUint8(o + 2, (x >> 16) & 0xff);
    else if (kind === 'i32') v.setInt32(o, x, true);
    else if (kind === 'f32') v.setFloat32(o, x, true);
    else v.setFloat64(o, x, true);
  });
  return b;
}

/** A simple valid file: fmt + data. */
export function wav(fmt: FmtOptions, data: Uint8Array, extra: { before?: Chunk[]; after?: Chunk[] } = {}): Uint8Array {
  return riff([fmtChunk(fmt), ...(extra.before ?? []), { id: 'data', body: data }, ...(extra.after ?? [])]);
}
