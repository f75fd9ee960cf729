// test/support/scripted-ledger: a ledger on disk holding a scripted flow of events, shaped as the gateway and
// workers write them (registry changes, submissions, classifications, checks, holds, decisions, releases,
// receipts, failures, volume commits) — the archive's input in tests and benchmarks. Deterministic per seed.
import { openLedgerStore } from '../../ledger/index.js';
import { encodeLeaf, type LedgerEvent } from '../../ledger/leaf-encoding.js';

export const scriptedExporters = ['91450100MA5KXXXX0A', '91450200MA5KYYYY0B', '91450300MA5KZZZZ0C'] as const;
const partners = [
  { id: 'sg-logistics', country: 'SG' },
  { id: 'vn-payments', country: 'VN' },
  { id: 'my-retail', country: 'MY' },
] as const;
const categories = ['contact', 'order', 'payment', 'location', 'health'] as const;

/** A ULID-shaped id (26 Crockford characters) from a number, stable across runs. */
export function scriptedTransferId(n: number): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let digits = '';
  for (let v = n; v > 0; v = Math.floor(v / 32)) digits = alphabet.charAt(v % 32) + digits;
  return `01J${digits.padStart(23, '0')}`;
}

function pick<T>(list: readonly T[], n: number): T {
  const item = list[n % list.length];
  if (item === undefined) throw new RangeError('empty list');
  return item;
}

/** Events of transfer n, submitted at `at` (ISO); about one in seven held then decided, one in eleven blocked. */
export function transferEvents(n: number, at: Date, ytd: Map<string, number>): LedgerEvent[] {
  const id = scriptedTransferId(n);
  const exporterId = pick(scriptedExporters, n);
  const partner = pick(partners, n * 7 + 1);
  const t = (seconds: number) => new Date(at.getTime() + seconds * 1000).toISOString();
  const individuals = 10 + (n % 50);
  const events: LedgerEvent[] = [
    {
      type: 'transfer.submitted',
      at: t(0),
      transferId: id,
      exporterId,
      submittedBy: `h${n % 5}`,
      businessType: 'cross_border_logistics',
      payloadSha256: n.toString(16).padStart(64, '0'),
      bytes: 1000 + n,
      findings: { phone: individuals },
      partnerId: partner.id,
      endpointId: `${partner.id}-ep`,
      destinationCountry: partner.country,
      dataCategories: [pick(categories, n), pick(categories, n + 2)],
      declaredIndividuals: individuals,
      declaredSensitive: n % 4 === 0 ? 2 : 0,
      filingId: null,
    },
  ];
  if (n % 11 === 5) {
    events.push(
      {
        type: 'transfer.classified',
        at: t(0),
        transferId: id,
        tier: 'prohibited',
        grade: 'core',
        reasons: ['R-BLK-CORE'],
        policyVersion: 'p1',
        individualsYtd: 0,
        sensitiveYtd: 0,
      },
      { type: 'transfer.blocked', at: t(0), transferId: id, reasons: ['R-BLK-CORE'] },
    );
    return events;
  }
  events.push(
    {
      type: 'transfer.classified',
      at: t(0),
      transferId: id,
      tier: 'standard_contract',
      grade: 'general',
      reasons: ['R-SCC-PI100K'],
      policyVersion: 'p1',
      individualsYtd: individuals,
      sensitiveYtd: 0,
    },
    {
      type: 'check.result',
      at: t(1),
      transferId: id,
      check: 'filing',
      ok: n % 7 !== 3,
      reasons: n % 7 === 3 ? ['R-EVID-FILING-MISSING'] : [],
      evidence: {},
    },
  );
  if (n % 7 === 3) {
    events.push(
      { type: 'transfer.held', at: t(2), transferId: id, reasons: ['R-EVID-FILING-MISSING'] },
      {
        type: 'review.decision',
        at: t(60),
        transferId: id,
        reviewer: 'r1',
        decision: 'approve',
        status: 'held',
      },
    );
    if (n % 2 === 0) {
      events.push({
        type: 'review.decision',
        at: t(120),
        transferId: id,
        reviewer: 'r2',
        decision: 'reject',
        status: 'rejected',
      });
      return events;
    }
    events.push({
      type: 'review.decision',
      at: t(120),
      transferId: id,
      reviewer: 'r2',
      decision: 'approve',
      status: 'releasing',
    });
  }
  events.push({
    type: 'transfer.released',
    eventId: `${id}:released:${t(130)}`,
    at: t(130),
    transferId: id,
    by: n % 7 === 3 ? 'review' : 'rules',
    endpointId: `${partner.id}-ep`,
    payloadSha256: n.toString(16).padStart(64, '0'),
    bytes: 1000 + n,
    tier: 'standard_contract',
    policyVersion: 'p1',
  });
  if (n % 13 === 6) {
    events.push(
      { type: 'delivery.failed', at: t(131), transferId: id, attempt: 1, outcome: 'failed' },
      { type: 'transfer.delivery_failed', at: t(132), transferId: id, attempts: 1 },
    );
    return events;
  }
  const year = new Date(at.getTime() + 8 * 3600_000).getUTCFullYear();
  const key = `${exporterId}:${year}`;
  const total = (ytd.get(key) ?? 0) + individuals;
  ytd.set(key, total);
  events.push(
    {
      type: 'transfer.receipt',
      eventId: `${id}:receipt`,
      at: t(135),
      transferId: id,
      payloadSha256: n.toString(16).padStart(64, '0'),
      receivedAt: t(134),
    },
    {
      type: 'volume.committed',
      eventId: `${id}:volume`,
      at: t(135),
      transferId: id,
      exporterId,
      year,
      individualsYtd: total,
      sensitiveYtd: 0,
    },
  );
  return events;
}

/** Registry events first, then transfers until at least `count` events; appended to a fresh ledger in `dir`. */
export async function writeScriptedLedger(dir: string, count: number, start: Date): Promise<number> {
  const store = await openLedgerStore(dir);
  try {
    const leaves: Buffer[] = [];
    const at = start.toISOString();
    for (const p of partners)
      leaves.push(
        encodeLeaf({
          type: 'registry.partner',
          at,
          id: p.id,
          country: p.country,
          role: 'processor',
          restricted: false,
        }),
      );
    for (const e of scriptedExporters)
      leaves.push(encodeLeaf({ type: 'registry.exporter', at, id: e, ciio: false, ftzArea: 'nanning' }));
    const ytd = new Map<string, number>();
    for (let n = 0; leaves.length < count; n += 1) {
      const when = new Date(start.getTime() + n * 600_000);
      for (const event of transferEvents(n, when, ytd)) leaves.push(encodeLeaf(event));
    }
    for (let i = 0; i < leaves.length; i += 5000) await store.append(leaves.slice(i, i + 5000));
    return store.size();
  } finally {
    await store.close();
  }
}
