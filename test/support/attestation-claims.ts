// test/support/attestation-claims: the claims of a partner attestation (api.md §5) as a Singapore processor
// would sign them — SG storage, no onward transfer, encryption, 72-hour breach notice, CAC supervision
// accepted. Each test names the parties, ids and times, and overrides what it is about.
import type { AttestationClaims } from '../../certs/attestation.js';

export type ClaimParties = Pick<
  AttestationClaims,
  'iss' | 'sub' | 'jti' | 'iat' | 'nbf' | 'exp' | 'endpoints'
>;

export function attestationClaims(
  parties: ClaimParties,
  overrides: Partial<AttestationClaims> = {},
): AttestationClaims {
  return {
    ...parties,
    recipient: { name: 'Partner SG Pte. Ltd.', country: 'SG' },
    role: 'processor',
    purposes: ['order fulfilment and delivery'],
    dataCategories: ['order', 'contact'],
    businessTypes: ['cross_border_ecommerce'],
    sensitive: false,
    retentionDays: 365,
    storageCountry: 'SG',
    onwardTransfer: 'prohibited',
    securityMeasures: ['encryption'],
    breachNotificationHours: 72,
    dataSubjectRights: true,
    localLawStatement: 'PDPA 2012',
    acceptsCacSupervision: true,
    ...overrides,
  };
}
