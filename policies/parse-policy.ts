// policies/parse-policy: policy files (name + text) → a validated, frozen Policy, or a PolicyError listing every
// problem with its file and JSON Pointer. Pure: no file system, no clock; loadPolicy does the reading.
import { parseDocument } from 'yaml';
import type { FieldIssue } from '../platform/errors.js';
import type { Parsed } from '../platform/schema.js';
import { compileDecisionTable } from './compile-decision-table.js';
import { compileEvidence } from './compile-evidence.js';
import { compileFtzLists } from './compile-ftz-lists.js';
import type { RefResolver } from './condition.js';
import { PolicyError, type PolicyIssue } from './policy-error.js';
import {
  parseDecisionTableFile,
  parseEvidenceFile,
  parseFtzListFile,
  parseWorkingDaysFile,
  parseMinimisationFile,
  parseScenariosFile,
  parseSettingsFile,
  parseThresholdsFile,
  policyKinds,
  type DecisionTableFile,
  type EvidenceFile,
  type FtzListFile,
  type MinimisationFile,
  type PolicyKind,
  type ScenariosFile,
  type SettingsFile,
  type ThresholdsFile,
} from './policy-files.js';
import { compileMinimisation } from './minimisation-policy.js';
import { computePolicyVersion, type PolicyFileText } from './policy-version.js';
import type { Policy, Settings, Thresholds } from './policy.js';
import { compileWorkingDays, weekdaysOnly, type WorkingDaysFile } from './working-days.js';

const parsers: { readonly [K in PolicyKind]: (input: unknown) => Parsed<unknown> } = {
  thresholds: parseThresholdsFile,
  settings: parseSettingsFile,
  scenarios: parseScenariosFile,
  'decision-table': parseDecisionTableFile,
  evidence: parseEvidenceFile,
  'ftz-list': parseFtzListFile,
  'working-days': parseWorkingDaysFile,
  minimisation: parseMinimisationFile,
};

/** Kinds of which exactly one file must exist; ftz-list files may be any number. */
const singletons = [
  'thresholds',
  'settings',
  'scenarios',
  'decision-table',
  'evidence',
  'minimisation',
] as const;

interface Shaped {
  readonly name: string;
  readonly kind: PolicyKind;
  /** undefined when the file has a known kind but fails its schema. */
  readonly value: unknown;
}

function readFile(file: PolicyFileText, issues: PolicyIssue[]): Shaped | undefined {
  const issue = (path: string, message: string) => issues.push({ file: file.name, path, message });
  if (!/^[A-Za-z0-9._-]+\.ya?ml$/.test(file.name)) {
    issue('', 'is not a policy file name (letters, digits, . _ - and a .yaml extension)');
    return undefined;
  }
  const doc = parseDocument(file.text, { uniqueKeys: true, prettyErrors: true });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    for (const e of problems) issue('', `is not valid YAML: ${e.message.split('\n')[0] ?? e.code}`);
    return undefined;
  }
  const value: unknown = doc.toJS({ maxAliasCount: 0 });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issue('', 'must be a YAML mapping with a "kind" field');
    return undefined;
  }
  const kind = (value as Record<string, unknown>)['kind'];
  if (typeof kind !== 'string' || !(policyKinds as readonly string[]).includes(kind)) {
    issue('/kind', `must be one of: ${policyKinds.join(', ')}`);
    return undefined;
  }
  const parsed = parsers[kind as PolicyKind](value);
  if (!parsed.ok) for (const i of parsed.issues) issue(i.path, i.message);
  return { name: file.name, kind: kind as PolicyKind, value: parsed.ok ? parsed.value : undefined };
}

/** regulation.md §1.2: thresholds must make sense as "SCC from", "SA from", with SCC below SA. */
function checkThresholds(t: ThresholdsFile): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (t.nonSensitive.standardContract < 1)
    issues.push({ path: '/nonSensitive/standardContract', message: 'must be at least 1' });
  if (t.sensitive.standardContract < 1) {
    issues.push({
      path: '/sensitive/standardContract',
      message: 'must be at least 1 (any sensitive PI needs a mechanism, Provisions 2024 art. 8)',
    });
  }
  for (const kind of ['nonSensitive', 'sensitive'] as const) {
    if (t[kind].securityAssessment <= t[kind].standardContract) {
      issues.push({
        path: `/${kind}/securityAssessment`,
        message: `must be greater than ${kind}.standardContract (${t[kind].standardContract}): security assessment starts above the SCC band`,
      });
    }
  }
  return issues;
}

