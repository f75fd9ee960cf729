// Test fixtures for the policies room: the shipped policy (read once), policy variants with edited files, and
// classification inputs built from a valid base manifest with overrides. Fixed dates; no clock.
import { fileURLToPath } from 'node:url';
import type { ClassificationInput } from '../../../policies/classification.js';
import { readPolicyFiles } from '../../../policies/load-policy.js';
import { parseManifest, type Manifest } from '../../../policies/manifest.js';
import { parsePolicy } from '../../../policies/parse-policy.js';
import type { PolicyFileText } from '../../../policies/policy-version.js';
import type { Policy } from '../../../policies/policy.js';

export const policyDir = fileURLToPath(new URL('../../../policies', import.meta.url));
export const shippedFiles: readonly PolicyFileText[] = readPolicyFiles(policyDir);
export const policy: Policy = parsePolicy(shippedFiles);

/** 2026-03-01 09:00 China time: the example Guangxi list (effective 2025-08-08) is in force when allowed. */
export const now = new Date('2026-03-01T01:00:00Z');

export interface Edit {
  readonly file: string;
  readonly from: string;
  readonly to: string;
}

/** The shipped files with text replacements; each `from` must occur, so a stale edit fails loudly. */
export function editedFiles(edits: readonly Edit[]): PolicyFileText[] {
  return shippedFiles.map((f) => {
    let text = f.text;
    for (const e of edits.filter((x) => x.file === f.name)) {
      if (!text.includes(e.from)) throw new Error(`fixture edit: "${e.from}" not found in ${e.file}`);
      text = text.replace(e.from, e.to);
    }
    return { name: f.name, text };
  });
}

export function policyWith(...edits: Edit[]): Policy {
  return parsePolicy(editedFiles(edits));
}

/**
 * The shipped policy with example FTZ lists allowed (settings ftz.allowExampleLists, as `npm start` runs): the
 * example Guangxi list is then in force, which is how the FTZ rows' mechanics (rows 9, 10, 18) are exercised.
 * The shipped policy itself grants nothing on an example list (rules reference §0.1).
 */
export const examplesAllowed: Policy = parsePolicy(shippedFiles, { allowExampleLists: true });

export function policyWithExamples(...edits: Edit[]): Policy {
  return parsePolicy(editedFiles(edits), { allowExampleLists: true });
}

export const baseManifest: Manifest = {
  exporterId: '91450100MA5N8KQW3K',
  businessType: 'cross_border_ecommerce',
  purpose: 'order fulfilment',
  partnerId: 'partner-sg-1',
  endpointId: 'endpoint-sg-1',
  destinationCountry: 'SG',
  dataCategories: ['order_record'],
  declaredGrade: 'general',
  personalInfo: { individuals: 0, sensitiveIndividuals: 0 },
  exemption: null,
};

type ManifestPatch = Partial<Omit<Manifest, 'personalInfo'>> & {
  personalInfo?: Partial<Manifest['personalInfo']>;
};

export interface InputPatch {
  readonly manifest?: ManifestPatch;
  readonly ciio?: boolean;
  readonly ftzArea?: ClassificationInput['exporter']['ftzArea'];
  readonly restricted?: boolean;
  readonly inspection?: ClassificationInput['inspection'];
  readonly ytd?: { individuals?: number; sensitive?: number };
  readonly now?: Date;
}

/** A classification input whose manifest is checked by parseManifest, so every case is a valid api.md §6 manifest. */
export function input(patch: InputPatch = {}): ClassificationInput {
  const m = patch.manifest ?? {};
  const candidate = {
    ...baseManifest,
    ...m,
    personalInfo: { ...baseManifest.personalInfo, ...m.personalInfo },
    ...((m.personalInfo?.individuals ?? 0) > 0 && m.legalBasis === undefined
      ? { legalBasis: 'contract' as const }
      : {}),
  };
  const parsed = parseManifest(candidate);
  if (!parsed.ok) throw new Error(`fixture manifest is invalid: ${JSON.stringify(parsed.issues)}`);
  return {
    manifest: parsed.value,
    exporter: { ciio: patch.ciio ?? false, ftzArea: patch.ftzArea ?? null },
    partner: { restricted: patch.restricted ?? false },
    inspection: patch.inspection ?? null,
    volume: { individualsYtd: patch.ytd?.individuals ?? 0, sensitiveYtd: patch.ytd?.sensitive ?? 0 },
    now: patch.now ?? now,
  };
}

/** PI of `n` individuals, `s` of them with sensitive PI. */
export function pi(
  n: number,
  s = 0,
): { personalInfo: { individuals: number; sensitiveIndividuals: number } } {
  return { personalInfo: { individuals: n, sensitiveIndividuals: s } };
}
