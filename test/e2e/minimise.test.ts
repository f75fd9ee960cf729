// End to end (issue #20): a manifest's minimisation plan applied at intake on real gateway, workers and receiver
// processes. Dropping the identifier columns turns a standard-contract file into free flow and the partner receives
// bytes without them; pseudonymising keeps the PI route; a plan naming a missing column is a 400 and stores nothing.
import { expect } from 'chai';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { residentIds } from '../support/identifiers.js';
import { createGatewayClient, type GatewayClient } from '../support/gateway-client.js';
import { setUpRegistry } from '../support/registry-setup.js';
import { createTestDeployment, roles, type TestDeployment } from '../support/test-deployment.js';
import { createManifest } from '../support/transfer-route.js';

const exporter = '91450100MA5KDEM11G';
const partner = 'partner-sg-min';
const endpoint = 'endpoint-sg-min';
const route = { exporter, partner, endpoint, purpose: 'order fulfilment and delivery' };

interface Tiered {
  tier: string;
  reasons: { code: string; message: string }[];
}
interface Body {
  id: string;
  status: string;
  classification: Tiered;
  inspection: { sha256: string; bytes: number; findings: Record<string, number> };
  minimisation?: {
    counts: string;
    kAnonymity: { k: number | null };
    original: { sha256: string; bytes: number; classification: Tiered };
  };
  error: { code: string; details: { path: string }[] };
}

const ids = residentIds(6);
const mobiles = ['13812345678', '13912345679', '15012345670', '18612345671', '17712345672', '13312345673'];
const orders = [
  'order_id,resident_id,mobile,sku,qty,amount',
  ...ids.map((id, i) => `SO-${1000 + i},${id},"${mobiles[i]}",GX-${i % 3},${i + 1},"${(i + 1) * 10}.50"`),
].join('\r\n');

/** The same orders as an XLSX workbook: one sheet "Orders", text in shared strings, mobiles as numbers. */
function ordersWorkbook(): Buffer {
  const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rns = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const strings: string[] = [];
  const shared = (v: string) => {
    strings.push(v);
    return `t="s"><v>${strings.length - 1}</v>`;
  };
  const col = (i: number) => String.fromCharCode(65 + i);
  const header = (orders.split('\r\n')[0] ?? '').split(',');
  const rows = [header, ...ids].map((_, r) => {
    const cells =
      r === 0
        ? header
        : [
            `SO-${1000 + r - 1}`,
            ids[r - 1] ?? '',
            mobiles[r - 1] ?? '',
            `GX-${(r - 1) % 3}`,
            String(r),
            `${r * 10}.50`,
          ];
    const xml = cells.map((v, c) =>
      r > 0 && c === 2
        ? `<c r="${col(c)}${r + 1}"><v>${v}</v></c>`
        : `<c r="${col(c)}${r + 1}" ${shared(v)}</c>`,
    );
    return `<row r="${r + 1}">${xml.join('')}</row>`;
  });
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types/>'),
      '_rels/.rels': strToU8('<?xml version="1.0"?><Relationships/>'),
      'xl/workbook.xml': strToU8(
        `<?xml version="1.0"?><workbook xmlns="${ns}" xmlns:r="${rns}"><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
      'xl/_rels/workbook.xml.rels': strToU8(
        `<?xml version="1.0"?><Relationships><Relationship Id="rId1" Type="${rns}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
      'xl/worksheets/sheet1.xml': strToU8(
        `<?xml version="1.0"?><worksheet xmlns="${ns}"><sheetData>${rows.join('')}</sheetData></worksheet>`,
      ),
      'xl/sharedStrings.xml': strToU8(
        `<?xml version="1.0"?><sst xmlns="${ns}">${strings.map((v) => `<si><t>${v}</t></si>`).join('')}</sst>`,
      ),
    }),
  );
}

/** Order data with IDs and mobiles: sensitive PI (bare resident IDs count as sensitive by default) → SCC. */
const ordersManifest = (minimise?: Record<string, unknown>) =>
  createManifest(route, {
    businessType: 'cross_border_ecommerce',
    dataCategories: ['order', 'contact'],
    personalInfo: { individuals: 6, sensitiveIndividuals: 6, origin: 'domestic' },
    legalBasis: 'contract',
    ...(minimise !== undefined ? { minimise } : {}),
  });

