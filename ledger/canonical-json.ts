// ledger/canonical-json: RFC 8785 (JCS) canonical JSON — the one file that imports `canonicalize`, so ledger
// leaves and the intake's manifest digest serialise alike. Pure; undefined when a value has no JSON form.
import canonicalize from 'canonicalize';

export function canonicalJson(value: unknown): string | undefined {
  return canonicalize(value);
}
