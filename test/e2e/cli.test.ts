// The built `xborder` program (dist/): every registered command answers --help with its usage and documented
// exit codes, docs/cli.md names every command, usage errors exit 2, and the offline commands print JSON with
// --json.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { commands } from '../../cli/commands/index.js';
import { encryptedZip, people } from '../support/hostile-payloads.js';
import { cliPath } from '../support/processes.js';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function xborder(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('e2e: the xborder CLI', function () {
  this.timeout(60_000);
  const docs = readFileSync('docs/cli.md', 'utf8');

  // Started together: each run loads the whole program, so one after another would take a while.
  const helps = new Map<string, Promise<Run>>();
  before(() => {
    for (const command of commands) helps.set(command.path.join(' '), xborder([...command.path, '--help']));
  });

  for (const command of commands) {
    const name = command.path.join(' ');
    it(`xborder ${name} --help: exit 0, its usage line and documented exit codes`, async () => {
      const { code, stdout } = (await helps.get(name)) as Run;
      expect(code).to.equal(0);
      expect(stdout).to.match(new RegExp(`^Usage: xborder ${name}\\b`));
      expect(stdout, 'exit codes in the help').to.match(/exit \d/i);
    });
  }

  it('docs/cli.md has a section for every registered command', () => {
    const headings = docs.split('\n').filter((line) => line.startsWith('### '));
    const missing = commands
      .map((c) => c.path.join(' '))
      .filter(
        (name) =>
          !headings.some((h) => h.includes(`\`xborder ${name}\``) || h.includes(`\`xborder ${name} `)),
      );
    expect(missing).to.deep.equal([]);
  });

  it('xborder --help lists every command and the exit codes', async () => {
    const { code, stdout } = await xborder(['--help']);
    expect(code).to.equal(0);
    for (const command of commands) expect(stdout).to.include(command.path.join(' '));
    expect(stdout).to.include('Exit codes: 0 ok');
  });

  it('exits 2 on an unknown command, an unknown option and a missing argument', async () => {
    expect((await xborder(['frobnicate'])).code).to.equal(2);
    const badOption = await xborder(['token', 'mint', '--role', 'admin', '--colour', 'red']);
    expect(badOption.code).to.equal(2);
    expect(badOption.stderr).to.include('Usage: xborder token mint');
    expect((await xborder(['status'])).code).to.equal(2);
  });

  describe('--json on the offline commands', () => {
    let dataDir: string;
    let env: Record<string, string>;
    before(() => {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-cli-'));
      env = { XBORDER_DATA_DIR: dataDir, XBORDER_POLICY_DIR: path.resolve('policies') };
    });
    after(() => rmSync(dataDir, { recursive: true, force: true }));

    it('certs init, token mint, certs verify, policy explain and inspect print JSON', async () => {
      const init = await xborder(['certs', 'init', '--json'], env);
      expect(init.code).to.equal(0);
      expect((JSON.parse(init.stdout) as { written: string[] }).written.length).to.be.greaterThan(5);

      const token = await xborder(['token', 'mint', '--role', 'reviewer', '--json'], env);
      expect(token.code).to.equal(0);
      expect((JSON.parse(token.stdout) as { token: string }).token.split('.')).to.have.length(3);

      const chain = path.join(dataDir, 'pki', 'partners', 'demo-partner-sg', 'signing-chain.pem');
      const verify = await xborder(['certs', 'verify', '--chain', chain, '--json'], env);
      expect(verify.code).to.equal(0);
      expect((JSON.parse(verify.stdout) as { ok: boolean }).ok).to.equal(true);

      const explain = await xborder(['policy', 'explain', 'examples/core-data.manifest.json', '--json'], env);
      expect(explain.code).to.equal(0);
      expect((JSON.parse(explain.stdout) as { tier: string }).tier).to.equal('prohibited');

      const inspect = await xborder(['inspect', 'examples/ecommerce-orders.csv', '--json'], env);
      expect(inspect.code).to.equal(0);
      expect(Object.keys((JSON.parse(inspect.stdout) as { findings: object }).findings)).to.include('email');
    });

    it('inspect reads through gzip and zip and reports containers and opaque parts (issue #12)', async () => {
      const gz = path.join(dataDir, 'orders.bin');
      writeFileSync(gz, gzipSync(readFileSync('examples/ecommerce-orders.csv')));
      const gzipped = await xborder(['inspect', gz, '--json'], env);
      expect(gzipped.code).to.equal(0);
      const report = JSON.parse(gzipped.stdout) as {
        findings: object;
        containers: { path: string; format: string }[];
        opaque: unknown[];
      };
      expect(Object.keys(report.findings)).to.include('email');
      expect(report.containers).to.deep.equal([{ path: 'payload', format: 'gzip' }]);
      expect(report.opaque).to.deep.equal([]);

      const sealed = path.join(dataDir, 'sealed.zip');
      writeFileSync(sealed, encryptedZip(people(3)));
      const opaque = await xborder(['inspect', sealed], env);
      expect(opaque.code).to.equal(0);
      expect((JSON.parse(opaque.stdout) as { opaque: unknown[] }).opaque).to.deep.equal([
        { path: 'payload!/customers.csv', reason: 'encrypted' },
      ]);
    });

    it('exits 3 when the gateway cannot be reached or a file is missing', async () => {
      const status = await xborder(['status', '01M80XZBMMNCKH8YANW2V3G1QP', '--url', 'http://127.0.0.1:1'], {
        ...env,
        XBORDER_TOKEN: 'not-needed-to-fail',
      });
      expect(status.code).to.equal(3);
      expect((await xborder(['inspect', path.join(dataDir, 'missing.csv')], env)).code).to.equal(3);
      expect((await xborder(['demo', '--url', 'http://127.0.0.1:1'], env)).code).to.equal(3);
    });
  });
});
