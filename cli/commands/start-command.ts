// cli/commands/start-command: `xborder start` (what `npm start` runs) — everything on one machine for a first
// look: Redis (started if none answers), the development PKI, gateway + workers + reference receiver, and
// demo registry records; then it prints where to look and how to submit a first transfer.
import path from 'node:path';
import { createDevPki } from '../../certs/dev-pki.js';
import { startGateway } from '../../gateway/start-gateway.js';
import { RedisUnavailableError, ensureRedis } from '../../platform/local-redis.js';
import { startReceiver } from '../../receiver/start-receiver.js';
import { startWorkers } from '../../workers/start-workers.js';
import { exitCodes } from '../cli-io.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { demo, seedDemoRecords } from '../demo-records.js';
import { createRuntime, untilStopped } from '../process-runtime.js';

export const startCommand: Command = {
  path: ['start'],
  help: [
    'Usage: xborder start',
    '',
    'Starts Redis if none answers at XBORDER_REDIS_URL (needs redis-server on PATH), creates the development',
    'PKI and demo records under XBORDER_DATA_DIR, and runs gateway, workers and the reference receiver in',
    'this process. Ctrl-C drains and stops everything. Then `xborder demo` submits one transfer per tier.',
    '',
    'Exit 0 after a clean stop, 2 on a bad configuration value, 3 when no Redis answers and none can be started.',
    '',
    'Example: npm start     (the same as: npm run build && node dist/cli/main.js start)',
  ].join('\n'),
  async run(args, io) {
    parseCommandArgs(args, {});
    const rt = createRuntime('xborder');
    const { config, clock } = rt;
    let redis;
    try {
      redis = await ensureRedis(config.redisUrl, config.dataDir, (line) => io.err(line));
    } catch (err) {
      if (!(err instanceof RedisUnavailableError)) throw err;
      io.err(err.message);
      return exitCodes.unavailable;
    }
    const pki = await createDevPki(path.join(config.dataDir, 'pki'), { partnerId: demo.partner });
    if (pki.written.length > 0) io.err(`Created the development PKI in ${pki.dir}`);
    const receiver = await startReceiver(config, rt);
    const workers = await startWorkers(config, rt);
    const gateway = await startGateway(config, rt);
    await seedDemoRecords(config, gateway.url, receiver.url, clock.now());

    const cli = 'node dist/cli/main.js';
    io.out(
      [
        '',
        'xborder is running.',
        `  Console:   ${gateway.url}/console/   (review held transfers, filings, queues)`,
        `  API:       ${gateway.url}/v1   (health: ${gateway.url}/healthz)`,
        `  Metrics:   ${gateway.url}/metrics (gateway), http://127.0.0.1:${workers.metricsPort}/metrics (workers)`,
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
      ].join('\n'),
    );
    await untilStopped(rt.logger, async () => {
      await gateway.close();
      await workers.close();
      await receiver.close();
      redis.stop();
    });
    return exitCodes.ok;
  },
};
