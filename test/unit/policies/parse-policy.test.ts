import { expect } from 'chai';
import { loadPolicy } from '../../../policies/load-policy.js';
import { parsePolicy } from '../../../policies/parse-policy.js';
import { PolicyError, type PolicyIssue } from '../../../policies/policy-error.js';
import { computePolicyVersion, type PolicyFileText } from '../../../policies/policy-version.js';
import { editedFiles, policy, policyDir, shippedFiles, type Edit } from './fixtures.js';

/** The PolicyError a set of policy files produces. */
function rejectionOf(files: readonly PolicyFileText[]): PolicyError {
  try {
    parsePolicy(files);
  } catch (err) {
    if (err instanceof PolicyError) return err;
    throw err;
  }
  throw new Error('the policy was accepted');
}

/** The PolicyError a set of edits to the shipped files produces. */
function rejection(...edits: Edit[]): PolicyError {
  return rejectionOf(editedFiles(edits));
}

function expectIssue(err: PolicyError, issue: Omit<PolicyIssue, 'message'> & { message: RegExp }): void {
  const found = err.issues.find((i) => i.file === issue.file && i.path === issue.path);
  expect(found, `an issue at ${issue.file}#${issue.path} among:\n${err.message}`).to.not.equal(undefined);
  expect(found?.message).to.match(issue.message);
  // The error's message names the file and the field (JSON Pointer).
  expect(err.message).to.include(`${issue.file}#${issue.path}`);
}

