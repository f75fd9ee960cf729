// gateway/intake: POST /v1/transfers (api.md §6). One streaming pass over a multipart body: the manifest part
// first (validated, authorised and checked against the registry before any payload byte is read), then the
// payload through the size limit, content inspection, SHA-256 and encryption into the payload store.
// Nothing is buffered whole. The submit service then classifies, records and enqueues; the answer is 202.
// An upload that stops making progress is cut off with 408, so stalled clients cannot pile up connections.
import { localiseReasons, reasonLanguageOf } from '../policies/localise-reasons.js';
import type { Request, RequestHandler, Response } from 'express';
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../platform/errors.js';
import { parseJsonText } from '../platform/schema.js';
import { parseManifest, type Manifest } from '../policies/manifest.js';
import { canonicalJson } from '../ledger/canonical-json.js';
import { MinimiseError } from '../transfers/minimisation/minimise-error.js';
import { createMinimiseStream } from '../transfers/minimisation/minimise-stream.js';
import { principalOf } from './auth.js';
import { readParts, type PartReader } from './multipart-parts.js';
import { holdLease, type HeldLease } from './idempotency-lease.js';
import type { Principal } from './principal.js';
import type { SubmitAnswer, SubmitService } from './submit-service.js';

/** The manifest is small JSON; anything larger is not a manifest. */
const maxManifestBytes = 256 * 1024;
/** Room for multipart boundaries and part headers around a payload at the limit. */
const multipartOverheadBytes = 64 * 1024;
const idempotencyKeyPattern = /^[A-Za-z0-9._:-]{1,128}$/;

class PayloadTooLarge extends Error {}

/** An upload must send at least this much per upload-timeout window (e.g. 64 KiB per 30 s, ~2 KB/s). */
const minBytesPerWindow = 64 * 1024;

/** Read and discard at most this much of a refused upload so the client finishes sending and sees the answer. */
const drainCapBytes = 16 * 1024 * 1024;
const drainTimeoutMs = 5000;

/**
 * Answers an error while the client may still be uploading. Most HTTP clients only read the answer once
 * they have sent the whole body, so the rest of the body is drained (bounded in bytes and time) before the
 * answer goes out; past the bound the answer is sent and the connection cut.
 */
function rejectUpload(req: Request, res: Response, err: unknown, next: (err: unknown) => void): void {
  req.unpipe();
  res.setHeader('Connection', 'close');
  let answered = false;
  const answer = (cut: boolean): void => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    if (cut) res.once('finish', () => req.socket.destroy());
    next(err);
  };
  const timer = setTimeout(() => answer(true), drainTimeoutMs);
  timer.unref();
  if (req.complete) return answer(false);
  // A client that stopped sending will not finish: answer now and close.
  if (err instanceof AppError && err.code === 'REQUEST_TIMEOUT') return answer(true);
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > drainCapBytes) answer(true);
  });
  req.once('end', () => answer(false));
  req.once('error', () => answer(true));
  req.resume();
}

function digestOf(manifest: Manifest): string {
  return createHash('sha256')
    .update(canonicalJson(manifest) ?? '')
    .digest('hex');
}

async function readManifest(parts: PartReader): Promise<Manifest> {
  const part = await parts.next();
  if (part === null || part.kind !== 'field' || part.name !== 'manifest') {
    if (part?.kind === 'file') part.stream.resume();
    throw new AppError(
      'BAD_MULTIPART',
      'The first part must be a "manifest" field holding the manifest JSON',
    );
  }
  if (part.truncated)
    throw new AppError('BAD_MANIFEST', 'The manifest is too large', [
      { path: '', message: `exceeds ${maxManifestBytes} bytes` },
    ]);
  const json = parseJsonText(part.value);
  if (!json.ok) throw new AppError('BAD_MANIFEST', 'The manifest is not valid JSON', json.issues);
  const parsed = parseManifest(json.value);
  if (!parsed.ok) throw new AppError('BAD_MANIFEST', 'The manifest is not valid', parsed.issues);
  return parsed.value;
}

async function readPayloadPart(parts: PartReader): Promise<Readable> {
  const part = await parts.next();
  if (part === null || part.kind !== 'file' || part.name !== 'payload') {
    if (part?.kind === 'file') part.stream.resume();
    throw new AppError('BAD_MULTIPART', 'The second part must be a "payload" file part');
  }
  return part.stream;
}

