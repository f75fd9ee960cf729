// cli/commands/minimise-command: `xborder minimise --plan P --manifest M FILE` — previews a minimisation plan
// offline (issue #20): the transformed sample (identifiers in it masked), inspection of the original and of the
// result, and the tier before and after with the reasons. Reads FILE once, streaming; writes nothing.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import type { InspectionReport } from '../../inspection/inspector.js';
import { createPayloadInspector } from '../../inspection/payload-inspector.js';
import { createCategoryReplacer } from '../../transfers/minimisation/category-values.js';
import { createMinimiser } from '../../transfers/minimisation/create-minimiser.js';
import { MinimiseError } from '../../transfers/minimisation/minimise-error.js';
import { loadConfig } from '../../platform/config.js';
import { parseJsonText } from '../../platform/schema.js';
import type { Classification, ClassificationInput } from '../../policies/classification.js';
import { classify } from '../../policies/classify.js';
import { judgeMinimisation, manifestAfterMinimisation } from '../../policies/judge-minimisation.js';
import { loadPolicy } from '../../policies/load-policy.js';
import { parseManifest, type Manifest } from '../../policies/manifest.js';
import { minimiseCategories } from '../../policies/minimise-plan.js';
import type { Policy } from '../../policies/policy.js';
import { exitCodes, UsageError } from '../cli-io.js';
import { parseCommandArgs, required } from '../args.js';
import type { Command } from '../command.js';

/** Every identifier shape in the sample is masked: the preview shows the layout, never an identifier whole. */
const sampleMask = createCategoryReplacer(
  Object.fromEntries(minimiseCategories.map((c) => [c, { op: 'mask' as const, keepLast: 4 }])),
  Buffer.alloc(32),
);

function inspectionInput(report: InspectionReport): NonNullable<ClassificationInput['inspection']> {
  return {
    containsPi: report.containsPi,
    containsSpi: report.containsSpi,
    individualsDetected: report.individualsDetected,
    sensitiveIndividualsDetected: report.sensitiveIndividualsDetected,
    domesticIdentifiersDetected:
      (report.findings.resident_id?.count ?? 0) + (report.findings.mobile?.count ?? 0),
    opaqueParts: report.opaque.length,
  };
}

function classifyOffline(manifest: Manifest, report: InspectionReport, policy: Policy): Classification {
  return classify(
    {
      manifest,
      exporter: { ciio: false, ftzArea: null },
      partner: { restricted: false },
      inspection: inspectionInput(report),
      volume: { individualsYtd: 0, sensitiveYtd: 0 },
      now: new Date(),
    },
    policy,
  );
}

const summary = (report: InspectionReport) => ({
  findings: Object.fromEntries(Object.entries(report.findings).map(([d, f]) => [d, f?.count ?? 0])),
  individualsDetected: report.individualsDetected,
  sensitiveIndividualsDetected: report.sensitiveIndividualsDetected,
  columns: report.columns,
});

