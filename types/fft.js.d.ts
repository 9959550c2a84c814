/** Minimal typings for fft.js 4 (radix-4 FFT; arrays are interleaved re/im, length 2·size). */
declare module 'fft.js' {
  type NumArray = number[] | Float64Array | Float32Array;
  export default class FFT {
    constructor(size: number);
    readonly size: number;
    createComplexArray(): number[];
    toComplexArray(input: NumArray, storage?: NumArray): number[];
    fromComplexArray(complex: NumArray, storage?: NumArray): number[];
    completeSpectrum(spectrum: NumArray): void;
    /** Complex forward transform, out ≠ data. */
    transform(out: NumArray, data: NumArray): void;
    /** Complex inverse transform, scaled by 1/size. */
    inverseTransform(out: NumArray, data: NumArray): void;
    /** Forward transform of `size` real samples; fills bins 0…size/2 of `out` (interleaved). */
    realTransform(out: NumArray, data: NumArray): void;
  }
}
