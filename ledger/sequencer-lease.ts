// ledger/sequencer-lease: the Redis lease that makes one process the ledger's sequencer, with an epoch that fences
// its writes. Acquire (SET NX PX under a fresh INCR epoch), renew, release, and loss detection. Must not write the
// ledger itself: the stores take the epoch and decide what a stale one means for their data.
//
// Why an epoch and not only the owner token: a holder can be paused (GC, SIGSTOP, a slow disk) past its lease and
// wake up still believing it leads. Its Redis-side writes are refused by scripts that compare the lease value
// (`<epoch>:<token>`); its writes elsewhere (files, object store) carry or check the epoch, and since epochs only
// grow, the newer term always wins (Kleppmann, "How to do distributed locking", 2016: fencing tokens).
// Local view: `holding()` is true from a successful acquire/renew until lease − safety margin after the moment
// the command was SENT (not answered), so the local deadline always precedes the expiry Redis applies.
import { loadLuaScript } from '../platform/lua-script.js';
import type { Redis } from '../platform/redis.js';

export interface SequencerLeaseOptions {
  readonly redis: Redis;
  /** The lease key; its epoch counter is `<key>:epoch`. Keep a {hash tag} so both share one Cluster slot. */
  readonly key: string;
  /** Random per process: tells this holder's terms from another's. */
  readonly token: string;
  readonly ttlMs: number;
  /** How long before the lease would lapse the local view stops counting on it (room for one write). */
  readonly safetyMs: number;
}

export interface SequencerLease {
  /** Takes the lease if it is free; resolves with the new term's epoch, or undefined when someone holds it. */
  tryAcquire(): Promise<number | undefined>;
  /** Extends the current term; false when it is gone (expired or taken over), and `holding()` turns false for good. */
  renew(): Promise<boolean>;
  /** Asks Redis (not the local clock) whether this term still holds the lease. */
  confirm(): Promise<boolean>;
  release(): Promise<void>;
  /** The current term's epoch (undefined before the first acquire). */
  epoch(): number | undefined;
  /** The value stored in the lease key (`<epoch>:<token>`): what Redis-side fences compare. */
  value(): string | undefined;
  /** Local view: this term holds the lease for at least the safety margin more. */
  holding(): boolean;
  readonly keys: readonly [lease: string, epoch: string];
}

export function createSequencerLease(options: SequencerLeaseOptions): SequencerLease {
  const { redis, key, token, ttlMs, safetyMs } = options;
  const epochKey = `${key}:epoch`;
  const acquire = loadLuaScript(redis, 'ledger/scripts/lease-acquire.lua');
  const renewScript = loadLuaScript(redis, 'ledger/scripts/lease-renew.lua');
  const release = loadLuaScript(redis, 'ledger/scripts/lease-release.lua');
  const check = loadLuaScript(redis, 'ledger/scripts/lease-check.lua');
  let epoch: number | undefined;
  let current: string | undefined;
  let validUntil = 0;
  let lost = true;

  return {
    keys: [key, epochKey],
    async tryAcquire() {
      const sent = Date.now();
      const result = Number(await acquire([key, epochKey], [token, ttlMs]));
      if (!(Number.isSafeInteger(result) && result > 0)) return undefined;
      epoch = result;
      current = `${result}:${token}`;
      validUntil = sent + ttlMs;
      lost = false;
      return result;
    },
    async renew() {
      if (current === undefined || lost) return false;
      const sent = Date.now();
      if (Number(await renewScript([key], [current, ttlMs])) === 1) {
        validUntil = sent + ttlMs;
        return true;
      }
      lost = true;
      return false;
    },
    async confirm() {
      if (current === undefined || lost) return false;
      const reply = await check([key, epochKey], [current]);
      const held = Array.isArray(reply) && Number(reply[0]) === 1;
      if (!held) lost = true;
      return held;
    },
    async release() {
      const value = current;
      lost = true;
      if (value !== undefined) await release([key], [value]);
    },
    epoch: () => epoch,
    value: () => current,
    holding: () => !lost && Date.now() < validUntil - safetyMs,
  };
}
