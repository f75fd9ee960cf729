// workers/deliver-webhook: one webhook POST on the wire (api.md §11) — HTTPS only, the server verified against
// the system CAs plus XBORDER_TLS_CA, and the socket connecting only to an address the outbound guard allows
// (XBORDER_ENDPOINT_ALLOWED_NETS, checked again here at connect time: DNS may answer differently than at
// registration). No retry logic and no signing here: the processor signs, BullMQ retries.
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { Cidr } from '../platform/outbound-address.js';
import { checkLiteralHost, createGuardedLookup, type Resolve } from '../platform/outbound-guard.js';
import type { DeliveryOutcome } from '../registry/webhook-store.js';
import { classifyNetworkError } from './deliver-http.js';

export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** PEM bundle added to the system CAs (XBORDER_TLS_CA). */
  readonly extraCa: string;
  readonly allowedNets: readonly Cidr[];
  readonly timeoutMs: number;
  readonly resolve?: Resolve;
}

export type WebhookAnswer =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly outcome: DeliveryOutcome; readonly status: number | null };

/** Receivers answer with a status; their body is not read past this (and not stored). */
const maxAnswerBytes = 4096;

export function postWebhook(request: WebhookRequest): Promise<WebhookAnswer> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      resolve({ ok: false, outcome: 'network_error', status: null });
      return;
    }
    if (url.protocol !== 'https:') {
      resolve({ ok: false, outcome: 'tls_error', status: null });
      return;
    }
    const literal = checkLiteralHost(url.hostname, request.allowedNets);
    if (literal !== null) {
      resolve({ ok: false, outcome: 'address_not_allowed', status: null });
      return;
    }
    const fail = (err: unknown) =>
      resolve({ ok: false, outcome: classifyNetworkError(err) as DeliveryOutcome, status: null });
    const req = https.request(
      url,
      {
        method: 'POST',
        ca: [...rootCertificates, request.extraCa],
        // A fresh connection each time: a pooled socket would skip the guarded lookup.
        agent: false,
        lookup: createGuardedLookup(request.allowedNets, request.resolve),
        headers: {
          ...request.headers,
          'Content-Type': 'application/json',
          'Content-Length': String(Buffer.byteLength(request.body)),
          'User-Agent': 'xborder-webhooks/1',
        },
        timeout: request.timeoutMs,
      },
      (res) => {
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxAnswerBytes) res.destroy();
        });
        const status = res.statusCode ?? 0;
        const done = () =>
          resolve(
            status >= 200 && status < 300
              ? { ok: true, status }
              : { ok: false, outcome: 'http_error', status },
          );
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('webhook receiver did not answer'), { code: 'ETIMEDOUT' })),
    );
    req.on('error', fail);
    req.end(request.body);
  });
}
