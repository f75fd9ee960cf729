// cli/commands/policy-command: `xborder policy explain FILE` — classify a manifest offline and print the
// decision with every rule in order and the reasons with their citations.
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../../platform/config.js';
import { parseJsonText } from '../../platform/schema.js';
import { classify } from '../../policies/classify.js';
import { explain } from '../../policies/explain.js';
import { loadPolicy } from '../../policies/load-policy.js';
import { parseManifest } from '../../policies/manifest.js';
import { ftzAreas, type FtzArea } from '../../policies/classification.js';
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
  summary: 'classify a manifest file offline and explain the decision',
  help: [
    'Usage: xborder policy explain FILE [--ciio] [--ftz-area nanning|qinzhou|chongzuo] [--restricted]',
    '                                   [--individuals-ytd N] [--sensitive-ytd N] [--policy DIR]',
    '',
    "FILE is a manifest (api.md §6). The exporter's facts come from the options (default: not a CIIO, not",
    'registered in an FTZ, nothing exported yet this year). Prints every rule in order, whether it matched,',
    'the condition that failed, and the reasons with their citations. Exit 0 unless the input is invalid.',
  ].join('\n'),
  async run(args, io) {
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
    const json = parseJsonText(await readFile(file, 'utf8'));
    const parsed = json.ok ? parseManifest(json.value) : json;
    if (!parsed.ok) {
      io.result(
        { error: { code: 'BAD_MANIFEST', details: parsed.issues } },
        () => `Invalid manifest:\n${parsed.issues.map((i) => `  ${i.path || '/'}: ${i.message}`).join('\n')}`,
      );
      return exitCodes.negative;
    }
    const policy = loadPolicy(values.policy ?? loadConfig(process.env).policyDir);
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
        now: new Date(),
      },
      policy,
    );
    io.result(classification, () => explain(classification, policy).join('\n'));
    return exitCodes.ok;
  },
};
