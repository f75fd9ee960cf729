import { expect } from 'chai';
import type { Facts } from '../../../policies/classification.js';
import { compileCondition, toCheck } from '../../../policies/condition.js';
import { canHold, ReachabilityProver } from '../../../policies/reachability.js';

const refs: Record<string, unknown> = {
  'thresholds.sa': 1_000_000,
  'settings.on': true,
  'settings.empty': [],
};
const resolve = (ref: string) => refs[ref];
const compile = (raw: unknown) => compileCondition(raw, '/when', resolve);

const facts: Facts = {
  ciio: false,
  grade: 'general',
  containsPi: true,
  containsSpi: false,
  minorsUnder14: false,
  individuals: 10,
  sensitiveIndividuals: 0,
  projectedIndividuals: 999_999,
  projectedSensitive: 0,
  businessType: 'cross_border_trade',
  origin: 'domestic',
  exemption: 'none',
  legalBasis: 'contract',
  flags: ['financial'],
  evidence: ['contractRef'],
  ftzRegistered: false,
  ftzListInForce: false,
  ftzMatch: 'not_applicable',
  undeclaredPi: false,
  undeclaredSpi: false,
  domesticIdentifiers: false,
  opaqueContent: false,
};

describe('policies/condition', () => {
  it('evaluates to null when the condition holds, else to the text of what failed', () => {
    const { node, issues } = compile({
      all: [
        { fact: 'flags', has: 'financial' },
        { fact: 'projectedIndividuals', gte: { ref: 'thresholds.sa' } },
      ],
    });
    expect(issues).to.deep.equal([]);
    expect(toCheck(node)(facts)).to.equal('projectedIndividuals ≥ 1,000,000 (thresholds.sa)');
    expect(toCheck(node)({ ...facts, projectedIndividuals: 1_000_000 })).to.equal(null);
  });

  it('folds settings into constants at load time', () => {
    expect(compile({ ref: 'settings.on', eq: true }).node).to.deep.include({ type: 'const', value: true });
    expect(
      compile({
        all: [
          { ref: 'settings.on', eq: false },
          { fact: 'ciio', eq: true },
        ],
      }).node,
    ).to.deep.include({ type: 'const', value: false });
    expect(compile({ fact: 'legalBasis', in: { ref: 'settings.empty' } }).node).to.deep.include({
      type: 'const',
      value: false,
    });
  });

  const bad: [string, unknown, string, RegExp][] = [
    ['an unknown fact', { fact: 'volume', gte: 1 }, '/when/fact', /must be one of: ciio/],
    ['two operators', { fact: 'ciio', eq: true, in: [true] }, '/when', /exactly one operator/],
    ['a wrong operator for the kind', { fact: 'flags', eq: 'hgr' }, '/when/eq', /is a set: use has/],
    [
      'a value outside the domain',
      { fact: 'businessType', in: ['cross_border_trade', 'smuggling'] },
      '/when/in/1',
      /"smuggling" is not one of/,
    ],
    ['a negative count', { fact: 'individuals', lt: -1 }, '/when/lt', /non-negative integer/],
    [
      'an undefined reference',
      { fact: 'individuals', lt: { ref: 'thresholds.nope' } },
      '/when/lt/ref',
      /not defined/,
    ],
    ['an empty all', { all: [] }, '/when/all', /non-empty list/],
    ['an unknown combinator', { some: [] }, '/when', /must have one of/],
    [
      'a field beside not',
      { not: { fact: 'ciio', eq: true }, also: 1 },
      '/when/also',
      /not an allowed field/,
    ],
  ];
  for (const [what, raw, path, message] of bad) {
    it(`rejects ${what} at its JSON Pointer`, () => {
      const { issues } = compile(raw);
      expect(issues).to.have.length(1);
      expect(issues[0]?.path).to.equal(path);
      expect(issues[0]?.message).to.match(message);
    });
  }
});

describe('policies/reachability', () => {
  const node = (raw: unknown) => compile(raw).node;

  it('proves a row covered by earlier rows unreachable, and a partly covered one reachable', () => {
    const prover = new ReachabilityProver();
    prover.exclude(node({ fact: 'projectedIndividuals', gte: 100 }));
    prover.exclude(node({ fact: 'projectedIndividuals', lt: 50 }));
    expect(
      prover.remainder(
        node({
          all: [
            { fact: 'projectedIndividuals', gte: 60 },
            { fact: 'projectedIndividuals', lt: 100 },
          ],
        }),
      ),
    ).to.have.length(1);
    const covered = prover.remainder(node({ all: [{ fact: 'projectedIndividuals', gte: 120 }] }));
    expect(covered).to.deep.equal([]);
    const partly = prover.remainder(node({ fact: 'projectedIndividuals', gte: 40 }));
    expect(partly).to.have.length(1);
  });

  it('treats enumerations, sets and booleans exactly', () => {
    const prover = new ReachabilityProver();
    prover.exclude(node({ fact: 'grade', in: ['core', 'important_notified', 'important_suspected'] }));
    const general = prover.remainder(node({ fact: 'grade', eq: 'general' }));
    expect(general).to.have.length(1);
    expect(canHold(general, node({ fact: 'grade', eq: 'core' }))).to.equal(false);
    prover.exclude(node({ any: [{ fact: 'flags', has: 'geo' }, { not: { fact: 'flags', has: 'geo' } }] }));
    expect(prover.remainder(node({ fact: 'ciio', eq: true }))).to.deep.equal([]);
  });
});
