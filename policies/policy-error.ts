// policies/policy-error: what a bad policy directory stops the process with — every problem, each naming its file
// and the field as a JSON Pointer into that file. Thrown at load (boot), never while classifying.

export interface PolicyIssue {
  /** The policy file's name, e.g. "decision-table.yaml"; "(policy)" for problems of the set as a whole. */
  readonly file: string;
  /** JSON Pointer (RFC 6901) into the file's YAML document. */
  readonly path: string;
  readonly message: string;
}

export function formatPolicyIssue(issue: PolicyIssue): string {
  return `${issue.file}#${issue.path}: ${issue.message}`;
}

export class PolicyError extends Error {
  constructor(
    readonly issues: readonly PolicyIssue[],
    where = 'policy files',
  ) {
    super(
      `Invalid ${where} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues.map((i) => `  ${formatPolicyIssue(i)}`).join('\n')}`,
    );
    this.name = 'PolicyError';
  }
}
