// cli/demo-records: the demo registry for a first look (`npm start`) — two exporters, a Singapore partner with
// its endpoint (the local reference receiver), a signed attestation, a PIPIA and an SCC filing, and for
// `xborder demo` a risk self-assessment and a security-assessment filing. Written
// through the real API, so every record is validated and lands in the ledger like any other.
import { readFile } from 'node:fs/promises';
import { signAttestation } from '../certs/attestation.js';
import { devPkiPaths } from '../certs/dev-pki.js';
import { mintToken } from '../certs/token.js';
import type { Config } from '../platform/config.js';

export const demo = {
  /** Nanning company, not registered in an FTZ area: the national rules apply. */
  exporter: '91450100MA5KDEM11G',
  /** Qinzhou Port company registered in the Guangxi FTZ: the FTZ list applies. */
  ftzExporter: '91450700MA5NDEM12A',
  partner: 'demo-partner-sg',
  endpoint: 'demo-endpoint-sg',
  attestation: 'att-demo-sg-2026',
  selfAssessment: 'pipia-demo-2026',
  filing: 'SCC-GX-2026-0001',
  /** `xborder demo`'s security-assessment transfer: a CAC security-assessment result and its risk self-assessment. */
  securityAssessmentFiling: 'SA-GX-2026-0001',
  riskSelfAssessment: 'risk-sa-demo-2026',
  purpose: 'order fulfilment and delivery',
  categories: ['order', 'contact', 'shipping_address'],
} as const;

type Call = (
  method: string,
  path: string,
  role: 'admin' | 'reviewer' | 'enterprise',
  body: unknown,
  exporter?: string,
) => Promise<unknown>;

async function createCaller(config: Config, gatewayUrl: string, now: Date): Promise<Call> {
  const issuerKey = await readFile(devPkiPaths(`${config.dataDir}/pki`).issuerKey, 'utf8');
  const settings = { issuer: config.authIssuer, audience: config.authAudience, now };
  return async (method, path, role, body, exporter) => {
    const token = await mintToken(
      { role, sub: `demo-${role}`, ttlSeconds: 600, ...(exporter === undefined ? {} : { exporter }) },
      issuerKey,
      settings,
    );
    const response = await fetch(new URL(path, gatewayUrl), {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer: unknown = await response.json();
    // A restart on the same data dir re-signs the attestation (ECDSA signatures differ each time): the one
    // registered on the first run stands, and the registry answers 409 to the new copy.
    if (response.status === 409 && path === '/v1/attestations') return answer;
    if (!response.ok)
      throw new Error(`seeding ${method} ${path} failed: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
}

export async function seedDemoRecords(
  config: Config,
  gatewayUrl: string,
  receiverUrl: string,
  now: Date,
): Promise<void> {
  const call = await createCaller(config, gatewayUrl, now);
  const pki = devPkiPaths(`${config.dataDir}/pki`, demo.partner);
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);

  await call('PUT', `/v1/exporters/${demo.exporter}`, 'admin', {
    name: 'Nanning Demo Trading Co., Ltd.',
    ciio: false,
    ftzArea: null,
  });
  await call('PUT', `/v1/exporters/${demo.ftzExporter}`, 'admin', {
    name: 'Qinzhou Port Demo Logistics Co., Ltd.',
    ciio: false,
    ftzArea: 'qinzhou',
  });
  await call('PUT', `/v1/partners/${demo.partner}`, 'admin', {
    name: 'Demo Partner Pte. Ltd.',
    country: 'SG',
    role: 'processor',
  });
  await call('PUT', `/v1/endpoints/${demo.endpoint}`, 'admin', {
    partnerId: demo.partner,
    url: receiverUrl,
    country: 'SG',
  });

  for (const exporter of [demo.exporter, demo.ftzExporter]) {
    const iat = Math.floor(now.getTime() / 1000);
    const jws = await signAttestation(
      {
        iss: demo.partner,
        sub: exporter,
        jti: `${demo.attestation}-${exporter.slice(-4)}`,
        iat,
        nbf: iat - 60,
        exp: iat + 365 * 86_400,
        recipient: { name: 'Demo Partner Pte. Ltd.', country: 'SG' },
        role: 'processor',
        purposes: [demo.purpose],
        dataCategories: [...demo.categories, 'inventory', 'supplier'],
        businessTypes: ['cross_border_ecommerce', 'cross_border_logistics', 'supply_chain'],
        // `xborder demo`'s standard-contract transfer carries one individual's sensitive PI (R-SCC-SPI).
        sensitive: true,
        retentionDays: 365,
        storageCountry: 'SG',
        onwardTransfer: 'prohibited',
        securityMeasures: ['encryption at rest', 'access control'],
        breachNotificationHours: 72,
        dataSubjectRights: true,
        localLawStatement: 'PDPA 2012 (Singapore); no known government access demands',
        acceptsCacSupervision: true,
        endpoints: [demo.endpoint],
      },
      { key: await readFile(pki.partner.key, 'utf8'), chainPem: await readFile(pki.partner.chain, 'utf8') },
    );
    await call('POST', '/v1/attestations', 'enterprise', { jws }, exporter);
    await call(
      'PUT',
      `/v1/self-assessments/${demo.selfAssessment}-${exporter.slice(-4)}`,
      'enterprise',
      {
        exporterId: exporter,
        kind: 'pipia',
        completedOn: day(-10),
        reportSha256: 'a'.repeat(64),
        scope: {
          partnerIds: [demo.partner],
          dataCategories: [...demo.categories, 'inventory', 'supplier'],
          purposes: [demo.purpose],
          businessTypes: ['cross_border_ecommerce', 'cross_border_logistics', 'supply_chain'],
        },
      },
      exporter,
    );
  }
  await call('PUT', `/v1/filings/${demo.filing}`, 'reviewer', {
    kind: 'standard_contract',
    exporterId: demo.exporter,
    partnerIds: [demo.partner],
    dataCategories: [...demo.categories],
    purposes: [demo.purpose],
    maxIndividuals: 500_000,
    // Below the 10,000 that would need a security assessment instead (Provisions 2024 art. 7(2)).
    maxSensitiveIndividuals: 9_999,
    validFrom: day(-30),
    validUntil: day(700),
    status: 'active',
  });
  await call(
    'PUT',
    `/v1/self-assessments/${demo.riskSelfAssessment}-${demo.exporter.slice(-4)}`,
    'enterprise',
    {
      exporterId: demo.exporter,
      kind: 'risk_self_assessment',
      completedOn: day(-20),
      reportSha256: 'c'.repeat(64),
      scope: {
        partnerIds: [demo.partner],
        dataCategories: ['inventory', 'supplier'],
        purposes: [demo.purpose],
        businessTypes: ['supply_chain'],
      },
    },
    demo.exporter,
  );
  await call('PUT', `/v1/filings/${demo.securityAssessmentFiling}`, 'reviewer', {
    kind: 'security_assessment',
    exporterId: demo.exporter,
    partnerIds: [demo.partner],
    dataCategories: ['inventory', 'supplier'],
    purposes: [demo.purpose],
    maxIndividuals: 2_000_000,
    maxSensitiveIndividuals: 50_000,
    validFrom: day(-60),
    validUntil: day(3 * 365 - 60),
    status: 'active',
  });
}
