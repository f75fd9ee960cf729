// registry/archive/project-events: the read model's rows for a run of ledger entries — pure, no I/O. Each entry gives its
// own row in ledger_entries plus what its event says about a transfer, a check, a decision, a delivery, the
// registry or an exporter's year. Events this code does not know (or cannot read) are kept as entries only: the
// archive never stops on them, and a later version can re-project them from ledger_entries.
export interface EntryRow {
  readonly index: number;
  readonly type: string;
  readonly at: string;
  readonly transferId: string | null;
  readonly leaf: Buffer;
}

export interface TransferRow {
  readonly transferId: string;
  readonly exporterId: string;
  readonly businessType: string;
  readonly partnerId: string | null;
  readonly endpointId: string | null;
  readonly destinationCountry: string | null;
  readonly dataCategories: readonly string[];
  readonly declaredIndividuals: number | null;
  readonly declaredSensitive: number | null;
  readonly bytes: number;
  readonly payloadSha256: string;
  readonly submittedAt: string;
  readonly index: number;
}

/** What later events change on a transfer; fields absent are left as they are. Folded in ledger order. */
export interface TransferPatch {
  readonly transferId: string;
  lastIndex: number;
  status?: string;
  statusAt?: string;
  tier?: string;
  grade?: string;
  policyVersion?: string;
  releasedAt?: string;
  releasedBy?: string;
  deliveredAt?: string;
}

export interface ReasonRow {
  readonly index: number;
  readonly code: string;
  readonly transferId: string;
  readonly stage: 'classified' | 'held' | 'blocked';
}

export interface CheckRow {
  readonly index: number;
  readonly transferId: string;
  readonly check: string;
  readonly ok: boolean;
  readonly reasons: readonly string[];
  readonly at: string;
}

export interface DecisionRow {
  readonly index: number;
  readonly transferId: string;
  readonly reviewerHash: string | null;
  readonly decision: string;
  readonly status: string | null;
  readonly at: string;
}

export interface DeliveryRow {
  readonly index: number;
  readonly transferId: string;
  readonly event: 'attempt_failed' | 'receipt' | 'delivery_failed' | 'retry';
  readonly attempt: number | null;
  readonly outcome: string | null;
  readonly at: string;
}

export interface RegistryRow {
  readonly index: number;
  readonly kind: string;
  readonly recordId: string | null;
  readonly exporterId: string | null;
  readonly body: string;
  readonly at: string;
}

/** An exporter's year-to-date distinct people after a commit; the archive keeps the largest seen (monotone). */
export interface VolumeRow {
  readonly index: number;
  readonly transferId: string | null;
  readonly exporterId: string;
  readonly year: number;
  readonly individuals: number;
  readonly sensitive: number;
}

/** An `archive.retention` event: the transfers whose rows leave the archive at this index (decided by the sweep). */
export interface RetentionRow {
  readonly index: number;
  readonly eventId: string;
  readonly cutoff: string;
  readonly years: number;
  readonly transferIds: readonly string[];
  /** The per-table counts the event recorded, as JSON. */
  readonly rows: string;
}

export interface ProjectedBatch {
  readonly entries: EntryRow[];
  readonly transfers: TransferRow[];
  readonly patches: Map<string, TransferPatch>;
  readonly reasons: ReasonRow[];
  readonly checks: CheckRow[];
  readonly decisions: DecisionRow[];
  readonly deliveries: DeliveryRow[];
  readonly registry: RegistryRow[];
  readonly volumes: VolumeRow[];
  readonly retentions: RetentionRow[];
}

type Fields = Record<string, unknown>;