describe('e2e: minimisation at intake', function () {
  this.timeout(120_000);
  let deployment: TestDeployment;
  let gw: GatewayClient<Body>;
  let receiverDir: string;
  let token: string;

  before(async () => {
    deployment = await createTestDeployment({ partner, dataDirPrefix: 'xborder-e2e-min-' });
    await Promise.all(roles.map((role) => deployment.start(role)));
    gw = createGatewayClient<Body>({
      baseUrl: deployment.gatewayUrl,
      dataDir: deployment.dataDir,
      output: deployment.output,
    });
    receiverDir = path.join(deployment.dataDir, 'receiver', 'deliveries');
    await setUpRegistry(gw, {
      ...route,
      partners: [{ id: partner, endpoint }],
      endpointUrl: `https://localhost:${deployment.ports.receiver}`,
    });
    token = await gw.token('enterprise', 'ent-min', exporter);
  });

  after(async () => {
    await deployment?.stop();
  });

  it('without a plan the order file is a standard-contract transfer', async () => {
    const answer = await gw.submit(ordersManifest(), orders, token);
    expect(answer.status).to.equal(202);
    expect(answer.body.classification.tier).to.equal('standard_contract');
    expect(answer.body.minimisation).to.equal(undefined);
  });

  it('dropping the ID and mobile columns makes it free flow; the partner receives bytes without them', async () => {
    const answer = await gw.submit(
      ordersManifest({ format: 'csv', columns: { resident_id: { op: 'drop' }, mobile: { op: 'drop' } } }),
      orders,
      token,
    );
    expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
    const body = answer.body;
    expect(body.minimisation?.original.classification.tier).to.equal('standard_contract');
    expect(body.classification.tier).to.equal('free_flow');
    expect(body.classification.reasons.map((r) => r.code)).to.include('R-MIN-APPLIED');
    expect(body.minimisation?.counts).to.equal('detected');
    expect(body.minimisation?.original.sha256).not.to.equal(body.inspection.sha256);
    expect(body.inspection.findings).to.deep.equal({});

    const done = await gw.settle(body.id, token);
    expect(done.status).to.equal('released');
    const delivered = readFileSync(path.join(receiverDir, `${body.id}.bin`));
    expect(delivered.length).to.equal(body.inspection.bytes);
    for (const value of [...ids, ...mobiles]) expect(delivered.includes(Buffer.from(value))).to.equal(false);
    expect(delivered.toString('utf8')).to.equal(
      [
        'order_id,sku,qty,amount',
        ...ids.map((_, i) => `SO-${1000 + i},GX-${i % 3},${i + 1},"${(i + 1) * 10}.50"`),
      ].join('\r\n'),
    );
  });

  it('an XLSX workbook: dropping the ID and mobile columns makes it free flow, no entry delivered holds them', async () => {
    const answer = await gw.submit(
      ordersManifest({
        format: 'xlsx',
        columns: { resident_id: { op: 'drop' }, 'Orders!mobile': { op: 'drop' } },
      }),
      ordersWorkbook(),
      token,
    );
    expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
    expect(answer.body.minimisation?.original.classification.tier).to.equal('standard_contract');
    expect(answer.body.classification.tier).to.equal('free_flow');
    const done = await gw.settle(answer.body.id, token);
    expect(done.status).to.equal('released');
    const delivered = readFileSync(path.join(receiverDir, `${answer.body.id}.bin`));
    const entries = Object.values(unzipSync(delivered)).map((data) => Buffer.from(data).toString('utf8'));
    expect(entries.join('')).to.include('SO-1005');
    for (const value of [...ids, ...mobiles]) expect(entries.some((e) => e.includes(value))).to.equal(false);
    const unknown = await gw.submit(
      ordersManifest({ format: 'xlsx', columns: { id_card: { op: 'drop' } } }),
      ordersWorkbook(),
      token,
    );
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error.details.map((d) => d.path)).to.deep.equal(['/minimise/columns/id_card']);
  });

  it('pseudonymising instead keeps the PI route and says why', async () => {
    const answer = await gw.submit(
      ordersManifest({
        format: 'csv',
        columns: { resident_id: { op: 'pseudonymise' }, mobile: { op: 'mask', keepLast: 4 } },
      }),
      orders,
      token,
    );
    expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
    expect(answer.body.classification.tier).to.equal('standard_contract');
    expect(answer.body.classification.reasons.map((r) => r.code)).to.include('R-MIN-PSEUDONYMISED-STILL-PI');
    expect(answer.body.minimisation?.counts).to.equal('declared');
  });

  it('a plan naming a column the file does not have is a 400 with its path, and nothing is stored', async () => {
    const before = readdirSync(receiverDir).length;
    const listed = async () =>
      (await gw.call<{ items: { id: string }[] }>('GET', '/v1/transfers?limit=100', token)).body.items.length;
    const transfers = await listed();
    const answer = await gw.submit(
      ordersManifest({ format: 'csv', columns: { id_card: { op: 'drop' } } }),
      orders,
      token,
    );
    expect(answer.status).to.equal(400);
    expect(answer.body.error.code).to.equal('BAD_MANIFEST');
    expect(answer.body.error.details.map((d) => d.path)).to.deep.equal(['/minimise/columns/id_card']);
    expect(await listed()).to.equal(transfers);
    expect(readdirSync(receiverDir).length).to.equal(before);
  });
});
