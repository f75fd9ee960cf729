// Chaos: 50,000 random and malformed uploads (fast-check) against the gateway process — random JSON and mutated
// manifests, oversized manifests, multipart bodies with parts missing, repeated, reordered, renamed or mangled,
// bad boundaries, bare LF line ends, truncation anywhere, junk bytes, odd headers and Idempotency-Keys. Every
// answer is 4xx (or 202 when the random manifest happens to be valid); never a 5xx, and the process never dies.
// XBORDER_CHAOS_FUZZ_RUNS changes the count (the CI suite runs a 300-run version in gateway-api.test.ts).
import { expect } from 'chai';
import fc from 'fast-check';
import http from 'node:http';
import { startCluster, type Cluster } from './support/cluster.js';

const runs = Number(process.env['XBORDER_CHAOS_FUZZ_RUNS'] ?? 50_000);

/** One of `choices`, each as often as its weight. */
const weighted = <T>(...choices: readonly (readonly [T, number])[]): fc.Arbitrary<T> =>
  fc.oneof(...choices.map(([value, weight]) => ({ weight, arbitrary: fc.constant(value) })));

/** `arbitrary` one time in `every`, otherwise null. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: every - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

interface Part {
  readonly header: string;
  readonly value: Buffer;
}

/** How one request is made: its parts, then mutations of the framing and of the whole body. */
interface Case {
  readonly manifestText: string;
  readonly payload: Uint8Array;
  readonly layout:
    'normal' | 'swapped' | 'no-payload' | 'no-manifest' | 'twice' | 'extra' | 'payload-as-field' | 'renamed';
  readonly boundary: string;
  readonly headerBoundary: 'same' | 'other' | 'none' | 'quoted';
  readonly lineEnd: '\r\n' | '\n';
  readonly cut: number | null;
  readonly junk: { readonly at: number; readonly bytes: Uint8Array } | null;
  readonly contentType: 'multipart' | 'json' | 'none' | 'weird';
  readonly idempotencyKey: string | null;
}

function partsOf(c: Case): Part[] {
  const manifest: Part = {
    header: 'Content-Disposition: form-data; name="manifest"',
    value: Buffer.from(c.manifestText),
  };
  const payload: Part = {
    header: 'Content-Disposition: form-data; name="payload"; filename="p.csv"',
    value: Buffer.from(c.payload),
  };
  switch (c.layout) {
    case 'normal':
      return [manifest, payload];
    case 'swapped':
      return [payload, manifest];
    case 'no-payload':
      return [manifest];
    case 'no-manifest':
      return [payload];
    case 'twice':
      return [manifest, manifest, payload];
    case 'extra':
      return [
        manifest,
        payload,
        { header: 'Content-Disposition: form-data; name="more"', value: Buffer.from('x') },
      ];
    case 'payload-as-field':
      return [
        manifest,
        { header: 'Content-Disposition: form-data; name="payload"', value: Buffer.from(c.payload) },
      ];
    case 'renamed':
      return [{ ...manifest, header: 'Content-Disposition: form-data; name="Manifest"' }, payload];
  }
}

function bodyOf(c: Case): Buffer {
  const nl = c.lineEnd;
  const chunks: Buffer[] = [];
  for (const part of partsOf(c))
    chunks.push(Buffer.from(`--${c.boundary}${nl}${part.header}${nl}${nl}`), part.value, Buffer.from(nl));
  chunks.push(Buffer.from(`--${c.boundary}--${nl}`));
  let body = Buffer.concat(chunks);
  if (c.junk !== null) {
    const at = c.junk.at % (body.length + 1);
    body = Buffer.concat([body.subarray(0, at), Buffer.from(c.junk.bytes), body.subarray(at)]);
  }
  return c.cut === null ? body : body.subarray(0, c.cut % (body.length + 1));
}

function contentTypeOf(c: Case): string | null {
  const boundary = { same: c.boundary, other: 'another-boundary', none: '', quoted: `"${c.boundary}"` }[
    c.headerBoundary
  ];
  switch (c.contentType) {
    case 'multipart':
      return c.headerBoundary === 'none'
        ? 'multipart/form-data'
        : `multipart/form-data; boundary=${boundary}`;
    case 'json':
      return 'application/json';
    case 'none':
      return null;
    case 'weird':
      return `multipart/form-data; boundary=${boundary}; boundary=x; charset=utf-7`;
  }
}