const str = (f: Fields, key: string): string | null => {
  const v = f[key];
  return typeof v === 'string' ? v : null;
};
const num = (f: Fields, key: string): number | null => {
  const v = f[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};
const strings = (f: Fields, key: string): string[] => {
  const v = f[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

function parseLeaf(leaf: Uint8Array): Fields | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(leaf).toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : null;
  } catch {
    return null;
  }
}

/** ISO time of the event, or null when it has none readable (such an entry is kept with the epoch). */
function timeOf(f: Fields): string | null {
  const at = str(f, 'at');
  if (at === null) return null;
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export function emptyBatch(): ProjectedBatch {
  return {
    entries: [],
    transfers: [],
    patches: new Map(),
    reasons: [],
    checks: [],
    decisions: [],
    deliveries: [],
    registry: [],
    volumes: [],
    retentions: [],
  };
}

/** Rows for entries [first, first + leaves.length). */
export function projectEvents(first: number, leaves: readonly Uint8Array[]): ProjectedBatch {
  const batch = emptyBatch();
  leaves.forEach((leaf, i) => projectEvent(batch, first + i, leaf));
  return batch;
}

function patch(
  batch: ProjectedBatch,
  transferId: string,
  index: number,
  change: Omit<TransferPatch, 'transferId' | 'lastIndex'>,
): void {
  const current = batch.patches.get(transferId) ?? { transferId, lastIndex: index };
  Object.assign(current, change);
  current.lastIndex = index;
  batch.patches.set(transferId, current);
}

function projectEvent(batch: ProjectedBatch, index: number, leaf: Uint8Array): void {
  const f = parseLeaf(leaf);
  const type = f === null ? '' : (str(f, 'type') ?? '');
  const at = f === null ? null : timeOf(f);
  const transferId = f === null ? null : str(f, 'transferId');
  batch.entries.push({
    index,
    type,
    at: at ?? new Date(0).toISOString(),
    transferId,
    leaf: Buffer.from(leaf),
  });
  if (f === null || at === null) return;

  if (type.startsWith('registry.')) {
    const body = Object.fromEntries(
      Object.entries(f).filter(([key]) => key !== 'type' && key !== 'at' && key !== 'eventId'),
    );
    batch.registry.push({
      index,
      kind: type.slice('registry.'.length),
      recordId: str(f, 'id'),
      exporterId: str(f, 'exporterId'),
      body: JSON.stringify(body),
      at,
    });
    return;
  }
  if (type === 'volume.committed') {
    const exporterId = str(f, 'exporterId');
    const year = num(f, 'year');
    const individuals = num(f, 'individualsYtd');
    const sensitive = num(f, 'sensitiveYtd');
    if (exporterId !== null && year !== null && individuals !== null && sensitive !== null)
      batch.volumes.push({ index, transferId, exporterId, year, individuals, sensitive });
    return;
  }
  if (type === 'archive.retention') {
    const eventId = str(f, 'eventId');
    const cutoff = str(f, 'cutoff');
    const years = num(f, 'years');
    const rows = f['rows'];
    if (eventId !== null && cutoff !== null && years !== null && typeof rows === 'object' && rows !== null)
      batch.retentions.push({
        index,
        eventId,
        cutoff: new Date(cutoff).toISOString(),
        years,
        transferIds: strings(f, 'transferIds'),
        rows: JSON.stringify(rows),
      });
    return;
  }
  if (transferId === null) return;
  const reasons = (stage: ReasonRow['stage']) => {
    for (const code of new Set(strings(f, 'reasons'))) batch.reasons.push({ index, code, transferId, stage });
  };

  switch (type) {
    case 'transfer.submitted': {
      const exporterId = str(f, 'exporterId');
      const businessType = str(f, 'businessType');
      const sha = str(f, 'payloadSha256');
      const bytes = num(f, 'bytes');
      if (exporterId === null || businessType === null || sha === null || bytes === null) return;
      batch.transfers.push({
        transferId,
        exporterId,
        businessType,
        partnerId: str(f, 'partnerId'),
        endpointId: str(f, 'endpointId'),
        destinationCountry: str(f, 'destinationCountry'),
        dataCategories: strings(f, 'dataCategories'),
        declaredIndividuals: num(f, 'declaredIndividuals'),
        declaredSensitive: num(f, 'declaredSensitive'),
        bytes,
        payloadSha256: sha,
        submittedAt: at,
        index,
      });
      return;
    }
    case 'transfer.classified': {
      const tier = str(f, 'tier');
      const grade = str(f, 'grade');
      const policyVersion = str(f, 'policyVersion');
      patch(batch, transferId, index, {
        ...(tier === null ? {} : { tier }),
        ...(grade === null ? {} : { grade }),
        ...(policyVersion === null ? {} : { policyVersion }),
      });
      reasons('classified');
      return;
    }
    case 'transfer.held':
      patch(batch, transferId, index, { status: 'held', statusAt: at });
      reasons('held');
      return;
    case 'transfer.blocked':
      patch(batch, transferId, index, { status: 'blocked', statusAt: at });
      reasons('blocked');
      return;
    case 'check.result': {
      const check = str(f, 'check');
      const ok = f['ok'];
      if (check === null || typeof ok !== 'boolean') return;
      batch.checks.push({ index, transferId, check, ok, reasons: strings(f, 'reasons'), at });
      return;
    }
    case 'review.decision': {
      const decision = str(f, 'decision');
      if (decision === null) return;
      const status = str(f, 'status');
      batch.decisions.push({ index, transferId, reviewerHash: str(f, 'reviewer'), decision, status, at });
      if (status !== null) patch(batch, transferId, index, { status, statusAt: at });
      return;
    }
    case 'transfer.released': {
      const by = str(f, 'by');
      patch(batch, transferId, index, {
        status: 'releasing',
        statusAt: at,
        releasedAt: at,
        ...(by === null ? {} : { releasedBy: by }),
      });
      return;
    }
    case 'transfer.receipt':
      batch.deliveries.push({ index, transferId, event: 'receipt', attempt: null, outcome: 'delivered', at });
      patch(batch, transferId, index, { status: 'released', statusAt: at, deliveredAt: at });
      return;
    case 'delivery.failed':
      batch.deliveries.push({
        index,
        transferId,
        event: 'attempt_failed',
        attempt: num(f, 'attempt'),
        outcome: str(f, 'outcome'),
        at,
      });
      return;
    case 'transfer.delivery_failed':
      batch.deliveries.push({
        index,
        transferId,
        event: 'delivery_failed',
        attempt: num(f, 'attempts'),
        outcome: null,
        at,
      });
      patch(batch, transferId, index, { status: 'delivery_failed', statusAt: at });
      return;
    case 'delivery.retry':
      batch.deliveries.push({ index, transferId, event: 'retry', attempt: null, outcome: null, at });
      patch(batch, transferId, index, { status: 'releasing', statusAt: at });
      return;
    default:
      return;
  }
}
