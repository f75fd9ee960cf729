// cli/commands/process-commands: `xborder gateway`, `xborder workers`, `xborder receiver` — one role per
// process, for running and scaling them separately.
import { startGateway } from '../../gateway/start-gateway.js';
import { startReceiver } from '../../receiver/start-receiver.js';
import { startWorkers } from '../../workers/start-workers.js';
import { listenUrl } from '../../platform/listen-url.js';
import { exitCodes } from '../cli-io.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { createRuntime, untilStopped } from '../process-runtime.js';

const configNote = [
  'Configured by XBORDER_* environment variables (docs/configuration.md). Logs are JSON lines on stdout.',
  'SIGTERM or Ctrl-C drains (stops accepting, finishes what is in flight) and stops; a second signal exits',
  'at once. Exit 0 after a clean drain, 1 when closing failed, 2 on a bad configuration value (named).',
].join('\n');

export const gatewayCommand: Command = {
  path: ['gateway'],
  help: `Usage: xborder gateway\n\nRuns the HTTP ingress on XBORDER_HTTP_PORT (0 = a free port, printed): the /v1 API, /healthz,\n/readyz and /metrics. Run as many as needed behind a load balancer.\n${configNote}\n\nExample: XBORDER_BIND_HOST=0.0.0.0 XBORDER_REDIS_URL=redis://redis:6379 xborder gateway`,
  async run(args, io, readConfig) {
    parseCommandArgs(args, {});
    const rt = createRuntime('gateway', readConfig);
    const gateway = await startGateway(rt.config, rt);
    io.err(`gateway listening on ${gateway.url}`);
    await untilStopped(rt.logger, () => gateway.close());
    return exitCodes.ok;
  },
};

export const workersCommand: Command = {
  path: ['workers'],
  help: `Usage: xborder workers\n\nRuns the check, release and delivery workers; /metrics on XBORDER_METRICS_PORT.\nStart more processes to scale out (XBORDER_WORKER_CONCURRENCY jobs per queue in each).\n${configNote}\n\nExample: XBORDER_METRICS_PORT=9465 xborder workers`,
  async run(args, io, readConfig) {
    parseCommandArgs(args, {});
    const rt = createRuntime('workers', readConfig);
    const workers = await startWorkers(rt.config, rt);
    io.err(
      `workers running; metrics on ${listenUrl('http', rt.config.bindHost, workers.metricsPort)}/metrics`,
    );
    await untilStopped(rt.logger, () => workers.close());
    return exitCodes.ok;
  },
};

export const receiverCommand: Command = {
  path: ['receiver'],
  help: `Usage: xborder receiver\n\nRuns the reference receiver (what a partner runs) on XBORDER_RECEIVER_PORT over mutual TLS; it keeps\neach delivery and answers with a signed receipt (docs/partner-guide.md).\n${configNote}\n\nExample: XBORDER_RECEIVER_PORT=8443 xborder receiver`,
  async run(args, io, readConfig) {
    parseCommandArgs(args, {});
    const rt = createRuntime('receiver', readConfig);
    const receiver = await startReceiver(rt.config, rt);
    io.err(`receiver listening on ${receiver.url}`);
    await untilStopped(rt.logger, () => receiver.close());
    return exitCodes.ok;
  },
};
