import { expect } from 'chai';
import { checkFiling } from '../../../transfers/checks/check-filing.js';
import type { Filing } from '../../../registry/records.js';
import { classification, manifest, now } from './fixtures.js';

const scc = ['standard_contract', 'certification'] as const;

function filing(overrides: Partial<Filing> = {}): Filing {
  return {
    id: 'SCC-1',
    updatedAt: '2026-01-01T00:00:00Z',
    kind: 'standard_contract',
    exporterId: '91450100MA5KDEM11G',
    partnerIds: ['partner-sg'],
    dataCategories: ['order', 'contact', 'shipping_address'],
    purposes: ['order fulfilment and delivery'],
    maxIndividuals: 500_000,
    maxSensitiveIndividuals: 0,
    validFrom: '2026-01-01',
    validUntil: '2027-12-31',
    status: 'active',
    ...overrides,
  };
}

const codes = (v: ReturnType<typeof checkFiling>) => (v.ok ? [] : v.reasons.map((r) => r.code));

describe('transfers/checks/check-filing', () => {
  it('passes an active SCC filing whose scope covers partner, categories, purpose and volume', () => {
    expect(checkFiling(manifest(), classification(), filing(), scc, now)).to.deep.equal({ ok: true });
  });

  it('matches purposes ignoring case and spacing (free text typed on both sides)', () => {
    expect(
      checkFiling(
        manifest({ purpose: '  ORDER fulfilment   and delivery ' }),
        classification(),
        filing(),
        scc,
        now,
      ).ok,
    ).to.equal(true);
  });

  it('fails R-EVID-FILING-MISSING when the manifest names none, or it is not registered', () => {
    expect(codes(checkFiling(manifest({ evidence: {} }), classification(), null, scc, now))).to.deep.equal([
      'R-EVID-FILING-MISSING',
    ]);
    expect(codes(checkFiling(manifest(), classification(), null, scc, now))).to.deep.equal([
      'R-EVID-FILING-MISSING',
    ]);
  });

  it('fails R-EVID-FILING-MISSING when the kind does not fit the tier (an SCC filing for a security assessment)', () => {
    const sa = classification({ tier: 'security_assessment' });
    expect(codes(checkFiling(manifest(), sa, filing(), ['security_assessment'], now))).to.deep.equal([
      'R-EVID-FILING-MISSING',
    ]);
  });

  it('accepts a certification for the SCC tier (Order 20)', () => {
    expect(
      checkFiling(manifest(), classification(), filing({ kind: 'certification' }), scc, now).ok,
    ).to.equal(true);
  });

  it('fails R-EVID-FILING-REVOKED for a revoked filing', () => {
    expect(
      codes(checkFiling(manifest(), classification(), filing({ status: 'revoked' }), scc, now)),
    ).to.deep.equal(['R-EVID-FILING-REVOKED']);
  });

  it('fails R-EVID-FILING-EXPIRED before validFrom and from validUntil on', () => {
    expect(
      codes(checkFiling(manifest(), classification(), filing({ validFrom: '2026-07-01' }), scc, now)),
    ).to.deep.equal(['R-EVID-FILING-EXPIRED']);
    expect(
      codes(checkFiling(manifest(), classification(), filing({ validUntil: '2026-06-01' }), scc, now)),
    ).to.deep.equal(['R-EVID-FILING-EXPIRED']);
  });

  it('caps a security assessment at 3 years from issue (Provisions 2024 art. 9), whatever validUntil says', () => {
    const sa = classification({ tier: 'security_assessment' });
    const old = filing({ kind: 'security_assessment', validFrom: '2023-06-01', validUntil: '2030-01-01' });
    expect(codes(checkFiling(manifest(), sa, old, ['security_assessment'], now))).to.deep.equal([
      'R-EVID-FILING-EXPIRED',
    ]);
    const recent = filing({ kind: 'security_assessment', validFrom: '2023-06-20', validUntil: '2030-01-01' });
    expect(checkFiling(manifest(), sa, recent, ['security_assessment'], now).ok).to.equal(true);
  });

  it("fails R-EVID-FILING-SCOPE for another exporter's filing", () => {
    expect(
      codes(
        checkFiling(manifest(), classification(), filing({ exporterId: '91451400MA5PDEM13W' }), scc, now),
      ),
    ).to.deep.equal(['R-EVID-FILING-SCOPE']);
  });

  const outOfScope: [string, Partial<Filing>][] = [
    ['another partner', { partnerIds: ['partner-my'] }],
    ['a category not filed', { dataCategories: ['order'] }],
    ['another purpose', { purposes: ['marketing analytics'] }],
    ['a yearly volume above the filed cap', { maxIndividuals: 149_999 }],
  ];
  for (const [what, overrides] of outOfScope) {
    it(`fails R-EVID-FILING-SCOPE for ${what} (NDSMR art. 38)`, () => {
      expect(codes(checkFiling(manifest(), classification(), filing(overrides), scc, now))).to.deep.equal([
        'R-EVID-FILING-SCOPE',
      ]);
    });
  }

  it('fails R-EVID-FILING-SCOPE when sensitive individuals exceed the filed cap', () => {
    const c = classification({ volume: { individualsYtd: 150_000, sensitiveYtd: 10 } });
    expect(codes(checkFiling(manifest(), c, filing(), scc, now))).to.deep.equal(['R-EVID-FILING-SCOPE']);
  });
});
