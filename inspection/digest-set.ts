// inspection/digest-set: an exact set of 128-bit person digests in flat typed arrays (open addressing, linear
// probing), remembering per person whether sensitive PI was seen. The table starts small and doubles as people
// arrive, up to the size its capacity needs and never beyond: memory stays bounded by the capacity, and a payload
// naming a handful of people (most of them) does not allocate and zero the whole 4 MiB table.

/** What add() found new: bit 1 = a person not seen before, bit 2 = first sensitive sighting of this person. */
export const NEW_PERSON = 1;
export const NEW_SENSITIVE = 2;
/** add() found a new digest but the set already holds `capacity` digests; nothing was stored. */
export const SET_FULL = -1;

export interface DigestSet {
  /**
   * Adds one digest (four 32-bit words of a keyed hash, so word 0 is already uniformly distributed). Returns the
   * NEW_* bits, or SET_FULL when the digest is new and there is no room for it.
   */
  add(w0: number, w1: number, w2: number, w3: number, sensitive: boolean): number;
  readonly size: number;
  readonly sensitiveSize: number;
}

const PRESENT = 1;
const SENSITIVE = 2;

/** The first table: 1,024 slots (20 KiB). */
const INITIAL_SLOTS = 1024;

/** A set for up to `capacity` digests; its table stays at least twice its size, so probes stay short. */
export function createDigestSet(capacity: number): DigestSet {
  let maxSlots = 16;
  while (maxSlots < capacity * 2) maxSlots *= 2;
  let slots = Math.min(INITIAL_SLOTS, maxSlots);
  let mask = slots - 1;
  let words = new Int32Array(slots * 4);
  let flags = new Uint8Array(slots);
  let size = 0;
  let sensitiveSize = 0;

  /** Doubles the table and re-inserts every digest (word 0 is uniform, so its low bits spread them again). */
  function grow(): void {
    const oldWords = words;
    const oldFlags = flags;
    slots *= 2;
    mask = slots - 1;
    words = new Int32Array(slots * 4);
    flags = new Uint8Array(slots);
    for (let old = 0; old < oldFlags.length; old++) {
      const f = oldFlags[old] as number;
      if (f === 0) continue;
      const from = old * 4;
      let slot = (oldWords[from] as number) & mask;
      while (flags[slot] !== 0) slot = (slot + 1) & mask;
      words.set(oldWords.subarray(from, from + 4), slot * 4);
      flags[slot] = f;
    }
  }

  return {
    add(w0: number, w1: number, w2: number, w3: number, sensitive: boolean): number {
      let slot = w0 & mask;
      for (;;) {
        const f = flags[slot] as number;
        if (f === 0) {
          if (size >= capacity) return SET_FULL;
          if ((size + 1) * 2 > slots && slots < maxSlots) {
            grow();
            slot = w0 & mask;
            while (flags[slot] !== 0) slot = (slot + 1) & mask;
          }
          const at = slot * 4;
          words[at] = w0;
          words[at + 1] = w1;
          words[at + 2] = w2;
          words[at + 3] = w3;
          flags[slot] = sensitive ? PRESENT | SENSITIVE : PRESENT;
          size++;
          if (sensitive) sensitiveSize++;
          return sensitive ? NEW_PERSON | NEW_SENSITIVE : NEW_PERSON;
        }
        const at = slot * 4;
        if (words[at] === w0 && words[at + 1] === w1 && words[at + 2] === w2 && words[at + 3] === w3) {
          if (sensitive && (f & SENSITIVE) === 0) {
            flags[slot] = f | SENSITIVE;
            sensitiveSize++;
            return NEW_SENSITIVE;
          }
          return 0;
        }
        slot = (slot + 1) & mask;
      }
    },
    get size() {
      return size;
    },
    get sensitiveSize() {
      return sensitiveSize;
    },
  };
}
