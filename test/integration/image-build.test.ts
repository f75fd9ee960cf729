// The Dockerfile's steps, performed without Docker on a copy of the repository: the build context as .dockerignore
// leaves it, the build stage's COPY and RUN lines as written (npm ci, build, prune), the runtime stage's COPY
// --from=build lines, then the image's entrypoint from the pruned tree: `xborder --help`, a policy decision, and
// the gateway role answering /readyz and serving the console. Read from the Dockerfile, so the two cannot drift.
import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, startRedisServer, type TestRedis } from '../support/redis-server.js';
import { waitForPort, type RunningProcess } from '../support/processes.js';

const run = promisify(execFile);

interface Instruction {
  readonly op: string;
  readonly args: string;
}
interface Stage {
  readonly name: string;
  readonly instructions: Instruction[];
}

/** Dockerfile instructions per stage, continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Stage[] {
  const joined = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const line of joined.split('\n')) {
    const match = /^([A-Z]+)\s+(.*)$/.exec(line.trim());
    if (match === null) continue;
    const [, op = '', args = ''] = match;
    if (op === 'FROM') stages.push({ name: /\sAS\s+(\S+)$/i.exec(args)?.[1] ?? '', instructions: [] });
    else stages.at(-1)?.instructions.push({ op, args: args.trim() });
  }
  return stages;
}

/** A COPY source: a path, or a path whose last part is a `*` glob (Node 20 has no fs.globSync). */
function expandSource(file: string): string[] {
  const base = path.basename(file);
  if (!base.includes('*')) return existsSync(file) ? [file] : [];
  const pattern = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  const dir = path.dirname(file);
  return readdirSync(dir)
    .filter((name) => pattern.test(name))
    .map((name) => path.join(dir, name));
}

