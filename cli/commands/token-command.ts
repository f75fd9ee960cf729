// cli/commands/token-command: `xborder token mint` — a bearer token signed by the development issuer key.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { mintToken, tokenRoles, type TokenRole } from '../../certs/token.js';
import { exitCodes, UsageError } from '../cli-io.js';
import { parseCommandArgs, required } from '../args.js';
import type { Command } from '../command.js';

export const tokenMintCommand: Command = {
  path: ['token', 'mint'],
  help: [
    'Usage: xborder token mint --role enterprise|reviewer|ops|admin [--exporter USCC] [--sub NAME] [--ttl SECONDS]',
    '',
    'Signs with <data dir>/pki/auth/issuer.key (run `xborder certs init` first). --exporter is required for',
    'the enterprise role. --ttl defaults to 8 hours. --json prints { token }.',
    'Exit 0, 2 on a bad option, 3 when the issuer key is missing.',
    '',
    'Example: export TOKEN=$(xborder token mint --role reviewer --sub alice)',
  ].join('\n'),
  async run(args, io, readConfig) {
    const { values } = parseCommandArgs(args, {
      role: { type: 'string' },
      exporter: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string' },
    });
    const role = required(values.role, 'role');
    if (!(tokenRoles as readonly string[]).includes(role))
      throw new UsageError(`--role must be one of ${tokenRoles.join(', ')}`);
    if (role === 'enterprise' && values.exporter === undefined)
      throw new UsageError('--exporter is required for the enterprise role');
    const ttl = values.ttl === undefined ? 8 * 3600 : Number(values.ttl);
    if (!Number.isSafeInteger(ttl) || ttl < 1)
      throw new UsageError('--ttl must be a positive number of seconds');
    const config = readConfig();
    const key = await readFile(path.join(config.dataDir, 'pki', 'auth', 'issuer.key'), 'utf8');
    const token = await mintToken(
      {
        role: role as TokenRole,
        sub: values.sub ?? `${role}-dev`,
        ttlSeconds: ttl,
        ...(values.exporter === undefined ? {} : { exporter: values.exporter }),
      },
      key,
      { issuer: config.authIssuer, audience: config.authAudience, now: new Date() },
    );
    io.result({ token }, () => token);
    return exitCodes.ok;
  },
};
