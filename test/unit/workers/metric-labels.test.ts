// workers/metric-labels: the reason codes zeroed per check are the ones the checks can give — every code written in
// transfers/checks/check-<name>.ts, each documented in docs/errors.md — so a dashboard's per-reason panel has a
// series for each from the start (issue 15).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { checkReasonCodes } from '../../../workers/metric-labels.js';

const files = {
  self_assessment: 'transfers/checks/check-self-assessment.ts',
  attestation: 'transfers/checks/check-attestation.ts',
  filing: 'transfers/checks/check-filing.ts',
} as const;

describe('workers/metric-labels', () => {
  for (const [check, file] of Object.entries(files) as [keyof typeof files, string][]) {
    it(`${check}: every reason code in ${file} is zeroed`, () => {
      const codes = new Set(readFileSync(file, 'utf8').match(/R-[A-Z0-9]+(?:-[A-Z0-9]+)+/g) ?? []);
      expect([...codes].filter((c) => !checkReasonCodes[check].includes(c))).to.deep.equal([]);
    });
  }

  it('every zeroed reason code is documented in docs/errors.md', () => {
    const docs = readFileSync('docs/errors.md', 'utf8');
    const all = Object.values(checkReasonCodes).flat();
    expect(all.filter((c) => !docs.includes(`\`${c}\``))).to.deep.equal([]);
  });
});
