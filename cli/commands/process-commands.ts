// cli/commands/process-commands: `xborder gateway`, `xborder workers`, `xborder receiver` — one role per
// process, for running and scaling them separately.
import { startGateway } from '../../gateway/start-gateway.js';
import { startReceiver } from '../../receiver/start-receiver.js';
import { startWorkers } from '../../workers/start-workers.js';
import { exitCodes } from '../cli-io.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { createRuntime, untilStopped } from '../process-runtime.js';

const configNote =
  'Configured by XBORDER_* environment variables (docs/configuration.md); SIGTERM drains and stops.';

export const gatewayCommand: Command = {
  path: ['gateway'],
  summary: 'run the HTTP ingress (API, console, /metrics)',
  help: `Usage: xborder gateway\n\nRuns the HTTP ingress on XBORDER_HTTP_PORT (0 = a free port, printed).\n${configNote}`,
  async run(args, io) {
    parseCommandArgs(args, {});
    const rt = createRuntime('gateway');
    const gateway = await startGateway(rt.config, rt);
    io.err(`gateway listening on ${gateway.url}`);
    await untilStopped(rt.logger, () => gateway.close());
    return exitCodes.ok;
  },
};

export const workersCommand: Command = {
  path: ['workers'],
  summary: 'run the BullMQ workers (checks, release, delivery)',
  help: `Usage: xborder workers\n\nRuns the check, release and delivery workers; /metrics on XBORDER_METRICS_PORT.\nStart more processes to scale out.\n${configNote}`,
  async run(args, io) {
    parseCommandArgs(args, {});
    const rt = createRuntime('workers');
    const workers = await startWorkers(rt.config, rt);
    io.err(`workers running; metrics on http://127.0.0.1:${workers.metricsPort}/metrics`);
    await untilStopped(rt.logger, () => workers.close());
    return exitCodes.ok;
  },
};

export const receiverCommand: Command = {
  path: ['receiver'],
  summary: "run the reference offshore receiver (a partner's data center)",
  help: `Usage: xborder receiver\n\nRuns the reference receiver on XBORDER_RECEIVER_PORT over mutual TLS.\n${configNote}`,
  async run(args, io) {
    parseCommandArgs(args, {});
    const rt = createRuntime('receiver');
    const receiver = await startReceiver(rt.config, rt);
    io.err(`receiver listening on ${receiver.url}`);
    await untilStopped(rt.logger, () => receiver.close());
    return exitCodes.ok;
  },
};