/** Starts `main` (the image tree's dist/cli/main.js) as a long-running role, as `docker run IMAGE gateway` would. */
function startFrom(main: string, args: string[], env: Record<string, string>, cwd: string): RunningProcess {
  const child = spawn(process.execPath, [main, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20000)));
  child.stderr.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20000)));
  return {
    name: args.join(' '),
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** .dockerignore as used here: top-level names and globs only (asserted), so matching is exact. */
function ignoredBy(patterns: readonly string[]): (name: string) => boolean {
  const regexes = patterns.map(
    (p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`),
  );
  return (name) => regexes.some((r) => r.test(name));
}

describe('Dockerfile steps on a copy of the repository (no Docker engine)', function () {
  this.timeout(180_000);
  const stages = parseDockerfile(readFileSync('Dockerfile', 'utf8'));
  const [buildStage, runtimeStage] = stages;
  let root: string;
  let context: string;
  let buildDir: string;
  let runtimeDir: string;
  let runtimeEnv: Record<string, string>;
  const image: { workdir: string; entrypoint: string[]; cmd: string[] } = {
    workdir: '',
    entrypoint: [],
    cmd: [],
  };
  let redis: TestRedis | undefined;
  let gateway: RunningProcess | undefined;

  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'xborder-image-'));
    context = path.join(root, 'context');
    buildDir = path.join(root, 'build');
    runtimeDir = path.join(root, 'runtime');
    const patterns = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(patterns.filter((p) => p.includes('/') || p.startsWith('!'))).to.deep.equal([]);
    const ignored = ignoredBy(patterns);
    mkdirSync(context);
    for (const entry of readdirSync('.'))
      if (!ignored(entry)) cpSync(entry, path.join(context, entry), { recursive: true });
  });

  after(async () => {
    await gateway?.stop('SIGKILL');
    await redis?.stop();
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  it('has a build stage and a runtime stage', () => {
    expect(stages.map((s) => s.name)).to.deep.equal(['build', 'runtime']);
  });

  it('build stage: its COPY and RUN lines (npm ci, npm run build, npm prune --omit=dev) succeed', async () => {
    mkdirSync(buildDir);
    for (const { op, args } of buildStage?.instructions ?? []) {
      if (op === 'WORKDIR') continue;
      if (op === 'COPY') {
        const parts = args.split(/\s+/);
        const dest = path.join(buildDir, parts.at(-1) ?? '.');
        for (const source of parts.slice(0, -1))
          cpSync(path.join(context, source), source === '.' ? dest : path.join(dest, source), {
            recursive: true,
          });
      } else if (op === 'RUN') {
        await run('sh', ['-c', args], { cwd: buildDir, maxBuffer: 64 << 20 });
      } else throw new Error(`the emulation does not know ${op} in the build stage`);
    }
    expect(existsSync(path.join(buildDir, 'dist', 'cli', 'main.js'))).to.equal(true);
    expect(existsSync(path.join(buildDir, 'node_modules', 'typescript')), 'dev dependencies pruned').to.equal(
      false,
    );
    expect(existsSync(path.join(buildDir, 'node_modules', 'bullmq'))).to.equal(true);
    expect(existsSync(path.join(buildDir, 'dist', 'test')), 'no tests in the image').to.equal(false);
  });

  it('runtime stage: copies only what it names from the build stage', () => {
    mkdirSync(runtimeDir);
    runtimeEnv = {};
    for (const { op, args } of runtimeStage?.instructions ?? []) {
      if (op === 'WORKDIR') image.workdir = args;
      else if (op === 'ENV') {
        for (const [, key = '', value = ''] of args.matchAll(/(\w+)=(\S+)/g)) runtimeEnv[key] = value;
      } else if (op === 'COPY') {
        const match = /^--from=build\s+(\S+)\s+(\S+)$/.exec(args);
        expect(match, `runtime COPY must copy from the build stage: ${args}`).to.not.equal(null);
        const [, from = '', to = ''] = match ?? [];
        const sources = expandSource(path.join(buildDir, path.relative('/app', from)));
        expect(sources, from).to.not.deep.equal([]);
        const dest = path.join(runtimeDir, to);
        for (const source of sources)
          cpSync(source, to.endsWith('/') ? path.join(dest, path.basename(source)) : dest, {
            recursive: true,
          });
      } else if (op === 'ENTRYPOINT') image.entrypoint = JSON.parse(args) as string[];
      else if (op === 'CMD') image.cmd = JSON.parse(args) as string[];
    }
    expect(image.workdir).to.equal('/app');
    expect(image.entrypoint).to.deep.equal(['xborder']);
    expect(readdirSync(path.join(runtimeDir, 'policies')).every((f) => f.endsWith('.yaml'))).to.equal(true);
  });

  /** Runs the image's `xborder` (dist/cli/main.js, which the Dockerfile links there) as `docker run` would. */
  const xborder = (args: string[], extra: Record<string, string> = {}) =>
    run(process.execPath, [path.join(runtimeDir, 'dist', 'cli', 'main.js'), ...args], {
      cwd: runtimeDir,
      env: {
        PATH: process.env['PATH'] ?? '',
        ...runtimeEnv,
        XBORDER_POLICY_DIR: path.join(runtimeDir, 'policies'),
        XBORDER_DATA_DIR: path.join(root, 'data'),
        ...extra,
      },
    });

  it('the default command (`xborder --help`) runs from the pruned tree', async () => {
    const { stdout } = await xborder(image.cmd);
    expect(stdout).to.include('Usage: xborder <command>');
    expect(stdout).to.include('gateway');
  });

  it('`xborder policy explain` decides with the image’s policy files', async () => {
    const { stdout } = await xborder([
      'policy',
      'explain',
      path.join(runtimeDir, 'examples', 'core-data.manifest.json'),
    ]);
    expect(stdout).to.include('Decision: prohibited');
  });

  it('the gateway role starts from the pruned tree, is ready, and serves the console', async () => {
    await xborder(['certs', 'init']);
    redis = await startRedisServer();
    const port = await freePort();
    const env = {
      PATH: process.env['PATH'] ?? '',
      ...runtimeEnv,
      XBORDER_BIND_HOST: '127.0.0.1',
      XBORDER_POLICY_DIR: path.join(runtimeDir, 'policies'),
      XBORDER_DATA_DIR: path.join(root, 'data'),
      XBORDER_REDIS_URL: redis.url,
      XBORDER_HTTP_PORT: String(port),
    };
    gateway = startFrom(path.join(runtimeDir, 'dist', 'cli', 'main.js'), ['gateway'], env, runtimeDir);
    await waitForPort(port, gateway);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status, gateway.output()).to.equal(200);
    const page = await fetch(`http://127.0.0.1:${port}/console/`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.include('<html');
  });
});