const keyTakenOver = () =>
  new AppError('CONFLICT', 'The Idempotency-Key was taken over by another request while this one stalled');

export interface IntakeLimits {
  readonly maxPayloadBytes: number;
  /** The progress window: less than 64 KiB in this long while the body is incomplete answers 408. */
  readonly uploadTimeoutMs: number;
}

export function createIntakeHandler(service: SubmitService, limits: IntakeLimits): RequestHandler {
  const { maxPayloadBytes, uploadTimeoutMs } = limits;
  /** Checks what the manifest says against who is asking and what is registered, before the payload is read. */
  async function admit(principal: Principal, manifest: Manifest): Promise<void> {
    if (principal.exporter !== manifest.exporterId) {
      throw new AppError('FORBIDDEN', 'The manifest names an exporter your token does not represent', [
        { path: '/exporterId', message: "must equal your token's exporter claim" },
      ]);
    }
    const problems = await service.checkReferences(manifest);
    if (problems.length > 0)
      throw new AppError(
        'UNKNOWN_REFERENCE',
        'The manifest refers to records that are not registered',
        problems,
      );
  }

  /**
   * Streams the payload through the meter, inspection and the writer; the writer is left uncommitted. With a
   * `minimise` plan (issue #20) the original is metered, hashed and inspected, then minimised, and only the result
   * is inspected again and written: the original never reaches the payload store. A plan that cannot be applied
   * (an unknown column once the header is read, a malformed record) fails the pipeline before the commit, so the
   * writer is aborted and nothing is kept.
   */
  async function receivePayload(transferId: string, stream: Readable, manifest: Manifest) {
    const inspector = service.createInspector(transferId);
    const writer = await service.createPayloadWriter();
    const plan = manifest.minimise;
    const original = plan === undefined ? null : service.createInspector(transferId, false);
    const originalHash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes > maxPayloadBytes) return callback(new PayloadTooLarge());
        if (original === null) inspector.write(chunk);
        else {
          original.write(chunk);
          originalHash.update(chunk);
        }
        callback(null, chunk);
      },
    });
    try {
      if (plan === undefined || original === null) {
        await pipeline(stream, meter, writer);
        return { writer, report: await inspector.finish() };
      }
      const minimise = createMinimiseStream(service.createMinimiser(manifest.exporterId, plan));
      const result = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          inspector.write(chunk);
          callback(null, chunk);
        },
      });
      await pipeline(stream, meter, minimise, result, writer);
      const outcome = minimise.outcome();
      if (outcome === null) throw new Error('the minimiser ended without an outcome');
      const originalReport = await original.finish();
      return {
        writer,
        report: await inspector.finish(),
        minimised: {
          original: { bytes, sha256: originalHash.digest('hex'), report: originalReport },
          outcome,
        },
      };
    } catch (err) {
      await writer.abort();
      if (err instanceof PayloadTooLarge)
        throw new AppError('PAYLOAD_TOO_LARGE', `The payload exceeds ${maxPayloadBytes} bytes`);
      if (err instanceof MinimiseError) {
        const issue = { path: err.path === '' ? '/minimise/format' : err.path, message: err.message };
        if (err.inPlan)
          throw new AppError('BAD_MANIFEST', 'The minimisation plan does not fit the payload', [issue]);
        throw new AppError('PAYLOAD_NOT_MINIMISABLE', undefined, [issue]);
      }
      throw err;
    }
  }

  /**
   * Reads the payload and creates the transfer. Under an Idempotency-Key the transfer id is bound to the claim
   * before the payload becomes visible and the record is created, so a retry after a crash at any point finds
   * either nothing (and goes ahead) or the transfer (and answers it).
   */
  async function create(
    parts: PartReader,
    manifest: Manifest,
    principal: Principal,
    lease: HeldLease | null,
    progress: { submitting: boolean },
  ): Promise<SubmitAnswer> {
    const stream = await readPayloadPart(parts);
    const transferId = service.newTransferId();
    const { writer, report, minimised } = await receivePayload(transferId, stream, manifest);
    let committed = false;
    try {
      if ((await parts.next()) !== null)
        throw new AppError('BAD_MULTIPART', 'Nothing may follow the payload part');
      if (lease !== null && !(await lease.bind(transferId))) throw keyTakenOver();
      const stored = await writer.commit();
      committed = true;
      progress.submitting = true;
      const answer = await service.submit({
        transferId,
        manifest,
        principal,
        payload: stored,
        report,
        ...(minimised !== undefined ? { minimised } : {}),
      });
      // False only if this request stalled past its lease and a retry resolved the key meanwhile: that retry
      // found this transfer (bound above) and answered it, so there is still one transfer for the key.
      if (lease !== null) await lease.complete(answer.id);
      return answer;
    } catch (err) {
      if (!committed) await writer.abort();
      throw err;
    }
  }

  async function receive(req: Request, res: Response, principal: Principal): Promise<SubmitAnswer> {
    const parts = readParts(req, { fieldBytes: maxManifestBytes });
    const watchdog = watchProgress(req, parts);
    try {
      const manifest = await readManifest(parts);
      await admit(principal, manifest);

      const key = req.get('idempotency-key');
      if (key === undefined) return await create(parts, manifest, principal, null, { submitting: false });
      if (!idempotencyKeyPattern.test(key)) {
        throw new AppError('BAD_REQUEST', 'The Idempotency-Key header is not valid', [
          { path: '/headers/idempotency-key', message: 'must be 1-128 characters of A-Z a-z 0-9 . _ : -' },
        ]);
      }
      const digest = digestOf(manifest);
      const state = await service.idempotency.claim(manifest.exporterId, key, digest);
      if (state.state !== 'claimed' && state.manifestSha256 !== digest)
        throw new AppError('IDEMPOTENCY_KEY_REUSED');
      if (state.state === 'in_progress') {
        res.setHeader('Retry-After', String(Math.max(1, Math.ceil(state.retryAfterMs / 1000))));
        throw new AppError('CONFLICT', 'A request with this Idempotency-Key is still in progress');
      }
      if (state.state === 'done') {
        (await readPayloadPart(parts)).resume();
        return await service.answerFor(state.transferId);
      }
      const lease = holdLease(
        service.idempotency,
        { exporterId: manifest.exporterId, key, owner: state.owner },
        () => parts.abort(keyTakenOver()),
      );
      const progress = { submitting: false };
      try {
        return await create(parts, manifest, principal, lease, progress);
      } catch (err) {
        // Before the submit nothing exists, so the key is free for the client's retry at once. After it has
        // started the record may exist: the bound claim is left to lapse and a retry then finds what is there.
        if (!progress.submitting) await lease.release().catch(() => undefined);
        throw err;
      } finally {
        lease.stop();
      }
    } finally {
      watchdog.stop();
    }
  }

  /**
   * Cuts off an upload that sends less than `minBytesPerWindow` in one `uploadTimeoutMs` window while its body
   * is incomplete: a stalled or trickling client must not hold a connection, a parser and a temp file.
   */
  function watchProgress(req: Request, parts: PartReader): { stop(): void } {
    let received = 0;
    const count = (chunk: Buffer): void => {
      received += chunk.length;
    };
    req.on('data', count);
    const timer = setInterval(() => {
      if (req.complete) return stop();
      if (received >= minBytesPerWindow) {
        received = 0;
        return;
      }
      stop();
      parts.abort(
        new AppError(
          'REQUEST_TIMEOUT',
          `The upload sent less than ${minBytesPerWindow} bytes in ${uploadTimeoutMs} ms and was cut off`,
        ),
      );
    }, uploadTimeoutMs);
    timer.unref();
    function stop(): void {
      clearInterval(timer);
      req.off('data', count);
    }
    return { stop };
  }

  return (req, res, next) => {
    const principal = principalOf(res);
    if (!(req.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
      rejectUpload(
        req,
        res,
        new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          'Send multipart/form-data: a "manifest" part, then a "payload" part',
        ),
        next,
      );
      return;
    }
    const declaredLength = Number(req.get('content-length') ?? NaN);
    if (
      Number.isFinite(declaredLength) &&
      declaredLength > maxPayloadBytes + maxManifestBytes + multipartOverheadBytes
    ) {
      rejectUpload(
        req,
        res,
        new AppError('PAYLOAD_TOO_LARGE', `The payload exceeds ${maxPayloadBytes} bytes`),
        next,
      );
      return;
    }
    receive(req, res, principal).then(
      (body) =>
        res
          .status(202)
          .location(`/v1/transfers/${body.id}`)
          // api.md §6: reason messages follow Accept-Language (codes and citations unchanged).
          .json(localiseReasons(body, reasonLanguageOf(req.get('accept-language')))),
      (err: unknown) => rejectUpload(req, res, err, next),
    );
  };
}
