// The console in the reviewer's language (issue 15), in Chromium (playwright-core on Debian's /usr/bin/chromium)
// against a real gateway, workers and receiver: in zh-CN and in en, the queue and a held transfer's detail page show
// no raw closed value (snake_case business types, grades, tiers, statuses, evidence items such as
// `filing:standard_contract|certification`), no citation of a repository file, exporter names beside their codes,
// and the browser logs no console error. In Chinese every citation is in Chinese, and every reason message too.
// Screenshots of the queue and the detail page in both languages go to /tmp/screens for a person to look at. Also: a refused sign-in followed by a good one shows no "session
// expired", and the enterprise list's receipt button stays on one line.
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openConsole } from '../support/console-browser.js';
import { createGatewayClient, type GatewayClient } from '../support/gateway-client.js';
import { residentIds } from '../support/identifiers.js';
import { signPartnerAttestation } from '../support/partner-attestation.js';
import { setUpRegistry } from '../support/registry-setup.js';
import { createTestDeployment, roles, type TestDeployment } from '../support/test-deployment.js';
import { createContractManifest, createManifest } from '../support/transfer-route.js';

const exporter = '91450100MA5KDEM11G';
const exporterName = '广西北部湾跨境供应链有限公司';
const partner = 'partner-sg-lang';
const endpoint = 'endpoint-sg-lang';
const purpose = 'order fulfilment and delivery';
const route = { exporter, partner, endpoint, purpose };
const screens = '/tmp/screens';
const hanzi = /[\u4e00-\u9fff]/;
/** A snake_case identifier or an evidence id with ':'/'|' — the shapes of the API's closed values, never words. */
const rawValue = /\b[a-z]+(?:_[a-z]+)+\b|\b[a-z_]+:[a-z_|]+/g;

interface Transfer {
  id: string;
  status: string;
}