function createResolver(root: Record<string, unknown>): RefResolver {
  return (ref) => {
    let at: unknown = root;
    for (const key of ref.split('.')) {
      if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
      at = (at as Record<string, unknown>)[key];
    }
    return at;
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Run-time overrides of settings.yaml (none in production). */
export interface PolicyOptions {
  /** Rules reference §0.1: allow lists marked example (demos; `npm start`). Changes the policy version. */
  readonly allowExampleLists?: boolean;
}

/** Validates the policy files and builds the Policy. Throws PolicyError naming every bad file and field. */
export function parsePolicy(files: readonly PolicyFileText[], options: PolicyOptions = {}): Policy {
  const issues: PolicyIssue[] = [];
  const names = new Set<string>();
  const shaped: Shaped[] = [];
  for (const file of files) {
    if (names.has(file.name)) issues.push({ file: file.name, path: '', message: 'is given twice' });
    names.add(file.name);
    const read = readFile(file, issues);
    if (read !== undefined) shaped.push(read);
  }
  // A file that is not readable YAML may be the "missing" one: report it alone rather than a missing kind too.
  const allRead = shaped.length === files.length;
  const one = new Map<PolicyKind, Shaped>();
  for (const kind of singletons) {
    const found = shaped.filter((s) => s.kind === kind);
    const [first, second] = found;
    if (first === undefined && allRead) {
      issues.push({ file: '(policy)', path: '', message: `no file of kind ${kind}` });
    }
    if (second !== undefined)
      issues.push({ file: second.name, path: '/kind', message: `${kind} is also defined in ${first?.name}` });
    if (first !== undefined) one.set(kind, first);
  }
  if (issues.length > 0 || one.size < singletons.length) throw new PolicyError(issues);

  const get = <T>(kind: PolicyKind) => one.get(kind) as { name: string; value: T };
  const thresholdsFile = get<ThresholdsFile>('thresholds');
  const settingsFile = get<SettingsFile>('settings');
  const scenariosFile = get<ScenariosFile>('scenarios');
  const tableFile = get<DecisionTableFile>('decision-table');
  const evidenceFile = get<EvidenceFile>('evidence');
  const attach = (file: string, list: readonly FieldIssue[]) =>
    issues.push(...list.map((i) => ({ file, ...i })));

  const t = thresholdsFile.value;
  const thresholds: Thresholds = { nonSensitive: t.nonSensitive, sensitive: t.sensitive };
  const s = settingsFile.value;
  const override = options.allowExampleLists === true && !s.ftz.allowExampleLists;
  const settings: Settings = {
    volume: s.volume,
    consent: s.consent,
    ftz: override ? { ...s.ftz, allowExampleLists: true } : s.ftz,
    grade: s.grade,
    identity: s.identity,
  };
  // Every rule and list compares against the thresholds: stop here rather than report their follow-on errors.
  attach(thresholdsFile.name, checkThresholds(thresholdsFile.value));
  if (issues.length > 0) throw new PolicyError(issues);
  const resolve = createResolver({ thresholds, settings, scenarios: scenariosFile.value.lists });

  const { table, issues: tableIssues } = compileDecisionTable(tableFile.value, resolve, settings);
  attach(tableFile.name, tableIssues);
  settings.volume.exemptRouteReasons.forEach((code, i) => {
    const tier = table.codeTiers.get(code);
    if (tier !== 'exempt') {
      issues.push({
        file: settingsFile.name,
        path: `/volume/exemptRouteReasons/${i}`,
        message:
          tier === undefined
            ? `${code} is not a reason code of the decision table`
            : `${code} decides ${tier}, not exempt`,
      });
    }
  });
  const { evidence, issues: evidenceIssues } = compileEvidence(evidenceFile.value, resolve, table.codeTiers);
  attach(evidenceFile.name, evidenceIssues);
  // Optional: without a calendar every deadline counts Monday–Friday only.
  const calendarFile = shaped.filter((f) => f.kind === 'working-days');
  calendarFile
    .slice(1)
    .forEach((f) => issues.push({ file: f.name, path: '/kind', message: 'working-days is defined twice' }));
  let workingDays = weekdaysOnly;
  const firstCalendar = calendarFile[0];
  if (firstCalendar !== undefined && firstCalendar.value !== undefined) {
    const compiled = compileWorkingDays(firstCalendar.value as WorkingDaysFile);
    attach(firstCalendar.name, compiled.issues);
    workingDays = compiled.calendar;
  }
  const { lists, issues: ftzIssues } = compileFtzLists(
    shaped.filter((f) => f.kind === 'ftz-list').map((f) => ({ name: f.name, value: f.value as FtzListFile })),
  );
  issues.push(...ftzIssues);
  if (issues.length > 0) throw new PolicyError(issues);

  return deepFreeze({
    // An override decides differently from the files alone, so it is part of the version the decisions carry.
    policyVersion: computePolicyVersion(
      override ? [...files, { name: '(override)', text: 'ftz.allowExampleLists: true' }] : files,
    ),
    files: [...names].sort(),
    thresholds,
    settings,
    scenarios: scenariosFile.value.lists,
    rows: table.rows,
    annotations: table.annotations,
    evidence,
    ftzLists: lists,
    workingDays,
    minimisation: compileMinimisation(get<MinimisationFile>('minimisation').value),
  });
}
