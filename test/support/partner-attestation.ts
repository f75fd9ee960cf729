// test/support/partner-attestation: an attestation (api.md §5) signed with the key `xborder certs init` made
// for a partner, promising what the test routes need: the test purpose, order/contact/inventory data, the
// e-commerce and supply-chain business types, storage in SG. Valid from a minute ago for 30 days unless the
// test overrides the times (to make one expire in the queue, for instance).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signAttestation, type AttestationClaims } from '../../certs/attestation.js';
import { devPkiPaths } from '../../certs/dev-pki.js';
import { attestationClaims } from './attestation-claims.js';

export interface AttestationParties {
  /** The deployment's XBORDER_DATA_DIR, where the partner's key and chain are. */
  readonly dataDir: string;
  readonly partner: string;
  readonly exporter: string;
  readonly endpoints: readonly string[];
  readonly purpose: string;
  readonly jti: string;
}

export function signPartnerAttestation(
  parties: AttestationParties,
  overrides: Partial<AttestationClaims> = {},
): Promise<string> {
  const pki = devPkiPaths(path.join(parties.dataDir, 'pki'), parties.partner);
  const iat = Math.floor(Date.now() / 1000);
  return signAttestation(
    attestationClaims(
      {
        iss: parties.partner,
        sub: parties.exporter,
        jti: parties.jti,
        iat,
        nbf: iat - 60,
        exp: iat + 86_400 * 30,
        endpoints: parties.endpoints,
      },
      {
        purposes: [parties.purpose],
        dataCategories: ['order', 'contact', 'inventory'],
        businessTypes: ['cross_border_ecommerce', 'supply_chain'],
        ...overrides,
      },
    ),
    { key: readFileSync(pki.partner.key, 'utf8'), chainPem: readFileSync(pki.partner.chain, 'utf8') },
  );
}
