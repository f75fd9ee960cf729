// workers/worker-deps: everything the processors are given by the workers' composition root.
import type { Clock } from '../platform/clock.js';
import type { EventLog } from '../platform/event-log.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import type { Cidr } from '../platform/outbound-address.js';
import type { Resolve } from '../platform/outbound-guard.js';
import type { Signer } from '../certs/signer.js';
import type { ClassifyService } from '../transfers/classify-transfer.js';
import type { PayloadStore } from '../registry/payload-store.js';
import type { RegistryStore } from '../registry/registry-store.js';
import type { TransferStore } from '../registry/transfer-store.js';
import type { VolumeStore } from '../registry/volume-store.js';
import type { EvidenceChecker } from '../transfers/check-evidence.js';
import type { TransferPipeline } from '../transfers/queue-contract.js';
import type { TrustStore } from '../transfers/trust-store.js';

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  /** Default CA bundle for endpoints that registered no `caPem`. */
  readonly ca: string;
}

export interface WorkerDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly events: EventLog;
  readonly registry: RegistryStore;
  readonly transfers: TransferStore;
  readonly volume: VolumeStore;
  readonly payloads: PayloadStore;
  readonly classifier: ClassifyService;
  /** The loaded policy's version: jobs of transfers classified under another one wait (workers/policy-pin.ts). */
  readonly policyVersion: string;
  /** How long such a job waits before it is tried again; policy-pin.ts's default unless a test shortens it. */
  readonly policyPinRetryMs?: number;
  readonly evidence: EvidenceChecker;
  readonly pipeline: TransferPipeline;
  readonly trust: TrustStore;
  readonly signer: Signer;
  readonly tls: TlsMaterial;
  readonly deliveryTimeoutMs: number;
  /** XBORDER_ENDPOINT_ALLOWED_NETS: checked again at every connection (api.md §2). */
  readonly endpointAllowedNets: readonly Cidr[];
  /** The DNS resolver behind the connect-time check; the system's unless a test supplies one. */
  readonly resolve?: Resolve;
}

/** What each processor is given: only the dependencies it uses. */
export type CheckDeps = Pick<
  WorkerDeps,
  'clock' | 'logger' | 'metrics' | 'events' | 'transfers' | 'evidence' | 'policyVersion' | 'policyPinRetryMs'
>;
export type ReleaseDeps = Pick<
  WorkerDeps,
  | 'clock'
  | 'logger'
  | 'metrics'
  | 'events'
  | 'transfers'
  | 'classifier'
  | 'pipeline'
  | 'policyVersion'
  | 'policyPinRetryMs'
>;
export type DeliveryDeps = Omit<WorkerDeps, 'classifier' | 'pipeline'>;
