// inspection/digest-set: an exact set of 128-bit person digests in flat typed arrays (open addressing, linear
// probing), remembering per person whether sensitive PI was seen. Fixed memory chosen at creation; must not grow.

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

/** A set for up to `capacity` digests; its table is at least twice that, so probes stay short. */
export function createDigestSet(capacity: number): DigestSet {
  let slots = 16;
  while (slots < capacity * 2) slots *= 2;
  const mask = slots - 1;
  const words = new Int32Array(slots * 4);
  const flags = new Uint8Array(slots);
  let size = 0;
  let sensitiveSize = 0;

  return {
    add(w0: number, w1: number, w2: number, w3: number, sensitive: boolean): number {
      let slot = w0 & mask;
      for (;;) {
        const f = flags[slot] as number;
        if (f === 0) {
          if (size >= capacity) return SET_FULL;
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
