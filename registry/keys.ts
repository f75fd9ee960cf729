// registry/keys: every Redis key the registry uses, in one place, so nothing else builds key strings.
//
// Namespaces are disjoint (issue #12 item 4): the literal head of each kind of key (record, index, person
// counter, idempotency, lock…) is never a prefix of another kind's head, and a value put into a key never
// reaches past its own segment. Values are percent-encoded here: `segment` keeps only A-Z a-z 0-9 . _ - so a
// value cannot carry the ':' separator; `tail` also keeps ':' and is used only for the value that ends a key
// and may legitimately hold ':' (registry record ids, idempotency keys: api.md lets them), since nothing
// follows it. Both encode '%', Redis glob characters (* ? [ ]) and Cluster hash-tag braces, so the encoding is
// injective and a key never doubles as a SCAN pattern. They are the identity on every id the API accepts
// (ULIDs, USCCs, registry ids, idempotency keys, statuses, reason codes), so existing keys keep their names.
// Before this, a transfer's person counters lived under its record key (`xb:transfer:<id>:people`), so the
// id `<id>:people` read an HLL as a record: a 500 that told any tenant whether a transfer with PI existed.
//
// The head of every key is XBORDER_REDIS_PREFIX (default `xb`; on a Redis Cluster a hash tag such as `{xb}`,
// so every key of the registry lives in one slot and multi-key scripts and MULTI work there).
export const defaultRedisPrefix = 'xb';

export type RecordKind = 'exporter' | 'partner' | 'endpoint' | 'filing' | 'self-assessment' | 'attestation';

const hex = (byte: number): string => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/** Percent-encodes every character `keep` does not match: UTF-8 bytes, or `%uXXXX` for a lone surrogate. */
function escape(value: string, keep: RegExp): string {
  let out = '';
  // String(): a key builder never throws, even on a value the types say cannot be there.
  for (const char of String(value)) {
    if (keep.test(char)) out += char;
    else if (char.length === 1 && char >= '\uD800' && char <= '\uDFFF')
      out += `%u${char.charCodeAt(0).toString(16).toUpperCase()}`;
    else out += Array.from(Buffer.from(char, 'utf8'), hex).join('');
  }
  return out;
}

/** A value with literal parts after it: never contains ':'. */
export const segment = (value: string): string => escape(value, /^[A-Za-z0-9._-]$/);
/** A value that ends its key: may contain ':', never '%', glob characters or braces unescaped. */
export const tail = (value: string): string => escape(value, /^[A-Za-z0-9._:-]$/);

/** Every key under one prefix (XBORDER_REDIS_PREFIX). */
export function createKeys(prefix: string) {
  return {
    record: (kind: RecordKind, id: string) => `${prefix}:${kind}:${tail(id)}`,
    /** ZSET of ids by last update time (ms), for listing a kind. */
    recordIndex: (kind: RecordKind) => `${prefix}:index:${kind}`,
    /** ZSET of one exporter's self-assessment ids by last update time (the PIPIA looked up beside a risk SA). */
    selfAssessmentsByExporter: (exporterId: string) =>
      `${prefix}:index:self-assessment:exporter:${tail(exporterId)}`,
    revokedCertificates: () => `${prefix}:revoked-certificates`,
    /** The transfer record (a hash). Nothing else lives under `xb:transfer:` but the legacy counters below. */
    transfer: (id: string) => `${prefix}:transfer:${segment(id)}`,
    transfersAll: () => `${prefix}:transfers`,
    transfersByExporter: (exporterId: string) => `${prefix}:transfers:exporter:${segment(exporterId)}`,
    transfersByStatus: (status: string) => `${prefix}:transfers:status:${segment(status)}`,
    /** Lex-sorted ids by classification tier (fixed at intake) and by current hold-reason code (console search). */
    transfersByTier: (tier: string) => `${prefix}:transfers:tier:${segment(tier)}`,
    transfersByHoldReason: (code: string) => `${prefix}:transfers:hold-reason:${segment(code)}`,
    /**
     * SETs of person keys (HMAC) found in one transfer's payload: all people, and those with sensitive PI (exact;
     * transfers recorded before exact counting have HyperLogLogs, which the volume store still reads). Their own
     * namespace, apart from the record.
     */
    transferPeople: (id: string) => `${prefix}:transfer-people:${segment(id)}`,
    transferSensitivePeople: (id: string) => `${prefix}:transfer-people-s:${segment(id)}`,
    /**
     * Where versions before issue #12 kept those HLLs, inside the record's namespace. Never written now; read
     * and deleted beside the new ones so transfers in flight across an upgrade keep their counts. Ids of
     * transfers are ULIDs, so these names cannot be reached from a request any more.
     */
    legacyTransferPeople: (id: string) => `${prefix}:transfer:${segment(id)}:people`,
    legacyTransferSensitivePeople: (id: string) => `${prefix}:transfer:${segment(id)}:people-s`,
    /** The exporter's yearly volume (Asia/Shanghai calendar year): HLLs of person keys (kept past the top threshold),
     * exact SETs of them until then, and a hash of the declared-only surplus and the counting mode (volume-store). */
    volumeExactPeople: (exporterId: string, year: number) =>
      `${prefix}:volume:${segment(exporterId)}:${year}:set`,
    volumeExactSensitivePeople: (exporterId: string, year: number) =>
      `${prefix}:volume:${segment(exporterId)}:${year}:set-s`,
    volumePeople: (exporterId: string, year: number) =>
      `${prefix}:volume:${segment(exporterId)}:${year}:people`,
    volumeSensitivePeople: (exporterId: string, year: number) =>
      `${prefix}:volume:${segment(exporterId)}:${year}:people-s`,
    volumeSurplus: (exporterId: string, year: number) =>
      `${prefix}:volume:${segment(exporterId)}:${year}:surplus`,
    idempotency: (exporterId: string, key: string) => `${prefix}:idem:${segment(exporterId)}:${tail(key)}`,
    /** SET of the transfer ids still in Redis whose payload has this digest (content addressing shares files). */
    payloadRefs: (sha256: string) => `${prefix}:payload-refs:${segment(sha256)}`,
    /** Held by the one process that sweeps finished transfers at a time. */
    retentionLock: () => `${prefix}:retention-lock`,
    /** The data dir of the `xborder start` that took this database (platform/local-redis.ts). */
    redisOwner: () => `${prefix}:meta:owner`,
  };
}

export type Keys = ReturnType<typeof createKeys>;

/** The keys under the default prefix, for tools and tests that run against a deployment with no prefix set. */
export const keys: Keys = createKeys(defaultRedisPrefix);
