#!/usr/bin/env node
// cli/main: the `xborder` program — finds the command named by the first words, loads its module and runs it.
// Each command lives in cli/commands/ with its own help text; only the chosen one is imported.
import { createIo, exitCodes, UsageError } from './cli-io.js';
import { loadConfig, type Config } from '../platform/config.js';
import type { CommandEntry, ConfigSource } from './command.js';
import { commands } from './commands/index.js';

function overview(): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  const lines = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return [
    'xborder — cross-border data gateway (China Guangxi Pilot FTZ → ASEAN)',
    '',
    'Usage: xborder <command> [options]      xborder <command> --help',
    '',
    'Commands:',
    ...lines,
    '',
    'Options for every command: --json (machine-readable output), --help.',
    'Exit codes: 0 ok, 1 negative answer (refused, failed verification), 2 usage error, 3 service or file unavailable.',
  ].join('\n');
}

function find(argv: readonly string[]): { command: CommandEntry; rest: string[] } | null {
  let best: { command: CommandEntry; rest: string[] } | null = null;
  for (const command of commands) {
    const matches = command.path.every((word, i) => argv[i] === word);
    if (matches && (best === null || command.path.length > best.command.path.length)) {
      best = { command, rest: argv.slice(command.path.length) };
    }
  }
  return best;
}

/** Loaded on first use, not up front: `--help` and commands that need no configuration run with any environment. */
function configOnce(): ConfigSource {
  let config: Config | undefined;
  return () => (config ??= loadConfig(process.env));
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const io = createIo(json);
  const found = find(argv);
  if (found === null) {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
      io.out(overview());
      return exitCodes.ok;
    }
    io.err(`Unknown command: ${argv.join(' ')}\n\n${overview()}`);
    return exitCodes.usage;
  }
  const command = await found.command.load();
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    io.out(command.help);
    return exitCodes.ok;
  }
  try {
    return await command.run(found.rest, io, configOnce());
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n\n${command.help}`);
      return exitCodes.usage;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`xborder: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = exitCodes.unavailable;
  },
);
