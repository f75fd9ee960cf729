// gateway/multipart-parts: turns busboy's events into parts read one at a time, in order, so intake can
// validate the manifest before it touches the payload. Busboy pauses the upload while a file part is unread,
// which is the backpressure that keeps memory flat.
import type { Request } from 'express';
import busboy from 'busboy';
import type { Readable } from 'node:stream';
import { AppError } from '../platform/errors.js';

export type Part =
  | { readonly kind: 'field'; readonly name: string; readonly value: string; readonly truncated: boolean }
  | { readonly kind: 'file'; readonly name: string; readonly stream: Readable };

export interface PartReader {
  /** The next part, or null at the end of the body. Rejects with an AppError on malformed input. */
  next(): Promise<Part | null>;
  /**
   * Stops reading with `err` (an upload timed out, an Idempotency-Key was lost): a pending or later next()
   * rejects with it, and a payload part being read fails with it.
   */
  abort(err: AppError): void;
}

export interface PartLimits {
  readonly fieldBytes: number;
}

export function readParts(req: Request, limits: PartLimits): PartReader {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      // One field (the manifest) and one file (the payload). No `parts` limit: busboy reports partsLimit
      // at the closing boundary of a body with exactly that many parts. No fileSize limit either: intake
      // meters the payload itself and answers 413 at the first byte over.
      limits: { fields: 1, files: 1, fieldSize: limits.fieldBytes },
    });
  } catch {
    throw new AppError('BAD_MULTIPART', 'The multipart body has no valid boundary');
  }
  const queue: (Part | null)[] = [];
  let failure: AppError | null = null;
  let waiter: { resolve: (part: Part | null) => void; reject: (err: AppError) => void } | null = null;

  const settle = (): void => {
    if (waiter === null) return;
    const { resolve, reject } = waiter;
    // A failure wins over parts still queued: a body that broke a limit is refused, not half-read.
    if (failure !== null) {
      waiter = null;
      reject(failure);
    } else if (queue.length > 0) {
      waiter = null;
      resolve(queue.shift() ?? null);
    }
  };
  const push = (part: Part | null): void => {
    queue.push(part);
    settle();
  };
  const fail = (message: string): void => {
    failure ??= new AppError('BAD_MULTIPART', message);
    settle();
  };

  parser.on('field', (name, value, info) =>
    push({ kind: 'field', name, value, truncated: info.valueTruncated }),
  );
  let activeFile: Readable | null = null;
  parser.on('file', (name, stream) => {
    activeFile = stream;
    // Busboy also emits a truncated body's error on the part's stream, possibly before intake reads it;
    // the parser's own 'error' reports it, so this listener only keeps it from crashing the process.
    stream.on('error', () => undefined);
    push({ kind: 'file', name, stream });
  });
  parser.on('filesLimit', () => fail('Only one payload part is allowed'));
  parser.on('fieldsLimit', () => fail('Only one manifest part is allowed'));
  parser.on('error', (err: unknown) =>
    fail(`The multipart body is malformed (${err instanceof Error ? err.message : 'parse error'})`),
  );
  parser.on('close', () => push(null));
  req.on('aborted', () => fail('The client aborted the upload'));
  req.pipe(parser);

  return {
    next: () =>
      new Promise<Part | null>((resolve, reject) => {
        waiter = { resolve, reject };
        settle();
      }),
    abort(err) {
      failure ??= err;
      settle();
      req.unpipe(parser);
      activeFile?.destroy(failure);
    },
  };
}
