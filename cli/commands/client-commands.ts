// cli/commands/client-commands: `xborder submit` and `xborder status` — the enterprise client. Submit
// streams the payload with a progress bar on large uploads; status can follow a transfer until it settles.
import { readFile } from 'node:fs/promises';
import { exitCodes, UsageError, type ExitCode, type Io } from '../cli-io.js';
import { parseCommandArgs, required } from '../args.js';
import type { Command } from '../command.js';
import type { Config } from '../../platform/config.js';
import { getJson, uploadTransfer, type GatewayAnswer } from '../gateway-client.js';

const connection = [
  'The gateway is XBORDER_GATEWAY_URL (default http://127.0.0.1:$XBORDER_HTTP_PORT) or --url;',
  'the bearer token is XBORDER_TOKEN or --token (see `xborder token mint`).',
].join('\n');

/** Statuses after which nothing changes without a person acting. */
const settled = new Set(['released', 'held', 'blocked', 'rejected', 'delivery_failed']);

function target(values: { url?: string | undefined; token?: string | undefined }, config: Config) {
  const token = values.token ?? config.client.token;
  if (token === undefined) throw new UsageError('A bearer token is required: --token or XBORDER_TOKEN');
  return { gatewayUrl: values.url ?? config.client.gatewayUrl, token };
}

function progressBar(io: Io): (sent: number, total: number) => void {
  // Only for people at a terminal, and only where the wait is long enough to matter (> 8 MiB).
  if (io.json || !process.stderr.isTTY) return () => undefined;
  let last = -1;
  return (sent, total) => {
    if (total < 8 << 20) return;
    const pct = Math.floor((sent / total) * 100);
    if (pct === last) return;
    last = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% ${(sent / 1048576).toFixed(1)}/${(total / 1048576).toFixed(1)} MiB`,
    );
    if (sent === total) process.stderr.write('\n');
  };
}

function report(io: Io, answer: GatewayAnswer, text: () => string): ExitCode {
  if (answer.status >= 200 && answer.status < 300) {
    io.result(answer.body, text);
    return exitCodes.ok;
  }
  const error = (
    answer.body as {
      error?: {
        code?: string;
        message?: string;
        details?: { path?: string; code?: string; message?: string }[];
      };
    }
  ).error;
  io.result(answer.body, () =>
    [
      `${answer.status} ${error?.code ?? ''}: ${error?.message ?? String(answer.body)}`,
      ...(error?.details ?? []).map((d) => `  ${d.path ?? d.code ?? ''}: ${d.message ?? ''}`),
    ].join('\n'),
  );
  return answer.status >= 500 ? exitCodes.unavailable : exitCodes.negative;
}

interface TransferView {
  id: string;
  status: string;
  classification?: { tier?: string; reasons?: { code: string; rule: string; message: string }[] };
  holdReasons?: { code: string; message: string }[];
}

function describe(t: TransferView): string {
  const lines = [`${t.id}  ${t.status}  tier ${t.classification?.tier ?? '?'}`];
  for (const r of t.classification?.reasons ?? []) lines.push(`  ${r.code} (${r.rule}): ${r.message}`);
  for (const r of t.holdReasons ?? []) lines.push(`  held: ${r.code}: ${r.message}`);
  return lines.join('\n');
}

export const submitCommand: Command = {
  path: ['submit'],
  help: [
    'Usage: xborder submit --manifest FILE --payload FILE [--idempotency-key KEY] [--url URL] [--token T]',
    '',
    'Streams the payload (a progress bar shows for large files) and prints the classification.',
    connection,
    'Exit 0 when accepted (202, whatever the tier), 1 when refused (4xx), 3 when the gateway is unreachable.',
    '',
    'Example: xborder submit --manifest examples/supply-chain.manifest.json --payload examples/supply-chain.csv',
  ].join('\n'),
  async run(args, io, readConfig) {
    const { values } = parseCommandArgs(args, {
      manifest: { type: 'string' },
      payload: { type: 'string' },
      'idempotency-key': { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
    });
    const manifestJson = await readFile(required(values.manifest, 'manifest'), 'utf8');
    const answer = await uploadTransfer({
      ...target(values, readConfig()),
      manifestJson,
      payloadFile: required(values.payload, 'payload'),
      ...(values['idempotency-key'] === undefined ? {} : { idempotencyKey: values['idempotency-key'] }),
      onProgress: progressBar(io),
    });
    return report(io, answer, () => describe(answer.body as TransferView));
  },
};

export const statusCommand: Command = {
  path: ['status'],
  help: [
    'Usage: xborder status ID [--watch] [--url URL] [--token T]',
    '',
    '--watch polls until the transfer is released, held, blocked, rejected or delivery_failed, printing each',
    'status change on stderr. --json prints the transfer record as the API answers it.',
    connection,
    'Exit 0 when the transfer was read (whatever its status), 1 when refused (404 also for another',
    "exporter's transfer), 3 when the gateway is unreachable.",
    '',
    'Example: xborder status 01J8Z3Q4T6V8X0Y2A4C6E8G0J2 --watch',
  ].join('\n'),
  async run(args, io, readConfig) {
    const { values, positionals } = parseCommandArgs(
      args,
      { watch: { type: 'boolean' }, url: { type: 'string' }, token: { type: 'string' } },
      1,
    );
    const id = positionals[0];
    if (id === undefined) throw new UsageError('ID is required');
    const { gatewayUrl, token } = target(values, readConfig());
    let lastStatus = '';
    for (;;) {
      const answer = await getJson(gatewayUrl, token, `/v1/transfers/${encodeURIComponent(id)}`);
      const view = answer.body as TransferView;
      if (answer.status !== 200 || values.watch !== true || settled.has(view.status))
        return report(io, answer, () => describe(view));
      if (view.status !== lastStatus && !io.json) io.err(`${new Date().toISOString()}  ${view.status}`);
      lastStatus = view.status;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  },
};
