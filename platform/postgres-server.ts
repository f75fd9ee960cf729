// platform/postgres-server: runs Debian's (or PATH's) PostgreSQL server binaries — initdb into a directory, a
// postgres child on a loopback port with its unix socket inside that directory. Shared by `xborder start` (a local
// archive database under the data dir) and the tests (a private server in a temp dir). Must not talk SQL.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class PostgresUnavailableError extends Error {}

/** The directory holding initdb and postgres: PATH first, then Debian's versioned directories, newest first. */
export function findPostgresBinDir(): string | undefined {
  const fromPath = (process.env['PATH'] ?? '')
    .split(path.delimiter)
    .filter(
      (dir) => dir !== '' && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres')),
    );
  // Debian links only some programs onto PATH: the real directory holds pg_isready too.
  if (fromPath[0] !== undefined) return path.dirname(realpathSync(path.join(fromPath[0], 'initdb')));
  const debian = '/usr/lib/postgresql';
  if (!existsSync(debian)) return undefined;
  const versions = readdirSync(debian)
    .filter((v) => /^\d+$/.test(v) && existsSync(path.join(debian, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(debian, versions[0], 'bin');
}

export interface ServerUser {
  readonly uid: number;
  readonly gid: number;
}

/**
 * PostgreSQL refuses to run as root (it would own the data files with every privilege). As root, the server runs
 * as `nobody` (65534 on Debian) and its directory is handed to that user; as anyone else, as that user.
 */
export function serverUser(): ServerUser | undefined {
  if (process.getuid === undefined || process.getuid() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('nobody:'));
  const fields = line?.split(':') ?? [];
  const uid = Number(fields[2]);
  const gid = Number(fields[3]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid))
    throw new PostgresUnavailableError('running as root and no user "nobody" to run PostgreSQL as');
  return { uid, gid };
}

/**
 * libfaketime (`npm run test:dates`) must not reach the server: PostgreSQL would stamp WAL and stats with the
 * moved clock; the archive's dates come from the ledger events, not from the server's clock.
 */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };
  delete env['LD_PRELOAD'];
  delete env['FAKETIME'];
  return env;
}

function ownDir(dir: string, user: ServerUser | undefined): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user !== undefined) chownSync(dir, user.uid, user.gid);
}

/** Creates a cluster in `dir/data` unless one is there: superuser `postgres`, trust on the socket and loopback. */
export async function initPostgresCluster(binDir: string, dir: string): Promise<void> {
  const data = path.join(dir, 'data');
  if (existsSync(path.join(data, 'PG_VERSION'))) return;
  const user = serverUser();
  ownDir(dir, user);
  ownDir(data, user);
  await run(
    path.join(binDir, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-instructions', '--no-sync'],
    { env: serverEnv(), ...(user ?? {}) },
  ).catch((err: unknown) => {
    throw new PostgresUnavailableError(
      `initdb failed in ${data}: ${err instanceof Error ? err.message : String(err)}`,
    );
  });
  // Only loopback and the socket directory: the server is this machine's alone.
  writeFileSync(
    path.join(data, 'pg_hba.conf'),
    'local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n',
  );
  if (user !== undefined) chownSync(path.join(data, 'pg_hba.conf'), user.uid, user.gid);
}

export interface PostgresLaunch {
  readonly port: number;
  /** fsync off: for tests only, where a crash of the machine loses nothing that matters. */
  readonly durable: boolean;
  /** Its own process group, so Ctrl-C at a terminal reaches xborder, which then stops the server in order. */
  readonly detached?: boolean;
}

/** Starts postgres on `dir/data`; resolves once it accepts connections on 127.0.0.1:port. */
export async function launchPostgres(
  binDir: string,
  dir: string,
  launch: PostgresLaunch,
): Promise<ChildProcess> {
  const user = serverUser();
  const socketDir = path.join(dir, 'socket');
  ownDir(socketDir, user);
  const args = [
    '-D',
    path.join(dir, 'data'),
    '-p',
    String(launch.port),
    '-h',
    '127.0.0.1',
    '-k',
    socketDir,
    '-c',
    'max_connections=50',
    '-c',
    'shared_buffers=32MB',
  ];
  if (!launch.durable)
    args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  let stderr = '';
  const child = spawn(path.join(binDir, 'postgres'), args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: serverEnv(),
    detached: launch.detached === true,
    ...(user ?? {}),
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!spawned) throw new PostgresUnavailableError(`could not run ${path.join(binDir, 'postgres')}`);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await isReady(binDir, launch.port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new PostgresUnavailableError(
    `postgres on port ${launch.port} did not start: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
  );
}

async function isReady(binDir: string, port: number): Promise<boolean> {
  try {
    await run(path.join(binDir, 'pg_isready'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      'postgres',
      '-t',
      '1',
    ]);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once the child has exited; SIGTERM is PostgreSQL's "smart" shutdown, SIGINT its "fast" one. */
export function stopPostgres(child: ChildProcess, signal: NodeJS.Signals = 'SIGINT'): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}
