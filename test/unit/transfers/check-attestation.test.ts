import { expect } from 'chai';
import { checkAttestation } from '../../../transfers/checks/check-attestation.js';
import type { AttestationClaims, AttestationVerification } from '../../../certs/attestation.js';
import { classification, manifest } from './fixtures.js';
import { attestationClaims } from '../../support/attestation-claims.js';

function verified(overrides: Partial<AttestationClaims> = {}): AttestationVerification {
  const claims = attestationClaims(
    {
      iss: 'partner-sg',
      sub: '91450100MA5KDEM11G',
      jti: 'att-1',
      iat: 1_780_000_000,
      nbf: 1_780_000_000,
      exp: 1_790_000_000,
      endpoints: ['endpoint-sg'],
    },
    { dataCategories: ['order', 'contact', 'shipping_address'], ...overrides },
  );
  return {
    ok: true,
    claims,
    header: { alg: 'ES256', typ: 'xborder-attestation+jwt', kid: undefined },
    leafSha256: 'a'.repeat(64),
    chainSha256s: [],
  };
}

const codes = (v: ReturnType<typeof checkAttestation>) => (v.ok ? [] : v.reasons.map((r) => r.code));

describe('transfers/checks/check-attestation', () => {
  it('passes a verified attestation whose claims cover the transfer', () => {
    expect(checkAttestation(manifest(), classification(), verified())).to.deep.equal({ ok: true });
  });

  it('fails R-EVID-ATTESTATION-MISSING when none is named or it is not registered', () => {
    expect(codes(checkAttestation(manifest({ evidence: {} }), classification(), null))).to.deep.equal([
      'R-EVID-ATTESTATION-MISSING',
    ]);
    expect(codes(checkAttestation(manifest(), classification(), null))).to.deep.equal([
      'R-EVID-ATTESTATION-MISSING',
    ]);
  });

  it('passes on the codes of a verification that failed (expired, revoked, untrusted)', () => {
    const failed: AttestationVerification = {
      ok: false,
      reasons: [{ code: 'R-EVID-ATTESTATION-REVOKED', message: 'CHAIN-REVOKED: leaf' }],
    };
    expect(codes(checkAttestation(manifest(), classification(), failed))).to.deep.equal([
      'R-EVID-ATTESTATION-REVOKED',
    ]);
  });

  const gaps: [string, Partial<AttestationClaims>][] = [
    ['another partner as issuer', { iss: 'partner-my' }],
    ['another exporter as subject', { sub: '91451400MA5PDEM13W' }],
    ['an endpoint not covered', { endpoints: ['endpoint-other'] }],
    ['a purpose not covered', { purposes: ['marketing'] }],
    ['a category not covered', { dataCategories: ['order'] }],
    ['a business type not covered', { businessTypes: ['supply_chain'] }],
    ['a storage country other than the destination', { storageCountry: 'MY' }],
  ];
  for (const [what, claims] of gaps) {
    it(`fails R-EVID-ATTESTATION-SCOPE for ${what}`, () => {
      expect(codes(checkAttestation(manifest(), classification(), verified(claims)))).to.deep.equal([
        'R-EVID-ATTESTATION-SCOPE',
      ]);
    });
  }

  it('fails R-EVID-ATTESTATION-SCOPE when the transfer has sensitive PI the partner did not accept', () => {
    const c = classification({ thisTransfer: { individuals: 10, sensitiveIndividuals: 2 } });
    expect(codes(checkAttestation(manifest(), c, verified({ sensitive: false })))).to.deep.equal([
      'R-EVID-ATTESTATION-SCOPE',
    ]);
    expect(checkAttestation(manifest(), c, verified({ sensitive: true })).ok).to.equal(true);
  });
});
