// cli/commands/policy-command: `xborder policy explain FILE` — classify a manifest offline and print the
// decision with every rule in order and the reasons with their citations.
import { readFile } from 'node:fs/promises';
import { parseJsonText } from '../../platform/schema.js';
import { classify } from '../../policies/classify.js';
import { explain } from '../../policies/explain.js';
import { loadPolicy } from '../../policies/load-policy.js';
import { ftzListsInForce } from '../../policies/match-ftz-list.js';
import { parseManifest } from '../../policies/manifest.js';
import { ftzAreas, type FtzArea } from '../../policies/classification.js';
import { recordedInput, replayDecisions, type RecordedDecision } from '../../policies/replay.js';
import { createRedis } from '../../platform/redis.js';
import { createKeys } from '../../registry/keys.js';
import { createTransferStore } from '../../registry/transfer-store.js';
import type { TransferRecord } from '../../registry/transfer.js';
import { exitCodes, UsageError } from '../cli-io.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

function count(value: string | undefined, name: string): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number`);
  return n;
}

export const policyExplainCommand: Command = {
  path: ['policy', 'explain'],
  help: [
    'Usage: xborder policy explain FILE [--ciio] [--ftz-area nanning|qinzhou|chongzuo] [--restricted]',
    '                                   [--individuals-ytd N] [--sensitive-ytd N] [--policy DIR]',
    '',
    "FILE is a manifest (api.md §6). The exporter's facts come from the options (default: not a CIIO, not",
    'registered in an FTZ, nothing exported yet this year). Prints every rule in order, whether it matched,',
    'the condition that failed, and the reasons with their citations, which FTZ negative list is in force (or',
    'that none is, e.g. because the only list is example data) and why a national exemption won.',
    'XBORDER_ALLOW_EXAMPLE_FTZ_LISTS=true lets an example list be in force. Exit 0 unless the input is invalid.',
  ].join('\n'),
  async run(args, io, readConfig) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        ciio: { type: 'boolean' },
        'ftz-area': { type: 'string' },
        restricted: { type: 'boolean' },
        'individuals-ytd': { type: 'string' },
        'sensitive-ytd': { type: 'string' },
        policy: { type: 'string' },
      },
      1,
    );
    const file = positionals[0];
    if (file === undefined) throw new UsageError('FILE is required');
    const area = values['ftz-area'];
    if (area !== undefined && !(ftzAreas as readonly string[]).includes(area))
      throw new UsageError(`--ftz-area must be one of ${ftzAreas.join(', ')}`);
    const now = new Date();
    const json = parseJsonText(await readFile(file, 'utf8'));
    const parsed = json.ok ? parseManifest(json.value) : json;
    if (!parsed.ok) {
      io.result(
        { error: { code: 'BAD_MANIFEST', details: parsed.issues } },
        () => `Invalid manifest:\n${parsed.issues.map((i) => `  ${i.path || '/'}: ${i.message}`).join('\n')}`,
      );
      return exitCodes.negative;
    }
    const config = readConfig();
    const policy = loadPolicy(values.policy ?? config.policyDir, {
      allowExampleLists: config.allowExampleFtzLists === true,
    });
    const classification = classify(
      {
        manifest: parsed.value,
        exporter: { ciio: values.ciio === true, ftzArea: (area ?? null) as FtzArea | null },
        partner: { restricted: values.restricted === true },
        inspection: null,
        volume: {
          individualsYtd: count(values['individuals-ytd'], 'individuals-ytd'),
          sensitiveYtd: count(values['sensitive-ytd'], 'sensitive-ytd'),
        },
        now,
      },
      policy,
    );
    // Rules reference §0.1: say which FTZ negative list is in force for the area asked about, or that none is.
    const ftzLists = ftzListsInForce(policy, now);
    const shown = area === undefined ? ftzLists : ftzLists.filter((s) => s.area === area);
    io.result({ ...classification, ftzLists }, () =>
      [
        ...explain(classification, policy),
        'FTZ negative lists:',
        ...shown.map((s) => `  ${s.area}: ${s.inForce ? 'in force' : 'none in force'} — ${s.detail}`),
      ].join('\n'),
    );
    return exitCodes.ok;
  },
};

/** The recorded inputs of a transfer: manifest, inspection counts and volumes — never its payload. */
function decisionOf(record: TransferRecord): RecordedDecision {
  const report = record.inspection.detail;
  const inspection = {
    containsPi: report.containsPi,
    containsSpi: report.containsSpi,
    individualsDetected: report.individualsDetected,
    sensitiveIndividualsDetected: report.sensitiveIndividualsDetected,
  };
  return {
    id: record.id,
    decidedAt: new Date(record.createdAt),
    // A minimised transfer was classified on the manifest its plan allowed (issue #20).
    input: recordedInput(
      record.minimisation?.classifiedManifest ?? record.manifest,
      record.classification,
      inspection,
    ),
    tier: record.classification.tier,
    reasons: record.classification.reasons,
    policyVersion: record.classification.policyVersion,
  };
}

export const policyReplayCommand: Command = {
  path: ['policy', 'replay'],
  help: [
    'Usage: xborder policy replay --policy DIR [--limit N]',
    '',
    'Loads the draft policy in DIR (validated like at boot), re-classifies the recorded inputs of the N most',
    'recent transfers in Redis (manifest, inspection counts, the yearly volume and exporter facts as they',
    'were; never payloads) as of the time each was decided, and lists those whose tier would change, with',
    'the draft rule that decides them. N defaults to 1000. Exit 0 when nothing changes, 1 when something does.',
  ].join('\n'),
  async run(args, io, readConfig) {
    const { values } = parseCommandArgs(args, { policy: { type: 'string' }, limit: { type: 'string' } });
    const dir = values.policy;
    if (dir === undefined) throw new UsageError('--policy DIR is required');
    const limit = values.limit === undefined ? 1000 : Number(values.limit);
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new UsageError('--limit must be a positive whole number');
    const draft = loadPolicy(dir);
    const config = readConfig();
    const redis = createRedis(config.redisUrl, {
      sentinels: config.redisSentinels,
      cluster: config.redisClusterNodes,
    });
    try {
      const store = createTransferStore(redis, createKeys(config.redisPrefix));
      const decisions: RecordedDecision[] = [];
      let cursor: string | undefined;
      while (decisions.length < limit) {
        const page = await store.list({
          limit: Math.min(100, limit - decisions.length),
          ...(cursor === undefined ? {} : { cursor }),
        });
        decisions.push(...page.items.map(decisionOf));
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
      }
      const report = replayDecisions(decisions, draft);
      io.result({ policyVersion: draft.policyVersion, ...report }, () =>
        [
          `Draft policy ${draft.policyVersion}: ${report.replayed} transfers replayed, ${report.unchanged} unchanged, ${report.changes.length} would change.`,
          ...report.changes.map((c) => `  ${c.id}  ${c.from.tier} → ${c.to.tier}  (${c.why})`),
        ].join('\n'),
      );
      return report.changes.length === 0 ? exitCodes.ok : exitCodes.negative;
    } finally {
      redis.disconnect();
    }
  },
};
