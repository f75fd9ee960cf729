// cli/commands/archiver-command: `xborder archiver` — follows the ledger into the PostgreSQL archive
// (api.md §10). Safe to run twice: the archive's position lock makes them take turns.
import { listenUrl } from '../../platform/listen-url.js';
import { startArchiver } from '../start-archiver.js';
import { exitCodes } from '../cli-io.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { createRuntime, untilStopped } from '../process-runtime.js';

export const archiverCommand: Command = {
  path: ['archiver'],
  help: [
    'Usage: xborder archiver',
    '',
    'Follows the ledger (read-only) and writes the archive read model to XBORDER_DATABASE_URL: transfers,',
    'classifications with reasons, checks, decisions, deliveries, registry changes and yearly counts per exporter.',
    'Migrates the archive schema at start (and refuses a database newer than this version). Idempotent by ledger',
    'index: restart it at any time, or run two. /metrics on XBORDER_ARCHIVER_METRICS_PORT (xborder_archive_lag_events).',
    'SIGTERM or Ctrl-C finishes the batch in flight and stops. Exit 0 after a clean stop, 2 on a bad',
    'configuration value, 3 when the database is unavailable.',
    '',
    'Example: XBORDER_DATABASE_URL=postgres://xborder@db/xborder xborder archiver',
  ].join('\n'),
  async run(args, io, readConfig) {
    parseCommandArgs(args, {});
    const rt = createRuntime('archiver', readConfig);
    const archiver = await startArchiver(rt.config, rt);
    io.err(
      `archiver running; metrics on ${listenUrl('http', rt.config.bindHost, archiver.metricsPort)}/metrics`,
    );
    await untilStopped(rt.logger, () => archiver.close());
    return exitCodes.ok;
  },
};
