// Audit bundles end to end (api.md §10, issue #18 item 5): a real gateway writes its ledger, the archiver copies it
// into a real PostgreSQL, GET /v1/audit-bundles answers one exporter's bundle, and `xborder audit verify` (the real
// CLI, in its own process) accepts it with the gateway certificate alone and refuses an edited copy.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createArchiver } from '../../../../registry/archive/archiver.js';
import { openLedgerSource } from '../../../../registry/archive/ledger-source.js';
import { migrateArchive } from '../../../../registry/archive/migrate-archive.js';
import { devPkiPaths } from '../../../../certs/dev-pki.js';
import type { AuditBundle } from '../../../../ledger/audit-bundle.js';
import { parseCheckpoint } from '../../../../ledger/checkpoint.js';
import { openDatabase, type Database } from '../../../../platform/database.js';
import { startPostgresServer, type TestPostgres } from '../../../support/postgres-server.js';
import { routeManifest, startHarness, type Harness } from '../../gateway/gateway-harness.js';

const run = promisify(execFile);
const exporter = '91450100MA5KDEM11G';
const otherExporter = '91451400MA5PDEM13W';

const sizeOf = (note: string): number => {
  const parsed = parseCheckpoint(note);
  if (!parsed.ok) throw new Error('checkpoint does not parse');
  return parsed.checkpoint.size;
};

describe('audit bundles (gateway + ledger + archive in real PostgreSQL + the xborder CLI)', function () {
  this.timeout(300_000);
  let server: TestPostgres;
  let db: Database;
  let h: Harness;
  let work: string;
  const ids: string[] = [];

  async function submit(exporterId: string): Promise<string> {
    const form = new FormData();
    form.append('manifest', JSON.stringify(routeManifest(exporterId)));
    form.append('payload', new Blob([Buffer.from('sku,qty\nA,1\n')]), 'payload');
    const response = await fetch(`${h.url}/v1/transfers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await h.token('enterprise', 'ent', exporterId)}` },
      body: form,
    });
    expect(response.status).to.equal(202);
    return ((await response.json()) as { id: string }).id;
  }

  async function archive(): Promise<void> {
    const source = await openLedgerSource(h.dataDir);
    try {
      await createArchiver({ db, source }).catchUp();
    } finally {
      await source.close();
    }
  }

  async function bundleOf(exporterId: string): Promise<string> {
    const response = await fetch(`${h.url}/v1/audit-bundles?exporterId=${exporterId}&from=2020-01-01`, {
      headers: { Authorization: `Bearer ${await h.token('reviewer')}` },
    });
    const text = await response.text();
    expect(response.status, text).to.equal(200);
    expect(response.headers.get('content-disposition')).to.match(/^attachment; filename="?audit-bundle-/);
    return text;
  }

  /** Runs the real CLI; resolves with its exit code and output. */
  async function verify(file: string, args: string[] = []): Promise<{ code: number; out: string }> {
    try {
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', path.resolve('cli/main.ts'), 'audit', 'verify', file, ...args],
        { env: { ...process.env, XBORDER_DATA_DIR: h.dataDir } },
      );
      return { code: 0, out: stdout };
    } catch (err) {
      const failed = err as { code?: number; stdout?: string };
      return { code: failed.code ?? -1, out: failed.stdout ?? '' };
    }
  }

  before(async () => {
    server = await startPostgresServer();
    const url = await server.createDatabase('audit');
    db = openDatabase({ url });
    await migrateArchive(db);
    work = mkdtempSync(path.join(os.tmpdir(), 'xborder-audit-'));
    h = await startHarness({ XBORDER_DATABASE_URL: url });
    await h.registerRoute(exporter, otherExporter);
    for (let i = 0; i < 3; i += 1) ids.push(await submit(exporter));
    await submit(otherExporter);
    await archive();
    // A bundle of the other exporter signs a checkpoint over everything so far; later entries make the latest
    // checkpoint larger, so the exporter's bundle carries a real consistency proof.
    await bundleOf(otherExporter);
    await submit(otherExporter);
    await archive();
    await fetch(`${h.url}/v1/audit-bundles?exporterId=${otherExporter}`, {
      headers: { Authorization: `Bearer ${await h.token('reviewer')}` },
    });
  });
  after(async () => {
    await h?.stop();
    await db?.close();
    await server?.stop();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it("holds the exporter's archived transfers, their entries and a consistency proof to the latest checkpoint", async () => {
    const text = await bundleOf(exporter);
    const bundle = JSON.parse(text) as AuditBundle;
    expect(bundle.records.map((r) => r.transferId).sort()).to.deep.equal([...ids].sort());
    expect(bundle.records.every((r) => r.record['exporterId'] === exporter)).to.equal(true);
    expect(bundle.entries.length).to.be.at.least(3);
    expect(sizeOf(bundle.checkpoint)).to.be.below(sizeOf(bundle.latest.checkpoint));
    expect(bundle.latest.consistency.length).to.be.above(0);
  });

  it('xborder audit verify accepts it with the gateway certificate alone (--cert, or XBORDER_SIGNING_CERT)', async () => {
    const file = path.join(work, 'bundle.json');
    writeFileSync(file, await bundleOf(exporter));
    const cert = devPkiPaths(path.join(h.dataDir, 'pki')).gatewaySigning.cert;
    const explicit = await verify(file, ['--cert', cert]);
    expect(explicit.code, explicit.out).to.equal(0);
    expect(explicit.out).to.match(/^VALID: 3 records/);
    const byDefault = await verify(file);
    expect(byDefault.code, byDefault.out).to.equal(0);
  });

  it('xborder audit verify refuses an edited record and an edited byte of a proof', async () => {
    const text = await bundleOf(exporter);
    const bundle = JSON.parse(text) as AuditBundle;
    const edited = path.join(work, 'edited.json');
    writeFileSync(
      edited,
      text.replace(`"status":${JSON.stringify(bundle.records[0]?.record['status'])}`, '"status":"tampered"'),
    );
    const record = await verify(edited);
    expect(record.code).to.equal(1);
    expect(record.out).to.include('RECORD_DIGEST_MISMATCH').and.include('SEAL_INVALID');

    const proofHash = bundle.entries.find((e) => e.proof.length > 0)?.proof[0] ?? '';
    const flipped = `${proofHash.charAt(0) === 'A' ? 'B' : 'A'}${proofHash.slice(1)}`;
    writeFileSync(edited, text.replace(proofHash, flipped));
    const proof = await verify(edited);
    expect(proof.code).to.equal(1);
    expect(proof.out).to.include('NOT_INCLUDED');
  });
});
