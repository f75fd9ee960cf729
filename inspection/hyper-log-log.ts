// inspection/hyper-log-log: a HyperLogLog distinct counter (Flajolet, Fusy, Gandouet, Meunier 2007) over 64-bit
// hash values, in one fixed Uint8Array of registers. It estimates; the caller adds the safety margin.

export interface HyperLogLog {
  /** Adds a value given as two 32-bit words of a uniformly distributed hash (high word first). */
  add(high: number, low: number): void;
  /** The estimate: linear counting below 2.5m (small-range correction), the harmonic-mean estimate above. */
  estimate(): number;
  /** The relative standard error 1.04/√m of the estimate. */
  readonly relativeError: number;
}

/** precision p: m = 2^p registers; p = 14 gives 16384 one-byte registers and a standard error of 0.81%. */
export function createHyperLogLog(precision = 14): HyperLogLog {
  if (!Number.isInteger(precision) || precision < 4 || precision > 16)
    throw new RangeError('precision must be 4..16');
  const m = 1 << precision;
  const registers = new Uint8Array(m);
  const restBits = 32 - precision;
  const restMask = (1 << restBits) - 1;
  const alpha = 0.7213 / (1 + 1.079 / m);

  return {
    add(high: number, low: number): void {
      const index = high >>> restBits;
      // rank = 1 + number of leading zeros of the 64 - p bits after the index.
      const rest = high & restMask;
      const rank = rest !== 0 ? Math.clz32(rest) - precision + 1 : restBits + Math.clz32(low) + 1;
      if (rank > (registers[index] as number)) registers[index] = rank;
    },
    estimate(): number {
      let sum = 0;
      let zeros = 0;
      for (let i = 0; i < m; i++) {
        const r = registers[i] as number;
        sum += 2 ** -r;
        if (r === 0) zeros++;
      }
      const raw = (alpha * m * m) / sum;
      if (raw <= 2.5 * m && zeros > 0) return m * Math.log(m / zeros);
      return raw;
    },
    relativeError: 1.04 / Math.sqrt(m),
  };
}
