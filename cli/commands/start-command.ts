// cli/commands/start-command: `xborder start` (what `npm start` runs) — everything on one machine for a first
// look: Redis (which one, said out loud: platform/local-redis.ts), the development PKI, gateway + workers +
// reference receiver, and demo records; then it prints where to look and how to submit a first transfer. Whatever
// it started stops with it: on a signal, and when the start itself fails (a port taken).
import path from 'node:path';
import { createDevPki } from '../../certs/dev-pki.js';
import { startGateway } from '../../gateway/start-gateway.js';
import type { Config } from '../../platform/config.js';
import { startArchiver } from '../start-archiver.js';
import { ensurePostgres } from '../../platform/local-postgres.js';
import { RedisUnavailableError, ensureRedis } from '../../platform/local-redis.js';
import { PostgresUnavailableError } from '../../platform/postgres-server.js';
import { listenUrl } from '../../platform/listen-url.js';
import { parseCidrList } from '../../platform/outbound-address.js';
import { createKeys } from '../../registry/keys.js';
import { startReceiver } from '../../receiver/start-receiver.js';
import { startWorkers } from '../../workers/start-workers.js';
import { exitCodes, type ExitCode, type Io } from '../cli-io.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { demo, seedDemoRecords } from '../demo-records.js';
import { createLifecycle, createRuntime, type Runtime } from '../process-runtime.js';

/** The variable to change when a port is taken. */
function portVariable(config: Config, port: unknown): string {
  if (port === config.httpPort) return 'XBORDER_HTTP_PORT';
  if (port === config.metricsPort) return 'XBORDER_METRICS_PORT';
  if (port === config.receiverPort) return 'XBORDER_RECEIVER_PORT';
  return 'the port settings';
}

function startFailure(config: Config, err: unknown): string {
  const e = err as { code?: unknown; port?: unknown };
  if (e.code === 'EADDRINUSE')
    return `Port ${String(e.port)} is taken; set ${portVariable(config, e.port)} to a free port (0 picks one).`;
  if (e.code === 'EACCES')
    return `Not allowed to listen on port ${String(e.port)}; set ${portVariable(config, e.port)} to a port above 1023.`;
  if (err instanceof RedisUnavailableError || err instanceof PostgresUnavailableError) return err.message;
  return `Start failed: ${err instanceof Error ? err.message : String(err)}`;
}

/** Ends the process even if a half-started part still holds a handle (a BullMQ worker whose listen failed). */
function exitSoon(code: ExitCode): ExitCode {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2000).unref();
  return code;
}

async function run(rt: Runtime, io: Io): Promise<ExitCode> {
  const life = createLifecycle(rt.logger);
  const { clock } = rt;
  // Rules reference §0.1: example FTZ lists are never in force, except in this first-look demo, which allows
  // them unless XBORDER_ALLOW_EXAMPLE_FTZ_LISTS=false, and says so. Its reference receiver is on loopback.
  let config: Config = Object.freeze({
    ...withLoopbackAllowed(rt.config),
    allowExampleFtzLists: rt.config.allowExampleFtzLists ?? true,
  });
  if (config.allowExampleFtzLists)
    io.err(
      'Demo: example FTZ negative lists are allowed (XBORDER_ALLOW_EXAMPLE_FTZ_LISTS unset or true).\n' +
        '  policies/ftz-list-guangxi.yaml is EXAMPLE data, not the official Guangxi list: its R-EX-ART6\n' +
        '  exemptions are for demonstration only. Set XBORDER_ALLOW_EXAMPLE_FTZ_LISTS=false to run without it.',
    );
  try {
    const redis = await ensureRedis({
      url: config.redisUrl,
      // An explicit choice is the user's to make; the default URL is only a guess (issue 15).
      explicit: config.redisUrlExplicit,
      dataDir: config.dataDir,
      say: (line) => io.err(line),
      ownerKey: createKeys(config.redisPrefix).redisOwner(),
      keyPrefixes: `keys under ${config.redisPrefix}: and ${config.queuePrefix}:`,
      ...(config.redisClusterNodes.length > 0
        ? { topology: 'cluster' as const }
        : config.redisSentinels !== null
          ? { topology: 'sentinel' as const }
          : {}),
    });
    await life.add('redis', () => redis.stop());
    if (redis.url !== config.redisUrl) config = Object.freeze({ ...config, redisUrl: redis.url });
    // The archive (api.md §10): the given PostgreSQL, or one of our own under the data dir, or none (said).
    const postgres = await ensurePostgres({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      say: (line) => io.err(line),
    });
    await life.add('postgres', () => postgres.stop());
    if (postgres.url !== config.databaseUrl) config = Object.freeze({ ...config, databaseUrl: postgres.url });
    const roles: Runtime = { ...rt, config };
    if (life.stopping) return exitSoon(exitCodes.ok);
    const pki = await createDevPki(path.join(config.dataDir, 'pki'), { partnerId: demo.partner });
    if (pki.written.length > 0) io.err(`Created the development PKI in ${pki.dir}`);
    const receiver = await startReceiver(config, roles);
    await life.add('receiver', () => receiver.close());
    const workers = await startWorkers(config, roles);
    await life.add('workers', () => workers.close());
    const gateway = await startGateway(config, roles);
    await life.add('gateway', () => gateway.close());
    if (config.databaseUrl !== undefined) {
      // Metrics on a free port: `npm start` runs one of each role and prints where.
      const archiver = await startArchiver(config, roles, { metricsPort: 0 });
      await life.add('archiver', () => archiver.close());
      io.err(
        `Archiver following the ledger; its metrics on ${listenUrl('http', config.bindHost, archiver.metricsPort)}/metrics`,
      );
    }
    if (life.stopping) return exitSoon(exitCodes.ok);
    await seedDemoRecords(config, gateway.url, receiver.url, clock.now());
    io.out(ready(config, gateway.url, receiver, workers.metricsPort));
  } catch (err) {
    io.err(startFailure(config, err));
    await life.stop('start failed');
    // At once: a role that failed half-way (its listen refused) may still hold Redis connections that would
    // retry against the Redis just stopped; nothing of ours is left running to wait for.
    process.exit(exitCodes.unavailable);
  }
  const ok = await life.stopped;
  return exitSoon(ok ? exitCodes.ok : exitCodes.negative);
}

