// certs/lru-cache: a bounded map that forgets its least recently used entry first. It memoises pure functions
// of certificate and document bytes (parsing, signature checks), so hostile input cannot grow memory without
// bound and what a process keeps verifying stays cached. Holds only facts that no clock or trust store decides.

export interface LruCache<K, V> {
  /** The value for `key`, which becomes the most recently used; undefined when absent. */
  get(key: K): V | undefined;
  /** Stores `value` as the most recently used, evicting the least recently used entry beyond capacity. */
  set(key: K, value: V): void;
  readonly size: number;
}

export function createLruCache<K, V>(capacity: number): LruCache<K, V> {
  if (!Number.isSafeInteger(capacity) || capacity < 1)
    throw new RangeError(`capacity must be a positive integer, not ${capacity}`);
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used entry first.
  const entries = new Map<K, V>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
    },
    get size() {
      return entries.size;
    },
  };
}