describe('policies/parse-policy and load-policy', () => {
  describe('the shipped policies/ directory', () => {
    it('loads cleanly from XBORDER_POLICY_DIR', () => {
      const loaded = loadPolicy(policyDir);
      expect(loaded.policyVersion).to.equal(policy.policyVersion);
      expect(loaded.files).to.deep.equal([
        'decision-table.yaml',
        'evidence.yaml',
        'ftz-list-guangxi.yaml',
        'minimisation.yaml',
        'scenarios.yaml',
        'settings.yaml',
        'thresholds.yaml',
        'working-days.yaml',
      ]);
    });

    it('holds the 23 rows of the rules reference §10.2 and row 14.1 (§0.1 C4), with their reason codes', () => {
      // Rules reference §0.1 "FTZ precedence": the national exemptions (rows 13–17) are evaluated before the FTZ
      // list rows (9–10) by default (settings ftz.nationalExemptionsFirst: true).
      expect(policy.rows.map((r) => r.row)).to.deep.equal([
        1, 2, 3, 4, 5, 6, 7, 8, 13, 14, 14.1, 15, 16, 17, 9, 10, 11, 12, 18, 19, 20, 21, 22, 23,
      ]);
      const byNumber = [...policy.rows].sort((a, b) => a.row - b.row);
      const codes = byNumber.flatMap((r) => r.reasons.map((x) => x.reason.code));
      expect(codes).to.deep.equal([
        'R-BLK-SECRET',
        'R-BLK-FOREIGNREQ',
        'R-BLK-LIST',
        'R-BLK-CORE',
        'R-BLK-EXPCTRL',
        'R-HOLD-EXPCTRL',
        'R-HOLD-HGR',
        'R-HOLD-GEO',
        'R-HOLD-FIN',
        'R-HOLD-IMPID',
        'R-SA-IMP',
        'R-FTZ-SA',
        'R-FTZ-SCC',
        'R-EX-ART3',
        'R-FREE-GENERAL',
        'R-EX-ART4',
        'R-EX-ART5-1',
        'R-HOLD-ART5-1',
        'R-EX-ART5-2',
        'R-EX-ART5-3',
        'R-EX-NDSMR35-6',
        'R-EX-ART6',
        'R-SA-CIIO',
        'R-SA-PI1M',
        'R-SA-SPI10K',
        'R-SCC-PI100K',
        'R-SCC-SPI',
        'R-EX-ART5-4',
        'R-HOLD-UNCLASSIFIED',
      ]);
      for (const row of policy.rows)
        for (const r of row.reasons) expect(r.reason.rule, r.reason.code).to.not.equal('');
    });

    it('sets the thresholds of Provisions 2024 arts. 5(4), 7, 8 and the [U] defaults', () => {
      expect(policy.thresholds).to.deep.equal({
        nonSensitive: { standardContract: 100_000, securityAssessment: 1_000_000 },
        sensitive: { standardContract: 1, securityAssessment: 10_000 },
      });
      expect(policy.settings.volume.countExemptRoutePi).to.equal(true);
      expect(policy.settings.consent).to.deep.equal({
        requiredForBases: ['consent'],
        alwaysForSensitive: false,
      });
      // Rules reference §0.1: national exemptions first; an example FTZ list is never in force by default.
      expect(policy.settings.ftz).to.deep.equal({
        nationalExemptionsFirst: true,
        listOverridesNationalThreshold: false,
        allowExampleLists: false,
      });
    });

    it('exports the evidence-check inputs the workers need (recency, filing kinds, self-assessment kinds)', () => {
      expect(policy.evidence.recency).to.deep.equal({
        pipiaMaxAgeDays: 90,
        selfAssessmentMaxAgeDays: 90,
        ageLimitTiers: ['standard_contract', 'security_assessment'],
      });
      expect(policy.evidence.filingKinds.standard_contract).to.deep.equal([
        'standard_contract',
        'certification',
      ]);
      expect(policy.evidence.filingKinds.security_assessment).to.deep.equal(['security_assessment']);
      expect(policy.evidence.filingKinds.exempt).to.deep.equal([]);
      // The tier's unconditional kind first: T4 needs the risk self-assessment, PIPIA too where PI is involved.
      expect(policy.evidence.selfAssessmentKinds.security_assessment).to.deep.equal([
        'risk_self_assessment',
        'pipia',
      ]);
      expect(policy.evidence.selfAssessmentKinds.standard_contract).to.deep.equal(['pipia']);
      expect(policy.evidence.selfAssessmentKinds.exempt).to.deep.equal(['pipia']);
      expect(policy.evidence.selfAssessmentKinds.free_flow).to.deep.equal([]);
      expect(policy.evidence.items['pipia']).to.include({
        check: 'self_assessment',
        selfAssessmentKind: 'pipia',
        manifestRef: 'selfAssessmentId',
      });
    });

    it('marks the Guangxi FTZ list as EXAMPLE data for the three areas', () => {
      const [list] = policy.ftzLists;
      expect(list).to.include({
        listId: 'gx-ftz-data-export-negative-list',
        example: true,
        file: 'ftz-list-guangxi.yaml',
      });
      expect(list?.areas).to.deep.equal(['nanning', 'qinzhou', 'chongzuo']);
      expect(list?.versions.map((v) => [v.version, v.effectiveFrom])).to.deep.equal([
        ['2025-example.1', '2025-08-08'],
      ]);
    });

    it('is frozen', () => {
      expect(Object.isFrozen(policy)).to.equal(true);
      expect(Object.isFrozen(policy.rows[0])).to.equal(true);
      expect(Object.isFrozen(policy.settings.consent.requiredForBases)).to.equal(true);
    });
  });

  describe('policyVersion (sha256 of names + bytes, sorted)', () => {
    it('is 16 hex digits, independent of the order the files are given in', () => {
      expect(policy.policyVersion).to.match(/^[0-9a-f]{16}$/);
      expect(computePolicyVersion([...shippedFiles].reverse())).to.equal(policy.policyVersion);
    });

    it('changes when any byte of a file changes, even a comment', () => {
      const changed = parsePolicy(
        editedFiles([{ file: 'thresholds.yaml', from: '# Volume thresholds', to: '# Volume  thresholds' }]),
      );
      expect(changed.policyVersion).to.not.equal(policy.policyVersion);
    });

    it('changes when a file is renamed', () => {
      const renamed = shippedFiles.map((f) =>
        f.name === 'ftz-list-guangxi.yaml' ? { ...f, name: 'ftz-list-gx.yaml' } : f,
      );
      expect(parsePolicy(renamed).policyVersion).to.not.equal(policy.policyVersion);
    });
  });

  describe('rejects, naming the file and the field (JSON Pointer)', () => {
    it('an unknown field', () => {
      const err = rejection({
        file: 'settings.yaml',
        from: 'countExemptRoutePi: true',
        to: 'countExemptRoutePi: true\n  countSplitFlows: true',
      });
      expectIssue(err, {
        file: 'settings.yaml',
        path: '/volume/countSplitFlows',
        message: /not an allowed field/,
      });
    });

    it('an unknown field inside a condition', () => {
      const err = rejection({
        file: 'decision-table.yaml',
        from: 'when: { fact: ciio, eq: true }',
        to: 'when: { fact: ciio, eq: true, note: x }',
      });
      expectIssue(err, {
        file: 'decision-table.yaml',
        path: '/rows/19/when/note',
        message: /not an allowed field/,
      });
    });

    it('a bad value', () => {
      const err = rejection({
        file: 'decision-table.yaml',
        from: 'tier: manual_review\n    reasons:\n      - code: R-HOLD-IMPID',
        to: 'tier: hold\n    reasons:\n      - code: R-HOLD-IMPID',
      });
      expectIssue(err, {
        file: 'decision-table.yaml',
        path: '/rows/6/tier',
        message: /must be one of: .*manual_review/,
      });
    });

    it('a bad value of a fact in a condition', () => {
      const err = rejection({
        file: 'decision-table.yaml',
        from: '{ fact: grade, eq: core }',
        to: '{ fact: grade, eq: secret }',
      });
      expectIssue(err, {
        file: 'decision-table.yaml',
        path: '/rows/3/when/eq',
        message: /must be one of: core, important_notified/,
      });
    });

    it('a reference to a threshold that does not exist', () => {
      const err = rejection({
        file: 'decision-table.yaml',
        from: 'lt: { ref: thresholds.nonSensitive.standardContract } }\n        - { fact: projectedSensitive',
        to: 'lt: { ref: thresholds.nonSensitive.scc } }\n        - { fact: projectedSensitive',
      });
      expectIssue(err, {
        file: 'decision-table.yaml',
        path: '/rows/22/when/all/1/lt/ref',
        message: /thresholds.nonSensitive.scc.*not defined/,
      });
    });

    it('a duplicate reason code', () => {
      const err = rejection({
        file: 'decision-table.yaml',
        from: 'code: R-EX-ART5-3',
        to: 'code: R-EX-ART5-2',
      });
      expectIssue(err, {
        file: 'decision-table.yaml',
        path: '/rows/16/reasons/0/code',
        message: /duplicates reason code R-EX-ART5-2.*\/rows\/15\/reasons\/0\/code/,
      });
    });

    it('a duplicate row number', () => {
      const err = rejection({ file: 'decision-table.yaml', from: '- row: 17', to: '- row: 16' });
      expectIssue(err, { file: 'decision-table.yaml', path: '/rows/17/row', message: /duplicates row 16/ });
    });

    it('a code whose family cannot decide the tier (regulation.md §10.4)', () => {
      const err = rejection({
        file: 'decision-table.yaml',
        from: 'tier: security_assessment\n    reasons:\n      - code: R-SA-CIIO',
        to: 'tier: exempt\n    reasons:\n      - code: R-SA-CIIO',
      });
      expectIssue(err, {
        file: 'decision-table.yaml',
        path: '/rows/19/reasons/0/code',
        message: /SA family cannot decide tier exempt/,
      });
    });

    it('an unreachable rule (a row the rows before it already cover)', () => {
      // Row 17 made identical to row 16: first match wins, so row 17 can never match.
      const err = rejection({
        file: 'decision-table.yaml',
        from: '{ fact: exemption, eq: EX-NDSMR35-6 }',
        to: '{ fact: exemption, eq: EX-ART5-3 }',
      });
      expectIssue(err, {
        file: 'decision-table.yaml',
        path: '/rows/17/when',
        message: /row 17 is unreachable/,
      });
    });

    it('an unreachable rule (a row after an unconditional row)', () => {
      const err = rejection({
        file: 'decision-table.yaml',
        from: 'when: { fact: ciio, eq: true }',
        to: 'when: { always: true }',
      });
      expectIssue(err, {
        file: 'decision-table.yaml',
        path: '/rows/20/when',
        message: /row 20 is unreachable/,
      });
      expectIssue(err, {
        file: 'decision-table.yaml',
        path: '/rows/22/when',
        message: /row 22 is unreachable/,
      });
    });

    it('a reason that can never apply within its row', () => {
      const err = rejection({
        file: 'decision-table.yaml',
        from: 'when:\n          all:\n            - { fact: flags, has: geo }',
        to: 'when:\n          all:\n            - { fact: flags, has: state_secret }',
      });
      expectIssue(err, {
        file: 'decision-table.yaml',
        path: '/rows/5/reasons/2/when',
        message: /can never hold when row 6 matches/,
      });
    });

    it('a table without a fail-closed last row', () => {
      const err = rejection({
        file: 'decision-table.yaml',
        from: 'when: { always: true }',
        to: 'when: { fact: ciio, eq: false }',
      });
      expectIssue(err, {
        file: 'decision-table.yaml',
        path: '/rows/23/when',
        message: /last row must be \{ always: true \}/,
      });
    });

    it('an escalation citing a code no row defines', () => {
      const err = rejection({
        file: 'decision-table.yaml',
        from: 'cite: [R-SA-PI1M, R-SA-SPI10K]',
        to: 'cite: [R-SA-PI1M, R-SA-PI2M]',
      });
      expectIssue(err, {
        file: 'decision-table.yaml',
        path: '/rows/9/escalation/cite/1',
        message: /R-SA-PI2M, which no row defines/,
      });
    });

    it('a threshold order that makes no sense', () => {
      const err = rejection({
        file: 'thresholds.yaml',
        from: 'securityAssessment: 10000\n',
        to: 'securityAssessment: 1\n',
      });
      expectIssue(err, {
        file: 'thresholds.yaml',
        path: '/sensitive/securityAssessment',
        message: /must be greater than sensitive.standardContract/,
      });
      expect(err.issues, 'no follow-on issues from rules that use the thresholds').to.have.length(1);
    });

    it('a setting naming a code that is not an exempt route', () => {
      const err = rejection({
        file: 'settings.yaml',
        from: 'exemptRouteReasons: [R-EX-ART4,',
        to: 'exemptRouteReasons: [R-SA-CIIO,',
      });
      expectIssue(err, {
        file: 'settings.yaml',
        path: '/volume/exemptRouteReasons/0',
        message: /R-SA-CIIO decides security_assessment, not exempt/,
      });
    });

    it('an evidence item nothing requires, and a requirement naming an unknown item', () => {
      const err = rejection({
        file: 'evidence.yaml',
        from: 'items: [incident_record]',
        to: 'items: [incident_report]',
      });
      expectIssue(err, {
        file: 'evidence.yaml',
        path: '/requirements/11/items/0',
        message: /incident_report is not an item/,
      });
      expectIssue(err, {
        file: 'evidence.yaml',
        path: '/items/14/id',
        message: /incident_record is never required/,
      });
    });

    it('a worker-checked evidence item on a tier released by hand', () => {
      const err = rejection({
        file: 'evidence.yaml',
        from: 'items: [important_data_identification]',
        to: 'items: [important_data_identification, attestation]',
      });
      expectIssue(err, {
        file: 'evidence.yaml',
        path: '/requirements/22/items/1',
        message: /manual_review is released by hand only/,
      });
    });

    it('an FTZ entry declaring a field important without security assessment', () => {
      const err = rejection({
        file: 'ftz-list-guangxi.yaml',
        from: 'grade_flag: important\n    mechanism: SA',
        to: 'grade_flag: important\n    mechanism: SCC_CERT',
      });
      expectIssue(err, {
        file: 'ftz-list-guangxi.yaml',
        path: '/entries/1/mechanism',
        message: /must be SA/,
      });
    });

    it('an FTZ SCC/CERT entry that an SA entry always shadows', () => {
      const err = rejection({
        file: 'ftz-list-guangxi.yaml',
        from: 'threshold_ns: 1000000\n    threshold_s: 10000',
        to: 'threshold_ns: 100000\n    threshold_s: 5000',
      });
      expectIssue(err, {
        file: 'ftz-list-guangxi.yaml',
        path: '/entries/3/mechanism',
        message: /SA entry entries\/4 matches whenever it does/,
      });
    });

    it('an FTZ entry with a bad date, and an FTZ version with two effective dates', () => {
      const err = rejection({
        file: 'ftz-list-guangxi.yaml',
        from: "effective_from: '2025-08-08'\n    sector: Tourism",
        to: "effective_from: '2025-02-30'\n    sector: Tourism",
      });
      expectIssue(err, {
        file: 'ftz-list-guangxi.yaml',
        path: '/entries/6/effective_from',
        message: /not a calendar date/,
      });
      expectIssue(err, { file: 'ftz-list-guangxi.yaml', path: '/entries/6/effective_from', message: /./ });
      expect(err.issues.filter((i) => i.path === '/entries/6/effective_from')).to.have.length(2);
    });

    it('YAML with a duplicate key', () => {
      const err = rejection({
        file: 'settings.yaml',
        from: 'countExemptRoutePi: true',
        to: 'countExemptRoutePi: true\n  countExemptRoutePi: false',
      });
      expectIssue(err, {
        file: 'settings.yaml',
        path: '',
        message: /not valid YAML: Map keys must be unique/,
      });
      expect(err.issues).to.have.length(1);
    });

    it('an unknown file kind', () => {
      const files = shippedFiles.map((f) =>
        f.name === 'scenarios.yaml' ? { ...f, text: f.text.replace('kind: scenarios', 'kind: scenario') } : f,
      );
      expectIssue(rejectionOf(files), {
        file: 'scenarios.yaml',
        path: '/kind',
        message: /must be one of: thresholds, settings, scenarios/,
      });
    });

    it('a missing file kind', () => {
      const files = shippedFiles.filter((f) => f.name !== 'scenarios.yaml');
      expectIssue(rejectionOf(files), { file: '(policy)', path: '', message: /no file of kind scenarios/ });
    });

    it('a directory that cannot be read, naming it', () => {
      expect(() => loadPolicy('/nonexistent/xborder-policies')).to.throw(
        PolicyError,
        /\/nonexistent\/xborder-policies/,
      );
    });
  });
});
