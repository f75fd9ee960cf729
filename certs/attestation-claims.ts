// certs/attestation-claims: the partner attestation claims of api.md §5 — their type, the parser for untrusted
// JSON, and the time checks (RFC 7519 §4.1.4/§4.1.5). Pure: `now` is an input; no crypto, no I/O.
import { ClaimsReader, Rules, type ClaimIssue } from './claims-reader.js';

/** api.md §6 businessType values (kept in step with policies/manifest.ts businessTypes). */
export const attestationBusinessTypes = [
  'cross_border_ecommerce',
  'cross_border_logistics',
  'cross_border_payment',
  'supply_chain',
  'cross_border_trade',
  'cross_border_finance',
  'cross_border_tourism',
  'hr_management',
  'academic_cooperation',
  'manufacturing',
  'service_outsourcing',
  'exam_services',
  'other',
] as const;
export type AttestationBusinessType = (typeof attestationBusinessTypes)[number];

export const recipientRoles = ['controller', 'processor'] as const;
export type RecipientRole = (typeof recipientRoles)[number];

export const onwardTransferModes = ['prohibited', 'with_exporter_consent', 'equivalent_protection'] as const;
export type OnwardTransfer = (typeof onwardTransferModes)[number];

export interface AttestationClaims {
  /** Partner id; equals the signing certificate's subject CN. */
  readonly iss: string;
  /** Exporter USCC. */
  readonly sub: string;
  /** Attestation id. */
  readonly jti: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly recipient: { readonly name: string; readonly country: string };
  readonly role: RecipientRole;
  readonly purposes: readonly string[];
  readonly dataCategories: readonly string[];
  readonly businessTypes: readonly AttestationBusinessType[];
  readonly sensitive: boolean;
  readonly retentionDays: number;
  readonly storageCountry: string;
  readonly onwardTransfer: OnwardTransfer;
  readonly securityMeasures: readonly string[];
  readonly breachNotificationHours: number;
  readonly dataSubjectRights: boolean;
  readonly localLawStatement: string;
  readonly acceptsCacSupervision: boolean;
  /** Endpoint ids this attestation covers. */
  readonly endpoints: readonly string[];
}

export type AttestationReasonCode =
  | 'R-EVID-ATTESTATION-INVALID'
  | 'R-EVID-ATTESTATION-UNTRUSTED'
  | 'R-EVID-ATTESTATION-EXPIRED'
  | 'R-EVID-ATTESTATION-REVOKED';

export interface AttestationReason {
  readonly code: AttestationReasonCode;
  readonly message: string;
}

export type AttestationClaimsParse =
  | { readonly ok: true; readonly claims: AttestationClaims }
  | { readonly ok: false; readonly issues: readonly ClaimIssue[] };

/** Tolerated clock difference for "not yet" checks (nbf, iat): a partner's clock slightly ahead is no fault. */
export const CLOCK_SKEW_SECONDS = 60;

const lists = { min: 1, max: 64 };

/** Parses untrusted JSON into AttestationClaims, or every issue found. Unknown claims are ignored (RFC 7519 §4). */
export function parseAttestationClaims(input: unknown): AttestationClaimsParse {
  const r = new ClaimsReader();
  const o = r.root(input);
  const recipient = r.object(o, 'recipient', '');
  const claims: AttestationClaims = {
    iss: r.string(o, 'iss', '', Rules.id),
    sub: r.string(o, 'sub', '', Rules.uscc),
    jti: r.string(o, 'jti', '', Rules.id),
    iat: r.numericDate(o, 'iat', ''),
    nbf: r.numericDate(o, 'nbf', ''),
    exp: r.numericDate(o, 'exp', ''),
    recipient: {
      name: r.string(recipient, 'name', '/recipient', { min: 1, max: 500 }),
      country: r.string(recipient, 'country', '/recipient', Rules.country),
    },
    role: r.enumOf(o, 'role', '', recipientRoles),
    purposes: r.stringList(o, 'purposes', '', Rules.text, lists),
    dataCategories: r.stringList(o, 'dataCategories', '', Rules.category, lists),
    businessTypes: r.enumList(o, 'businessTypes', '', attestationBusinessTypes, { min: 1 }),
    sensitive: r.boolean(o, 'sensitive', ''),
    retentionDays: r.integer(o, 'retentionDays', '', 0, 36500),
    storageCountry: r.string(o, 'storageCountry', '', Rules.country),
    onwardTransfer: r.enumOf(o, 'onwardTransfer', '', onwardTransferModes),
    securityMeasures: r.stringList(o, 'securityMeasures', '', Rules.text, lists),
    breachNotificationHours: r.integer(o, 'breachNotificationHours', '', 0, 8760),
    dataSubjectRights: r.boolean(o, 'dataSubjectRights', ''),
    localLawStatement: r.string(o, 'localLawStatement', '', Rules.longText),
    acceptsCacSupervision: r.boolean(o, 'acceptsCacSupervision', ''),
    endpoints: r.stringList(o, 'endpoints', '', Rules.id, lists),
  };
  if (r.issues.length === 0) {
    if (claims.nbf >= claims.exp) r.issues.push({ path: '/nbf', message: 'must be before exp' });
    if (claims.iat >= claims.exp) r.issues.push({ path: '/iat', message: 'must be before exp' });
  }
  return r.issues.length === 0 ? { ok: true, claims } : { ok: false, issues: r.issues };
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

/** The attestation's own validity at `now` (its certificate's validity is the chain's business). */
export function checkAttestationTimes(claims: AttestationClaims, now: Date): AttestationReason[] {
  const t = now.getTime() / 1000;
  const reasons: AttestationReason[] = [];
  // RFC 7519 §4.1.4: MUST NOT be accepted on or after exp.
  if (t >= claims.exp)
    reasons.push({
      code: 'R-EVID-ATTESTATION-EXPIRED',
      message: `The attestation expired at ${iso(claims.exp)}`,
    });
  // RFC 7519 §4.1.5: MUST NOT be accepted before nbf.
  if (claims.nbf > t + CLOCK_SKEW_SECONDS)
    reasons.push({
      code: 'R-EVID-ATTESTATION-EXPIRED',
      message: `The attestation is not valid before ${iso(claims.nbf)}`,
    });
  if (claims.iat > t + CLOCK_SKEW_SECONDS)
    reasons.push({
      code: 'R-EVID-ATTESTATION-INVALID',
      message: `The attestation claims to be issued in the future (${iso(claims.iat)})`,
    });
  return reasons;
}