describe('chaos: fuzzing the upload endpoint of the gateway process', function () {
  this.timeout(3_600_000);
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster({
      skip: ['workers', 'receiver'],
      env: { XBORDER_MAX_PAYLOAD_BYTES: '4096' },
    });
  });
  after(() => cluster?.close());

  it(`answers ${runs.toLocaleString('en-US')} random and malformed uploads with 4xx (or 202), never 5xx`, async () => {
    const token = await cluster.token(
      'enterprise',
      'fuzz-user',
      cluster.exemptManifest()['exporterId'] as string,
    );
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const base = cluster.exemptManifest();
    // Each field kept with probability 7/8, else replaced by random JSON: most cases get past the parser.
    const mutated = fc
      .record(
        Object.fromEntries(
          Object.keys(base).map((k) => [
            k,
            fc.oneof(
              { weight: 7, arbitrary: fc.constant(undefined) },
              { weight: 1, arbitrary: fc.jsonValue() },
            ),
          ]),
        ),
      )
      .map((changes) => {
        const copy: Record<string, unknown> = { ...base };
        for (const [k, v] of Object.entries(changes)) if (v !== undefined) copy[k] = v;
        return JSON.stringify(copy);
      });
    const manifestText = fc.oneof(
      { weight: 4, arbitrary: mutated },
      { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.string() },
      { weight: 1, arbitrary: fc.constant(JSON.stringify(base)) },
      { weight: 1, arbitrary: fc.constant(JSON.stringify({ ...base, extra: 'x' })) },
      {
        weight: 1,
        arbitrary: fc.nat(400_000).map((n) => JSON.stringify({ ...base, purpose: 'p'.repeat(n) })),
      },
      { weight: 1, arbitrary: fc.nat(100).map((n) => '['.repeat(n * 50)) },
    );
    const testCase: fc.Arbitrary<Case> = fc.record({
      manifestText,
      payload: fc.uint8Array({ maxLength: 6000 }),
      layout: weighted<Case['layout']>(
        ['normal', 12],
        ['swapped', 1],
        ['no-payload', 1],
        ['no-manifest', 1],
        ['twice', 1],
        ['extra', 1],
        ['payload-as-field', 1],
        ['renamed', 1],
      ),
      boundary: fc.oneof(fc.constant('XB-fuzz'), fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?-]{1,70}$/)),
      headerBoundary: weighted<Case['headerBoundary']>(
        ['same', 12],
        ['other', 1],
        ['none', 1],
        ['quoted', 1],
      ),
      lineEnd: weighted<Case['lineEnd']>(['\r\n', 10], ['\n', 1]),
      cut: sometimes(fc.nat(), 5),
      junk: sometimes(fc.record({ at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }), 5),
      contentType: weighted<Case['contentType']>(['multipart', 12], ['json', 1], ['none', 1], ['weird', 1]),
      idempotencyKey: sometimes(
        fc.oneof(fc.stringMatching(/^[A-Za-z0-9._:-]{1,16}$/), fc.string({ maxLength: 200 })),
        3,
      ),
    });

    const statuses = new Map<number, number>();
    const send = (c: Case): Promise<number> =>
      new Promise((resolve, reject) => {
        const body = bodyOf(c);
        const type = contentTypeOf(c);
        const key = c.idempotencyKey;
        const headers: Record<string, string> = {
          Authorization: `Bearer ${token}`,
          'Content-Length': String(body.length),
          ...(type === null ? {} : { 'Content-Type': type }),
        };
        // A header value must be legal on the wire; an illegal one is the client library's refusal, not a case.
        if (key !== null && /^[\t\x20-\x7e]*$/.test(key)) headers['Idempotency-Key'] = key;
        const req = http.request(
          `${cluster.gatewayUrl}/v1/transfers`,
          { method: 'POST', agent, headers, timeout: 30_000 },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('timeout', () => req.destroy(new Error('no answer within 30 s')));
        req.on('error', reject);
        req.end(body);
      });

    await fc.assert(
      fc.asyncProperty(testCase, async (c) => {
        const status = await send(c);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        return status === 202 || (status >= 400 && status < 500);
      }),
      { numRuns: runs, endOnFailure: true },
    );
    agent.destroy();
    console.log(`      answers: ${JSON.stringify([...statuses].sort((a, b) => a[0] - b[0]))}`);
    expect(cluster.process('gateway').child.exitCode).to.equal(null);
    expect((await fetch(`${cluster.gatewayUrl}/healthz`)).status).to.equal(200);
    expect(cluster.process('gateway').output()).to.not.match(/request failed/);
  });
});
