/**
 * A synthetic WAV for warming the extractor during the Lambda init phase: the first real request then finds the
 * resampler plan for the common 48 kHz rate designed and the DSP code compiled.
 */

/**
 * 16-bit mono PCM WAV of a quiet two-tone signal.
 * @param sampleRate Hz (default 48,000: RAVDESS and most recorders)
 * @param seconds duration, s (default 3.5: covers the analysed window 0.5-3.5 s)
 */
export function warmupWav(sampleRate = 48_000, seconds = 3.5): Uint8Array {
  const n = Math.round(sampleRate * seconds);
  const out = new Uint8Array(44 + 2 * n);
  const v = new DataView(out.buffer);
  const ascii = (offset: number, text: string) => [...text].forEach((c, i) => (out[offset + i] = c.charCodeAt(0)));
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + 2 * n, true);
  ascii(8, 'WAVEfmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, 2 * sampleRate, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, 'data');
  v.setUint32(40, 2 * n, true);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    v.setInt16(44 + 2 * i, Math.round(3000 * Math.sin(2 * Math.PI * 220 * t) + 1000 * Math.sin(2 * Math.PI * 1250 * t)), true);
  }
  return out;
}
