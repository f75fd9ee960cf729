// ledger/leaf-encoding: a ledger event and its leaf bytes — UTF-8 of RFC 8785 (JCS) canonical JSON, so the same
// event always hashes the same (api.md §8). Pure.
import { canonicalJson } from './canonical-json.js';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * One ledger entry. `type` names the event (e.g. `transfer.released`), `at` is an RFC 3339 time, `eventId` makes
 * appends idempotent (the ledger assigns a random UUID when absent; domain fields such as `id` stay the caller's).
 * Personal data never goes in: identifiers go in as keyed hashes (see keyedHash).
 */
export interface LedgerEvent {
  readonly type: string;
  readonly at: string;
  readonly eventId?: string;
  readonly [field: string]: JsonValue;
}

// RFC 3339 §5.6 date-time (the ISO 8601 profile JSON producers emit, e.g. Date.prototype.toISOString).
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Problems that make `event` unfit for the ledger (empty when fit): JSON Pointer paths with what is wrong. */
export function checkLedgerEvent(event: unknown): string[] {
  const issues: string[] = [];
  if (!isPlainObject(event)) return ['/: an event is a JSON object'];
  if (typeof event['type'] !== 'string' || event['type'] === '')
    issues.push('/type: a non-empty string is required');
  const at = event['at'];
  if (typeof at !== 'string' || !ISO_TIME.test(at) || Number.isNaN(Date.parse(at))) {
    issues.push('/at: an RFC 3339 date-time is required');
  }
  if ('eventId' in event && (typeof event['eventId'] !== 'string' || event['eventId'] === ''))
    issues.push('/eventId: a non-empty string is required');
  // Fast path on the hot append path; the pointer-building walk only runs to explain a failure.
  if (!isJsonData(event)) checkJson(event, '', issues);
  return issues;
}

function isJsonData(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) return value.every(isJsonData);
      if (!isPlainObject(value)) return false;
      for (const key in value) if (!isJsonData(value[key])) return false;
      return true;
    default:
      return false;
  }
}

/** Leaf bytes of `event`: UTF-8 of its RFC 8785 canonical JSON. Throws TypeError for an unfit event (a caller bug). */
export function encodeLeaf(event: LedgerEvent): Buffer {
  const issues = checkLedgerEvent(event);
  if (issues.length > 0) throw new TypeError(`not a ledger event: ${issues.join('; ')}`);
  const text = canonicalJson(event);
  if (text === undefined) throw new TypeError('not a ledger event: it has no JSON form');
  return Buffer.from(text, 'utf8');
}

/** The parsed event of leaf bytes, or undefined when they are not a JSON object. */
export function decodeLeaf(leaf: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(leaf).toString('utf8'));
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The `eventId` of the event a leaf encodes, if it has one. */
export function readEventId(leaf: Uint8Array): string | undefined {
  const id = decodeLeaf(leaf)?.['eventId'];
  return typeof id === 'string' ? id : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// RFC 8785 §3.2.2: only JSON data — finite numbers (I-JSON, RFC 7493), strings, booleans, null, arrays, objects.
function checkJson(value: unknown, pointer: string, issues: string[]): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) issues.push(`${pointer || '/'}: numbers must be finite`);
      return;
    case 'object':
      if (value === null) return;
      if (Array.isArray(value)) {
        value.forEach((item, i) => checkJson(item, `${pointer}/${i}`, issues));
        return;
      }
      if (!isPlainObject(value)) {
        issues.push(`${pointer || '/'}: only plain objects, arrays and JSON primitives are allowed`);
        return;
      }
      for (const [key, item] of Object.entries(value))
        checkJson(item, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, issues);
      return;
    default:
      issues.push(`${pointer || '/'}: ${typeof value} is not JSON`);
  }
}
