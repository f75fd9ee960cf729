// The built `xborder` program (dist/): every registered command answers --help with its usage and documented
// exit codes, docs/cli.md names every command, usage errors exit 2, and the offline commands print JSON with
// --json.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createDevPki, devPkiPaths } from '../../certs/dev-pki.js';
import { commands } from '../../cli/commands/index.js';
import { createLedger } from '../../ledger/ledger.js';
import { ledgerKeyName, ledgerOrigin } from '../../ledger/open-event-log.js';
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

    it('minimise previews a plan: masked sample, k, tier before and after (issue #20)', async () => {
      const base = ['minimise', '--manifest', 'examples/minimise-orders.manifest.json'];
      const run = await xborder(
        [...base, '--plan', 'examples/minimise-plan.json', 'examples/minimise-orders.csv', '--json'],
        env,
      );
      expect(run.code, run.stderr).to.equal(0);
      const out = JSON.parse(run.stdout) as {
        sample: string;
        minimisation: { kAnonymity: { k: number } };
        before: { tier: string };
        after: { tier: string; reasons: { code: string }[] };
      };
      expect(out.sample.split('\n')[0]).to.equal('order_id,birth_date,sku,qty,amount');
      expect(out.minimisation.kAnonymity.k).to.equal(6);
      expect(out.before.tier).to.equal('standard_contract');
      expect(out.after.tier).to.equal('free_flow');
      expect(out.after.reasons.map((r) => r.code)).to.include('R-MIN-APPLIED');

      const plan = path.join(dataDir, 'missing-column-plan.json');
      writeFileSync(plan, JSON.stringify({ format: 'csv', columns: { id_card: { op: 'drop' } } }));
      const missing = await xborder([...base, '--plan', plan, 'examples/minimise-orders.csv', '--json'], env);
      expect(missing.code).to.equal(1);
      expect(JSON.parse(missing.stdout)).to.deep.equal({
        error: {
          code: 'BAD_MANIFEST',
          details: [
            { path: '/minimise/columns/id_card', message: "is not a column of the payload's header" },
          ],
        },
      });
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

  // Issue #12 item 5: a receipt is valid only as the named transfer's release. The ledger is the gateway's
  // own format, signed with a development PKI's gateway signing key; the CLI gets only the certificate.
  describe('ledger verify-receipt', function () {
    // A development PKI and several program starts: slow on a loaded machine.
    this.timeout(240_000);
    const A = '01JDZ3V7Q8M2K4N6P8R0S2T4V6';
    const B = '01JDZ3V7Q8M2K4N6P8R0S2T4V7';
    let dir: string;
    let cert: string;
    const file = (name: string, receipt: unknown): string => {
      const at = path.join(dir, `${name}.json`);
      writeFileSync(at, JSON.stringify(receipt));
      return at;
    };
    const receipts: Record<string, Record<string, unknown>> = {};

    before(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-cli-receipt-'));
      await createDevPki(path.join(dir, 'pki'));
      const signing = devPkiPaths(path.join(dir, 'pki')).gatewaySigning;
      cert = signing.chain;
      const at = new Date().toISOString();
      const ledger = await createLedger({
        dir: path.join(dir, 'ledger'),
        signer: { keyName: ledgerKeyName, privateKey: createPrivateKey(readFileSync(signing.key)) },
        origin: ledgerOrigin,
        checkpointEvery: { entries: 1000, seconds: 3600 },
        now: () => new Date(at),
      });
      const submitted = await ledger.append({ type: 'transfer.submitted', transferId: A, at });
      const releasedA = await ledger.append({ type: 'transfer.released', transferId: A, by: 'rules', at });
      const releasedB = await ledger.append({ type: 'transfer.released', transferId: B, by: 'rules', at });
      receipts['a'] = { ...(await ledger.receipt(releasedA.index)), transferId: A, partnerReceipt: null };
      receipts['b'] = { ...(await ledger.receipt(releasedB.index)), transferId: B, partnerReceipt: null };
      receipts['submitted'] = {
        ...(await ledger.receipt(submitted.index)),
        transferId: A,
        partnerReceipt: null,
      };
      await ledger.close();
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("exits 0 for a transfer's own release receipt and names the transfer", async () => {
      const run = await xborder(['ledger', 'verify-receipt', file('a', receipts['a']), '--cert', cert]);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.match(new RegExp(`^VALID: entry 1 \\(transfer\\.released of transfer ${A}\\)`));
      const json = await xborder([
        'ledger',
        'verify-receipt',
        file('a', receipts['a']),
        '--cert',
        cert,
        '--transfer',
        A,
        '--json',
      ]);
      expect(json.code).to.equal(0);
      expect(JSON.parse(json.stdout)).to.deep.include({ ok: true, transferId: A, index: 1, treeSize: 3 });
    });

    it("exits 1 with TRANSFER_MISMATCH for a receipt relabelled with another transfer's id", async () => {
      const relabelled = file('relabelled', { ...receipts['b'], transferId: A });
      const run = await xborder(['ledger', 'verify-receipt', relabelled, '--cert', cert]);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.match(/^INVALID\n {2}TRANSFER_MISMATCH: /);
      const json = await xborder(['ledger', 'verify-receipt', relabelled, '--cert', cert, '--json']);
      expect(json.code).to.equal(1);
      expect(
        (JSON.parse(json.stdout) as { reasons: { code: string }[] }).reasons.map((r) => r.code),
      ).to.deep.equal(['TRANSFER_MISMATCH']);
      // A genuine receipt of B, checked as A's.
      const asked = await xborder([
        'ledger',
        'verify-receipt',
        file('b', receipts['b']),
        '--cert',
        cert,
        '--transfer',
        A,
      ]);
      expect(asked.code).to.equal(1);
      expect(asked.stdout).to.include('TRANSFER_MISMATCH');
    });

    it('exits 1 with NOT_A_RELEASE for an entry that is not a release', async () => {
      const run = await xborder([
        'ledger',
        'verify-receipt',
        file('submitted', receipts['submitted']),
        '--cert',
        cert,
        '--json',
      ]);
      expect(run.code).to.equal(1);
      expect(
        (JSON.parse(run.stdout) as { reasons: { code: string }[] }).reasons.map((r) => r.code),
      ).to.deep.equal(['NOT_A_RELEASE']);
    });
  });
});
