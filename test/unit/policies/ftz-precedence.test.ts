// Issue #13 item 1: an example FTZ list grants nothing unless example lists are allowed; which list is in force
// is reported; the national exemptions apply before a list hit. Every case cites its rule.
import { expect } from 'chai';
import type { Tier } from '../../../policies/classification.js';
import { classify } from '../../../policies/classify.js';
import { explain } from '../../../policies/explain.js';
import { ftzListsInForce } from '../../../policies/match-ftz-list.js';
import { parsePolicy } from '../../../policies/parse-policy.js';
import type { Policy } from '../../../policies/policy.js';
import { loadConfig } from '../../../platform/config.js';
import { editedFiles, examplesAllowed, input, pi, policy, policyWith, type InputPatch } from './fixtures.js';

/** The example list with `example: false`: what an operator gets after loading the official entries. */
const official = policyWith({ file: 'ftz-list-guangxi.yaml', from: 'example: true', to: 'example: false' });

interface Case {
  readonly title: string;
  readonly policy: Policy;
  readonly patch: InputPatch;
  readonly tier: Tier;
  readonly code: string;
  readonly listInForce: boolean;
}

const orders150k: InputPatch = {
  ftzArea: 'nanning',
  manifest: { dataCategories: ['order_record'], ...pi(150_000) },
};

const cases: Case[] = [
  {
    title:
      'rules reference §0.1 + Prov. 2024 art. 6: the shipped example list is not in force → 150,000 people need the SCC (art. 8), not R-EX-ART6',
    policy,
    patch: orders150k,
    tier: 'standard_contract',
    code: 'R-SCC-PI100K',
    listInForce: false,
  },
  {
    title:
      'rules reference §0.1: with example lists allowed (demo) the example list exempts (Prov. 2024 art. 6)',
    policy: examplesAllowed,
    patch: orders150k,
    tier: 'exempt',
    code: 'R-EX-ART6',
    listInForce: true,
  },
  {
    title: 'Prov. 2024 art. 6: a list not marked example is in force without any setting → R-EX-ART6',
    policy: official,
    patch: orders150k,
    tier: 'exempt',
    code: 'R-EX-ART6',
    listInForce: true,
  },
  {
    title:
      'rules reference §0.1: example list not in force → an example SCC/CERT entry imposes nothing either (national art. 5(4) decides 10 people)',
    policy,
    patch: {
      ftzArea: 'nanning',
      manifest: { businessType: 'cross_border_finance', dataCategories: ['credit_report'], ...pi(10) },
    },
    tier: 'exempt',
    code: 'R-EX-ART5-4',
    listInForce: false,
  },
  {
    title:
      'rules reference §0.1 "FTZ precedence" (Prov. 2024 arts. 5(1), 6): an art. 5(1) claim wins over an SCC/CERT list hit',
    policy: official,
    patch: {
      ftzArea: 'nanning',
      manifest: {
        businessType: 'cross_border_finance',
        dataCategories: ['credit_report'],
        exemption: 'EX-ART5-1',
        evidence: { contractRef: 'ACC-1' },
        ...pi(10),
      },
    },
    tier: 'exempt',
    code: 'R-EX-ART5-1',
    listInForce: true,
  },
  {
    title:
      'Prov. 2024 art. 6 (list effective_from 00:00 China time): before 2025-08-08 no version is in force, even official',
    policy: official,
    patch: { ...orders150k, now: new Date('2025-08-07T15:59:59Z') },
    tier: 'standard_contract',
    code: 'R-SCC-PI100K',
    listInForce: false,
  },
];

