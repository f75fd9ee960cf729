// inspection/hmac-sha256: HMAC-SHA256 (RFC 2104, FIPS 180-4) of short person identifiers, written for the hot
// path: the key's inner and outer pads are compressed once (RFC 2104 §4) and nothing is allocated per message.
// It must only ever key person identifiers; tests hold it to node:crypto on random keys and messages.

/** FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** FIPS 180-4 §5.3.3: the initial hash value. */
const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

export interface HmacSha256 {
  /** Writes HMAC-SHA256(key, message[start..start+length)) to out[0..8) as big-endian 32-bit words. */
  compute(message: Uint8Array, start: number, length: number, out: Int32Array): void;
}

/**
 * The message schedule. Module-level scratch (V8 compiles loads from a constant typed array faster than from a
 * parameter, ~10% of an HMAC); it is filled and consumed inside one synchronous compute() and holds nothing between.
 */
const W = new Int32Array(64);

/** FIPS 180-4 §6.2.2: one compression of the 16 words in W[0..16) into `state`, in place. */
function compress(state: Int32Array): void {
  const w = W;
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15] as number;
    const y = w[i - 2] as number;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0;
  }
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  let e = state[4] as number;
  let f = state[5] as number;
  let g = state[6] as number;
  let h = state[7] as number;
  // Eight rounds per pass with the working variables renamed instead of shifted (FIPS 180-4 §6.2.2 step 3).
  for (let i = 0; i < 64; i += 8) {
    h =
      (h +
        (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
        ((e & f) ^ (~e & g)) +
        (K[i + 0] as number) +
        (w[i + 0] as number)) |
      0;
    d = (d + h) | 0;
    h =
      (h +
        (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
        ((a & b) ^ (a & c) ^ (b & c))) |
      0;
    g =
      (g +
        (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) +
        ((d & e) ^ (~d & f)) +
        (K[i + 1] as number) +
        (w[i + 1] as number)) |
      0;
    c = (c + g) | 0;
    g =
      (g +
        (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) +
        ((h & a) ^ (h & b) ^ (a & b))) |
      0;
    f =
      (f +
        (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) +
        ((c & d) ^ (~c & e)) +
        (K[i + 2] as number) +
        (w[i + 2] as number)) |
      0;
    b = (b + f) | 0;
    f =
      (f +
        (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) +
        ((g & h) ^ (g & a) ^ (h & a))) |
      0;
    e =
      (e +
        (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) +
        ((b & c) ^ (~b & d)) +
        (K[i + 3] as number) +
        (w[i + 3] as number)) |
      0;
    a = (a + e) | 0;
    e =
      (e +
        (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) +
        ((f & g) ^ (f & h) ^ (g & h))) |
      0;
    d =
      (d +
        (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) +
        ((a & b) ^ (~a & c)) +
        (K[i + 4] as number) +
        (w[i + 4] as number)) |
      0;
    h = (h + d) | 0;
    d =
      (d +
        (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) +
        ((e & f) ^ (e & g) ^ (f & g))) |
      0;
    c =
      (c +
        (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) +
        ((h & a) ^ (~h & b)) +
        (K[i + 5] as number) +
        (w[i + 5] as number)) |
      0;
    g = (g + c) | 0;
    c =
      (c +
        (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) +
        ((d & e) ^ (d & f) ^ (e & f))) |
      0;
    b =
      (b +
        (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) +
        ((g & h) ^ (~g & a)) +
        (K[i + 6] as number) +
        (w[i + 6] as number)) |
      0;
    f = (f + b) | 0;
    b =
      (b +
        (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) +
        ((c & d) ^ (c & e) ^ (d & e))) |
      0;
    a =
      (a +
        (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) +
        ((f & g) ^ (~f & h)) +
        (K[i + 7] as number) +
        (w[i + 7] as number)) |
      0;
    e = (e + a) | 0;
    a =
      (a +
        (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) +
        ((b & c) ^ (b & d) ^ (c & d))) |
      0;
  }
  state[0] = ((state[0] as number) + a) | 0;
  state[1] = ((state[1] as number) + b) | 0;
  state[2] = ((state[2] as number) + c) | 0;
  state[3] = ((state[3] as number) + d) | 0;
  state[4] = ((state[4] as number) + e) | 0;
  state[5] = ((state[5] as number) + f) | 0;
  state[6] = ((state[6] as number) + g) | 0;
  state[7] = ((state[7] as number) + h) | 0;
}

/** Loads bytes[at..at+64) into w[0..16) as big-endian words. */
function load(bytes: Uint8Array, at: number, w: Int32Array): void {
  for (let i = 0; i < 16; i++) {
    const j = at + i * 4;
    w[i] =
      ((bytes[j] as number) << 24) |
      ((bytes[j + 1] as number) << 16) |
      ((bytes[j + 2] as number) << 8) |
      (bytes[j + 3] as number);
  }
}

/**
 * Hashes the rest of a message whose first `prefixBytes` were already compressed into `state`:
 * bytes[start..start+length), then FIPS 180-4 §5.1.1 padding (a 1 bit, zeros, the 64-bit bit length).
 */
function finish(
  state: Int32Array,
  prefixBytes: number,
  bytes: Uint8Array,
  start: number,
  length: number,
): void {
  const w = W;
  let at = start;
  const end = start + length;
  for (; at + 64 <= end; at += 64) {
    load(bytes, at, w);
    compress(state);
  }
  // The last bytes go straight into big-endian words, then the 0x80 marker.
  for (let i = 0; i < 16; i++) w[i] = 0;
  const rest = end - at;
  for (let k = 0; k < rest; k++)
    w[k >> 2] = (w[k >> 2] as number) | ((bytes[at + k] as number) << (24 - 8 * (k & 3)));
  w[rest >> 2] = (w[rest >> 2] as number) | (0x80 << (24 - 8 * (rest & 3)));
  if (rest >= 56) {
    compress(state);
    for (let i = 0; i < 16; i++) w[i] = 0;
  }
  const bits = (prefixBytes + length) * 8;
  w[14] = Math.floor(bits / 0x100000000);
  w[15] = bits | 0;
  compress(state);
}

export function createHmacSha256(key: Uint8Array): HmacSha256 {
  const w = W;
  let k = key;
  if (k.length > 64) {
    // RFC 2104 §2: keys longer than the block are hashed first.
    const digest = new Int32Array(IV);
    finish(digest, 0, k, 0, k.length);
    k = wordsToBytes(digest);
  }
  const ipad = new Uint8Array(64).fill(0x36);
  const opad = new Uint8Array(64).fill(0x5c);
  for (let i = 0; i < k.length; i++) {
    ipad[i] = (ipad[i] as number) ^ (k[i] as number);
    opad[i] = (opad[i] as number) ^ (k[i] as number);
  }
  const inner = new Int32Array(IV);
  load(ipad, 0, w);
  compress(inner);
  const outer = new Int32Array(IV);
  load(opad, 0, w);
  compress(outer);
  const state = new Int32Array(8);

  return {
    compute(message: Uint8Array, start: number, length: number, out: Int32Array): void {
      for (let i = 0; i < 8; i++) state[i] = inner[i] as number;
      finish(state, 64, message, start, length);
      // Outer hash: one block holding the 32-byte inner digest and its padding (64 + 32 bytes = 768 bits).
      for (let i = 0; i < 8; i++) w[i] = state[i] as number;
      w[8] = 0x80000000 | 0;
      for (let i = 9; i < 15; i++) w[i] = 0;
      w[15] = 768;
      for (let i = 0; i < 8; i++) out[i] = outer[i] as number;
      compress(out);
    },
  };
}

/** Big-endian bytes of 32-bit words. */
export function wordsToBytes(words: Int32Array, count = words.length): Uint8Array {
  const bytes = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) {
    const v = words[i] as number;
    bytes[i * 4] = v >>> 24;
    bytes[i * 4 + 1] = (v >>> 16) & 0xff;
    bytes[i * 4 + 2] = (v >>> 8) & 0xff;
    bytes[i * 4 + 3] = v & 0xff;
  }
  return bytes;
}
