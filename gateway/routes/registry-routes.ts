// gateway/routes/registry-routes: the registry API of api.md §5. Every PUT is an idempotent upsert and every
// change is a ledger event. Role rules follow api.md §3; enterprises act only for their own exporter.
import { Router, type Response } from 'express';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import type { AuditEvent, EventLog } from '../../platform/event-log.js';
import type { UrlVerdict } from '../../platform/outbound-guard.js';
import type { Parsed } from '../../platform/schema.js';
import {
  parseAttestationBody,
  parseEndpointBody,
  parseExporterBody,
  parseFilingBody,
  parsePartnerBody,
  parseRevocationBody,
  parseSelfAssessmentBody,
  parseInstant,
  isValidUscc,
} from '../../registry/records.js';
import {
  expiryWarningWorkingDays,
  listExpiringFilings,
  sccFilingDelay,
} from '../../transfers/filing-expiry.js';
import type { Filing } from '../../registry/records.js';
import type { WorkingDayCalendar } from '../../policies/working-days.js';
import type { RegistryStore } from '../../registry/registry-store.js';
import { principalOf, requireRole } from '../auth.js';
import type { Role } from '../principal.js';
import { paramId, parseBody } from '../params.js';
import { assertOwnExporter } from '../scope.js';
import type { AttestationRegistrar } from '../attestation-registrar.js';

export interface RegistryRouteDeps {
  readonly registry: RegistryStore;
  readonly attestations: AttestationRegistrar;
  readonly events: EventLog;
  readonly clock: Clock;
  /** The outbound-address rule (api.md §2 XBORDER_ENDPOINT_ALLOWED_NETS, §5) applied to an endpoint URL. */
  readonly checkOutboundUrl: (url: string) => Promise<UrlVerdict>;
  /** Opens incidents when revoked evidence was relied on by released transfers (issue #19 item 4). */
  readonly incidents?: {
    certificateRevoked(certificateSha256: string, revokedAt: Date): Promise<unknown>;
    filingRevoked(filingId: string, revokedAt: Date): Promise<unknown>;
  };
  /** The State Council working-day calendar (policy data); Monday–Friday when absent. */
  readonly calendar?: WorkingDayCalendar;
}

/** A body whose instants do not parse, or whose range is empty, is a 400 on the field. */
function assertRange(from: string, until: string): void {
  const a = parseInstant(from);
  const b = parseInstant(until);
  if (a === null)
    throw new AppError('BAD_BODY', undefined, [{ path: '/validFrom', message: 'is not a real date' }]);
  if (b === null)
    throw new AppError('BAD_BODY', undefined, [{ path: '/validUntil', message: 'is not a real date' }]);
  if (b <= a)
    throw new AppError('BAD_BODY', undefined, [{ path: '/validUntil', message: 'must be after validFrom' }]);
}

/** `expiring` is absent, `true` or `false`; anything else is a 400 on the parameter. */
function parseExpiringFlag(value: unknown): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new AppError('BAD_QUERY', undefined, [{ path: '/query/expiring', message: 'must be true or false' }]);
}

function assertUscc(value: string, path: string): void {
  if (!isValidUscc(value)) {
    throw new AppError('BAD_BODY', 'Not a valid Unified Social Credit Code', [
      { path, message: 'fails the GB 32100 check character' },
    ]);
  }
}

