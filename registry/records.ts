// registry/records: the registry bodies of api.md §5 — schemas, static types and parsers for untrusted JSON.
// Pure: no Redis here; registry-store.ts persists what these parsers accept.
import { Type, type Static } from '@sinclair/typebox';
import { createParser } from '../platform/schema.js';
import { aseanCountries, businessTypes, usccPattern } from '../policies/manifest.js';
import { checkUscc } from '../inspection/uscc.js';

const enumOf = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Name = Type.String({ minLength: 1, maxLength: 256 });
const Id = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' });
const IdList = Type.Array(Id, { maxItems: 256, uniqueItems: true });
const Category = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9_]+$' });
const Purpose = Type.String({ minLength: 1, maxLength: 2000 });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
/** A date or an RFC 3339 date-time; checked to be a real instant by `parseInstant`. */
const Instant = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
});
const Sha256Hex = Type.String({ pattern: '^[0-9a-f]{64}$' });
const Count = Type.Integer({ minimum: 0, maximum: 2_000_000_000 });

export const ExporterBody = Type.Object(
  {
    name: Name,
    ciio: Type.Boolean(),
    ftzArea: Type.Union([Type.Null(), enumOf(['nanning', 'qinzhou', 'chongzuo'] as const)]),
  },
  { additionalProperties: false },
);
export type ExporterBody = Static<typeof ExporterBody>;

export const PartnerBody = Type.Object(
  {
    name: Name,
    country: enumOf(aseanCountries),
    role: enumOf(['controller', 'processor'] as const),
    /** PIPL art. 42: the CAC may list recipients to which provision is restricted (decision row 3). */
    restricted: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PartnerBody = Static<typeof PartnerBody>;

export const EndpointBody = Type.Object(
  {
    partnerId: Id,
    url: Type.String({ pattern: '^https://[^\\s/?#]+(/[^\\s?#]*)?$', maxLength: 2048 }),
    country: enumOf(aseanCountries),
    caPem: Type.Optional(
      Type.String({ minLength: 1, maxLength: 65536, pattern: '-----BEGIN CERTIFICATE-----' }),
    ),
  },
  { additionalProperties: false },
);
export type EndpointBody = Static<typeof EndpointBody>;

export const filingKinds = ['standard_contract', 'certification', 'security_assessment'] as const;
export type FilingKind = (typeof filingKinds)[number];

export const FilingBody = Type.Object(
  {
    kind: enumOf(filingKinds),
    exporterId: Type.String({ minLength: 18, maxLength: 18 }),
    partnerIds: IdList,
    dataCategories: Type.Array(Category, { maxItems: 256, uniqueItems: true }),
    purposes: Type.Array(Purpose, { maxItems: 64, uniqueItems: true }),
    maxIndividuals: Count,
    maxSensitiveIndividuals: Count,
    validFrom: Instant,
    validUntil: Instant,
    status: enumOf(['active', 'revoked'] as const),
    // api.md §5: the filing or declaration date (the PIPIA's 3 months are measured to it, rules reference §0.1
    // C6) and, for a standard contract, the day it took effect (filed within 10 working days, Order 13 art. 7).
    filedOn: Type.Optional(IsoDate),
    contractEffectiveOn: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);
export type FilingBody = Static<typeof FilingBody>;

export const SelfAssessmentBody = Type.Object(
  {
    exporterId: Type.String({ minLength: 18, maxLength: 18 }),
    kind: enumOf(['pipia', 'risk_self_assessment'] as const),
    completedOn: IsoDate,
    reportSha256: Sha256Hex,
    scope: Type.Object(
      {
        partnerIds: IdList,
        dataCategories: Type.Array(Category, { maxItems: 256, uniqueItems: true }),
        purposes: Type.Array(Purpose, { maxItems: 64, uniqueItems: true }),
        businessTypes: Type.Array(enumOf(businessTypes), {
          maxItems: businessTypes.length,
          uniqueItems: true,
        }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type SelfAssessmentBody = Static<typeof SelfAssessmentBody>;

export const AttestationBody = Type.Object(
  { jws: Type.String({ minLength: 1, maxLength: 262144 }) },
  { additionalProperties: false },
);
export type AttestationBody = Static<typeof AttestationBody>;

export const RevocationBody = Type.Object(
  { certificateSha256: Sha256Hex, reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);
export type RevocationBody = Static<typeof RevocationBody>;

export const parseExporterBody = createParser(ExporterBody);
export const parsePartnerBody = createParser(PartnerBody);
export const parseEndpointBody = createParser(EndpointBody);
export const parseFilingBody = createParser(FilingBody);
export const parseSelfAssessmentBody = createParser(SelfAssessmentBody);
export const parseAttestationBody = createParser(AttestationBody);
export const parseRevocationBody = createParser(RevocationBody);

const usccShape = new RegExp(usccPattern);

/** A Unified Social Credit Code with a valid GB 32100 check character (the exporter's registry id). */
export function isValidUscc(text: string): boolean {
  return usccShape.test(text) && checkUscc(Buffer.from(text, 'latin1'), 0);
}

/** Parses a date or date-time into an instant; a bare date is midnight Asia/Shanghai (the regulator's calendar). */
export function parseInstant(text: string): Date | null {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00+08:00` : text;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  // Reject dates that JS silently rolls over (2026-02-30 → March 2).
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  const probe = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 0));
  return probe.getUTCDate() === d && probe.getUTCMonth() === (m ?? 1) - 1 ? at : null;
}

export interface Exporter extends ExporterBody {
  readonly id: string;
  readonly updatedAt: string;
}
export interface Partner extends PartnerBody {
  readonly id: string;
  readonly updatedAt: string;
}
export interface Endpoint extends EndpointBody {
  readonly id: string;
  readonly updatedAt: string;
}
export interface Filing extends FilingBody {
  readonly id: string;
  readonly updatedAt: string;
}
export interface SelfAssessment extends SelfAssessmentBody {
  readonly id: string;
  readonly updatedAt: string;
}
/** A registered attestation: the JWS as received plus what verification established at registration. */
export interface AttestationRecord {
  readonly id: string;
  readonly partnerId: string;
  readonly exporterId: string;
  readonly expiresAt: string;
  readonly jws: string;
  readonly leafSha256: string;
  readonly registeredAt: string;
}
export interface Revocation extends RevocationBody {
  readonly revokedAt: string;
}
