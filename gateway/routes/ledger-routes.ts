// gateway/routes/ledger-routes: the transparency ledger over HTTP (api.md §8) — the signed checkpoint, leaf
// bytes, inclusion and consistency proofs. Any authenticated role may read checkpoints and proofs; entries
// name exporters, so reading them is for CAC and ops roles.
import { Router } from 'express';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../platform/errors.js';
import { createParser } from '../../platform/schema.js';
import type { Ledger } from '../../ledger/ledger.js';
import { requireRole } from '../auth.js';
import { queryOf } from '../params.js';

const index = Type.String({ pattern: '^(0|[1-9][0-9]{0,14})$' });
const parseProofQuery = createParser(
  Type.Object({ index, size: Type.Optional(index) }, { additionalProperties: false }),
);
const parseConsistencyQuery = createParser(
  Type.Object({ from: index, to: Type.Optional(index) }, { additionalProperties: false }),
);

export function createLedgerRoutes(ledger: Ledger): Router {
  const router = Router();

  router.get('/v1/ledger/checkpoint', async (_req, res) => {
    res
      .type('text/plain; charset=utf-8')
      .send((await ledger.latestCheckpoint()) ?? (await ledger.checkpoint()));
  });

  router.get('/v1/ledger/entries/:index', requireRole('reviewer', 'ops', 'admin'), async (req, res) => {
    const i = Number(queryOf(parseProofQuery, { index: req.params['index'] }).index);
    if (i >= ledger.size()) throw new AppError('NOT_FOUND', `The ledger has ${ledger.size()} entries`);
    res.type('application/json').send(await ledger.entry(i));
  });

  router.get('/v1/ledger/proof', async (req, res) => {
    const q = queryOf(parseProofQuery, req.query);
    const size = q.size === undefined ? ledger.size() : Number(q.size);
    const i = Number(q.index);
    if (size > ledger.size() || i >= size)
      throw new AppError('BAD_QUERY', 'index must be below size, and size at most the ledger size', [
        { path: '/query/index', message: `ledger size is ${ledger.size()}` },
      ]);
    res.json(await ledger.proof(i, size));
  });

  router.get('/v1/ledger/consistency', async (req, res) => {
    const q = queryOf(parseConsistencyQuery, req.query);
    const to = q.to === undefined ? ledger.size() : Number(q.to);
    const from = Number(q.from);
    if (to > ledger.size() || from > to)
      throw new AppError('BAD_QUERY', 'from must be at most to, and to at most the ledger size', [
        { path: '/query/from', message: `ledger size is ${ledger.size()}` },
      ]);
    res.json(await ledger.consistency(from, to));
  });

  return router;
}
