// inspection/record-people: turns the identifiers found on one record into person keys (HMAC-SHA256 of the
// normalised identifier), counts them and hands them out in batches. The raw identifier never leaves this file.
import { EMAIL, personStrength } from './detectors.js';
import { createHmacSha256 } from './hmac-sha256.js';
import { createPersonCounter, NEW_PERSON, NEW_SENSITIVE } from './person-counter.js';

export interface RecordPeopleOptions {
  readonly personKey: Uint8Array;
  readonly onPersonKeys?: ((keys: readonly Buffer[], sensitive: boolean) => void) | undefined;
  readonly exactPersonLimit?: number | undefined;
}

export interface RecordPeople {
  /** An identifier found on the current record, as bytes[valueStart..valueEnd) of detector `kind`. */
  offer(kind: number, bytes: Uint8Array, valueStart: number, valueEnd: number): void;
  /** True when the current record holds an identifier that names a person. */
  readonly named: boolean;
  /** Ends the current record: each of its people is counted, as sensitive or not. */
  endRecord(sensitive: boolean): void;
  /** Hands out the keys not yet delivered. */
  flush(): void;
  count(): number;
  sensitiveCount(): number;
}

/**
 * Tags that make the HMAC input "<tag>:<normalised identifier>", indexed by detector. They are part of the yearly
 * counting contract (the same person must give the same key in every transfer and every release): never change
 * them, nor the normalisation (documents and cards upper case, e-mail lower case, mobile as its 11 digits).
 */
const PERSON_TAG: readonly number[] = [0x49, 0, 0x4d, 0x42, 0x50, 0x48, 0x45, 0, 0]; // I M B P H E
/** RFC 5321 bounds an address to 320 octets; with the tag, every normalised identifier fits. */
const ENTRY_BYTES = 336;
/** Identifiers of the strongest kind kept per record; more are counted at once, as sensitive (fail closed). */
const MAX_PER_RECORD = 64;
const KEY_BATCH = 1024;
/** RFC 2104 §5: an HMAC may be truncated to half its length or more; 128 bits keep collisions negligible. */
const PERSON_KEY_BYTES = 16;

/**
 * A record names one person per distinct identifier of its strongest kind (resident ID > passport/permit > bank
 * card > mobile > e-mail): a row with an ID, a mobile and an address is one person; a row with two IDs (applicant
 * and guarantor) is two. Weaker identifiers beside a stronger one are taken to be the same person's.
 */
export function createRecordPeople(options: RecordPeopleOptions): RecordPeople {
  const hmac = createHmacSha256(options.personKey);
  const onPersonKeys = options.onPersonKeys;
  const counter = createPersonCounter(
    options.exactPersonLimit === undefined ? {} : { exactLimit: options.exactPersonLimit },
  );
  const entries = new Uint8Array(MAX_PER_RECORD * ENTRY_BYTES);
  const lengths = new Int32Array(MAX_PER_RECORD);
  let entryCount = 0;
  let strongest = 0;
  const scratch = new Uint8Array(ENTRY_BYTES);
  const digest = new Int32Array(8);

  let allKeys: Buffer[] = [];
  let sensitiveKeys: Buffer[] = [];
  let keyBlock = Buffer.alloc(0);
  let keyBlockUsed = 0;

  /** Writes "<tag>:<identifier>" into out at `at`, letters folded; returns the length. */
  function normalise(
    kind: number,
    bytes: Uint8Array,
    valueStart: number,
    valueEnd: number,
    out: Uint8Array,
    at: number,
  ): number {
    out[at] = PERSON_TAG[kind] as number;
    out[at + 1] = 0x3a;
    let n = 2;
    const lower = kind === EMAIL;
    for (let i = valueStart; i < valueEnd && n < ENTRY_BYTES; i++) {
      let ch = bytes[i] as number;
      if (lower) {
        if (ch >= 0x41 && ch <= 0x5a) ch |= 0x20;
      } else if (ch >= 0x61 && ch <= 0x7a) ch &= 0xdf;
      out[at + n++] = ch;
    }
    return n;
  }

  function isKept(length: number): boolean {
    for (let e = 0; e < entryCount; e++) {
      if (lengths[e] !== length) continue;
      const at = e * ENTRY_BYTES;
      let same = true;
      for (let i = 0; i < length && same; i++) same = entries[at + i] === scratch[i];
      if (same) return true;
    }
    return false;
  }

  function countPerson(message: Uint8Array, at: number, length: number, sensitive: boolean): void {
    hmac.compute(message, at, length, digest);
    const found = counter.add(
      digest[0] as number,
      digest[1] as number,
      digest[2] as number,
      digest[3] as number,
      sensitive,
    );
    if (onPersonKeys === undefined || found === 0) return;
    // Keys are views into blocks of KEY_BATCH keys: one allocation per block, and no block is ever reused.
    if (keyBlockUsed === keyBlock.length) {
      keyBlock = Buffer.allocUnsafe(KEY_BATCH * PERSON_KEY_BYTES);
      keyBlockUsed = 0;
    }
    const base = keyBlockUsed;
    for (let i = 0; i < 4; i++) {
      const word = digest[i] as number;
      keyBlock[base + i * 4] = word >>> 24;
      keyBlock[base + i * 4 + 1] = word >>> 16;
      keyBlock[base + i * 4 + 2] = word >>> 8;
      keyBlock[base + i * 4 + 3] = word;
    }
    keyBlockUsed += PERSON_KEY_BYTES;
    const key = keyBlock.subarray(base, base + PERSON_KEY_BYTES);
    if ((found & NEW_PERSON) !== 0) {
      allKeys.push(key);
      if (allKeys.length >= KEY_BATCH) flush();
    }
    if ((found & NEW_SENSITIVE) !== 0) {
      sensitiveKeys.push(key);
      if (sensitiveKeys.length >= KEY_BATCH) flush();
    }
  }

  function flush(): void {
    if (onPersonKeys === undefined) return;
    if (allKeys.length > 0) {
      const batch = allKeys;
      allKeys = [];
      onPersonKeys(batch, false);
    }
    if (sensitiveKeys.length > 0) {
      const batch = sensitiveKeys;
      sensitiveKeys = [];
      onPersonKeys(batch, true);
    }
  }

  return {
    offer(kind: number, bytes: Uint8Array, valueStart: number, valueEnd: number): void {
      const strength = personStrength[kind] as number;
      if (strength === 0 || strength < strongest) return;
      if (strength > strongest) {
        strongest = strength;
        entryCount = 0;
      }
      if (entryCount === 0) {
        lengths[0] = normalise(kind, bytes, valueStart, valueEnd, entries, 0);
        entryCount = 1;
        return;
      }
      const length = normalise(kind, bytes, valueStart, valueEnd, scratch, 0);
      if (isKept(length)) return;
      if (entryCount === MAX_PER_RECORD) {
        countPerson(scratch, 0, length, true);
        return;
      }
      entries.set(scratch.subarray(0, length), entryCount * ENTRY_BYTES);
      lengths[entryCount++] = length;
    },
    get named() {
      return entryCount > 0;
    },
    endRecord(sensitive: boolean): void {
      for (let e = 0; e < entryCount; e++)
        countPerson(entries, e * ENTRY_BYTES, lengths[e] as number, sensitive);
      entryCount = 0;
      strongest = 0;
    },
    flush,
    count: () => counter.count(),
    sensitiveCount: () => counter.sensitiveCount(),
  };
}
