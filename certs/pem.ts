// certs/pem: PEM ↔ DER (RFC 7468). Pure text handling; parse* return undefined for malformed input, never throw.

const blockPattern = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
/** RFC 7468 §3: base64 text with whitespace between lines; strict alphabet, padding only at the end. */
const base64Text = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** DER → PEM with 64-character lines (RFC 7468 §2). */
export function derToPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const body = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/** Every block with this label, in order; undefined if any such block is not valid base64 (or none is empty). */
export function parsePem(text: string, label = 'CERTIFICATE'): Buffer[] | undefined {
  const out: Buffer[] = [];
  for (const match of text.matchAll(blockPattern)) {
    if (match[1] !== label) continue;
    const body = (match[2] ?? '').replace(/\s+/g, '');
    if (body === '' || !base64Text.test(body)) return undefined;
    out.push(Buffer.from(body, 'base64'));
  }
  return out;
}

/** The first block with this label; undefined when there is none or it is malformed. */
export function pemToDer(text: string, label = 'CERTIFICATE'): Buffer | undefined {
  return parsePem(text, label)?.[0];
}
