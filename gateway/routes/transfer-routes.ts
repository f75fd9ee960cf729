// gateway/routes/transfer-routes: the transfer API of api.md §6 — submit, read, list, decide, retry, receipt.
import { Router, type RequestHandler } from 'express';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../platform/errors.js';
import { createParser } from '../../platform/schema.js';
import { tiers } from '../../policies/classification.js';
import { localiseReasons, reasonLanguageOf } from '../../policies/localise-reasons.js';
import { parseInstant } from '../../registry/records.js';
import { transferStatuses, type TransferRecord } from '../../registry/transfer.js';
import type { ListQuery, TransferStore } from '../../registry/transfer-store.js';
import { principalOf, requireRole } from '../auth.js';
import { paramTransferId, parseBody, queryOf } from '../params.js';
import type { ReviewService } from '../review-service.js';
import { visibleTransfer } from '../scope.js';
import type { ReceiptService } from '../receipt-service.js';
import { viewTransfer } from '../transfer-view.js';
import type { ArchivePage, ArchiveSearch } from '../../registry/archive/archive-search.js';
import { mergeArchivePage } from '../merge-archive-page.js';

/** api.md §6: reason messages follow Accept-Language (zh… → Chinese, else English); codes and rules unchanged. */
function localisedFor<T>(req: { get(name: string): string | undefined }, body: T): T {
  return localiseReasons(body, reasonLanguageOf(req.get('accept-language')));
}

const parseDecision = createParser(
  Type.Object(
    {
      decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
      comment: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' }),
    },
    { additionalProperties: false },
  ),
);

const dateOrInstant = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$';

const parseListQuery = createParser(
  Type.Object(
    {
      status: Type.Optional(Type.Union(transferStatuses.map((s) => Type.Literal(s)))),
      exporterId: Type.Optional(Type.String({ minLength: 18, maxLength: 18 })),
      cursor: Type.Optional(Type.String({ pattern: '^[0-9A-HJKMNP-TV-Z]{26}$' })),
      limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$' })),
      tier: Type.Optional(Type.Union(tiers.map((t) => Type.Literal(t)))),
      /** A hold-reason code such as R-EVID-FILING-EXPIRED. */
      reason: Type.Optional(Type.String({ pattern: '^R-[A-Z0-9]+(-[A-Z0-9]+)*$', maxLength: 64 })),
      /** Dates (YYYY-MM-DD, China time, whole days) or RFC 3339 instants; ULIDs make them an id range. */
      from: Type.Optional(Type.String({ pattern: dateOrInstant })),
      to: Type.Optional(Type.String({ pattern: dateOrInstant })),
      /** An exact transfer id. */
      q: Type.Optional(Type.String({ pattern: '^[0-9A-HJKMNP-TV-Z]{26}$' })),
      sort: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('oldest')])),
      /** api.md §10: the partner the transfer went to. */
      partnerId: Type.Optional(
        Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' }),
      ),
    },
    { additionalProperties: false },
  ),
);

/** Parses `from`/`to`: `to` as a bare date covers that whole day (its end is the next day's midnight). */
function rangeOf(from: string | undefined, to: string | undefined): Pick<ListQuery, 'from' | 'to'> {
  const bound = (text: string, name: 'from' | 'to'): Date => {
    const at = parseInstant(text);
    if (at === null)
      throw new AppError('BAD_QUERY', undefined, [{ path: `/query/${name}`, message: 'is not a real date' }]);
    return name === 'to' && /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(at.getTime() + 86_400_000) : at;
  };
  return {
    ...(from === undefined ? {} : { from: bound(from, 'from') }),
    ...(to === undefined ? {} : { to: bound(to, 'to') }),
  };
}

export interface TransferRouteDeps {
  readonly intake: RequestHandler;
  readonly transfers: TransferStore;
  readonly review: ReviewService;
  readonly receipts: ReceiptService;
  /** The PostgreSQL archive (api.md §10): searched as well, for what Redis has let go. Absent: hot records only. */
  readonly archive?: ArchiveSearch;
  readonly onArchiveError?: (err: unknown) => void;
}

