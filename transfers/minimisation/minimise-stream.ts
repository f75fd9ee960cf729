// transfers/minimisation/minimise-stream: a Minimiser as a Node Transform stream, for intake's pipeline. The outcome is
// available once the stream has flushed. It adds no behaviour of its own.
import { Transform } from 'node:stream';
import type { MinimisationOutcome, Minimiser } from './create-minimiser.js';

export interface MinimiseStream extends Transform {
  /** What the plan did; null until the stream has ended. */
  outcome(): MinimisationOutcome | null;
}

export function createMinimiseStream(minimiser: Minimiser): MinimiseStream {
  let outcome: MinimisationOutcome | null = null;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        minimiser.write(chunk, (bytes) => this.push(bytes));
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
    flush(callback) {
      try {
        outcome = minimiser.end((bytes) => this.push(bytes));
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
  });
  return Object.assign(stream, { outcome: () => outcome });
}
