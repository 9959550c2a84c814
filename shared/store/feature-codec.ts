/**
 * Frame means travel in DynamoDB as Binary: little-endian float32, 4 bytes per frame (520 bytes for 130 frames),
 * far smaller than a number list and exact to the float32 the extractor computed.
 */

/** Encode frame means (dB) as little-endian float32 bytes. */
export function encodeFrameMeans(means: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(means.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < means.length; i++) view.setFloat32(i * 4, means[i]!, true);
  return out;
}

/** Decode little-endian float32 bytes back into frame means (dB). Throws on a length that is not a multiple of 4. */
export function decodeFrameMeans(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new RangeError(`feature bytes length ${bytes.byteLength} is not a multiple of 4`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
