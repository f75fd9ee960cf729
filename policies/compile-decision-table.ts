// policies/compile-decision-table: turns decision-table.yaml into evaluation-ready rows (regulation.md §10.2) and
// refuses a table that contradicts itself: duplicate row numbers or codes, a code whose family does not fit its
// tier (§10.4), a missing fail-closed last row, and rows or reasons that can never apply (first match wins). Pure.
import type { FieldIssue } from '../platform/errors.js';
import type { Tier, TraceStep } from './classification.js';
import { any, compileCondition, toCheck, type ConditionNode, type RefResolver } from './condition.js';
import type { DecisionTableFile } from './policy-files.js';
import type { Annotation, DecisionRow, PolicyReason, Settings } from './policy.js';
import { canHold, ReachabilityProver } from './reachability.js';

/** regulation.md §10.4 reason-code families and the tiers they may decide. R-EX-ART3 is an exemption that yields
 * free flow (row 11), and R-FTZ-* follows the list's mechanism. */
const familyTiers: Readonly<Record<string, readonly Tier[]>> = {
  BLK: ['prohibited'],
  HOLD: ['manual_review'],
  SA: ['security_assessment'],
  SCC: ['standard_contract'],
  FTZ: ['security_assessment', 'standard_contract'],
  EX: ['exempt', 'free_flow'],
  FREE: ['free_flow'],
};

function familyOf(code: string): string {
  return code.split('-')[1] ?? '';
}

export interface CompiledTable {
  readonly rows: DecisionRow[];
  readonly annotations: Annotation[];
  /** Every tier reason code and the tier it decides. */
  readonly codeTiers: ReadonlyMap<string, Tier>;
}

interface Draft {
  readonly index: number;
  readonly row: DecisionRow;
  readonly reasonNodes: readonly ConditionNode[];
  readonly citeCodes: readonly string[];
}

export function compileDecisionTable(
  file: DecisionTableFile,
  resolve: RefResolver,
  settings: Settings,
): { table: CompiledTable; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const compile = (raw: unknown, path: string): ConditionNode => {
    const out = compileCondition(raw, path, resolve);
    issues.push(...out.issues);
    return out.node;
  };
  const codeSeen = new Map<string, string>();
  const claimCode = (code: string, path: string): void => {
    const first = codeSeen.get(code);
    if (first !== undefined)
      issues.push({ path, message: `duplicates reason code ${code} already defined at ${first}` });
    else codeSeen.set(code, path);
  };
  const codeTiers = new Map<string, Tier>();

  const drafts: Draft[] = [];
  const rowNumbers = new Map<number, number>();
  let lastRow = 0;
  file.rows.forEach((raw, i) => {
    const base = `/rows/${i}`;
    if (rowNumbers.has(raw.row))
      issues.push({
        path: `${base}/row`,
        message: `duplicates row ${raw.row} (rows/${rowNumbers.get(raw.row)})`,
      });
    else if (raw.row < lastRow)
      issues.push({
        path: `${base}/row`,
        message: `must be greater than the previous row number ${lastRow}`,
      });
    rowNumbers.set(raw.row, i);
    lastRow = Math.max(lastRow, raw.row);

    const when = compile(raw.when, `${base}/when`);
    const reasonNodes: ConditionNode[] = [];
    const reasons: PolicyReason[] = raw.reasons.map((r, j) => {
      const path = `${base}/reasons/${j}`;
      claimCode(r.code, `${path}/code`);
      const allowed = familyTiers[familyOf(r.code)];
      if (allowed === undefined || !allowed.includes(raw.tier)) {
        issues.push({
          path: `${path}/code`,
          message: `the ${familyOf(r.code)} family cannot decide tier ${raw.tier} (regulation.md §10.4)`,
        });
      }
      codeTiers.set(r.code, raw.tier);
      const node = r.when === undefined ? when : compile(r.when, `${path}/when`);
      reasonNodes.push(node);
      return { reason: { code: r.code, rule: r.rule, message: r.message }, check: toCheck(node), when: node };
    });
    const code = raw.reasons.map((r) => r.code).join('/');
    const escalation =
      raw.escalation === undefined
        ? null
        : {
            tier: raw.escalation.tier,
            check: toCheck(compile(raw.escalation.when, `${base}/escalation/when`)),
            cite: [],
          };
    const failedSteps = new Map<string, TraceStep>();
    for (const text of failureTexts(when))
      failedSteps.set(text, Object.freeze({ row: raw.row, code, matched: false, failed: text }));
    const matchedStep: TraceStep = { row: raw.row, code, matched: true };
    const skippedStep: TraceStep = { row: raw.row, code, matched: false, skipped: true };
    const row: DecisionRow = {
      row: raw.row,
      group: raw.group ?? null,
      condition: raw.condition,
      tier: raw.tier,
      reasons,
      escalation,
      when,
      check: toCheck(when),
      code,
      matchedStep,
      skippedStep,
      failedSteps,
    };
    drafts.push({ index: i, row, reasonNodes, citeCodes: raw.escalation?.cite ?? [] });
  });

  const annotations: Annotation[] = file.annotations.map((a, i) => {
    const path = `/annotations/${i}`;
    claimCode(a.code, `${path}/code`);
    if (familyTiers[familyOf(a.code)] !== undefined) {
      issues.push({
        path: `${path}/code`,
        message: 'an annotation must not use a tier family (BLK, HOLD, SA, SCC, FTZ, EX, FREE)',
      });
    }
    return {
      reason:
        a.messageZh === undefined
          ? { code: a.code, rule: a.rule, message: a.message }
          : { code: a.code, rule: a.rule, message: a.message, messageZh: a.messageZh },
      check: toCheck(compile(a.when, `${path}/when`)),
      holds: a.holds === true,
    };
  });

  // Escalations cite reasons of other rows by code; those rows must decide the escalation's tier.
  const reasonByCode = new Map(drafts.flatMap((d) => d.row.reasons.map((r) => [r.reason.code, r] as const)));
  const rows = drafts.map((draft) => {
    const { row } = draft;
    if (row.escalation === null) return draft;
    const cite = draft.citeCodes.flatMap((code, k) => {
      const reason = reasonByCode.get(code);
      const path = `/rows/${draft.index}/escalation/cite/${k}`;
      if (reason === undefined) issues.push({ path, message: `refers to ${code}, which no row defines` });
      else if (codeTiers.get(code) !== row.escalation?.tier) {
        issues.push({
          path,
          message: `${code} decides ${codeTiers.get(code)}, not the escalation tier ${row.escalation?.tier}`,
        });
      } else return [reason];
      return [];
    });
    return { ...draft, row: { ...row, escalation: { ...row.escalation, cite } } };
  });

  checkGroups(rows, issues);
  const ordered = evaluationOrder(rows, settings);
  const last = ordered[ordered.length - 1];
  if (last !== undefined && !(last.row.when.type === 'const' && last.row.when.value)) {
    issues.push({
      path: `/rows/${last.index}/when`,
      message:
        'the last row must be { always: true } so that every transfer gets a decision (fail closed, §10.2 row 23)',
    });
  }
  if (issues.length === 0) checkReachability(ordered, issues);
  return { table: { rows: ordered.map((d) => d.row), annotations, codeTiers }, issues };
}