describe('FTZ lists: example data grants nothing, national exemptions first (issue #13 item 1)', () => {
  for (const c of cases) {
    it(c.title, () => {
      const out = classify(input(c.patch), c.policy);
      expect(out.tier).to.equal(c.tier);
      expect(out.reasons[0]?.code).to.equal(c.code);
      expect(out.facts.ftzListInForce).to.equal(c.listInForce);
      if (!c.listInForce) expect(out.ftz.notInForce).to.be.a('string').and.not.equal('');
    });
  }

  it('the shipped policy says the example list is not in force and why (boot log, /readyz, policy explain)', () => {
    const status = ftzListsInForce(policy, new Date('2026-03-01T01:00:00Z'));
    expect(status.map((s) => s.area)).to.deep.equal(['nanning', 'qinzhou', 'chongzuo']);
    for (const s of status) {
      expect(s).to.include({ inForce: false, example: true, listId: 'gx-ftz-data-export-negative-list' });
      expect(s.detail).to.include('EXAMPLE data').and.include('settings ftz.allowExampleLists');
    }
    const demo = ftzListsInForce(examplesAllowed, new Date('2026-03-01T01:00:00Z'));
    expect(demo[0]).to.include({ inForce: true, example: true, version: '2025-example.1' });
    expect(demo[0]?.detail).to.include('demo only');
    const none = parsePolicy(editedFiles([]).filter((f) => f.name !== 'ftz-list-guangxi.yaml'));
    expect(ftzListsInForce(none, new Date())[0]?.detail).to.include('no negative list is loaded');
  });

  it('allowing example lists changes the policy version the decisions carry', () => {
    expect(examplesAllowed.policyVersion).to.not.equal(policy.policyVersion);
    expect(parsePolicy(editedFiles([]), { allowExampleLists: false }).policyVersion).to.equal(
      policy.policyVersion,
    );
  });

  it('explain says why no list is in force and why a national exemption won', () => {
    const lines = explain(classify(input(orders150k), policy), policy);
    expect(lines.find((l) => l.startsWith('FTZ:'))).to.match(
      /^FTZ: area nanning · no negative list in force \(list gx-ftz-data-export-negative-list .* is EXAMPLE data/,
    );
    const won = explain(classify(input(cases[4]?.patch ?? {}), official), official);
    expect(won).to.include(
      'National exemption R-EX-ART5-1 (row 14) won: the national exemptions (Provisions 2024 arts. 3–5) are evaluated before the FTZ list rows (settings ftz.nationalExemptionsFirst: true; rules reference §0.1 "FTZ precedence")',
    );
  });
});

describe('xborder policy explain: which FTZ list is in force (issue #13 item 1)', () => {
  async function explainText(args: string[], env: Record<string, string | undefined> = {}): Promise<string> {
    const { policyExplainCommand } = await import('../../../cli/commands/policy-command.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'explain-'));
    const file = path.join(dir, 'm.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...input(orders150k).manifest,
        exemption: 'EX-ART5-1',
        evidence: { contractRef: 'O-1' },
      }),
    );
    const saved = { ...process.env };
    Object.assign(process.env, env);
    let out = '';
    try {
      await policyExplainCommand.run(
        [file, ...args],
        {
          json: false,
          out: (t) => (out += `${t}\n`),
          err: () => undefined,
          result: (_v, text) => (out += `${text()}\n`),
        },
        () => loadConfig(process.env),
      );
    } finally {
      process.env = saved;
    }
    return out;
  }

  it('prints that no list is in force for the area, and why (example data), and why the national exemption won', async () => {
    const text = await explainText(['--ftz-area', 'nanning']);
    expect(text).to.include('FTZ negative lists:');
    expect(text).to.match(
      / {2}nanning: none in force — list gx-ftz-data-export-negative-list .* is EXAMPLE data/,
    );
    expect(text).to.include('National exemption R-EX-ART5-1 (row 14) won');
  });

  it('with XBORDER_ALLOW_EXAMPLE_FTZ_LISTS=true the example list is in force (demo)', async () => {
    const text = await explainText(['--ftz-area', 'nanning'], { XBORDER_ALLOW_EXAMPLE_FTZ_LISTS: 'true' });
    expect(text).to.match(/ {2}nanning: in force — .*demo only/);
  });
});
