// platform/schema: a value outside a closed set answers with the allowed values (issue 15), whether the schema
// says it as a union of literals (TypeBox) or as an `enum`; other union failures keep Ajv's message.
import { Type } from '@sinclair/typebox';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parseManifest } from '../../../policies/manifest.js';
import { createParser } from '../../../platform/schema.js';

describe('platform/schema', () => {
  const parse = createParser(
    Type.Object(
      {
        kind: Type.Union([Type.Literal('a'), Type.Literal('b'), Type.Literal('c')]),
        level: Type.Optional(Type.String({ enum: ['low', 'high'] })),
        either: Type.Optional(Type.Union([Type.String(), Type.Number()])),
      },
      { additionalProperties: false },
    ),
  );

  it('lists the allowed values for a union of literals and for an enum', () => {
    expect(parse({ kind: 'd', level: 'mid' })).to.deep.equal({
      ok: false,
      issues: [
        { path: '/kind', message: 'must be one of: a, b, c' },
        { path: '/level', message: 'must be one of: low, high' },
      ],
    });
  });

  it('keeps the first branch message for a union of other schemas, and accepts a good value', () => {
    expect(parse({ kind: 'a', either: true })).to.deep.equal({
      ok: false,
      issues: [{ path: '/either', message: 'must be string' }],
    });
    expect(parse({ kind: 'b', either: 3 })).to.deep.equal({ ok: true, value: { kind: 'b', either: 3 } });
  });

  it('a manifest with a misspelt business type names every allowed business type', () => {
    const manifest = JSON.parse(readFileSync('examples/supply-chain.manifest.json', 'utf8')) as Record<
      string,
      unknown
    >;
    const parsed = parseManifest({ ...manifest, businessType: 'suply_chain' });
    expect(parsed.ok).to.equal(false);
    const issue = parsed.ok ? undefined : parsed.issues.find((i) => i.path === '/businessType');
    expect(issue?.message).to.match(/^must be one of: .*cross_border_ecommerce.*supply_chain/);
  });
});
