// Chaos: xborder across hosts that share no disk and no loopback. Four network namespaces on a bridge made by the
// test — two gateways (both may sequence the ledger; the first started holds the lease) and two workers hosts —
// each with its own data dir, reaching Redis, the object store (Swift with s3api) and the partner's receiver in
// the root namespace over the bridge. Payloads and the ledger (tiles) live in the object store; one master key
// and one signing key (api.md §2). A burst of exempt transfers; the sequencing gateway's host and then a workers
// host are killed -9 mid-burst and rebooted. Every acknowledged (202) transfer must end released with exactly
// one delivery the partner stored, no request may answer 500, the ledger must verify from every host, and every
// gateway must serve inclusion and consistency proofs that match the latest signed checkpoint.
import { expect } from 'chai';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { verifyCheckpoint, parseCheckpoint } from '../../ledger/checkpoint.js';
import { hashLeaf } from '../../ledger/merkle-hash.js';
import { verifyConsistency, verifyInclusion } from '../../ledger/merkle-verify.js';
import { ledgerVerifierFrom } from '../../cli/offline-verifier.js';
import { createGatewayClient, type GatewayClient } from '../support/gateway-client.js';
import { signPartnerAttestation } from '../support/partner-attestation.js';
import { runCli, startProcess, waitForPort, type RunningProcess } from '../support/processes.js';
import { freePort, startRedisServer, type TestRedis } from '../support/redis-server.js';
import { setUpRegistry } from '../support/registry-setup.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';
import { createExemptManifest } from '../support/transfer-route.js';
import { createNetwork, namespacesAvailable, type Host, type Network } from './support/netns.js';
import { issueReceiverCert } from './support/receiver-cert.js';

const exporter = '91450100MA5KDEM11G';
const partner = 'partner-sg-hosts';
const endpoint = 'endpoint-sg-hosts';
const route = { exporter, partner, endpoint, purpose: 'order fulfilment and delivery' };
const evidence = { selfAssessmentId: 'pipia-hosts', attestationId: 'att-hosts-1' };
const burst = 150;
// The sequencer's lease key under the default XBORDER_REDIS_PREFIX; its value is `<epoch>:<host>:<pid>:<nonce>`.
const leaseKey = 'xborder:{ledger}:lease';

type Role = 'gateway' | 'workers';
interface Node {
  readonly role: Role;
  readonly host: Host;
  readonly dataDir: string;
  readonly env: Record<string, string>;
  readonly port: number;
  proc?: RunningProcess;
  /** The gateway's URL as the process printed it. */
  url?: string;
}

