// The console's translation tables: Chinese and English have the same keys, and every literal key the
// console's code asks for exists, so no view shows a raw key in either language.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = path.resolve('gateway/console');

interface I18n {
  tables: Record<'zh' | 'en', Record<string, string>>;
}

function sources(): string[] {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
  return files.map((f) => readFileSync(path.join(dir, f), 'utf8'));
}

describe('gateway/console i18n', () => {
  let tables: I18n['tables'];
  before(async () => {
    // Plain browser JS with no type declarations: loaded by URL so the compiler does not resolve it.
    tables = ((await import(pathToFileURL(path.join(dir, 'i18n.js')).href)) as I18n).tables;
  });

  it('has the same keys in Chinese and English', () => {
    expect(Object.keys(tables.zh).sort()).to.deep.equal(Object.keys(tables.en).sort());
  });

  it('has every literal key the console code uses', () => {
    const used = new Set<string>();
    for (const text of sources())
      for (const match of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.-]*)'/g)) used.add(match[1] ?? '');
    expect(used.size).to.be.above(100);
    expect([...used].filter((key) => !(key in tables.zh))).to.deep.equal([]);
  });

  it('has a label for every status, tier and role value the API answers', () => {
    const keys = [
      ...['checking', 'held', 'releasing', 'released', 'delivery_failed', 'rejected', 'blocked'].map(
        (s) => `status.${s}`,
      ),
      ...[
        'prohibited',
        'manual_review',
        'security_assessment',
        'standard_contract',
        'exempt',
        'free_flow',
      ].map((x) => `tier.${x}`),
      ...['enterprise', 'reviewer', 'ops', 'admin'].map((r) => `role.${r}`),
    ];
    expect(keys.filter((key) => !(key in tables.zh) || !(key in tables.en))).to.deep.equal([]);
  });
});
