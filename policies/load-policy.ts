// policies/load-policy: the only I/O of the policies room — reads every *.yaml file of the policy directory
// (XBORDER_POLICY_DIR) and hands them to parsePolicy. Throws PolicyError at boot when anything is wrong.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePolicy, type PolicyOptions } from './parse-policy.js';
import { PolicyError } from './policy-error.js';
import type { PolicyFileText } from './policy-version.js';
import type { Policy } from './policy.js';

/** Reads the policy files of `dir` (its *.yaml / *.yml files; other files such as a README are ignored). */
export function readPolicyFiles(dir: string): PolicyFileText[] {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new PolicyError(
      [{ file: '(policy)', path: '', message: `cannot read the policy directory: ${reason}` }],
      `policy directory ${dir}`,
    );
  }
  return names.map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));
}

/** Loads and validates the policy directory. Synchronous: it runs once at boot, before anything is served. */
export function loadPolicy(dir: string, options: PolicyOptions = {}): Policy {
  const files = readPolicyFiles(dir);
  try {
    return parsePolicy(files, options);
  } catch (err) {
    if (err instanceof PolicyError) throw new PolicyError(err.issues, `policy files in ${dir}`);
    throw err;
  }
}
