// End to end in a browser: the review console served by a real gateway process, with workers and the reference
// receiver, driven by playwright-core on Debian's Chromium. Two reviewers release a held transfer through the
// console; an enterprise sees only its own transfers; a script tag in a purpose stays text. Screenshots go to
// test-artifacts/console/ for a person to look at.
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/console-browser.js';
import { createGatewayClient, type GatewayClient } from '../support/gateway-client.js';
import { signPartnerAttestation } from '../support/partner-attestation.js';
import { setUpRegistry } from '../support/registry-setup.js';
import { createTestDeployment, roles, type TestDeployment } from '../support/test-deployment.js';
import { createContractManifest, createManifest } from '../support/transfer-route.js';
import { chinaDate } from '../support/china-time.js';

const exporter = '91450100MA5KDEM11G';
const otherExporter = '91451400MA5PDEM13W';
const partner = 'partner-sg-console';
const endpoint = 'endpoint-sg-console';
const purpose = 'order fulfilment and delivery';
const route = { exporter, partner, endpoint, purpose };
const hostilePurpose = '<script>alert(1)</script> quarterly stock plan';
const artifacts = path.resolve('test-artifacts/console');

interface Transfer {
  id: string;
  status: string;
  holdReasons: { code: string }[];
}

describe('e2e: the review console in a browser', function () {
  this.timeout(180_000);
  let deployment: TestDeployment;
  let dataDir: string;
  let gatewayUrl: string;
  let gw: GatewayClient<Transfer>;
  let browser: Browser;
  const dialogs: string[] = [];
  let heldId: string;
  let hostileId: string;
  let otherId: string;

  /** Submits and expects the gateway to accept (202); gives the transfer id. */
  const submit = async (manifest: object, payload: string, bearer: string): Promise<string> =>
    (await gw.submitAccepted(manifest, payload, bearer)).id;

  function manifest(overrides: Record<string, unknown> = {}, exporterId = exporter): Record<string, unknown> {
    return createManifest({ ...route, exporter: exporterId }, overrides);
  }

  /** A fresh browser context (own sessionStorage and localStorage), signed in with a pasted token. */
  async function signIn(bearer: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${gatewayUrl}/console/`);
    await page.getByRole('heading', { level: 1, name: '登录' }).waitFor();
    await page.getByLabel('持有者令牌').fill(bearer);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.locator('#session .who').waitFor();
    return page;
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    deployment = await createTestDeployment({ partner, dataDirPrefix: 'xborder-console-' });
    ({ dataDir, gatewayUrl } = deployment);
    await Promise.all(roles.map((role) => deployment.start(role)));
    gw = createGatewayClient<Transfer>({
      baseUrl: gatewayUrl,
      dataDir,
      tokenTtlSeconds: 900,
      output: deployment.output,
    });

    await setUpRegistry(gw, {
      ...route,
      otherExporters: [otherExporter],
      partners: [{ id: partner, endpoint }],
      endpointUrl: `https://localhost:${deployment.ports.receiver}`,
      attestations: [
        await signPartnerAttestation({ dataDir, ...route, endpoints: [endpoint], jti: 'att-console-1' }),
      ],
      selfAssessmentId: 'pipia-console',
    });
    const enterprise = await gw.token('enterprise', 'ent-user', exporter);

    // A: a contract-route transfer without a filing: the filing check holds it (R-EVID-FILING-MISSING).
    heldId = await submit(
      createContractManifest(route, { selfAssessmentId: 'pipia-console', attestationId: 'att-console-1' }),
      'order_id,mobile,email\nSO-1,13800138000,li.lei@example.com\nSO-2,13912345678,han.meimei@example.com\n',
      enterprise,
    );
    // B: held at once for manual identification, with a script tag in its purpose.
    hostileId = await submit(
      manifest({ importantDataSuspected: true, purpose: hostilePurpose }),
      'sku\nA\n',
      enterprise,
    );
    // C: another exporter's held transfer, which the enterprise must never see.
    otherId = await submit(
      manifest({ importantDataSuspected: true }, otherExporter),
      'sku\nB\n',
      await gw.token('enterprise', 'other-user', otherExporter),
    );
    const held = await gw.settle(heldId, enterprise, ['held', 'released', 'delivery_failed']);
    expect(held.holdReasons.map((r) => r.code)).to.include('R-EVID-FILING-MISSING');

    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await deployment?.stop();
  });

  it('a reviewer signs in, filters the held queue and opens a held transfer with its reasons and evidence', async () => {
    const page = await signIn(await gw.token('reviewer', 'rev-a'));
    await page.getByRole('heading', { level: 1, name: '待审队列' }).waitFor();
    // The heading comes first, the list when the API has answered.
    await page.getByRole('heading', { name: '结果（3 条）' }).waitFor();
    const rows = page.locator('main table tbody tr');
    expect(await rows.count()).to.equal(3);
    // Oldest waiting first.
    expect(await rows.first().locator('a').textContent()).to.equal(heldId);
    await shot(page, '01-queue');

    await page.getByLabel('数据出境方（信用代码）').fill(exporter);
    await page.getByLabel('原因代码').fill('R-EVID-FILING-MISSING');
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    await page.getByRole('heading', { name: '结果（1 条）' }).waitFor();
    expect(await rows.count()).to.equal(1);
    await shot(page, '02-queue-filtered');

    await page.getByRole('link', { name: heldId }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(heldId) }).waitFor();
    const main = page.locator('main');
    const text = (await main.textContent()) ?? '';
    // Classification with its reason and citation, the failed check, the evidence records.
    expect(text).to.include('R-SCC-PI100K').and.include('R-EVID-FILING-MISSING');
    // Citations in words in the Chinese view (issue 15; was the English 'Provisions 2024 art.').
    expect(text).to.include('《促进和规范数据跨境流动规定》第');
    expect(text).to.include('pipia-console').and.include('att-console-1');
    expect(text).to.include('Partner SG Pte. Ltd.');
    // The attestation's certificate chain: the leaf's subject is the partner.
    const chain = page.locator('section[aria-labelledby="sec-evidence"] table tbody tr');
    expect(await chain.count()).to.be.at.least(1);
    expect(await chain.first().textContent()).to.include(partner);
    // Inspection shows counts and masked samples, never the identifiers themselves.
    expect(text).to.include('手机号');
    expect(text).not.to.include('13800138000');
    expect(text).not.to.include('li.lei@example.com');
    expect(text).to.include('已有 0/2 个批准');
    await shot(page, '03-detail');
    await page.screenshot({ path: path.join(artifacts, '03-detail-top.png') });

    // The comment is required; then the first approval.
    await page.getByRole('button', { name: '批准', exact: true }).click();
    await page.getByText('请填写审核意见。').waitFor();
    await page.getByLabel('审核意见（必填）').fill('Contract verified against the signed original.');
    await page.getByRole('button', { name: '批准', exact: true }).click();
    await page.getByText('已有 1/2 个批准，批准人：rev-a').first().waitFor();
    // The same reviewer cannot count twice: the console says so and disables approving.
    await page.getByText('您已批准过；还需另一位审核员批准。').waitFor();
    expect(await page.getByRole('button', { name: '批准', exact: true }).isDisabled()).to.equal(true);

    // English, remembered across a reload.
    await page.getByLabel('语言').selectOption('en');
    await page.getByText('1 of 2 approvals, by rev-a').first().waitFor();
    await page.reload();
    await page.getByText('1 of 2 approvals, by rev-a').first().waitFor();
    await shot(page, '04-detail-approved-once-en');
    await page.context().close();
  });

  it('a second reviewer approves and the transfer is released', async () => {
    const page = await signIn(await gw.token('reviewer', 'rev-b'));
    await page.goto(`${gatewayUrl}/console/#/transfer/${heldId}`);
    await page.getByText('已有 1/2 个批准，批准人：rev-a').first().waitFor();
    await page.getByLabel('审核意见（必填）').fill('Second reviewer: agreed.');
    await page.getByRole('button', { name: '批准', exact: true }).click();
    await page.getByText('已有 2/2 个批准，批准人：rev-a, rev-b').first().waitFor();
    const released = await gw.settle(heldId, await gw.token('reviewer', 'rev-b'), [
      'released',
      'delivery_failed',
    ]);
    expect(released.status).to.equal('released');
    await page.reload();
    await page.locator('.headline .badge', { hasText: '已放行' }).waitFor();
    await page.getByRole('button', { name: '下载回执' }).waitFor();
    await shot(page, '05-released');
    await page.context().close();
  });

  it('an enterprise user sees only its own transfers, and another exporter’s transfer is not found', async () => {
    const page = await signIn(await gw.token('enterprise', 'ent-user', exporter));
    await page.getByRole('heading', { level: 1, name: '我的传输' }).waitFor();
    await page.locator('main table tbody tr').first().waitFor();
    const ids = await page.locator('main table tbody tr td:first-child a').allTextContents();
    expect(ids).to.include(heldId).and.include(hostileId);
    expect(ids).not.to.include(otherId);
    // Only the enterprise's own navigation: no queue, filings or ops; its own reports.
    expect(await page.locator('#nav a').allTextContents()).to.deep.equal(['我的传输', '出境报告', '通知']);
    await shot(page, '06-enterprise');
    // Its subscriptions, their deliveries and its incidents, in words (issue #19 item 5).
    await gw.callExpecting(
      201,
      'PUT',
      '/v1/webhooks/console-hook',
      await gw.token('enterprise', 'ent-user', exporter),
      {
        url: 'https://127.0.0.1:9/hook',
        events: ['transfer.held', 'review.overdue'],
      },
    );
    await page.goto(`${gatewayUrl}/console/#/notifications`);
    await page.getByRole('heading', { level: 1, name: '通知与事件' }).waitFor();
    const subscriptions =
      (await page.locator('section[aria-labelledby="subscriptions-heading"]').textContent()) ?? '';
    expect(subscriptions).to.include('console-hook').and.include('传输暂缓待审').and.include('审核超时');
    expect(subscriptions).not.to.include('transfer.held').and.not.to.include('review.overdue');
    await shot(page, '06b-notifications');
    await page.goto(`${gatewayUrl}/console/#/transfer/${otherId}`);
    await page.getByText('NOT_FOUND').waitFor();
    expect((await page.locator('main').textContent()) ?? '').not.to.include(otherExporter);
    await page.context().close();
  });

  it('renders a purpose containing a script tag as inert text', async () => {
    const page = await signIn(await gw.token('reviewer', 'rev-c'));
    await page.goto(`${gatewayUrl}/console/#/transfer/${hostileId}`);
    const purposeCell = page.locator('main .purpose');
    await purposeCell.waitFor();
    expect(await purposeCell.textContent()).to.equal(hostilePurpose);
    expect(await page.locator('main script').count()).to.equal(0);
    // Give a script, had one been created, the chance to run.
    await page.waitForTimeout(300);
    expect(dialogs).to.deep.equal([]);
    await shot(page, '07-script-tag-inert');
    await page.context().close();
  });

  it('shows filings with the expiring-soon list to reviewers, and queues with failed deliveries to ops', async () => {
    const reviewer = await signIn(await gw.token('reviewer', 'rev-a'));
    await reviewer.goto(`${gatewayUrl}/console/#/filings`);
    await reviewer.getByRole('heading', { level: 1, name: '备案登记' }).waitFor();
    await reviewer.getByLabel('备案编号').fill('SCC-CONSOLE-1');
    await reviewer.getByLabel('数据出境方', { exact: true }).fill(exporter);
    await reviewer.getByLabel('境外接收方').fill(partner);
    await reviewer.getByLabel('数据类别').fill('order, contact');
    await reviewer.getByLabel('目的', { exact: true }).fill(purpose);
    const soon = chinaDate(20);
    await reviewer.getByLabel('失效日').fill(soon);
    await reviewer.getByRole('button', { name: '保存备案' }).click();
    await reviewer.getByText('备案 SCC-CONSOLE-1 已保存。').waitFor();
    const expiring = reviewer.locator('section[aria-labelledby="expiring-heading"] tbody tr');
    expect(await expiring.count()).to.equal(1);
    await shot(reviewer, '08-filings');
    await reviewer.getByRole('button', { name: '撤销备案 SCC-CONSOLE-1' }).click();
    await reviewer.getByRole('button', { name: '确认撤销 SCC-CONSOLE-1' }).click();
    await reviewer.getByText('备案 SCC-CONSOLE-1 已撤销。').waitFor();
    expect(await expiring.count()).to.equal(0);
    await reviewer.context().close();

    const ops = await signIn(await gw.token('ops', 'ops-1'));
    await ops.getByRole('heading', { level: 1, name: '运维' }).waitFor();
    expect(await ops.locator('main table').first().textContent()).to.include('xborder-delivery');
    await shot(ops, '09-ops');
    await ops.context().close();
  });
});
