// policies/localise-reasons: a record's reason messages in the language the client asked for (api.md §6:
// `Accept-Language` zh-CN or any zh → Chinese, anything else → English; codes and `rule` citations unchanged).
// Pure: takes any JSON-shaped value (a transfer record, a classification, a page of records) and returns a copy in
// which every reason — an object with a code, a rule, a message and a messageZh — carries the chosen message.
export type ReasonLanguage = 'en' | 'zh';

/**
 * RFC 9110 §12.5.4 Accept-Language → the reason language: the tag with the highest q (first on ties) decides; a
 * primary subtag `zh` (zh, zh-CN, zh-Hans-CN, zh-TW …) is Chinese, anything else, `*` or nothing is English.
 */
export function reasonLanguageOf(header: string | undefined): ReasonLanguage {
  if (header === undefined) return 'en';
  let best: { tag: string; q: number } | null = null;
  for (const part of header.split(',')) {
    const [rawTag, ...params] = part.trim().split(';');
    const tag = (rawTag ?? '').trim().toLowerCase();
    if (tag === '') continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p);
      if (m !== null) q = Number(m[1]);
    }
    if (q > 0 && (best === null || q > best.q)) best = { tag, q };
  }
  return best !== null && (best.tag === 'zh' || best.tag.startsWith('zh-')) ? 'zh' : 'en';
}

function isReason(value: Record<string, unknown>): boolean {
  return (
    typeof value['code'] === 'string' &&
    typeof value['rule'] === 'string' &&
    typeof value['message'] === 'string' &&
    typeof value['messageZh'] === 'string'
  );
}

/** A copy of `value` whose reasons' `message` is in `language` (English is the stored `message`). */
export function localiseReasons<T>(value: T, language: ReasonLanguage): T {
  if (language === 'en') return value;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    // Only plain JSON objects are walked; a Date, Buffer or class instance is passed through untouched.
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    const obj = v as Record<string, unknown>;
    if (isReason(obj)) return { ...obj, message: obj['messageZh'] };
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(obj)) out[k] = walk(child);
    return out;
  };
  return walk(value) as T;
}