/** A GET whose body is not JSON (a checkpoint note, leaf bytes); throws unless it answers 200. */
async function read(gw: GatewayClient, url: string, bearer: string): Promise<Response> {
  const response = await fetch(`${gw.baseUrl}${url}`, { headers: { Authorization: `Bearer ${bearer}` } });
  if (response.status !== 200) throw new Error(`GET ${url} on ${gw.baseUrl} answered ${response.status}`);
  return response;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('chaos: gateways and workers on separate hosts (network namespaces), hosts killed mid-burst', function () {
  this.timeout(420_000);
  let net: Network | undefined;
  let redis: TestRedis | undefined;
  let s3: TestS3Server | undefined;
  let receiver: RunningProcess | undefined;
  let redisClient: Redis | undefined;
  const dirs: string[] = [];
  const nodes: Node[] = [];
  let control: string;
  let client: (node: Node) => GatewayClient;

  const output = (): string =>
    [receiver, ...nodes.map((n) => n.proc)]
      .flatMap((p) => (p === undefined ? [] : [`--- ${p.name}\n${p.output().slice(-3000)}`]))
      .join('\n');

  /** Boots the node's role on its host and waits until it listens (a gateway: until it prints its URL). */
  async function boot(node: Node): Promise<void> {
    const name = `${node.role}@${node.host.address}`;
    node.proc = startProcess(name, [node.role], node.env, [], node.host.launcher);
    await waitForPort(node.port, node.proc, 60_000, node.host.address);
    if (node.role === 'gateway') {
      const proc = node.proc;
      node.url = await waitFor(
        `${name} to print its URL`,
        () => Promise.resolve(/gateway listening on (\S+)/.exec(proc.output())?.[1]),
        10_000,
      );
    }
  }

  /** The node whose process holds the ledger's sequencer lease now. */
  async function sequencer(): Promise<Node> {
    return waitFor(
      'a sequencer',
      async () => {
        const pid = Number((await redisClient?.get(leaseKey))?.split(':').at(-2));
        return nodes.find((n) => n.proc?.child.pid === pid);
      },
      30_000,
    );
  }

  before(async function () {
    if (!namespacesAvailable()) this.skip();
    net = createNetwork(4);
    const bridge = net.bridgeAddress;
    [redis, s3] = await Promise.all([startRedisServer({ host: bridge }), startS3Server({ host: bridge })]);
    redisClient = new Redis(redis.url);
    const server = s3;
    await Promise.all(['xborder-hosts-payloads', 'xborder-hosts-ledger'].map((b) => server.createBucket(b)));

    // The operator's machine: the PKI and the secret set, copied to every host (the partner keeps its own).
    control = mkdtempSync(path.join(os.tmpdir(), 'xborder-hosts-control-'));
    dirs.push(control);
    await runCli(['certs', 'init', '--partner', partner], { XBORDER_DATA_DIR: control });
    const serverCert = issueReceiverCert(path.join(control, 'pki'), bridge);
    const receiverPort = await freePort();
    receiver = startProcess('receiver', ['receiver'], {
      XBORDER_DATA_DIR: control,
      XBORDER_BIND_HOST: bridge,
      XBORDER_RECEIVER_PORT: String(receiverPort),
      XBORDER_RECEIVER_TLS_CERT: serverCert.cert,
      XBORDER_RECEIVER_TLS_KEY: serverCert.key,
      XBORDER_LOG_LEVEL: 'warn',
    });
    await waitForPort(receiverPort, receiver, 60_000, bridge);

    const shared = {
      XBORDER_REDIS_URL: redis.url,
      XBORDER_POLICY_DIR: path.resolve('policies'),
      XBORDER_PAYLOAD_STORE: 's3://xborder-hosts-payloads/p',
      XBORDER_LEDGER_STORE: 's3://xborder-hosts-ledger/log',
      XBORDER_S3_ENDPOINT: s3.endpoint,
      XBORDER_S3_REGION: s3.region,
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      XBORDER_MASTER_KEY: randomBytes(32).toString('base64'),
      XBORDER_ENDPOINT_ALLOWED_NETS: net.subnet,
      XBORDER_DELIVERY_BACKOFF_MS: '200',
      XBORDER_LOG_LEVEL: 'warn',
    };
    const roles: Role[] = ['gateway', 'gateway', 'workers', 'workers'];
    for (const [i, host] of net.hosts.entries()) {
      const role = roles[i] as Role;
      const dataDir = mkdtempSync(path.join(os.tmpdir(), `xborder-hosts-${i}-`));
      dirs.push(dataDir);
      cpSync(path.join(control, 'pki'), path.join(dataDir, 'pki'), { recursive: true });
      const port = await freePort();
      const pki = path.join(dataDir, 'pki', 'gateway');
      nodes.push({
        role,
        host,
        dataDir,
        port,
        env: {
          ...shared,
          XBORDER_DATA_DIR: dataDir,
          XBORDER_BIND_HOST: host.address,
          XBORDER_SIGNING_KEY: path.join(pki, 'signing.key'),
          XBORDER_SIGNING_CERT: path.join(pki, 'signing-chain.pem'),
          ...(role === 'gateway'
            ? { XBORDER_HTTP_PORT: String(port) }
            : { XBORDER_METRICS_PORT: String(port), XBORDER_LEDGER_SEQUENCER: 'false' }),
        },
      });
    }
    // The first gateway first, so that it takes the sequencer lease; then the rest together.
    const [first, ...rest] = nodes as [Node, ...Node[]];
    await boot(first);
    expect(await sequencer()).to.equal(first);
    await Promise.all(rest.map(boot));

    client = (node) =>
      createGatewayClient({
        baseUrl: node.url ?? '',
        dataDir: control,
        tokenTtlSeconds: 3600,
        requestTimeoutMs: 30_000,
        output,
      });
    await setUpRegistry(client(first), {
      ...route,
      exporterName: 'Hosts Exporter',
      partners: [{ id: partner, endpoint }],
      endpointUrl: `https://${bridge}:${receiverPort}`,
      attestations: [
        await signPartnerAttestation({
          dataDir: control,
          ...route,
          endpoints: [endpoint],
          jti: evidence.attestationId,
        }),
      ],
      selfAssessmentId: evidence.selfAssessmentId,
      users: { admin: 'hosts-admin', enterprise: 'hosts-user' },
    });
  });

  after(async () => {
    redisClient?.disconnect();
    net?.close();
    await Promise.all([...nodes.map((n) => n.proc?.stop('SIGKILL')), receiver?.stop('SIGKILL')]);
    await Promise.all([redis?.stop(), s3?.stop()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged transfer, delivers each once, never answers 500, and every host agrees on the ledger', async () => {
    const started = Date.now();
    const gateways = nodes.filter((n) => n.role === 'gateway');
    const deliveriesDir = path.join(control, 'receiver', 'deliveries');
    const delivered = (): number => readdirSync(deliveriesDir).filter((f) => f.endsWith('.json')).length;
    const token = await client(gateways[0] as Node).token('enterprise', 'hosts-user', exporter);
    const accepted: string[] = [];
    const errors: string[] = [];
    const refused = new Map<number, number>();

    /** Submits transfer `i`, to gateway i mod 2 first and to the other when that one is down or refuses. */
    async function submit(i: number): Promise<void> {
      const payload = `sku,qty\nHOSTS-${i},1\n`;
      for (let attempt = 0; attempt < 200; attempt += 1) {
        const node = gateways[(i + attempt) % gateways.length] as Node;
        const answer = await client(node)
          .submit<{ id: string }>(createExemptManifest(route, evidence), payload, token)
          .catch(() => undefined);
        if (answer?.status === 202) {
          accepted.push(answer.body.id);
          return;
        }
        if (answer !== undefined) {
          refused.set(answer.status, (refused.get(answer.status) ?? 0) + 1);
          if (answer.status >= 500 && answer.status !== 503)
            errors.push(`POST /v1/transfers ${answer.status}: ${JSON.stringify(answer.body)}`);
        }
        await sleep(250);
      }
      errors.push(`transfer ${i} was never accepted`);
    }

    // The chaos, beside the burst: the sequencing gateway's host dies a third of the way in, a workers host once
    // the partner has a quarter of the burst; each host boots again a few seconds later.
    const killed: string[] = [];
    const chaos = (async () => {
      await waitFor(
        'a third of the burst',
        () => Promise.resolve(accepted.length >= burst / 3 || undefined),
        120_000,
      );
      const leader = await sequencer();
      await leader.host.crash();
      killed.push(`sequencer ${leader.role}@${leader.host.address} after ${accepted.length} accepted`);
      await sleep(3000);
      await boot(leader);
      await waitFor(
        'a quarter delivered',
        () => Promise.resolve(delivered() >= burst / 4 || undefined),
        120_000,
      );
      const workers = nodes.find((n) => n.role === 'workers') as Node;
      await workers.host.crash();
      killed.push(`workers@${workers.host.address} after ${delivered()} delivered`);
      await sleep(3000);
      await boot(workers);
    })();

    // Readers beside the burst: proofs asked of every gateway while the tree grows under them (a proof computed
    // over a tree that grew during the request once answered 500).
    let bursting = true;
    const reading = (async () => {
      const anyone = await client(gateways[0] as Node).token('ops', 'hosts-reader');
      while (bursting) {
        for (const node of gateways) {
          for (const url of [
            '/v1/ledger/checkpoint',
            '/v1/ledger/proof?index=0',
            '/v1/ledger/consistency?from=1',
          ]) {
            const response = await fetch(`${node.url ?? ''}${url}`, {
              headers: { Authorization: `Bearer ${anyone}` },
              signal: AbortSignal.timeout(10_000),
            }).catch(() => undefined);
            if (response !== undefined && response.status >= 500 && response.status !== 503)
              errors.push(`GET ${url} on ${node.host.address} ${response.status}: ${await response.text()}`);
            await response?.arrayBuffer().catch(() => undefined);
          }
        }
        await sleep(50);
      }
    })();

    const queue = Array.from({ length: burst }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) await submit(i);
      }),
    );
    await chaos;
    bursting = false;
    await reading;
    const burstSeconds = (Date.now() - started) / 1000;

    // Every acknowledged transfer ends released, whichever gateway is asked.
    const reader = client(gateways[1] as Node);
    const ops = await reader.token('ops', 'hosts-ops');
    const pending = new Set(accepted);
    const statuses = new Map<string, { status: string; delivered: number }>();
    const deadline = Date.now() + 150_000;
    while (pending.size > 0 && Date.now() < deadline) {
      for (const id of [...pending]) {
        const answer = await reader
          .call<{ status: string; deliveryAttempts: { outcome: string }[] }>(
            'GET',
            `/v1/transfers/${id}`,
            ops,
          )
          .catch(() => undefined);
        if (answer === undefined) continue;
        if (answer.status >= 500) errors.push(`GET /v1/transfers/${id} ${answer.status}`);
        if (answer.status !== 200) continue;
        const { status, deliveryAttempts } = answer.body;
        if (['released', 'held', 'blocked', 'rejected', 'delivery_failed'].includes(status)) {
          statuses.set(id, {
            status,
            delivered: deliveryAttempts.filter((a) => a.outcome === 'delivered').length,
          });
          pending.delete(id);
        }
      }
      if (pending.size > 0) await sleep(500);
    }
    const settleSeconds = (Date.now() - started) / 1000 - burstSeconds;

    expect(errors, output()).to.deep.equal([]);
    expect(killed, output()).to.have.length(2);
    expect(accepted).to.have.length(burst);
    expect([...pending], `never settled\n${output()}`).to.deep.equal([]);
    const notReleased = [...statuses].filter(([, s]) => s.status !== 'released');
    expect(notReleased, output()).to.deep.equal([]);
    const notOnce = [...statuses].filter(([, s]) => s.delivered !== 1);
    expect(notOnce, 'delivered attempts per transfer').to.deep.equal([]);
    // The partner stored each acknowledged transfer once (its store keeps one <id>.json per transfer).
    const stored = readdirSync(deliveriesDir).filter((f) => f.endsWith('.json'));
    for (const id of accepted) expect(stored).to.include(`${id}.json`);

    // The ledger verifies from every host, each reading the tiles over the bridge with its own data dir.
    for (const node of nodes) {
      const out = await runCli(['ledger', 'verify'], node.env, node.host.launcher);
      expect(out, `${node.role}@${node.host.address}`).to.match(/^OK: /);
    }

    // Every gateway serves the latest checkpoint, inclusion proofs at its size and consistency with the others.
    const verifier = await ledgerVerifierFrom(path.join(control, 'pki', 'gateway', 'signing-chain.pem'));
    const admin = await reader.token('admin', 'hosts-admin');
    const views: { size: number; root: Buffer; node: Node }[] = [];
    for (const node of gateways) {
      const gw = client(node);
      const text = await (await read(gw, '/v1/ledger/checkpoint', admin)).text();
      expect(verifyCheckpoint(text, verifier).ok, text).to.equal(true);
      const parsed = parseCheckpoint(text);
      if (!parsed.ok) throw new Error(text);
      const { size, rootHash } = parsed.checkpoint;
      views.push({ size, root: rootHash, node });
      for (const index of [0, Math.floor(size / 2), size - 1]) {
        const proof = await gw.callExpecting<{ hashes: string[] }>(
          200,
          'GET',
          `/v1/ledger/proof?index=${index}&size=${size}`,
          admin,
        );
        const leaf = await read(gw, `/v1/ledger/entries/${index}`, admin);
        const leafHash = hashLeaf(Buffer.from(await leaf.arrayBuffer()));
        const hashes = proof.hashes.map((h) => Buffer.from(h, 'base64'));
        expect(verifyInclusion(leafHash, index, size, hashes, rootHash).ok, `${index}@${size}`).to.equal(
          true,
        );
      }
    }
    const [small, large] = [...views].sort((a, b) => a.size - b.size) as [
      (typeof views)[number],
      (typeof views)[number],
    ];
    const consistency = await client(large.node).callExpecting<{ hashes: string[] }>(
      200,
      'GET',
      `/v1/ledger/consistency?from=${small.size}&to=${large.size}`,
      admin,
    );
    const proof = consistency.hashes.map((h) => Buffer.from(h, 'base64'));
    expect(verifyConsistency(small.size, large.size, small.root, large.root, proof).ok).to.equal(true);

    console.log(
      `      ${burst} transfers through 2 gateways and 2 workers hosts; ${killed.join('; ')}; refused ` +
        `${JSON.stringify(Object.fromEntries(refused))}; burst ${burstSeconds.toFixed(1)} s, settled ` +
        `${settleSeconds.toFixed(1)} s later; ledger ${large.size} entries`,
    );
  });
});
