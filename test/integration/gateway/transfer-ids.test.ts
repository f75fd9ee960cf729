// Transfer ids on the real API (issue #12 item 4, api.md §6): every /v1/transfers/:id route accepts only a
// ULID in its one canonical spelling; any other shape is answered 404 NOT_FOUND exactly like an unknown id —
// for an enterprise and a reviewer alike, never a 5xx. `<id>:people` used to reach the transfer's
// person-counter HLL and answer 500, which told another tenant that the transfer existed and held PI; another
// tenant's real id now answers byte-for-byte what a random valid ULID answers. Paths are sent raw (node:http),
// not through fetch, whose URL parser would resolve `..` and re-encode before the gateway sees them.
import { expect } from 'chai';
import http from 'node:http';
import { Redis } from 'ioredis';
import { createId } from '../../../platform/ids.js';
import { residentIds } from '../../support/identifiers.js';
import { startHarness, routeManifest, type Harness } from './gateway-harness.js';

const exporter = '91450100MA5KDEM11G';
const otherExporter = '91451400MA5PDEM13W';

interface Raw {
  readonly status: number;
  readonly body: { error?: { code: string; message: string; details: unknown[] }; requestId?: string };
  readonly text: string;
}

/** One request with the path exactly as given. */
function raw(base: string, method: string, path: string, bearer: string, body?: unknown): Promise<Raw> {
  const url = new URL(base);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          Authorization: `Bearer ${bearer}`,
          ...(payload === undefined
            ? {}
            : { 'Content-Type': 'application/json', 'Content-Length': payload.length }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Raw['body'] = {};
          try {
            parsed = JSON.parse(text) as Raw['body'];
          } catch {
            // left empty: the assertions on `error` then fail with the text beside them
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The answer to an unknown id, requestId aside: what every hostile id must get too. */
const notFound = { code: 'NOT_FOUND', message: 'No such resource', details: [] };

describe('gateway: transfer ids are ULIDs, anything else is 404 like an unknown id (api.md §6)', function () {
  this.timeout(120_000);
  let h: Harness;
  let redis: Redis;
  let enterprise: string;
  let other: string;
  let reviewer: string;
  let ops: string;
  /** A transfer of `exporter` whose payload holds resident IDs: its person counters exist in Redis. */
  let piId: string;
  /** A transfer of `otherExporter`. */
  let foreignId: string;

  async function submit(bearer: string, exporterId: string, payload: string): Promise<string> {
    const form = new FormData();
    form.append('manifest', JSON.stringify(routeManifest(exporterId)));
    form.append('payload', new Blob([Buffer.from(payload)]), 'payload');
    const response = await fetch(`${h.url}/v1/transfers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bearer}` },
      body: form,
    });
    expect(response.status).to.equal(202);
    return ((await response.json()) as { id: string }).id;
  }

  before(async () => {
    h = await startHarness();
    redis = new Redis(h.redisUrl);
    enterprise = await h.token('enterprise', 'ent-1', exporter);
    other = await h.token('enterprise', 'ent-2', otherExporter);
    reviewer = await h.token('reviewer', 'rev-1');
    ops = await h.token('ops', 'ops-1');
    await h.registerRoute(exporter, otherExporter);
    piId = await submit(
      enterprise,
      exporter,
      `name_ref,id_number\n${residentIds(50)
        .map((id, i) => `c${i},${id}`)
        .join('\n')}\n`,
    );
    foreignId = await submit(other, otherExporter, 'sku,qty\nA,1\n');
  });
  after(async () => {
    redis.disconnect();
    await h.stop();
  });

  it("keeps a transfer's person counters out of its record's namespace", async () => {
    expect(await redis.scard(`xb:transfer-people:${piId}`)).to.be.greaterThan(0);
    const [, under] = await redis.scan('0', 'MATCH', `xb:transfer:${piId}*`, 'COUNT', 100_000);
    expect(under).to.deep.equal([`xb:transfer:${piId}`]);
  });

  /** Hostile ids, as they go on the wire (percent-encoded where a client would have to). */
  const hostile = (): [string, string][] => [
    ['<id>:people', `${piId}:people`],
    ['<id>:people-s', `${piId}:people-s`],
    ['<id>%3Apeople', `${piId}%3Apeople`],
    ['..', '..'],
    ['.', '.'],
    ['%2e%2e', '%2e%2e'],
    ['unicode (é)', '%C3%A9'],
    ['full-width digits', encodeURIComponent('０１ＪＤＺ３Ｖ７Ｑ８Ｍ２Ｋ４Ｎ６Ｐ８Ｒ０Ｓ２Ｔ４Ｖ６')],
    ['emoji', encodeURIComponent('🙂')],
    ['a lone surrogate, mis-encoded', '%ED%A0%80'],
    ['very long (8 KiB)', 'A'.repeat(8192)],
    ['27 characters', `${piId}0`],
    ['25 characters', piId.slice(0, 25)],
    ['lower-case ULID (not canonicalised)', piId.toLowerCase()],
    ['Crockford aliases I L O U', `${piId.slice(0, 22)}ILOU`],
    ['past the 48-bit time (first char 8)', `8${piId.slice(1)}`],
    ['all Z', 'Z'.repeat(26)],
    ['encoded slash', `${piId}%2Freceipt`],
    ['encoded slash alone', '%2F'],
    ['encoded dot-dot-slash', '..%2F..%2Fhealthz'],
    ['encoded backslash', `${piId}%5C`],
    ['glob *', '*'],
    ['glob ?', `${piId.slice(0, 25)}?`],
    ['glob [ ]', `${piId.slice(0, 20)}[0-9A-Z]*`],
    ['glob in 26 chars', `${piId.slice(0, 25)}*`],
    ['hash-tag braces', `%7B${piId}%7D`],
    ['space before', `%20${piId}`],
    ['newline after', `${piId}%0A`],
    ['NUL', `${piId}%00`],
    ['invalid percent-encoding', '%ZZ'],
    ['truncated percent-encoding', '%E0%A4%A'],
    ['a Redis key', `xb:transfer:${piId}`],
    ['with an extension', `${piId}.json`],
    ['with a query-looking tail', `${piId};x=1`],
  ];

  /** Each GET route with an id; `path(id)` puts the id where the route takes it. */
  const getRoutes: [string, (id: string) => string][] = [
    ['GET /v1/transfers/:id', (id) => `/v1/transfers/${id}`],
    ['GET /v1/transfers/:id/receipt', (id) => `/v1/transfers/${id}/receipt`],
    ['GET /v1/transfers/:id/evidence', (id) => `/v1/transfers/${id}/evidence`],
  ];

  function expectNotFound(answer: Raw, what: string): void {
    expect(answer.status, `${what}: ${answer.text}`).to.equal(404);
    expect(answer.body.error, what).to.deep.equal(notFound);
    expect(Object.keys(answer.body).sort(), what).to.deep.equal(['error', 'requestId']);
  }

  it('answers 404 NOT_FOUND to every hostile id on every GET route, for an enterprise and a reviewer', async () => {
    for (const [route, path] of getRoutes)
      for (const [name, id] of hostile())
        for (const [role, bearer] of [
          ['enterprise', enterprise],
          ['reviewer', reviewer],
          ['ops', ops],
          ['other enterprise', other],
        ] as const)
          expectNotFound(await raw(h.url, 'GET', path(id), bearer), `${route} ${name} as ${role}`);
  });

  it('answers 404 NOT_FOUND to every hostile id on decision (reviewer) and retry (ops)', async () => {
    for (const [name, id] of hostile()) {
      expectNotFound(
        await raw(h.url, 'POST', `/v1/transfers/${id}/decision`, reviewer, {
          decision: 'approve',
          comment: 'hostile id',
        }),
        `decision ${name}`,
      );
      expectNotFound(await raw(h.url, 'POST', `/v1/transfers/${id}/retry`, ops), `retry ${name}`);
    }
    // Nothing was decided on the real transfer through a look-alike id.
    const record = await raw(h.url, 'GET', `/v1/transfers/${piId}`, reviewer);
    expect(record.status).to.equal(200);
    expect((record.body as { decisions?: unknown[] }).decisions).to.deep.equal([]);
  });

  // (`/v1/transfers/<id>/`, with a trailing slash, is the transfer itself: Express routes are not strict.)
  it('answers an empty id, and an unknown route under a transfer, the same 404', async () => {
    for (const path of [
      '/v1/transfers//receipt',
      '/v1/transfers//evidence',
      `/v1/transfers/${piId}/people`,
      `/v1/transfers/${piId}/receipt/x`,
    ]) {
      expectNotFound(await raw(h.url, 'GET', path, enterprise), `GET ${path}`);
      expectNotFound(await raw(h.url, 'GET', path, reviewer), `GET ${path} (reviewer)`);
    }
    expectNotFound(
      await raw(h.url, 'POST', '/v1/transfers//decision', reviewer, { decision: 'approve', comment: 'x' }),
      'POST //decision',
    );
  });

  it("answers another tenant's real transfer id exactly as a random valid ULID, on every route", async () => {
    const random = createId(new Date());
    for (const [route, path] of getRoutes) {
      const foreign = await raw(h.url, 'GET', path(foreignId), enterprise);
      const unknown = await raw(h.url, 'GET', path(random), enterprise);
      expectNotFound(foreign, `${route} another tenant's id`);
      expectNotFound(unknown, `${route} a random ULID`);
      expect(foreign.text.replace(foreign.body.requestId ?? '', '')).to.equal(
        unknown.text.replace(unknown.body.requestId ?? '', ''),
      );
      // The same for the look-alike ids that used to tell a transfer with PI from none at all.
      for (const suffix of [':people', ':people-s'])
        expect(
          (await raw(h.url, 'GET', path(piId + suffix), other)).text.replace(/"requestId":"[^"]*"/, ''),
        ).to.equal(
          (await raw(h.url, 'GET', path(random + suffix), other)).text.replace(/"requestId":"[^"]*"/, ''),
        );
    }
    // Search by exact id: the same empty page for another tenant's id and for no one's.
    const searched = await raw(h.url, 'GET', `/v1/transfers?q=${foreignId}`, enterprise);
    expect(searched.status).to.equal(200);
    expect(searched.body).to.deep.equal({ items: [], nextCursor: null });
    expect(searched.text).to.equal((await raw(h.url, 'GET', `/v1/transfers?q=${random}`, enterprise)).text);
    const found = await raw(h.url, 'GET', `/v1/transfers?q=${foreignId}`, other);
    expect((found.body as { items?: { id: string }[] }).items?.map((t) => t.id)).to.deep.equal([foreignId]);
    // The owner and a reviewer still see both transfers by their real ids.
    expect((await raw(h.url, 'GET', `/v1/transfers/${foreignId}`, other)).status).to.equal(200);
    expect((await raw(h.url, 'GET', `/v1/transfers/${foreignId}`, reviewer)).status).to.equal(200);
    expect((await raw(h.url, 'GET', `/v1/transfers/${piId}`, enterprise)).status).to.equal(200);
  });

  it('stays up: a burst of hostile ids leaves the gateway answering normally', async () => {
    const burst = await Promise.all(
      hostile().map(([, id]) => raw(h.url, 'GET', `/v1/transfers/${id}`, other)),
    );
    expect(burst.every((a) => a.status === 404)).to.equal(true);
    expect((await raw(h.url, 'GET', `/v1/transfers/${piId}`, reviewer)).status).to.equal(200);
  });
});
