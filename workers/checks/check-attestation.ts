// workers/checks/check-attestation: the partner's signed attestation. The signature, the x5c chain to a trust
// anchor, validity and revocation are verified by certs/ (passed in as `verification`); this binds the
// verified claims to the transfer: partner, exporter, endpoint, purpose, categories, business type, sensitive
// PI and storage country (regulation.md §9.1). Pure.
import type { Manifest } from '../../policies/manifest.js';
import type { Classification } from '../../policies/classification.js';
import type { AttestationVerification } from '../../certs/attestation.js';
import { fail, missingFrom, samePurpose, type CheckVerdict } from './check-outcome.js';

const rule = 'PIPL art. 38; regulation.md §9.1';

export function checkAttestation(
  manifest: Manifest,
  classification: Classification,
  verification: AttestationVerification | null,
): CheckVerdict {
  const id = manifest.evidence?.attestationId;
  if (id === undefined || verification === null) {
    return fail({
      code: 'R-EVID-ATTESTATION-MISSING',
      rule,
      message:
        id === undefined
          ? 'The manifest names no partner attestation'
          : `Attestation ${id} is not registered`,
    });
  }
  if (!verification.ok)
    return {
      ok: false,
      reasons: verification.reasons.map((r) => ({ code: r.code, rule, message: r.message })),
    };
  const claims = verification.claims;
  const gaps: string[] = [];
  if (claims.iss !== manifest.partnerId)
    gaps.push(`it is issued by ${claims.iss}, not partner ${manifest.partnerId}`);
  if (claims.sub !== manifest.exporterId) gaps.push('it is given to another exporter');
  if (!claims.endpoints.includes(manifest.endpointId))
    gaps.push(`endpoint ${manifest.endpointId} is not covered`);
  if (!claims.purposes.some((p) => samePurpose(p, manifest.purpose))) gaps.push('the purpose is not covered');
  const categories = missingFrom(manifest.dataCategories, claims.dataCategories);
  if (categories.length > 0) gaps.push(`categories ${categories.join(', ')} are not covered`);
  if (!claims.businessTypes.includes(manifest.businessType))
    gaps.push(`business type ${manifest.businessType} is not covered`);
  if (classification.thisTransfer.sensitiveIndividuals > 0 && !claims.sensitive)
    gaps.push('sensitive PI is not accepted');
  if (claims.storageCountry !== manifest.destinationCountry) {
    gaps.push(
      `storage country ${claims.storageCountry} differs from destination ${manifest.destinationCountry}`,
    );
  }
  if (gaps.length > 0)
    return fail({
      code: 'R-EVID-ATTESTATION-SCOPE',
      rule,
      message: `Attestation ${id} does not cover this transfer: ${gaps.join('; ')}`,
    });
  return { ok: true };
}
