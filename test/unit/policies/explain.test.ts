import { expect } from 'chai';
import { classify } from '../../../policies/classify.js';
import { explain } from '../../../policies/explain.js';
import { examplesAllowed, input, pi, policy } from './fixtures.js';

describe('policies/explain', () => {
  const classification = classify(
    input({
      manifest: pi(1000),
      inspection: {
        containsPi: true,
        containsSpi: false,
        individualsDetected: 1000,
        sensitiveIndividualsDetected: 0,
      },
      ytd: { individuals: 999_000 },
    }),
    policy,
  );
  const lines = explain(classification, policy);

  it('states the decision, the row and the first reason', () => {
    expect(lines[0]).to.equal('Decision: security_assessment (row 20, R-SA-PI1M)');
    expect(lines.join('\n')).to.include('projected this year: 1,000,000 (0 sensitive)');
  });

  it('lists every rule in order with ✓ / ✗ / · and the condition that failed', () => {
    const rules = lines.filter((l) => /^ {2}[✓✗·] row/.test(l));
    expect(rules).to.have.length(24);
    expect(rules[0]).to.equal('  ✗ row  1 R-BLK-SECRET — state_secret — failed: flags has state_secret');
    expect(rules[10]).to.match(/^ {2}✗ row 14\.1 R-HOLD-ART5-1 — /);
    expect(rules[19]).to.equal('  ✗ row 19 R-SA-CIIO — exporter_is_ciio — failed: ciio = true');
    expect(rules[20]).to.match(
      /^ {2}✓ row 20 R-SA-PI1M\/R-SA-SPI10K — N_ns ≥ 1,000,000 or N_s ≥ 10,000 — matched$/,
    );
    expect(rules[23]).to.match(/^ {2}· row 23 R-HOLD-UNCLASSIFIED — otherwise — not evaluated$/);
  });

  it('gives each reason with its rule citation, then the evidence and checks', () => {
    expect(lines).to.include(
      '  R-SA-PI1M [Provisions 2024 art. 7(2); Civil Code art. 1259 ("以上" includes the number)]: ' +
        "The exporter's PI exports this year reach 1,000,000 individuals with this transfer; a CAC security assessment is required.",
    );
    expect(lines.some((l) => l.startsWith('  R-INSPECT-UNDECLARED-PI ['))).to.equal(false);
    expect(lines.at(-2)).to.match(/^Required evidence: .*risk_self_assessment.*filing:security_assessment/);
    expect(lines.at(-1)).to.equal('Required checks: self_assessment, attestation, filing');
  });

  it('works without the policy (no condition words) and describes the FTZ position', () => {
    const ftz = classify(input({ ftzArea: 'nanning', manifest: pi(10) }), examplesAllowed);
    const plain = explain(ftz);
    expect(plain).to.include(
      'FTZ: area nanning · list gx-ftz-data-export-negative-list version 2025-example.1 · match none',
    );
    expect(plain.find((l) => l.startsWith('  ✓'))).to.equal('  ✓ row 18 R-EX-ART6 — matched');
    expect(explain(classification)).to.include('FTZ: exporter not registered in a Guangxi FTZ area');
  });
});
