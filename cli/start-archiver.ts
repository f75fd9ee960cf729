// cli/start-archiver: composition root of `xborder archiver` — the archive database (migrated at start, or
// refused when newer than this code), the ledger read-only (its directory, or with XBORDER_LEDGER_STORE=s3://… its
// tiles in the object store, each checkpoint verified), the follow loop and /metrics with the lag. Retention
// deletions reach it as `archive.retention` entries (decided by the workers' sweep). Must not write to the ledger
// or to Redis.
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Config } from '../platform/config.js';
import { openDatabase } from '../platform/database.js';
import { describeError, type Logger } from '../platform/logger.js';
import { createArchiverMetrics } from '../platform/metrics.js';
import { createArchiver } from '../registry/archive/archiver.js';
import { openLedgerSource, type LedgerSource } from '../registry/archive/ledger-source.js';
import { migrateArchive } from '../registry/archive/migrate-archive.js';
import { openTileLedgerSource, TileLedgerRefusedError } from '../registry/archive/tile-ledger-source.js';
import { createFileTileStorage } from '../ledger/file-tile-storage.js';
import { createObjectTileStorage } from '../ledger/object-tile-storage.js';
import { createObjectStoreClient } from '../platform/object-store.js';
import { ledgerVerifierFrom } from './offline-verifier.js';

export class ArchiveNotConfiguredError extends Error {}

export interface RunningArchiver {
  readonly metricsPort: number;
  close(): Promise<void>;
}

/** The tiles ledger in the object store, read through checkpoints signed by the gateway's key. */
async function openObjectLedgerSource(config: Config): Promise<LedgerSource> {
  if (config.ledgerStore.kind !== 's3') throw new TypeError('not an object-store ledger');
  const client = createObjectStoreClient(config.objectStore);
  const source = openTileLedgerSource({
    storage: createObjectTileStorage(client.open(config.ledgerStore)),
    cache: createFileTileStorage(path.join(config.dataDir, 'ledger-tiles')),
    verifier: await ledgerVerifierFrom(config.signing.cert),
  });
  return {
    ...source,
    async close() {
      await source.close();
      client.close();
    },
  };
}

/** The ledger appears when the gateway first writes to it: until then the archiver waits, saying so once. */
async function waitForLedger(
  config: Config,
  logger: Logger,
  stopped: () => boolean,
): Promise<LedgerSource | undefined> {
  if (config.ledgerStore.kind === 's3') return openObjectLedgerSource(config);
  let said = false;
  while (!stopped()) {
    try {
      return await openLedgerSource(config.dataDir);
    } catch (err) {
      if (!said) logger.info('waiting for the ledger to exist', { error: describeError(err) });
      said = true;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  return undefined;
}

export async function startArchiver(
  config: Config,
  rt: { readonly logger: Logger },
  base: {
    readonly databaseUrl?: string;
    readonly metricsPort?: number;
    readonly batchSize?: number;
  } = {},
): Promise<RunningArchiver> {
  const { logger } = rt;
  const url = base.databaseUrl ?? config.databaseUrl;
  if (url === undefined)
    throw new ArchiveNotConfiguredError(
      'XBORDER_DATABASE_URL is not set: the archiver needs a PostgreSQL database',
    );
  const db = openDatabase({ url, applicationName: 'xborder-archiver' });
  try {
    const schema = await migrateArchive(db);
    if (schema.applied.length > 0)
      logger.info('archive schema migrated', { from: schema.from, to: schema.to });
  } catch (err) {
    await db.close();
    throw err;
  }
  const metrics = createArchiverMetrics();
  let closing = false;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    void metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(base.metricsPort ?? config.archiverMetricsPort, config.bindHost, () => resolve());
  });
  const metricsPort = (server.address() as AddressInfo).port;

  let source: LedgerSource | undefined;
  let stopArchiver: () => Promise<void> = () => Promise.resolve();
  const following = (async () => {
    source = await waitForLedger(config, logger, () => closing);
    let refused = '';
    if (source === undefined) return;
    const archiver = createArchiver({
      db,
      source,
      ...(base.batchSize === undefined ? {} : { batchSize: base.batchSize }),
      onProgress: ({ position, ledgerSize }) => {
        metrics.position.set(position);
        metrics.lagEvents.set(Math.max(0, ledgerSize - position));
      },
      onBatch: (entries, seconds) => {
        metrics.archivedEntries.inc(entries);
        metrics.batchDuration.observe(seconds);
      },
      onError: (err) => {
        metrics.errors.inc();
        // A ledger that fails verification is not archived from, said once per reason; it is read again
        // (an operator may restore the store), and anything else is retried as a passing failure.
        if (err instanceof TileLedgerRefusedError) {
          if (err.message !== refused)
            logger.error('archive stopped: ledger refused', { error: err.message });
          refused = err.message;
        } else logger.warn('archive batch failed; retrying', { error: describeError(err) });
      },
    });
    stopArchiver = () => archiver.stop();
    if (closing) return;
    await archiver.run();
  })();
  logger.info('archiver started', { metricsPort });

  return {
    metricsPort,
    async close() {
      closing = true;
      await stopArchiver();
      await following;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await source?.close();
      await db.close();
    },
  };
}