export function createTransferRoutes(deps: TransferRouteDeps): Router {
  const router = Router();

  /** Loads a transfer the caller may see; another exporter's transfer is 404, as if it did not exist. */
  const visible = (id: string, res: Parameters<RequestHandler>[1]): Promise<TransferRecord> =>
    visibleTransfer(deps.transfers, id, principalOf(res));

  router.post('/v1/transfers', requireRole('enterprise'), deps.intake);

  router.get('/v1/transfers', async (req, res) => {
    const query = queryOf(parseListQuery, req.query);
    const principal = principalOf(res);
    // An enterprise lists only its own exporter's transfers, whatever it asks for.
    const exporterId = principal.role === 'enterprise' ? principal.exporter : query.exporterId;
    if (
      principal.role === 'enterprise' &&
      query.exporterId !== undefined &&
      query.exporterId !== principal.exporter
    ) {
      res.json({ items: [], nextCursor: null });
      return;
    }
    const filters = {
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(exporterId === undefined ? {} : { exporterId }),
      ...(query.tier === undefined ? {} : { tier: query.tier }),
      ...(query.reason === undefined ? {} : { holdReason: query.reason }),
      ...rangeOf(query.from, query.to),
    };
    if (query.q !== undefined) {
      const found = await deps.transfers.find(query.q, filters);
      res.json(
        localisedFor(req, {
          items: found === null ? [] : [viewTransfer(principal, found)],
          nextCursor: null,
        }),
      );
      return;
    }
    const limit = query.limit === undefined ? 20 : Number(query.limit);
    const paging = {
      limit,
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      ...(query.sort === undefined ? {} : { order: query.sort }),
    };
    const page = await deps.transfers.list({ ...filters, ...paging });
    // Redis has no partner index: the hot page is narrowed here (a page may then hold fewer than `limit`).
    const hot = {
      items: page.items
        .filter((item) => query.partnerId === undefined || item.manifest.partnerId === query.partnerId)
        .map((item) => viewTransfer(principal, item)),
      nextCursor: page.nextCursor,
    };
    if (deps.archive === undefined) {
      res.json(localisedFor(req, hot));
      return;
    }
    let archived: ArchivePage | null = null;
    try {
      archived = await deps.archive.list({
        ...filters,
        ...paging,
        ...(query.reason === undefined ? {} : { reason: query.reason }),
        ...(query.partnerId === undefined ? {} : { partnerId: query.partnerId }),
      });
    } catch (err) {
      deps.onArchiveError?.(err);
    }
    res.json(localisedFor(req, mergeArchivePage(hot, archived, limit, query.sort ?? 'newest')));
  });

  // Every :id below goes through paramTransferId: not a ULID is 404 NOT_FOUND, like an unknown id (api.md §6).
  router.get('/v1/transfers/:id', async (req, res) => {
    const id = paramTransferId(req);
    const principal = principalOf(res);
    try {
      res.json(localisedFor(req, viewTransfer(principal, await visible(id, res))));
    } catch (err) {
      // Gone from Redis (retention): the archive answers with what the ledger recorded, same scoping.
      if (!(err instanceof AppError && err.code === 'NOT_FOUND') || deps.archive === undefined) throw err;
      if (principal.role === 'enterprise' && principal.exporter === undefined) throw err;
      const archived = await deps.archive
        .get(id, principal.role === 'enterprise' ? principal.exporter : undefined)
        .catch((archiveErr: unknown) => {
          deps.onArchiveError?.(archiveErr);
          return null;
        });
      if (archived === null) throw err;
      res.json(archived);
    }
  });

  router.post('/v1/transfers/:id/decision', requireRole('reviewer'), async (req, res) => {
    const id = paramTransferId(req);
    const body = parseBody(req, parseDecision);
    res.json(localisedFor(req, await deps.review.decide(id, principalOf(res), body.decision, body.comment)));
  });

  router.post('/v1/transfers/:id/retry', requireRole('ops'), async (req, res) => {
    res.json(localisedFor(req, await deps.review.retry(paramTransferId(req), principalOf(res))));
  });

  router.get('/v1/transfers/:id/receipt', async (req, res) => {
    const record = await visible(paramTransferId(req), res);
    res.json(await deps.receipts.receiptFor(record));
  });

  return router;
}