export function createRegistryRoutes(deps: RegistryRouteDeps): Router {
  const { registry, events, clock } = deps;
  const router = Router();
  /** Order 13 art. 7: a standard contract filed more than 10 working days after it took effect is flagged late. */
  const withFilingFlags = (
    filing: Filing,
  ): Filing & { filingDelay?: { readonly workingDays: number; readonly late: boolean } } => {
    const delay = sccFilingDelay(filing, deps.calendar);
    return delay === null ? filing : { ...filing, filingDelay: delay };
  };
  const log = (event: AuditEvent) => events.append(event);

  function put<B>(
    path: string,
    roles: Role[],
    parse: (input: unknown) => Parsed<B>,
    save: (id: string, body: B, res: Response) => Promise<unknown>,
  ) {
    router.put(path, requireRole(...roles), async (req, res) => {
      const id = paramId(req, 'id');
      const body = parseBody(req, parse);
      res.json(await save(id, body, res));
    });
  }

  put('/v1/exporters/:id', ['admin'], parseExporterBody, async (id, body) => {
    if (!isValidUscc(id))
      throw new AppError('BAD_REQUEST', 'Not a valid Unified Social Credit Code', [
        { path: '/params/id', message: 'fails the GB 32100 check character' },
      ]);
    const record = await registry.putExporter(id, body, clock.now());
    await log({ type: 'registry.exporter', id, ciio: body.ciio, ftzArea: body.ftzArea });
    return record;
  });

  put('/v1/partners/:id', ['admin'], parsePartnerBody, async (id, body) => {
    const record = await registry.putPartner(id, body, clock.now());
    await log({
      type: 'registry.partner',
      id,
      country: body.country,
      role: body.role,
      restricted: body.restricted ?? false,
    });
    return record;
  });

  put('/v1/endpoints/:id', ['admin'], parseEndpointBody, async (id, body) => {
    const partner = await registry.getPartner(body.partnerId);
    if (partner === null)
      throw new AppError('UNKNOWN_REFERENCE', undefined, [
        { path: '/partnerId', message: 'is not a registered partner' },
      ]);
    if (partner.country !== body.country) {
      throw new AppError('BAD_BODY', undefined, [
        { path: '/country', message: `differs from the partner's country (${partner.country})` },
      ]);
    }
    // api.md §5: the host must resolve to public addresses or allowed nets, or the gateway could be pointed at
    // its own network (loopback services, cloud metadata). Checked again at every connection (deliver-http).
    const verdict = await deps.checkOutboundUrl(body.url);
    if (!verdict.ok)
      throw new AppError('ENDPOINT_NOT_ALLOWED', undefined, [{ path: '/url', message: verdict.message }]);
    const record = await registry.putEndpoint(id, body, clock.now());
    await log({
      type: 'registry.endpoint',
      id,
      partnerId: body.partnerId,
      country: body.country,
      url: body.url,
    });
    return record;
  });

  put('/v1/filings/:id', ['reviewer', 'admin'], parseFilingBody, async (id, body, res) => {
    assertUscc(body.exporterId, '/exporterId');
    assertRange(body.validFrom, body.validUntil);
    const record = withFilingFlags(await registry.putFiling(id, body, clock.now()));
    await log({
      type: 'registry.filing',
      id,
      kind: body.kind,
      exporterId: body.exporterId,
      status: body.status,
      validUntil: body.validUntil,
      ...(record.filingDelay === undefined ? {} : { filedLate: record.filingDelay.late }),
      by: principalOf(res).role,
    });
    // Before answering: a client retrying the idempotent PUT re-runs this, and incidents open once.
    if (body.status === 'revoked') await deps.incidents?.filingRevoked(id, clock.now());
    return record;
  });

  // ?expiring=true: only active filings inside the 60-working-day window before expiry (Provisions 2024 art. 9),
  // soonest first, each with expiresAt and workingDaysLeft — the reviewers' renewal list.
  router.get('/v1/filings', requireRole('reviewer', 'admin', 'ops'), async (req, res) => {
    const filings = await registry.listFilings();
    if (!parseExpiringFlag(req.query['expiring'])) {
      res.json({ items: filings.map(withFilingFlags) });
      return;
    }
    const expiring = listExpiringFilings(filings, clock.now(), expiryWarningWorkingDays, deps.calendar);
    res.json({
      workingDays: expiryWarningWorkingDays,
      items: expiring.map((e) => ({
        ...withFilingFlags(e.filing),
        expiresAt: e.expiresAt,
        workingDaysLeft: e.workingDaysLeft,
      })),
    });
  });

  put('/v1/self-assessments/:id', ['enterprise'], parseSelfAssessmentBody, async (id, body, res) => {
    assertUscc(body.exporterId, '/exporterId');
    assertOwnExporter(principalOf(res), body.exporterId);
    if (parseInstant(body.completedOn) === null)
      throw new AppError('BAD_BODY', undefined, [{ path: '/completedOn', message: 'is not a real date' }]);
    const existing = await registry.getSelfAssessment(id);
    // Ids are global: one exporter must not overwrite another's record by reusing its id.
    if (existing !== null && existing.exporterId !== body.exporterId)
      throw new AppError('CONFLICT', "This id belongs to another exporter's self-assessment");
    const record = await registry.putSelfAssessment(id, body, clock.now());
    await log({
      type: 'registry.self_assessment',
      id,
      exporterId: body.exporterId,
      kind: body.kind,
      completedOn: body.completedOn,
      reportSha256: body.reportSha256,
    });
    return record;
  });

  router.post('/v1/attestations', requireRole('enterprise', 'admin'), async (req, res) => {
    const body = parseBody(req, parseAttestationBody);
    const record = await deps.attestations.register(body.jws, principalOf(res));
    res.status(201).json({
      id: record.id,
      partnerId: record.partnerId,
      exporterId: record.exporterId,
      expiresAt: record.expiresAt,
    });
  });

  router.post('/v1/revocations', requireRole('admin'), async (req, res) => {
    const body = parseBody(req, parseRevocationBody);
    const revocation = { ...body, revokedAt: clock.now().toISOString() };
    await registry.revokeCertificate(revocation);
    await log({ type: 'registry.revocation', certificateSha256: body.certificateSha256 });
    await deps.incidents?.certificateRevoked(body.certificateSha256, new Date(revocation.revokedAt));
    res.status(201).json(revocation);
  });

  for (const [path, get] of [
    ['/v1/exporters/:id', (id: string) => registry.getExporter(id)],
    ['/v1/partners/:id', (id: string) => registry.getPartner(id)],
    ['/v1/endpoints/:id', (id: string) => registry.getEndpoint(id)],
    ['/v1/filings/:id', (id: string) => registry.getFiling(id)],
  ] as const) {
    router.get(path, requireRole('reviewer', 'admin', 'ops'), async (req, res) => {
      const record = await get(paramId(req, 'id'));
      if (record === null) throw new AppError('NOT_FOUND');
      res.json(path === '/v1/filings/:id' ? withFilingFlags(record as Filing) : record);
    });
  }

  return router;
}
