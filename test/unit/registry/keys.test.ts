// registry/keys: no kind of key shares a namespace with another (issue #12 item 4). Every builder is called
// with ordinary and hostile values; a key one builder makes is never a key another builder (or the same
// builder with other values) can make, and no value escapes its segment.
import { expect } from 'chai';
import { keys, segment, tail, type RecordKind } from '../../../registry/keys.js';

const ulid = '01JDZ3V7Q8M2K4N6P8R0S2T4V6';
const uscc = '91450100MA5KDEM11G';
const hostile = [
  ulid,
  `${ulid}:people`,
  `${ulid}:people-s`,
  'a:b',
  'people',
  '..',
  '',
  '*',
  '?',
  '[a-z]',
  '{tag}',
  '%3A',
  '%',
  'ü',
  '\uD800',
  '\uFFFD',
  'a b',
  'a/b',
];
const kinds: readonly RecordKind[] = [
  'exporter',
  'partner',
  'endpoint',
  'filing',
  'self-assessment',
  'attestation',
];

/** Every builder, each with the values it was given, so a collision names both sides. */
function allKeys(): Map<string, string> {
  const made = new Map<string, string>();
  const add = (key: string, by: string) => {
    const before = made.get(key);
    if (before !== undefined && before !== by) throw new Error(`${key} is made by ${before} and by ${by}`);
    made.set(key, by);
  };
  for (const v of hostile) {
    const s = JSON.stringify(v);
    for (const kind of kinds) {
      add(keys.record(kind, v), `record(${kind}, ${s})`);
      add(keys.recordIndex(kind), `recordIndex(${kind})`);
    }
    add(keys.selfAssessmentsByExporter(v), `selfAssessmentsByExporter(${s})`);
    add(keys.revokedCertificates(), 'revokedCertificates()');
    add(keys.transfer(v), `transfer(${s})`);
    add(keys.transfersAll(), 'transfersAll()');
    add(keys.transfersByExporter(v), `transfersByExporter(${s})`);
    add(keys.transfersByStatus(v), `transfersByStatus(${s})`);
    add(keys.transfersByTier(v), `transfersByTier(${s})`);
    add(keys.transfersByHoldReason(v), `transfersByHoldReason(${s})`);
    add(keys.transferPeople(v), `transferPeople(${s})`);
    add(keys.transferSensitivePeople(v), `transferSensitivePeople(${s})`);
    add(keys.legacyTransferPeople(v), `legacyTransferPeople(${s})`);
    add(keys.legacyTransferSensitivePeople(v), `legacyTransferSensitivePeople(${s})`);
    add(keys.volumePeople(v, 2026), `volumePeople(${s})`);
    add(keys.volumeSensitivePeople(v, 2026), `volumeSensitivePeople(${s})`);
    add(keys.volumeSurplus(v, 2026), `volumeSurplus(${s})`);
    add(keys.payloadRefs(v), `payloadRefs(${s})`);
    for (const w of hostile) add(keys.idempotency(v, w), `idempotency(${s}, ${JSON.stringify(w)})`);
    add(keys.retentionLock(), 'retentionLock()');
  }
  return made;
}

describe('registry/keys: disjoint namespaces', () => {
  it('no two builders, nor one builder with two values, make the same key', () => {
    expect(() => allKeys()).not.to.throw();
  });

  it('a transfer record key has nothing else under it: its counters live in their own namespace', () => {
    expect(keys.transfer(ulid)).to.equal(`xb:transfer:${ulid}`);
    expect(keys.transferPeople(ulid)).to.equal(`xb:transfer-people:${ulid}`);
    expect(keys.transferSensitivePeople(ulid)).to.equal(`xb:transfer-people-s:${ulid}`);
    // The id that reached an HLL before issue #12 now names a record that cannot exist.
    expect(keys.transfer(`${ulid}:people`)).to.equal(`xb:transfer:${ulid}%3Apeople`);
    expect(keys.transfer(`${ulid}:people`)).not.to.equal(keys.legacyTransferPeople(ulid));
    for (const [key, by] of allKeys())
      if (key.startsWith('xb:transfer:') && !by.startsWith('legacy')) expect(by, key).to.match(/^transfer\(/);
  });

  it('keeps every id the API accepts as it was (existing data keeps its key names)', () => {
    for (const id of [ulid, uscc, 'p-sg', 'urn:partner:1', 'F-1.2_a', 'R-EVID-FILING-MISSING'])
      expect(tail(id)).to.equal(id);
    for (const id of [ulid, uscc, 'R-EVID-FILING-MISSING', 'held', 'a'.repeat(64)])
      expect(segment(id)).to.equal(id);
    expect(keys.idempotency(uscc, 'order:42')).to.equal(`xb:idem:${uscc}:order:42`);
    expect(keys.volumePeople(uscc, 2026)).to.equal(`xb:volume:${uscc}:2026:people`);
  });

  it("encodes what could reach past a segment or act as a pattern: ':' inside, % * ? [ ] { } anywhere", () => {
    expect(segment('a:b')).to.equal('a%3Ab');
    expect(tail('a:b')).to.equal('a:b');
    expect(tail('*?[]{}%')).to.equal('%2A%3F%5B%5D%7B%7D%25');
    expect(tail('ü')).to.equal('%C3%BC');
    expect(tail('\uD800')).to.equal('%uD800');
    for (const v of hostile) {
      expect(segment(v), v).to.match(/^[A-Za-z0-9._%u-]*$/);
      expect(tail(v), v).to.match(/^[A-Za-z0-9._:%u-]*$/);
    }
  });
});