function ready(
  config: Config,
  gatewayUrl: string,
  receiver: { url: string; deliveriesDir: string },
  metricsPort: number,
): string {
  const cli = 'node dist/cli/main.js';
  return [
    '',
    'xborder is running.',
    `  Console:   ${gatewayUrl}/console/   (review held transfers, filings, queues)`,
    `  API:       ${gatewayUrl}/v1   (health: ${gatewayUrl}/healthz)`,
    `  Metrics:   ${gatewayUrl}/metrics (gateway), ${listenUrl('http', config.bindHost, metricsPort)}/metrics (workers)`,
    `  Receiver:  ${receiver.url} (deliveries land in ${receiver.deliveriesDir})`,
    `  Data dir:  ${config.dataDir}`,
    '',
    'See every tier at once (in another terminal, from this directory):',
    `  ${cli} demo        submits one sample transfer per tier and shows how each ends`,
    '',
    'Review them in the console: open the Console URL and paste a token (releasing a held transfer',
    'takes two different reviewers):',
    `  ${cli} token mint --role reviewer --sub alice      (and --sub bob for the second)`,
    '',
    'Or submit a first transfer yourself:',
    `  export XBORDER_TOKEN=$(${cli} token mint --role enterprise --exporter ${demo.exporter} --sub you)`,
    `  ${cli} submit --manifest examples/supply-chain.manifest.json --payload examples/supply-chain.csv`,
    `  ${cli} status <id from the answer> --watch`,
    '',
    'Or try examples/ecommerce-orders.manifest.json (personal data: checks, then release) and',
    'examples/core-data.manifest.json (blocked). Press Ctrl-C to stop.',
  ].join('\n');
}

/**
 * The reference receiver listens on loopback, which XBORDER_ENDPOINT_ALLOWED_NETS refuses unless listed (api.md
 * §2: "npm start adds 127.0.0.0/8 for its reference receiver"); ::1 too, for a `localhost` that resolves to both.
 */
const loopbackNets = parseCidrList('127.0.0.0/8,::1/128');

function withLoopbackAllowed(config: Config): Config {
  if (!loopbackNets.ok) throw new TypeError(loopbackNets.message);
  return Object.freeze({
    ...config,
    endpointAllowedNets: Object.freeze([...config.endpointAllowedNets, ...loopbackNets.nets]),
  });
}

export const startCommand: Command = {
  path: ['start'],
  help: [
    'Usage: xborder start',
    '',
    'Creates the development PKI and demo records under XBORDER_DATA_DIR and runs gateway, workers and the',
    'reference receiver in this process, on Redis chosen as follows (and printed):',
    '  XBORDER_REDIS_URL set: that Redis (started here if nothing answers on this machine);',
    '  not set: redis://127.0.0.1:6379 if its database is empty or was created by xborder for this data dir;',
    "  if it holds someone else's keys, it is left alone and a redis-server of xborder's own is started",
    '  under the data dir on a free port; if nothing answers, one is started on 6379 (needs redis-server).',
    'The archive (search beyond Redis retention, reports) is in PostgreSQL: XBORDER_DATABASE_URL if set, otherwise',
    'a server of its own under the data dir when the PostgreSQL server binaries are installed (otherwise none).',
    'A Redis started here stops with xborder. Ctrl-C or SIGTERM drains and stops everything; so does a start',
    'that fails (a port taken). Then `xborder demo` submits one transfer per tier.',
    '',
    'Exit 0 after a clean stop, 1 when closing failed, 2 on a bad configuration value, 3 when a port is taken',
    'or no Redis answers and none can be started.',
    '',
    'Example: npm start     (the same as: npm run build && node dist/cli/main.js start)',
  ].join('\n'),
  async run(args, io, readConfig) {
    parseCommandArgs(args, {});
    return run(createRuntime('xborder', readConfig), io);
  },
};
