// platform/master-key on a real disk: processes starting together on a fresh data dir agree on one key.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const moduleUrl = new URL('../../../platform/master-key.ts', import.meta.url).href;
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** One process that loads (or creates) the key and prints it, as the gateway and the workers do at start. */
function loadInChild(dataDir: string): Promise<{ code: number | null; out: string; err: string }> {
  const script = `import { loadMasterKey } from ${JSON.stringify(moduleUrl)};
process.stdout.write(loadMasterKey(undefined, ${JSON.stringify(dataDir)}).toString('base64'));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('platform/master-key (real disk, real processes)', function () {
  this.timeout(120_000);
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'xborder-master-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives eight processes starting together on a fresh data dir the same key, and none reads it half written', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => loadInChild(dir)));
    for (const r of results) expect(r.code, r.err).to.equal(0);
    const keys = new Set(results.map((r) => r.out));
    expect(keys.size).to.equal(1);
    expect(Buffer.from([...keys][0] ?? '', 'base64')).to.have.length(32);
    // Only the published key is left: no staged copies.
    expect(await readdir(dir)).to.deep.equal(['master.key']);
  });
});
