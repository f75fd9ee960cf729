// ledger/local-sequencer: the sequencer when this process is the ledger's only writer — submissions go straight
// to the store's group commit. Retries are deduplicated by event id for ids seen by this process recently; across
// restarts and processes use redis-sequencer.ts.
import type { LedgerStore } from './ledger-store.js';
import type { Sequenced, Sequencer, SequencerItem } from './sequencer.js';

export interface LocalSequencerOptions {
  /** How many recent event ids (→ index) are remembered for deduplication. */
  readonly rememberIds?: number;
}

export function createLocalSequencer(store: LedgerStore, options: LocalSequencerOptions = {}): Sequencer {
  const limit = options.rememberIds ?? 100_000;
  const recent = new Map<string, number>();
  const inFlight = new Map<string, Promise<number>>();
  const listeners: ((size: number) => void)[] = [];

  const remember = (id: string, index: number): void => {
    recent.set(id, index);
    if (recent.size > limit) recent.delete(recent.keys().next().value as string);
  };

  return {
    async submit(items: readonly SequencerItem[]): Promise<Sequenced[]> {
      // Ids already recorded or on their way answer with that index; the rest go into one store append.
      const answers: (Sequenced | Promise<Sequenced>)[] = [];
      const fresh: SequencerItem[] = [];
      const freshIndex = new Map<string, number>();
      for (const item of items) {
        const known = recent.get(item.id);
        const pending = known === undefined ? inFlight.get(item.id) : undefined;
        const position = freshIndex.get(item.id);
        if (known !== undefined) answers.push({ index: known, duplicate: true });
        else if (pending !== undefined) answers.push(pending.then((index) => ({ index, duplicate: true })));
        else if (position !== undefined)
          answers.push({ index: position, duplicate: true }); // fixed up below
        else {
          freshIndex.set(item.id, fresh.length);
          answers.push({ index: fresh.length, duplicate: false }); // fixed up below
          fresh.push(item);
        }
      }
      if (fresh.length > 0) {
        const appended = store.append(fresh.map((item) => item.leaf));
        fresh.forEach((item, k) =>
          inFlight.set(
            item.id,
            appended.then((first) => first + k),
          ),
        );
        try {
          const first = await appended;
          fresh.forEach((item, k) => remember(item.id, first + k));
          items.forEach((item, i) => {
            const position = freshIndex.get(item.id);
            const answer = answers[i];
            if (position !== undefined && answer !== undefined && !(answer instanceof Promise))
              answers[i] = { index: first + position, duplicate: answer.duplicate };
          });
          for (const listener of listeners) listener(store.size());
        } finally {
          for (const item of fresh) inFlight.delete(item.id);
        }
      }
      return Promise.all(answers.map((answer) => Promise.resolve(answer)));
    },
    isSequencing: () => true,
    onIntegrated(listener) {
      listeners.push(listener);
    },
    async close() {
      await Promise.allSettled(inFlight.values());
    },
  };
}