describe('e2e: the console in zh-CN and en', function () {
  this.timeout(240_000);
  let deployment: TestDeployment;
  let gatewayUrl: string;
  let gw: GatewayClient<Transfer>;
  let browser: Browser;
  let heldId: string;
  let minimisedId: string;

  const open = (lang: 'zh' | 'en') => openConsole(browser, gatewayUrl, lang);

  async function signIn(page: Page, bearer: string): Promise<void> {
    await page.locator('#token').fill(bearer);
    await page.locator('main form button[type="submit"]').click();
    await page.locator('#session .who').waitFor();
  }

  /** Raw closed values in main's text (reason messages included) and the reason tooltips' citations. */
  async function rawValuesOn(page: Page): Promise<string[]> {
    const text = await page.evaluate<string>(`(() => {
      const main = document.querySelector('main').cloneNode(true);
      for (const s of main.querySelectorAll('script, style')) s.remove();
      return main.textContent;
    })()`);
    const titles = await page.evaluate<string[]>(
      "[...document.querySelectorAll('main code[title]')].map((e) => e.getAttribute('title').split(': ')[0])",
    );
    return [...`${text}\n${titles.join('\n')}`.matchAll(rawValue)].map((m) => m[0]);
  }

  before(async () => {
    mkdirSync(screens, { recursive: true });
    deployment = await createTestDeployment({ partner, dataDirPrefix: 'xborder-console-lang-' });
    gatewayUrl = deployment.gatewayUrl;
    await Promise.all(roles.map((role) => deployment.start(role)));
    gw = createGatewayClient<Transfer>({
      baseUrl: gatewayUrl,
      dataDir: deployment.dataDir,
      tokenTtlSeconds: 900,
      output: deployment.output,
    });
    await setUpRegistry(gw, {
      ...route,
      exporterName,
      partners: [{ id: partner, endpoint }],
      endpointUrl: `https://localhost:${deployment.ports.receiver}`,
      attestations: [
        await signPartnerAttestation({
          dataDir: deployment.dataDir,
          ...route,
          endpoints: [endpoint],
          jti: 'att-lang-1',
        }),
      ],
      selfAssessmentId: 'pipia-lang',
    });
    const enterprise = await gw.token('enterprise', 'ent-user', exporter);
    // Held by the filing check: classification reasons, a failed check, evidence records, the volume table.
    heldId = (
      await gw.submitAccepted(
        createContractManifest(route, { selfAssessmentId: 'pipia-lang', attestationId: 'att-lang-1' }),
        'order_id,mobile,email\nSO-1,13800138000,li.lei@example.com\nSO-2,13912345678,han.meimei@example.com\n',
        enterprise,
      )
    ).id;
    // Held at once for manual identification (important_suspected).
    await gw.submitAccepted(createManifest(route, { importantDataSuspected: true }), 'sku\nA\n', enterprise);
    // Released without personal data: the enterprise list shows its receipt button.
    const free = (await gw.submitAccepted(createManifest(route), 'sku\nB\n', enterprise)).id;
    // Issue #20: order data whose ID and mobile columns the plan drops: classified before and after side by side.
    const ids = residentIds(2);
    minimisedId = (
      await gw.submitAccepted(
        createManifest(route, {
          businessType: 'cross_border_ecommerce',
          dataCategories: ['order', 'contact'],
          personalInfo: { individuals: 2, sensitiveIndividuals: 2, origin: 'domestic' },
          legalBasis: 'contract',
          minimise: { format: 'csv', columns: { idcard: { op: 'drop' }, mobile: { op: 'drop' } } },
        }),
        `order,idcard,mobile,qty\nSO-1,${ids[0]},13800138000,1\nSO-2,${ids[1]},13912345678,2\n`,
        enterprise,
      )
    ).id;
    await gw.settle(heldId, enterprise, ['held', 'released', 'delivery_failed']);
    await gw.settle(free, enterprise, ['released', 'held', 'blocked', 'delivery_failed']);

    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await deployment?.stop();
  });

  for (const lang of ['zh', 'en'] as const) {
    it(`${lang}: queue and detail show words, not raw values or repository files; no console error`, async () => {
      const { page, errors } = await open(lang);
      await signIn(page, await gw.token('reviewer', `rev-${lang}`));
      await page.locator('main table tbody tr').first().waitFor();
      const queueText = await page.locator('main').innerText();
      expect(queueText, 'exporter name beside its code').to.include(`${exporterName} ${exporter}`);
      expect(await rawValuesOn(page), 'raw values on the queue').to.deep.equal([]);
      await page.screenshot({ path: path.join(screens, `queue-${lang}.png`), fullPage: true });

      await page.goto(`${gatewayUrl}/console/#/transfer/${heldId}`);
      await page.locator('main .reasons').first().waitFor();
      const text = await page.locator('main').innerText();
      expect(text).to.include(exporterName);
      expect(await rawValuesOn(page), 'raw values on the detail page').to.deep.equal([]);
      expect(text).not.to.match(/\.md\b/);
      const rules = await page.locator('main .reasons .rule').allInnerTexts();
      expect(rules.length).to.be.greaterThan(0);
      if (lang === 'zh') {
        expect(
          rules.filter((r) => !hanzi.test(r)),
          'citations without Chinese',
        ).to.deep.equal([]);
        expect(text).to.include('《促进和规范数据跨境流动规定》');
        expect(text).to.include('标准合同备案或个人信息保护认证');
      } else {
        expect(text).to.include('Provisions 2024 art.');
        expect(text).to.include('standard contract filing or PI certification');
      }
      await page.screenshot({ path: path.join(screens, `detail-${lang}.png`), fullPage: true });
      // Readable crops of the long page: the top (summary, hold reasons), classification, and the volume table.
      await page.screenshot({ path: path.join(screens, `detail-${lang}-top.png`) });
      await page
        .locator('section[aria-labelledby="sec-class"]')
        .screenshot({ path: path.join(screens, `detail-${lang}-classification.png`) });
      await page
        .locator('section[aria-labelledby="sec-volume"]')
        .screenshot({ path: path.join(screens, `detail-${lang}-volume.png`) });
      expect(errors, 'console errors').to.deep.equal([]);
      await page.context().close();
    });
  }

  for (const lang of ['zh', 'en'] as const) {
    it(`${lang}: a minimised transfer shows the original and what leaves side by side, in words (issue #20)`, async () => {
      const { page, errors } = await open(lang);
      await signIn(page, await gw.token('reviewer', `rev-min-${lang}`));
      await page.goto(`${gatewayUrl}/console/#/transfer/${minimisedId}`);
      const minimised = page.locator('section[aria-labelledby="sec-minimise"]');
      await minimised.waitFor();
      const text = await minimised.innerText();
      if (lang === 'zh') {
        expect(text)
          .to.include('原始数据')
          .and.include('出境数据')
          .and.include('标准合同')
          .and.include('自由流动');
        expect(text).to.include('删除');
      } else {
        expect(text).to.include('Original').and.include('What leaves').and.include('standard contract');
        expect(text).to.include('free flow').and.include('dropped');
      }
      expect(await rawValuesOn(page), 'raw values on the detail page').to.deep.equal([]);
      await minimised.screenshot({ path: path.join(screens, `detail-${lang}-minimisation.png`) });
      expect(errors, 'console errors').to.deep.equal([]);
      await page.context().close();
    });
  }

  it('zh: every reason message is Chinese (api.md §6: reasons follow Accept-Language)', async function () {
    const { page } = await open('zh');
    await signIn(page, await gw.token('reviewer', 'rev-zh-msg'));
    await page.goto(`${gatewayUrl}/console/#/transfer/${heldId}`);
    await page.locator('main .reasons').first().waitFor();
    const messages = await page.locator('main .reasons .message').allInnerTexts();
    expect(messages.length).to.be.greaterThan(0);
    expect(
      messages.filter((m) => !hanzi.test(m)),
      'reason messages without Chinese',
    ).to.deep.equal([]);
    await page.context().close();
  });

  it('a refused sign-in followed by a good one shows no "session expired"', async () => {
    const { page, errors } = await open('zh');
    await page.locator('#token').fill('eyJhbGciOiJFUzI1NiJ9.e30.AAAA');
    await page.locator('main form button[type="submit"]').click();
    await page.getByText('网关不接受此令牌').waitFor();
    await signIn(page, await gw.token('reviewer', 'rev-again'));
    await page.locator('main table').first().waitFor();
    expect(await page.locator('#status').innerText()).not.to.include('登录已失效');
    // The refused token's 401 is the browser's own network log line, not a console script error.
    expect(errors.filter((e) => !e.includes('401'))).to.deep.equal([]);
    await page.context().close();
  });

  it("the enterprise list's receipt button stays on one line", async () => {
    const { page } = await open('zh');
    await signIn(page, await gw.token('enterprise', 'ent-user', exporter));
    const button = page.getByRole('button', { name: '下载回执' }).first();
    await button.waitFor();
    const box = await button.boundingBox();
    // One line of 0.9rem text with its padding is about 30 px; one character per line was over 100.
    expect(box?.height ?? 999).to.be.below(45);
    expect(box?.width ?? 0).to.be.above(40);
    await page.screenshot({ path: path.join(screens, 'enterprise-zh.png'), fullPage: true });
    await page.context().close();
  });
});
