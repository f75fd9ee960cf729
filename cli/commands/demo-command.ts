// cli/commands/demo-command: `xborder demo` — submits one sample transfer per supervision tier to a running
// gateway (tokens from the development issuer), follows each until it settles and prints id, tier and status,
// so the console and /metrics show real traffic on a first run.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { mintToken, type TokenRole } from '../../certs/token.js';
import type { Config } from '../../platform/config.js';
import { exitCodes, UsageError } from '../cli-io.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { demo, seedDemoRecords } from '../demo-records.js';
import { demoTransfers, type DemoTransfer } from '../demo-transfers.js';

/** Statuses after which nothing changes without a person acting. */
const settled = new Set(['released', 'held', 'blocked', 'rejected', 'delivery_failed']);

interface Outcome {
  readonly name: string;
  readonly expectedTier: string;
  readonly expectedStatus: string;
  readonly id: string | null;
  readonly tier: string | null;
  readonly status: string;
  readonly ok: boolean;
  readonly detail?: string;
}

class Unreachable extends Error {}

async function send(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    throw new Unreachable(`${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, body: text };
  }
}

interface TransferView {
  id?: string;
  status?: string;
  classification?: { tier?: string };
  error?: { code?: string; message?: string };
}

function createTokens(config: Config, issuerKey: string) {
  const settings = { issuer: config.authIssuer, audience: config.authAudience };
  return (role: TokenRole) =>
    mintToken(
      {
        role,
        sub: `demo-${role}`,
        ttlSeconds: 3600,
        ...(role === 'enterprise' ? { exporter: demo.exporter } : {}),
      },
      issuerKey,
      { ...settings, now: new Date() },
    );
}

async function submit(gatewayUrl: string, token: string, sample: DemoTransfer): Promise<TransferView> {
  const form = new FormData();
  form.append('manifest', JSON.stringify(sample.manifest));
  form.append('payload', new Blob([sample.payload], { type: 'text/csv' }), 'payload.csv');
  const answer = await send(`${gatewayUrl}/v1/transfers`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  });
  return answer.body as TransferView;
}

async function follow(
  gatewayUrl: string,
  token: string,
  id: string,
  deadline: number,
): Promise<TransferView> {
  for (;;) {
    const { body } = await send(`${gatewayUrl}/v1/transfers/${id}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const view = body as TransferView;
    if (settled.has(view.status ?? '') || Date.now() > deadline) return view;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export const demoCommand: Command = {
  path: ['demo'],
  help: [
    'Usage: xborder demo [--url URL] [--seed [--receiver-url URL]] [--timeout SECONDS] [--json]',
    '',
    'Submits six sample transfers as the demo exporter — free flow, exempt, standard contract, security',
    'assessment, manual review and prohibited — follows each until it is released, held or blocked, and',
    'prints its id, tier and status. Tokens come from the development issuer under XBORDER_DATA_DIR, so run',
    'it where `npm start` (or `xborder certs init`) made the development PKI.',
    '',
    'The demo registry records are seeded by `npm start`. Against gateway/workers/receiver run separately',
    '(docker compose), pass --seed to write them first; --receiver-url is the demo endpoint the workers',
    'deliver to (default https://localhost:$XBORDER_RECEIVER_PORT).',
    '',
    '  --url URL          the gateway (default XBORDER_GATEWAY_URL, else http://127.0.0.1:$XBORDER_HTTP_PORT)',
    '  --timeout SECONDS  how long to wait for the transfers to settle (default 60)',
    '',
    'Exit 0 when every transfer got its tier and ended as expected; 1 when one did not (or was still',
    'running at the timeout: are the workers up?); 3 when the gateway or the development PKI is missing.',
    '',
    'Example: npm start   (then, in another terminal)   node dist/cli/main.js demo',
  ].join('\n'),
  async run(args, io, readConfig) {
    const { values } = parseCommandArgs(args, {
      url: { type: 'string' },
      seed: { type: 'boolean' },
      'receiver-url': { type: 'string' },
      timeout: { type: 'string' },
    });
    const timeout = values.timeout === undefined ? 60 : Number(values.timeout);
    if (!Number.isFinite(timeout) || timeout <= 0)
      throw new UsageError('--timeout must be a positive number');
    if (values['receiver-url'] !== undefined && values.seed !== true)
      throw new UsageError('--receiver-url only applies with --seed');
    const config = readConfig();
    const gatewayUrl = (values.url ?? config.client.gatewayUrl).replace(/\/+$/, '');
    const issuerFile = path.join(config.dataDir, 'pki', 'auth', 'issuer.key');
    let issuerKey: string;
    try {
      issuerKey = await readFile(issuerFile, 'utf8');
    } catch {
      io.err(
        `No development token issuer at ${issuerFile}.\nRun the demo where \`npm start\` ran (or after \`xborder certs init\`), or set XBORDER_DATA_DIR.`,
      );
      return exitCodes.unavailable;
    }
    const token = createTokens(config, issuerKey);

    try {
      const health = await send(`${gatewayUrl}/healthz`, {});
      if (health.status !== 200) throw new Unreachable(`${gatewayUrl}/healthz answered ${health.status}`);
      if (values.seed === true) {
        const receiverUrl = values['receiver-url'] ?? `https://localhost:${config.receiverPort}`;
        await seedDemoRecords(config, gatewayUrl, receiverUrl, new Date());
        if (!io.json) io.err(`Seeded the demo registry records (endpoint ${receiverUrl}).`);
      } else {
        const exporter = await send(`${gatewayUrl}/v1/exporters/${demo.exporter}`, {
          headers: { Authorization: `Bearer ${await token('admin')}` },
        });
        if (exporter.status === 404) {
          io.err(
            'The demo registry records are missing. `npm start` seeds them; against separately run processes pass --seed.',
          );
          return exitCodes.unavailable;
        }
        if (exporter.status === 401)
          throw new Unreachable(
            `${gatewayUrl} refused the development token: is it using the PKI under ${config.dataDir}?`,
          );
      }

      const enterprise = await token('enterprise');
      const submitted: { sample: DemoTransfer; view: TransferView }[] = [];
      for (const sample of demoTransfers)
        submitted.push({ sample, view: await submit(gatewayUrl, enterprise, sample) });
      const deadline = Date.now() + timeout * 1000;
      const outcomes: Outcome[] = [];
      for (const { sample, view } of submitted) {
        if (view.id === undefined) {
          outcomes.push({
            name: sample.name,
            expectedTier: sample.tier,
            expectedStatus: sample.settlesAs,
            id: null,
            tier: null,
            status: 'refused',
            ok: false,
            detail: `${view.error?.code ?? ''}: ${view.error?.message ?? JSON.stringify(view)}`,
          });
          continue;
        }
        const final = await follow(gatewayUrl, enterprise, view.id, deadline);
        const tier = final.classification?.tier ?? view.classification?.tier ?? null;
        const status = final.status ?? 'unknown';
        outcomes.push({
          name: sample.name,
          expectedTier: sample.tier,
          expectedStatus: sample.settlesAs,
          id: view.id,
          tier,
          status,
          ok: tier === sample.tier && status === sample.settlesAs,
        });
      }
      const ok = outcomes.every((o) => o.ok);
      io.result({ gateway: gatewayUrl, ok, transfers: outcomes }, () => {
        const lines = [
          `Submitted ${outcomes.length} demo transfers to ${gatewayUrl}:`,
          '',
          `  ${'tier'.padEnd(20)} ${'status'.padEnd(16)} ${'id'.padEnd(26)}  what`,
          ...outcomes.map(
            (o) =>
              `  ${(o.tier ?? '-').padEnd(20)} ${o.status.padEnd(16)} ${(o.id ?? '-').padEnd(26)}  ${o.name}${
                o.ok
                  ? ''
                  : `\n  ${''.padEnd(20)} ^ expected ${o.expectedTier} / ${o.expectedStatus}${o.detail === undefined ? '' : `: ${o.detail}`}`
              }`,
          ),
          '',
          'The held transfer waits for two different reviewers (console, or POST /v1/transfers/ID/decision).',
          `Look at them in the console (${gatewayUrl}/console/) and the counts on ${gatewayUrl}/metrics.`,
        ];
        if (outcomes.some((o) => !settled.has(o.status)))
          lines.push(`Some were still running after ${timeout} s: are the workers up?`);
        return lines.join('\n');
      });
      return ok ? exitCodes.ok : exitCodes.negative;
    } catch (err) {
      if (!(err instanceof Unreachable)) throw err;
      io.err(`Cannot reach the gateway: ${err.message}\nStart it with \`npm start\` (or pass --url).`);
      return exitCodes.unavailable;
    }
  },
};
