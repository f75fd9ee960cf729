// cli/command: the shape of one `xborder` command — its name, its help text and what it runs.
import type { ExitCode, Io } from './cli-io.js';

export interface Command {
  /** Words that select it, e.g. ['certs', 'init']. */
  readonly path: readonly string[];
  readonly summary: string;
  /** Full --help text: usage line, options, examples, exit codes if special. */
  readonly help: string;
  run(args: readonly string[], io: Io): Promise<ExitCode>;
}