/** Every text a condition's check can return when it fails (see toCheck). */
function failureTexts(node: ConditionNode): string[] {
  if (node.type === 'all') return node.items.flatMap(failureTexts);
  return [node.text];
}

/** A group (rows 9–10, rows 13–17) must be one contiguous block so that it can be moved as a whole. */
function checkGroups(drafts: readonly Draft[], issues: FieldIssue[]): void {
  const closed = new Set<string>();
  let current: string | null = null;
  for (const { row, index } of drafts) {
    if (row.group !== current) {
      if (current !== null) closed.add(current);
      if (row.group !== null && closed.has(row.group)) {
        issues.push({
          path: `/rows/${index}/group`,
          message: `group ${row.group} must be one contiguous block of rows`,
        });
      }
      current = row.group;
    }
  }
}

/** regulation.md §10.2 notes [U]: by default the FTZ list rows (9–10) come before the national exemptions
 * (13–17); settings ftz.nationalExemptionsFirst moves rows 13–17 ahead of rows 9–10. */
function evaluationOrder(drafts: readonly Draft[], settings: Settings): Draft[] {
  if (!settings.ftz.nationalExemptionsFirst) return [...drafts];
  const national = drafts.filter((d) => d.row.group === 'national_exemption');
  const firstFtz = drafts.findIndex((d) => d.row.group === 'ftz_list');
  if (national.length === 0 || firstFtz < 0) return [...drafts];
  const rest = drafts.filter((d) => d.row.group !== 'national_exemption');
  const at = rest.findIndex((d) => d.row.group === 'ftz_list');
  return [...rest.slice(0, at), ...national, ...rest.slice(at)];
}

function checkReachability(ordered: readonly Draft[], issues: FieldIssue[]): void {
  const prover = new ReachabilityProver();
  ordered.slice(0, -1).forEach((draft) => {
    const { row, index, reasonNodes } = draft;
    const remainder = prover.remainder(row.when);
    if (remainder !== 'unknown' && remainder.length === 0) {
      issues.push({
        path: `/rows/${index}/when`,
        message: `row ${row.row} is unreachable: the rows evaluated before it match every transfer it would match (first match wins)`,
      });
    } else {
      reasonNodes.forEach((node, j) => {
        if (!canHold(remainder, node)) {
          issues.push({
            path: `/rows/${index}/reasons/${j}/when`,
            message: `can never hold when row ${row.row} matches`,
          });
        }
      });
      if (canHold(remainder, any(reasonNodes), true)) {
        issues.push({
          path: `/rows/${index}/reasons`,
          message: `row ${row.row} can match with none of its reasons applying`,
        });
      }
    }
    prover.exclude(row.when);
  });
}
