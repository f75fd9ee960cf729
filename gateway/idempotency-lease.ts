// gateway/idempotency-lease: keeps an Idempotency-Key claim alive while its request runs (renewed every third
// of the lease) and offers the claim's next steps under the owner token. A renewal that finds the key gone to
// another request marks the lease lost and tells intake, which stops the upload before anything is created.
// Redis errors during a renewal are not a loss: the next renewal tries again, and the lease covers the gap.
import type { IdempotencyStore } from '../registry/idempotency-store.js';

export interface HeldLease {
  /** True once a renewal found the key taken over. */
  readonly lost: boolean;
  bind(transferId: string): Promise<boolean>;
  complete(transferId: string): Promise<boolean>;
  release(): Promise<void>;
  /** Stops renewing: after a success (the key is complete) or a failure (the lease runs out by itself). */
  stop(): void;
}

export function holdLease(
  store: IdempotencyStore,
  claim: { readonly exporterId: string; readonly key: string; readonly owner: string },
  onLost: () => void,
): HeldLease {
  const { exporterId, key, owner } = claim;
  let lost = false;
  let renewing = false;
  const markLost = (): void => {
    if (lost) return;
    lost = true;
    clearInterval(timer);
    onLost();
  };
  const timer = setInterval(
    () => {
      if (renewing || lost) return;
      renewing = true;
      store.renew(exporterId, key, owner).then(
        (held) => {
          renewing = false;
          if (!held) markLost();
        },
        () => {
          renewing = false;
        },
      );
    },
    Math.max(100, Math.floor(store.leaseMs / 3)),
  );
  timer.unref();

  return {
    get lost() {
      return lost;
    },
    async bind(transferId) {
      const held = await store.bind(exporterId, key, owner, transferId);
      if (!held) markLost();
      return held;
    },
    complete: (transferId) => store.complete(exporterId, key, owner, transferId),
    release: () => store.release(exporterId, key, owner),
    stop: () => clearInterval(timer),
  };
}
