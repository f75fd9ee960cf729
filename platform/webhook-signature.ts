// platform/webhook-signature: the one wrapper around the `standardwebhooks` package (the Standard Webhooks
// reference implementation, api.md §11): secrets in the spec's `whsec_<base64>` form, and the three headers
// (`webhook-id`, `webhook-timestamp`, `webhook-signature`: HMAC-SHA256 over `id.timestamp.body`). It must not
// hand-roll the framing, and its types and errors do not leak past this file.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const secretPrefix = 'whsec_';
/** The spec recommends secrets of 24 to 64 random bytes; the gateway generates 32. */
const minSecretBytes = 24;
const maxSecretBytes = 64;
const generatedSecretBytes = 32;

export type SecretVerdict =
  { readonly ok: true; readonly secret: string } | { readonly ok: false; readonly message: string };

/** A fresh secret, `whsec_` and the standard base64 of 32 random bytes. */
export function generateWebhookSecret(random: (n: number) => Buffer = randomBytes): string {
  return `${secretPrefix}${random(generatedSecretBytes).toString('base64')}`;
}

/** A client-supplied secret must be `whsec_` + standard base64 of 24–64 bytes (Standard Webhooks, "Signing secrets"). */
export function parseWebhookSecret(text: string): SecretVerdict {
  if (!text.startsWith(secretPrefix)) return { ok: false, message: 'must start with whsec_' };
  const body = text.slice(secretPrefix.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0)
    return { ok: false, message: 'must be whsec_ followed by standard base64' };
  const bytes = Buffer.from(body, 'base64').length;
  if (bytes < minSecretBytes || bytes > maxSecretBytes)
    return { ok: false, message: `must encode ${minSecretBytes} to ${maxSecretBytes} bytes, not ${bytes}` };
  return { ok: true, secret: text };
}

export interface WebhookHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/**
 * The headers of one delivery attempt. The id is the event's (stable across retries, so receivers dedupe); the
 * timestamp is the attempt's (receivers refuse old ones, which is why a retry is signed again).
 */
export function signWebhook(secret: string, eventId: string, at: Date, body: string): WebhookHeaders {
  const signature = new Webhook(secret).sign(eventId, at, body);
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  };
}
