// Issue #12 through the real gateway (in-process, real Redis): the same personal data in every wrapping is found
// with the same counts, and payloads that cannot be read (an encrypted zip, random binary, a zip bomb) are held
// with R-INSPECT-OPAQUE although their manifest declares no personal data; the gateway answers meanwhile.
import { expect } from 'chai';
import { encryptedZip, hostileForms, people, randomBinary, zipBomb } from '../../support/hostile-payloads.js';
import { request, routeManifest, startHarness, type Harness } from './gateway-harness.js';

const exporter = '91450100MA5KDEM11G';

interface SubmitBody {
  id: string;
  status: string;
  classification: { tier: string; reasons: { code: string; message: string }[] };
  inspection: {
    findings: Record<string, number>;
    containers: { path: string; format: string }[];
    opaque: { path: string; reason: string }[];
  };
}

function multipart(manifest: unknown, payload: Buffer, boundary = 'XB-hostile'): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="manifest"\r\n\r\n${JSON.stringify(manifest)}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="payload"; filename="data.csv"\r\n` +
        'Content-Type: text/csv\r\n\r\n',
    ),
    payload,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

describe('hostile payloads through the gateway (issue #12)', function () {
  this.timeout(120_000);
  let h: Harness;
  let enterprise: string;

  before(async () => {
    h = await startHarness({ XBORDER_MAX_PAYLOAD_BYTES: String(8 << 20) });
    enterprise = await h.token('enterprise', 'ent-1', exporter);
    await h.registerRoute(exporter);
  });
  after(() => h.stop());

  async function submit(payload: Buffer): Promise<SubmitBody> {
    const answer = await request(`${h.url}/v1/transfers`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${enterprise}`,
        'Content-Type': 'multipart/form-data; boundary=XB-hostile',
      },
      // Declared: no personal data at all.
      body: multipart(routeManifest(exporter), payload),
    });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
    return answer.body as unknown as SubmitBody;
  }

  async function statusOf(id: string): Promise<string> {
    const answer = await request(`${h.url}/v1/transfers/${id}`, {
      headers: { Authorization: `Bearer ${enterprise}` },
    });
    return (answer.body as { status: string }).status;
  }

  const rows = people(30);
  const forms = hostileForms(rows);

  it('finds the same counts in every wrapping, with R-INSPECT-UNDECLARED-*, and releases none of them', async () => {
    const plain = await submit(forms['plain'] as Buffer);
    expect(plain.inspection.findings).to.deep.equal({ resident_id: 30, mobile: 30, bank_card: 30 });
    for (const [name, payload] of Object.entries(forms)) {
      const body = await submit(payload);
      expect(body.inspection.findings, name).to.deep.equal(plain.inspection.findings);
      expect(body.inspection.opaque, name).to.deep.equal([]);
      const codes = body.classification.reasons.map((r) => r.code);
      expect(codes, name).to.include.members(['R-INSPECT-UNDECLARED-PI', 'R-INSPECT-UNDECLARED-SPI']);
      expect(body.classification.tier, name).not.to.equal('free_flow');
      expect(await statusOf(body.id), name).not.to.equal('released');
    }
  });

  const unreadable: [string, () => Buffer, string][] = [
    ['an encrypted zip', () => encryptedZip(rows), 'encrypted'],
    ['random binary', () => randomBinary(256 * 1024), 'unknown_binary'],
    ['a zip bomb', () => zipBomb(64), 'ratio_limit'],
  ];
  for (const [what, make, reason] of unreadable) {
    it(`holds ${what} declared as no personal data, with R-INSPECT-OPAQUE (${reason})`, async () => {
      const body = await submit(make());
      expect(body.status).to.equal('held');
      expect(body.classification.tier).to.equal('manual_review');
      expect(body.classification.reasons.map((r) => r.code)).to.include('R-INSPECT-OPAQUE');
      expect(body.inspection.opaque.map((o) => o.reason)).to.deep.equal([reason]);
      expect(await statusOf(body.id)).to.equal('held');
    });
  }

  it('plain data without PI is not held: it goes on as free flow (the control)', async () => {
    const body = await submit(Buffer.from('sku,qty\nA-1,3\nB-2,5\n'));
    expect(body.classification.tier).to.equal('free_flow');
    expect(body.status).not.to.equal('held');
    expect(body.inspection.opaque).to.deep.equal([]);
  });

  it('stays responsive while bombs are inspected', async () => {
    const bomb = zipBomb(64);
    const uploads = Array.from({ length: 3 }, () => submit(bomb));
    const slowest = await (async () => {
      let worst = 0;
      for (let i = 0; i < 10; i++) {
        const started = Date.now();
        const answer = await request(`${h.url}/healthz`);
        expect(answer.status).to.equal(200);
        worst = Math.max(worst, Date.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return worst;
    })();
    const answers = await Promise.all(uploads);
    for (const body of answers) expect(body.status).to.equal('held');
    expect(slowest).to.be.below(2000);
  });
});
