// api.md §6 / issue #13 item 10: every reason has an English and a Chinese message, kept as policy data beside
// the rule; the API answers the one Accept-Language asks for, codes and citations unchanged.
import { expect } from 'chai';
import { classify } from '../../../policies/classify.js';
import { localiseReasons, reasonLanguageOf } from '../../../policies/localise-reasons.js';
import { PolicyError } from '../../../policies/policy-error.js';
import { parsePolicy } from '../../../policies/parse-policy.js';
import { editedFiles, input, pi, policy } from './fixtures.js';

describe('reason messages in Chinese and English (api.md §6)', () => {
  const languages: [string | undefined, 'en' | 'zh'][] = [
    [undefined, 'en'],
    ['zh-CN', 'zh'],
    ['zh', 'zh'],
    ['zh-Hant-TW', 'zh'],
    ['en-US,en;q=0.9', 'en'],
    ['en;q=0.5, zh-CN;q=0.8', 'zh'],
    ['zh-CN;q=0, en', 'en'],
    ['*', 'en'],
    ['fr-FR', 'en'],
    ['zhx', 'en'],
  ];
  for (const [header, want] of languages)
    it(`Accept-Language ${JSON.stringify(header)} → ${want}`, () => {
      expect(reasonLanguageOf(header)).to.equal(want);
    });

  it('every decision-table reason and annotation carries a non-empty messageZh with CJK text', () => {
    for (const row of policy.rows)
      for (const r of row.reasons) expect(r.reason.messageZh, r.reason.code).to.match(/[\u4e00-\u9fff]/);
    for (const a of policy.annotations) expect(a.reason.messageZh, a.reason.code).to.match(/[\u4e00-\u9fff]/);
  });

  it('a reason without messageZh is a load error naming the file and pointer', () => {
    const files = editedFiles([]).map((f) =>
      f.name === 'decision-table.yaml'
        ? { ...f, text: f.text.replace(/\n\s+messageZh: 国家秘密[^\n]*/, '') }
        : f,
    );
    try {
      parsePolicy(files);
      expect.fail('loaded');
    } catch (err) {
      expect(err).to.be.instanceOf(PolicyError);
      const issue = (err as PolicyError).issues[0];
      expect(issue?.file).to.equal('decision-table.yaml');
      expect(issue?.path).to.equal('/rows/0/reasons/0/messageZh');
    }
  });

  it('localises every reason of a record, keeping code and rule; English is the stored message', () => {
    const c = classify(input({ manifest: pi(150_000) }), policy);
    const record = { id: 'x', classification: c, holdReasons: [c.reasons[0]], at: new Date(0) };
    const zh = localiseReasons(record, 'zh');
    expect(zh.classification.reasons[0]).to.deep.include({
      code: 'R-SCC-PI100K',
      rule: c.reasons[0]?.rule,
      message: c.reasons[0]?.messageZh,
    });
    expect(zh.holdReasons[0]?.message).to.match(/标准合同/);
    expect(zh.at).to.be.instanceOf(Date);
    expect(localiseReasons(record, 'en')).to.equal(record);
    expect(record.classification.reasons[0]?.message).to.match(/^The exporter/);
  });
});
