// The connect-time address check (api.md §2 XBORDER_ENDPOINT_ALLOWED_NETS, issue 12 item 6): postDelivery to a
// real mTLS endpoint on loopback, with a DNS resolver the test controls — so "DNS changed since registration"
// is a line of test code, not /etc/hosts. The endpoint counts TLS connections: a refused address must never
// get one. Also: failures come back as closed outcome codes, never socket error text.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createDevPki, type DevPki } from '../../../certs/dev-pki.js';
import { parseCidrList, type Cidr } from '../../../platform/outbound-address.js';
import {
  checkOutboundUrl,
  createGuardedLookup,
  type ResolvedAddress,
} from '../../../platform/outbound-guard.js';
import { DeliveryNetworkError, postDelivery, type DeliveryResponse } from '../../../workers/deliver-http.js';
import { freePort } from '../../support/redis-server.js';

const nets = (text: string): readonly Cidr[] => {
  const parsed = parseCidrList(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.nets;
};

describe('workers/deliver-http: the outbound guard at connect time (real mTLS endpoint, controlled DNS)', function () {
  this.timeout(30_000);
  let dir: string;
  let pki: DevPki;
  let server: https.Server;
  let port: number;
  let connections = 0;
  /** What "DNS" answers for localhost right now; a test changes it between attempts. */
  let answer: ResolvedAddress[] = [];
  const resolve = (hostname: string) =>
    hostname === 'localhost' ? Promise.resolve(answer) : Promise.reject(new Error(`unexpected ${hostname}`));

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'xborder-guard-'));
    pki = await createDevPki(path.join(dir, 'pki'));
    const read = (file: string) => readFileSync(file);
    server = https.createServer(
      {
        cert: read(pki.paths.receiverServer.cert),
        key: read(pki.paths.receiverServer.key),
        ca: read(pki.paths.root.cert),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        req.resume();
        req.on('end', () =>
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"receipt":"x"}'),
        );
      },
    );
    server.on('secureConnection', () => (connections += 1));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });

  after(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function deliver(url: string, allowedNets: readonly Cidr[]): Promise<DeliveryResponse> {
    const read = (file: string) => readFileSync(file, 'utf8');
    const body = Buffer.from('sku,qty\nGX-1,1\n');
    return postDelivery({
      endpointUrl: url,
      transferId: '01JXR5W3Y2B7Q8N4K6M9P0T1VA',
      releaseJws: 'a.b.c',
      body: Readable.from([body]),
      bytes: body.length,
      tls: {
        cert: read(pki.paths.gatewayClient.cert),
        key: read(pki.paths.gatewayClient.key),
        ca: read(pki.paths.root.cert),
      },
      timeoutMs: 5_000,
      allowedNets,
      resolve,
    });
  }

  async function outcomeOf(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
      return 'answered';
    } catch (err) {
      expect(err).to.be.instanceOf(DeliveryNetworkError);
      // The record-facing text names the code only: no address, port or errno text.
      expect((err as Error).message).to.not.match(/127\.0\.0\.1|169\.254|10\.0\.0|ECONN|:\d{2,5}/);
      return (err as DeliveryNetworkError).outcome;
    }
  }

  it('connects when the name resolves to an allowed address, and refuses once DNS moves it to metadata or a private address', async () => {
    const allowed = nets('127.0.0.0/8');
    answer = [{ address: '127.0.0.1', family: 4 }];
    expect((await deliver(`https://localhost:${port}`, allowed)).status).to.equal(200);
    const before = connections;

    answer = [{ address: '169.254.169.254', family: 4 }];
    expect(await outcomeOf(deliver(`https://localhost:${port}`, allowed))).to.equal('address_not_allowed');
    answer = [{ address: '10.0.0.7', family: 4 }];
    expect(await outcomeOf(deliver(`https://localhost:${port}`, allowed))).to.equal('address_not_allowed');
    expect(connections, 'a refused address got a connection').to.equal(before);
  });

  it('refuses loopback when XBORDER_ENDPOINT_ALLOWED_NETS does not list it (the allowance is what opens it)', async () => {
    answer = [{ address: '127.0.0.1', family: 4 }];
    const before = connections;
    expect(await outcomeOf(deliver(`https://localhost:${port}`, []))).to.equal('address_not_allowed');
    expect(connections).to.equal(before);
  });

  it('drops the refused addresses of a mixed answer and connects only to the allowed one', async () => {
    answer = [
      { address: '169.254.169.254', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    expect((await deliver(`https://localhost:${port}`, nets('127.0.0.0/8'))).status).to.equal(200);
  });

  it('checks an IP-literal URL itself (net.connect skips lookup for those)', async () => {
    const before = connections;
    expect(await outcomeOf(deliver(`https://127.0.0.1:${port}`, []))).to.equal('address_not_allowed');
    expect(await outcomeOf(deliver(`https://[::ffff:127.0.0.1]:${port}`, nets('10.0.0.0/8')))).to.equal(
      'address_not_allowed',
    );
    expect(connections).to.equal(before);
    expect((await deliver(`https://127.0.0.1:${port}`, nets('127.0.0.0/8'))).status).to.equal(200);
  });

  it('reports a closed port as connect_refused and a certificate it cannot verify as tls_error', async () => {
    const closed = await freePort();
    answer = [{ address: '127.0.0.1', family: 4 }];
    expect(await outcomeOf(deliver(`https://localhost:${closed}`, nets('127.0.0.0/8')))).to.equal(
      'connect_refused',
    );
    const other = await createDevPki(path.join(dir, 'other-pki'));
    const read = (file: string) => readFileSync(file, 'utf8');
    const body = Buffer.from('x');
    const outcome = await outcomeOf(
      postDelivery({
        endpointUrl: `https://localhost:${port}`,
        transferId: '01JXR5W3Y2B7Q8N4K6M9P0T1VA',
        releaseJws: 'a.b.c',
        body: Readable.from([body]),
        bytes: 1,
        // Another development CA: the endpoint's certificate does not verify against it.
        tls: {
          cert: read(pki.paths.gatewayClient.cert),
          key: read(pki.paths.gatewayClient.key),
          ca: read(other.paths.root.cert),
        },
        timeoutMs: 5_000,
        allowedNets: nets('127.0.0.0/8'),
        resolve,
      }),
    );
    expect(outcome).to.equal('tls_error');
  });

  describe('checkOutboundUrl (registration)', () => {
    it('refuses a name when any address it resolves to is refused, and a name that does not resolve', async () => {
      answer = [
        { address: '8.8.8.8', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ];
      const mixed = await checkOutboundUrl('https://localhost/x', [], resolve);
      expect(mixed.ok).to.equal(false);
      expect(mixed.ok ? '' : mixed.message).to.contain('10.0.0.7 (private)');
      answer = [];
      expect(await checkOutboundUrl('https://localhost/x', [], resolve)).to.deep.include({
        ok: false,
        reason: 'unresolvable',
      });
      expect(await checkOutboundUrl('https://nowhere.invalid/x', [], resolve)).to.deep.include({
        ok: false,
        reason: 'unresolvable',
      });
    });

    it('judges IP literals without DNS, IPv6 in brackets included', async () => {
      const verdicts = await Promise.all(
        ['https://127.0.0.1:8443', 'https://[::1]/', 'https://169.254.169.254/', 'https://8.8.8.8/'].map(
          (u) => checkOutboundUrl(u, [], () => Promise.reject(new Error('no DNS for literals'))),
        ),
      );
      expect(verdicts.map((v) => v.ok)).to.deep.equal([false, false, false, true]);
      expect((await checkOutboundUrl('https://[::1]/', nets('::1/128'))).ok).to.equal(true);
      // WHATWG URL parsing normalizes other spellings of an IPv4 address (as the request will): still loopback.
      for (const spelling of ['https://2130706433/', 'https://0x7f.1/', 'https://[::ffff:7f00:1]/'])
        expect(
          await checkOutboundUrl(spelling, [], () => Promise.reject(new Error('no DNS'))),
          spelling,
        ).to.deep.include({
          ok: false,
          reason: 'not_allowed',
        });
    });
  });

  it('the guarded lookup answers in both of the shapes net.connect asks for', async () => {
    answer = [
      { address: '10.0.0.7', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    const lookup = createGuardedLookup(nets('127.0.0.0/8'), resolve);
    const all = await new Promise((done) =>
      lookup('localhost', { all: true }, (err, addresses) => done(err ?? addresses)),
    );
    expect(all).to.deep.equal([{ address: '127.0.0.1', family: 4 }]);
    const one = await new Promise((done) =>
      lookup('localhost', {}, (err, address, family) => done(err ?? [address, family])),
    );
    expect(one).to.deep.equal(['127.0.0.1', 4]);
  });
});