export const minimiseCommand: Command = {
  path: ['minimise'],
  help: [
    'Usage: xborder minimise --plan PLAN --manifest MANIFEST FILE [--sample N] [--policy DIR]',
    '',
    "PLAN is a JSON file holding a manifest's `minimise` object (api.md §6), MANIFEST a manifest; the plan",
    'replaces any the manifest has. Streams FILE through the plan as intake would and prints: the first N',
    'records of the result (default 5) with every identifier-shaped value masked, the inspection of the',
    'original and of the result, the k-anonymity figure, and the tier before and after with their reasons',
    '(exporter facts as `xborder policy explain` assumes them: not a CIIO, no FTZ, nothing exported yet).',
    "Pseudonyms use a key made for this run, so they differ from the gateway's. Exit 0; 1 when the plan is",
    'invalid or cannot be applied to FILE (the gateway would answer 400); 3 when a file cannot be read.',
    '',
    'Example: xborder minimise --plan examples/minimise-plan.json --manifest examples/minimise-orders.manifest.json \\',
    '           examples/minimise-orders.csv',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        plan: { type: 'string' },
        manifest: { type: 'string' },
        sample: { type: 'string' },
        policy: { type: 'string' },
      },
      1,
    );
    const file = positionals[0];
    if (file === undefined) throw new UsageError('FILE is required');
    const sampleRecords = values.sample === undefined ? 5 : Number(values.sample);
    if (!Number.isSafeInteger(sampleRecords) || sampleRecords < 0 || sampleRecords > 1000)
      throw new UsageError('--sample must be a whole number from 0 to 1000');
    const planJson = parseJsonText(await readFile(required(values.plan, 'plan'), 'utf8'));
    const manifestJson = parseJsonText(await readFile(required(values.manifest, 'manifest'), 'utf8'));
    const invalid = (issues: readonly { path: string; message: string }[]) => {
      io.result(
        { error: { code: 'BAD_MANIFEST', details: issues } },
        () =>
          `Invalid plan or manifest:\n${issues.map((i) => `  ${i.path || '/'}: ${i.message}`).join('\n')}`,
      );
      return exitCodes.negative;
    };
    if (!planJson.ok) return invalid(planJson.issues.map((i) => ({ ...i, path: `/minimise${i.path}` })));
    if (!manifestJson.ok) return invalid(manifestJson.issues);
    const base = manifestJson.value;
    if (typeof base !== 'object' || base === null || Array.isArray(base))
      return invalid([{ path: '', message: 'must be a JSON object' }]);
    const parsed = parseManifest({ ...base, minimise: planJson.value });
    if (!parsed.ok) return invalid(parsed.issues);
    const manifest = parsed.value;
    const plan = manifest.minimise;
    if (plan === undefined) return invalid([{ path: '/minimise', message: 'is required' }]);

    const config = loadConfig(process.env);
    const policy = loadPolicy(values.policy ?? config.policyDir, {
      allowExampleLists: config.allowExampleFtzLists === true,
    });
    // A throwaway person key, as `xborder inspect`: offline counts need distinct people, not stable keys.
    const personKey = randomBytes(32);
    const options = { personKey, residentIdSensitive: policy.settings.identity.bareResidentIdSensitive };
    const original = createPayloadInspector(options);
    const result = createPayloadInspector(options);
    const minimiser = createMinimiser({
      plan,
      pseudonymKey: randomBytes(32),
      isQuasiIdentifier: policy.minimisation.isQuasiIdentifier,
      maxXlsxBytes: config.maxExpandedBytes,
    });
    const sample: Uint8Array[] = [];
    let sampleLines = -1; // the header (or the first JSON line) is shown on top of N records
    const emit = (bytes: Uint8Array) => {
      result.write(Buffer.from(bytes));
      // A workbook comes out re-zipped: there is no line to show (the inspection after still reads it).
      if (plan.format === 'xlsx' || sampleLines >= sampleRecords) return;
      let end = 0;
      while (end < bytes.length && sampleLines < sampleRecords) {
        const lf = bytes.indexOf(0x0a, end);
        end = lf < 0 ? bytes.length : lf + 1;
        if (lf >= 0) sampleLines++;
      }
      sample.push(bytes.subarray(0, end));
    };
    let outcome;
    try {
      for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
        original.write(chunk as Buffer);
        minimiser.write(chunk as Buffer, emit);
      }
      outcome = minimiser.end(emit);
    } catch (err) {
      if (!(err instanceof MinimiseError)) throw err;
      const issue = { path: err.path === '' ? '/minimise/format' : err.path, message: err.message };
      io.result(
        { error: { code: err.inPlan ? 'BAD_MANIFEST' : 'PAYLOAD_NOT_MINIMISABLE', details: [issue] } },
        () => `The plan cannot be applied to ${file}:\n  ${issue.path}: ${issue.message}`,
      );
      return exitCodes.negative;
    }
    const before = original.finish();
    const after = result.finish();
    const judgement = judgeMinimisation(outcome, policy.minimisation);
    const found = (r: InspectionReport) => ({
      individuals: r.individualsDetected,
      sensitive: r.sensitiveIndividualsDetected,
    });
    const classifiedManifest = manifestAfterMinimisation(manifest, judgement, found(before), found(after));
    const tierBefore = classifyOffline(manifest, before, policy);
    const tierAfterBase = classifyOffline(classifiedManifest, after, policy);
    const tierAfter = { ...tierAfterBase, reasons: [...tierAfterBase.reasons, ...judgement.reasons] };
    const shown =
      plan.format === 'xlsx'
        ? '(an XLSX workbook: no text sample; the inspection after reads every sheet)'
        : sampleMask.replace(Buffer.concat(sample).toString('utf8'));
    const reasonLines = (c: Classification) =>
      c.reasons.map((r) => `    ${r.code} (${r.rule}): ${r.message}`);
    const k = outcome.kAnonymity;
    io.result(
      {
        sample: shown,
        minimisation: outcome,
        counts: judgement.counts,
        kMinimum: judgement.kMinimum,
        before: { inspection: summary(before), tier: tierBefore.tier, reasons: tierBefore.reasons },
        after: { inspection: summary(after), tier: tierAfter.tier, reasons: tierAfter.reasons },
      },
      () =>
        [
          `Sample of the result (identifiers masked):`,
          ...shown.split(/\r?\n/).map((l) => `  ${l}`),
          `Columns: ${outcome.columns.map((c) => `${c.name} ${c.op} (${c.values})`).join(', ') || 'none'}`,
          `k-anonymity: ${k.k ?? (k.bounded ? 'not computable (too many combinations)' : 'no quasi-identifier left')}` +
            ` over [${k.quasiIdentifiers.join(', ')}], minimum ${judgement.kMinimum}`,
          `Before: ${tierBefore.tier}; ${before.individualsDetected} people detected`,
          ...reasonLines(tierBefore),
          `After:  ${tierAfter.tier}; ${after.individualsDetected} people detected; counted on ${judgement.counts} counts`,
          ...reasonLines(tierAfter),
        ].join('\n'),
    );
    return exitCodes.ok;
  },
};
