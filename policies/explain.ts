// policies/explain: a Classification as human-readable lines (`xborder policy explain FILE`) — the decision, every
// rule in evaluation order with ✓/✗ and the condition that failed, the reasons with their citations, and the
// evidence and checks required. Pure; prints counts only, never personal data.
import type { Classification } from './classification.js';
import type { Policy } from './policy.js';

const number = new Intl.NumberFormat('en-US');

/** Formats a classification. With the policy, each row also shows its §10.2 condition in words. */
export function explain(classification: Classification, policy?: Policy): string[] {
  const c = classification;
  const conditions = new Map(policy?.rows.map((r) => [r.row, r.condition]) ?? []);
  // Row numbers align on their whole part; a row added since the §10.2 numbering shows its decimal (14.1).
  const whole = (row: number) => String(Math.trunc(row));
  const width = Math.max(...c.trace.map((s) => whole(s.row).length));
  const label = (row: number) => `${whole(row).padStart(width)}${String(row).slice(whole(row).length)}`;
  const lines = [
    `Decision: ${c.tier} (row ${c.matchedRow}, ${c.reasons[0]?.code ?? 'no reason'})`,
    `Business type: ${c.businessType} · grade: ${c.grade} · policy version: ${c.policyVersion}`,
    `This transfer: ${number.format(c.thisTransfer.individuals)} individuals (${number.format(c.thisTransfer.sensitiveIndividuals)} sensitive)` +
      ` · projected this year: ${number.format(c.volume.individualsYtd)} (${number.format(c.volume.sensitiveYtd)} sensitive)` +
      (c.thisTransfer.individuals > 0 && !c.countsTowardTotals
        ? ' · not added to the yearly totals (exempt route)'
        : ''),
    c.ftz.area === null
      ? 'FTZ: exporter not registered in a Guangxi FTZ area'
      : c.ftz.listId === null
        ? `FTZ: area ${c.ftz.area} · no negative list in force${c.ftz.notInForce == null ? '' : ` (${c.ftz.notInForce})`}`
        : `FTZ: area ${c.ftz.area} · list ${c.ftz.listId} version ${c.ftz.listVersion ?? '?'} · match ${c.ftz.match ?? 'none'}`,
  ];
  const national = policy?.rows.find((r) => r.row === c.matchedRow)?.group === 'national_exemption';
  if (national && c.ftz.area !== null) {
    lines.push(
      policy?.settings.ftz.nationalExemptionsFirst === true
        ? `National exemption ${c.reasons[0]?.code ?? '?'} (row ${c.matchedRow}) won: the national exemptions (Provisions 2024 arts. 3–5) are evaluated before the FTZ list rows (settings ftz.nationalExemptionsFirst: true; rules reference §0.1 "FTZ precedence")`
        : `National exemption ${c.reasons[0]?.code ?? '?'} (row ${c.matchedRow}) won: no FTZ list row matched before it`,
    );
  }
  lines.push('Rules in evaluation order (first match wins):');
  for (const step of c.trace) {
    const mark = step.matched ? '✓' : step.skipped ? '·' : '✗';
    const condition = conditions.get(step.row);
    const head = `  ${mark} row ${label(step.row)} ${step.code}${condition === undefined ? '' : ` — ${condition}`}`;
    const tail = step.matched ? 'matched' : step.skipped ? 'not evaluated' : `failed: ${step.failed ?? '?'}`;
    lines.push(`${head} — ${tail}`);
  }
  lines.push('Reasons:');
  for (const r of c.reasons) lines.push(`  ${r.code} [${r.rule}]: ${r.message}`);
  lines.push(
    `Required evidence: ${c.requiredEvidence.length === 0 ? 'none' : c.requiredEvidence.join(', ')}`,
  );
  lines.push(`Required checks: ${c.requiredChecks.length === 0 ? 'none' : c.requiredChecks.join(', ')}`);
  return lines;
}
