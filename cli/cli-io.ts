// cli/cli-io: how every command talks to the person at the terminal — output as text or --json, errors on
// stderr, and the documented exit codes (docs/cli.md).
export const exitCodes = {
  ok: 0,
  /** The command ran and the answer is "no": a verification failed, a transfer was refused. */
  negative: 1,
  /** The command line is wrong. */
  usage: 2,
  /** A service the command needs (gateway, Redis) could not be reached, or a file could not be read. */
  unavailable: 3,
} as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export class UsageError extends Error {}

export interface Io {
  readonly json: boolean;
  out(text: string): void;
  err(text: string): void;
  /** Prints `value` as JSON with --json, else `text()`. */
  result(value: unknown, text: () => string): void;
}

export function createIo(json: boolean): Io {
  return {
    json,
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    result(value, text) {
      process.stdout.write(`${json ? JSON.stringify(value, null, 2) : text()}\n`);
    },
  };
}
