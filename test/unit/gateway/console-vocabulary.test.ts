// The console's vocabulary (issue 15): words in both languages for every closed value the API answers with that
// the console shows — business types, grades, evidence items, ASEAN countries, recipient roles, onward-transfer
// modes — and every rule citation of the policy files in words: in Chinese the instrument's title and article, in
// neither language a repository file.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { onwardTransferModes, recipientRoles } from '../../../certs/attestation-claims.js';
import { dataGrades } from '../../../policies/classification.js';
import { aseanCountries, businessTypes } from '../../../policies/manifest.js';

interface Vocabulary {
  vocabulary: Record<'zh' | 'en', Record<string, string>>;
  citation(rule: string, lang: 'zh' | 'en'): string;
  chineseNumber(n: number): string;
}

const rules = readdirSync('policies')
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => [...readFileSync(path.join('policies', f), 'utf8').matchAll(/^\s*-?\s*rule: (.+)$/gm)])
  .map((m) => (m[1] ?? '').trim().replace(/^'(.*)'$/, '$1'))
  // Rules written in code (workers, gateway): checks, holds, intake.
  .concat([
    'NDSMR art. 38; Order 13 art. 8',
    'PIPL arts. 14, 39',
    'api.md §5',
    'design.md: fail closed',
    'regulation.md §1.2 (pre-check, not post-check)',
    'Provisions 2024 art. 8; Order 13; Order 20; regulation.md §10.3 T4',
  ]);

describe('gateway/console vocabulary', () => {
  let v: Vocabulary;
  before(async () => {
    v = (await import(pathToFileURL(path.resolve('gateway/console/vocabulary.js')).href)) as Vocabulary;
  });

  it('has words in Chinese and English for every closed value the console shows', () => {
    const evidence = (
      parse(readFileSync('policies/evidence.yaml', 'utf8')) as { items: { id: string }[] }
    ).items.map((i) => i.id);
    const keys = [
      ...businessTypes.map((x) => `businessType.${x}`),
      ...dataGrades.map((x) => `grade.${x}`),
      ...['general', 'important', 'core'].map((x) => `grade.${x}`),
      ...evidence.map((x) => `evidenceItem.${x}`),
      ...aseanCountries.map((x) => `country.${x}`),
      ...recipientRoles.map((x) => `recipientRole.${x}`),
      ...onwardTransferModes.map((x) => `onwardTransfer.${x}`),
    ];
    for (const lang of ['zh', 'en'] as const)
      expect(
        keys.filter((k) => !(k in v.vocabulary[lang])),
        lang,
      ).to.deep.equal([]);
    expect(Object.keys(v.vocabulary.zh).sort()).to.deep.equal(Object.keys(v.vocabulary.en).sort());
  });

  it('puts every policy citation in Chinese words, and never names a repository file', () => {
    expect(rules.length).to.be.above(30);
    for (const rule of rules) {
      const zh = v.citation(rule, 'zh');
      expect(zh, rule).to.match(/[\u4e00-\u9fff]/);
      expect(zh, rule).not.to.match(/\.md\b|\bart\.|\bOrder\b/);
      expect(v.citation(rule, 'en'), rule).not.to.match(/\.md\b/);
    }
  });

  it('cites the instrument and article as the Chinese text does', () => {
    expect(v.citation('Provisions 2024 art. 8', 'zh')).to.equal('《促进和规范数据跨境流动规定》第八条');
    expect(v.citation('Provisions 2024 art. 5(3)', 'zh')).to.equal(
      '《促进和规范数据跨境流动规定》第五条第（三）项',
    );
    expect(v.citation('PIPL arts. 55(4), 56; Order 13 art. 5', 'zh')).to.equal(
      '《个人信息保护法》第五十五条第（四）项、第五十六条；《个人信息出境标准合同办法》第五条',
    );
    expect(v.citation('regulation.md §10.3 T1', 'zh')).to.equal('网关规则');
    expect(v.citation('Provisions 2024 art. 6; regulation.md §7', 'en')).to.equal('Provisions 2024 art. 6');
    expect([1, 10, 11, 20, 35, 105, 177].map((n) => v.chineseNumber(n))).to.deep.equal([
      '一',
      '十',
      '十一',
      '二十',
      '三十五',
      '一百零五',
      '一百七十七',
    ]);
  });
});
