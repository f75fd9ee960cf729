// cli/command: the shape of one `xborder` command — its name, its help text and what it runs — and of its entry in
// the command list, which loads the command's module only when it is chosen.
import type { Config } from '../platform/config.js';
import type { ExitCode, Io } from './cli-io.js';

/** The configuration, read from the environment at most once per process, when a command first asks for it. */
export type ConfigSource = () => Config;

export interface Command {
  /** Words that select it, e.g. ['certs', 'init']. */
  readonly path: readonly string[];
  /** Full --help text: usage line, options, examples, exit codes if special. */
  readonly help: string;
  run(args: readonly string[], io: Io, config: ConfigSource): Promise<ExitCode>;
}

export interface CommandEntry {
  readonly path: readonly string[];
  /** One line for `xborder --help`. */
  readonly summary: string;
  /** Imports the command's module (a dynamic import, so its dependencies load only for this command). */
  load(): Promise<Command>;
}
