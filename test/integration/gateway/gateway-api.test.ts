import { expect } from 'chai';
import fc from 'fast-check';
import { startHarness, request, routeManifest, type Harness } from './gateway-harness.js';

const exporter = '91450100MA5KDEM11G';
const metricNames = [
  'xborder_transfers_submitted_total',
  'xborder_transfers_finished_total',
  'xborder_transfers_held',
  'xborder_check_results_total',
  'xborder_stage_duration_seconds',
  'xborder_submit_to_release_seconds',
  'xborder_queue_jobs',
  'xborder_delivery_bytes_total',
  'xborder_delivery_attempts_total',
  'xborder_inspection_bytes_total',
  'xborder_inspection_findings_total',
  'xborder_http_requests_total',
  'xborder_http_request_duration_seconds',
];

const manifest = (overrides: Record<string, unknown> = {}) => routeManifest(exporter, overrides);

function multipart(
  parts: { name: string; value: string | Buffer; file?: boolean }[],
  boundary = 'XB-boundary',
): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      part.file === true ? `form-data; name="${part.name}"; filename="f"` : `form-data; name="${part.name}"`;
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`),
      Buffer.from(part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

describe('gateway API (in-process, real Redis)', function () {
  this.timeout(60_000);
  let h: Harness;
  let enterprise: string;

  before(async () => {
    h = await startHarness({ XBORDER_MAX_PAYLOAD_BYTES: '4096' });
    enterprise = await h.token('enterprise', 'ent-1', exporter);
    await h.registerRoute(exporter);
  });
  after(() => h.stop());

  const post = (body: Buffer | string, headers: Record<string, string>) =>
    request(`${h.url}/v1/transfers`, { method: 'POST', headers, body });
  const upload = (body: Buffer, extra: Record<string, string> = {}) =>
    post(body, {
      Authorization: `Bearer ${enterprise}`,
      'Content-Type': 'multipart/form-data; boundary=XB-boundary',
      ...extra,
    });

  describe('authentication and roles (api.md §3)', () => {
    it('answers 401 UNAUTHENTICATED without a token and with a bad one', async () => {
      expect((await request(`${h.url}/v1/transfers`)).body.error?.code).to.equal('UNAUTHENTICATED');
      const bad = await request(`${h.url}/v1/transfers`, {
        headers: { Authorization: 'Bearer not.a.token' },
      });
      expect(bad.status).to.equal(401);
    });

    it('answers 403 FORBIDDEN to a role that may not act', async () => {
      const ops = await h.token('ops');
      const answer = await request(`${h.url}/v1/exporters/${exporter}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${ops}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(answer.status).to.equal(403);
      expect(answer.body.error?.code).to.equal('FORBIDDEN');
    });

    it('refuses an enterprise submitting for another exporter', async () => {
      const answer = await upload(
        multipart([
          { name: 'manifest', value: JSON.stringify(manifest({ exporterId: '91451400MA5PDEM13W' })) },
          { name: 'payload', value: 'x', file: true },
        ]),
      );
      expect(answer.status).to.equal(403);
      expect(answer.body.error?.details.map((d) => d.path)).to.deep.equal(['/exporterId']);
    });
  });

  describe('malformed uploads get 4xx with a stable code', () => {
    const cases: [
      string,
      () => Promise<{ status: number; body: { error?: { code: string } } }>,
      number,
      string,
    ][] = [
      [
        'a JSON body instead of multipart',
        () => post('{}', { Authorization: `Bearer ${'TOKEN'}`, 'Content-Type': 'application/json' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'multipart without a boundary',
        () => post('x', { Authorization: 'Bearer TOKEN', 'Content-Type': 'multipart/form-data' }),
        400,
        'BAD_MULTIPART',
      ],
      [
        'the payload before the manifest',
        () =>
          upload(
            multipart([
              { name: 'payload', value: 'x', file: true },
              { name: 'manifest', value: JSON.stringify(manifest()) },
            ]),
          ),
        400,
        'BAD_MULTIPART',
      ],
      [
        'no payload part',
        () => upload(multipart([{ name: 'manifest', value: JSON.stringify(manifest()) }])),
        400,
        'BAD_MULTIPART',
      ],
      [
        'a manifest that is not JSON',
        () =>
          upload(
            multipart([
              { name: 'manifest', value: '{not json' },
              { name: 'payload', value: 'x', file: true },
            ]),
          ),
        400,
        'BAD_MANIFEST',
      ],
      [
        'a third part',
        () =>
          upload(
            multipart([
              { name: 'manifest', value: JSON.stringify(manifest()) },
              { name: 'payload', value: 'x', file: true },
              { name: 'more', value: 'y' },
            ]),
          ),
        400,
        'BAD_MULTIPART',
      ],
      [
        'a payload over the limit',
        () =>
          upload(
            multipart([
              { name: 'manifest', value: JSON.stringify(manifest()) },
              { name: 'payload', value: Buffer.alloc(5000), file: true },
            ]),
          ),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [
        'an unregistered partner',
        () =>
          upload(
            multipart([
              { name: 'manifest', value: JSON.stringify(manifest({ partnerId: 'nobody' })) },
              { name: 'payload', value: 'x', file: true },
            ]),
          ),
        422,
        'UNKNOWN_REFERENCE',
      ],
      [
        'a truncated body',
        () =>
          upload(
            multipart([
              { name: 'manifest', value: JSON.stringify(manifest()) },
              { name: 'payload', value: 'x', file: true },
            ]).subarray(0, 200),
          ),
        400,
        'BAD_MULTIPART',
      ],
    ];
    for (const [what, send, status, code] of cases) {
      it(`${what} → ${status} ${code}`, async () => {
        const answer = await send();
        // The token placeholder above is replaced here so 415/400 cases are judged after authentication.
        expect(answer.status === 401 ? 'UNAUTHENTICATED' : answer.body.error?.code).to.be.oneOf([
          code,
          'UNAUTHENTICATED',
        ]);
        if (answer.status !== 401) expect(answer.status).to.equal(status);
      });
    }
  });

  it('returns the first answer for a repeated Idempotency-Key with the same manifest, 409 with another', async () => {
    const body = multipart([
      { name: 'manifest', value: JSON.stringify(manifest()) },
      { name: 'payload', value: 'sku\n1\n', file: true },
    ]);
    const first = await upload(body, { 'Idempotency-Key': 'key-1' });
    const second = await upload(body, { 'Idempotency-Key': 'key-1' });
    expect(first.status).to.equal(202);
    expect(second.status).to.equal(202);
    expect(second.body['id']).to.equal(first.body['id']);
    const other = multipart([
      { name: 'manifest', value: JSON.stringify(manifest({ purpose: 'other' })) },
      { name: 'payload', value: 'sku\n1\n', file: true },
    ]);
    const conflict = await upload(other, { 'Idempotency-Key': 'key-1' });
    expect(conflict.status).to.equal(409);
    expect(conflict.body.error?.code).to.equal('IDEMPOTENCY_KEY_REUSED');
  });

  it('classifies a manifest with POST /v1/classify and stores nothing', async () => {
    const answer = await request(`${h.url}/v1/classify`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${enterprise}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(manifest()),
    });
    expect(answer.status).to.equal(200);
    expect(answer.body['tier']).to.equal('free_flow');
    expect(answer.body['trace']).to.be.an('array').with.length.greaterThan(10);
  });

  it('POST /v1/classify takes a minimise plan: validated with paths, and a de-identifying plan keeps the PI route (issue #20)', async () => {
    const classifyWith = (minimise: unknown) =>
      request(`${h.url}/v1/classify`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${enterprise}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(manifest({ minimise })),
      });
    const pseudonymised = await classifyWith({ format: 'csv', columns: { mobile: { op: 'pseudonymise' } } });
    expect(pseudonymised.status).to.equal(200);
    const codes = (pseudonymised.body['reasons'] as { code: string }[]).map((r) => r.code);
    expect(codes).to.include('R-MIN-PSEUDONYMISED-STILL-PI');
    const dropped = await classifyWith({ format: 'tsv', columns: { mobile: { op: 'drop' } } });
    expect(dropped.status).to.equal(200);
    expect((dropped.body['reasons'] as { code: string }[]).map((r) => r.code)).not.to.include(
      'R-MIN-PSEUDONYMISED-STILL-PI',
    );
    const bad = await classifyWith({
      format: 'csv',
      columns: { 'a/b': { op: 'shred' }, birth: { op: 'generalise' } },
      categories: { shoe_size: { op: 'drop' } },
    });
    expect(bad.status).to.equal(400);
    const paths = (bad.body.error?.details ?? []).map((d) => d.path);
    expect(paths).to.include.members(['/minimise/columns/a~1b/op', '/minimise/categories/shoe_size']);
    const noTarget = await classifyWith({ format: 'csv', columns: { birth: { op: 'generalise' } } });
    expect(noTarget.status).to.equal(400);
    expect((noTarget.body.error?.details ?? []).map((d) => d.path)).to.deep.equal([
      '/minimise/columns/birth/to',
    ]);
  });

  it('answers reason messages per Accept-Language (api.md §6): zh → Chinese, else English; codes and rules unchanged', async () => {
    const classifyIn = async (language: string | null) =>
      request(`${h.url}/v1/classify`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${enterprise}`,
          'Content-Type': 'application/json',
          ...(language === null ? {} : { 'Accept-Language': language }),
        },
        body: JSON.stringify(manifest()),
      });
    type Reasons = { code: string; rule: string; message: string; messageZh: string }[];
    const en = (await classifyIn(null)).body['reasons'] as Reasons;
    const zh = (await classifyIn('zh-CN,zh;q=0.9,en;q=0.8')).body['reasons'] as Reasons;
    const fr = (await classifyIn('fr-FR')).body['reasons'] as Reasons;
    expect(en[0]?.message).to.match(/^[A-Z][a-z]/);
    expect(zh[0]?.message)
      .to.equal(en[0]?.messageZh)
      .and.match(/[\u4e00-\u9fff]/);
    expect(zh.map((r) => [r.code, r.rule])).to.deep.equal(en.map((r) => [r.code, r.rule]));
    expect(fr[0]?.message).to.equal(en[0]?.message);
  });

  it('answers 400 with the path when minorsUnder14 is true with no count and 0 sensitive (api.md §6; PIPL art. 28)', async () => {
    const answer = await request(`${h.url}/v1/classify`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${enterprise}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        ...manifest(),
        personalInfo: { individuals: 20, sensitiveIndividuals: 0, minorsUnder14: true },
        legalBasis: 'consent',
      }),
    });
    expect(answer.status).to.equal(400);
    expect(answer.body.error?.details.map((d) => d.path)).to.include('/personalInfo/minorIndividuals');
  });

  it('exports every metric name of api.md §9 on /metrics', async () => {
    const text = String((await request(`${h.url}/metrics`)).body['text']);
    for (const name of metricNames) expect(text, name).to.include(`# TYPE ${name} `);
  });

  describe('fuzzing: random and malformed input never gets a 5xx', () => {
    it('random JSON to POST /v1/classify answers 200 or 4xx', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.jsonValue(),
            fc.record({ ...Object.fromEntries(Object.keys(manifest()).map((k) => [k, fc.jsonValue()])) }),
          ),
          async (value) => {
            const answer = await request(`${h.url}/v1/classify`, {
              method: 'POST',
              headers: { Authorization: `Bearer ${enterprise}`, 'Content-Type': 'application/json' },
              body: JSON.stringify(value),
            });
            return answer.status === 200 || (answer.status >= 400 && answer.status < 500);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('random manifests and mangled multipart bodies to POST /v1/transfers answer 202 or 4xx', async () => {
      const manifestArb = fc.oneof(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc
          .record({
            personalInfo: fc.jsonValue(),
            declaredGrade: fc.jsonValue(),
            dataCategories: fc.jsonValue(),
          })
          .map((o) => JSON.stringify(manifest(o))),
        fc.string(),
      );
      await fc.assert(
        fc.asyncProperty(
          manifestArb,
          fc.uint8Array({ maxLength: 256 }),
          fc.nat(400),
          async (manifestText, payload, cut) => {
            const body = multipart([
              { name: 'manifest', value: manifestText },
              { name: 'payload', value: Buffer.from(payload), file: true },
            ]);
            const answer = await upload(cut > 300 ? body : body.subarray(0, Math.min(body.length, cut)));
            return answer.status === 202 || (answer.status >= 400 && answer.status < 500);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
