// receiver/start-receiver: the reference offshore receiver's composition root — an HTTPS server that demands
// a client certificate from the gateway's CA (mutual TLS), with the delivery store and the receipt signer.
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Config } from '../platform/config.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { GATEWAY_CN } from '../certs/dev-pki.js';
import { listenUrl } from '../platform/listen-url.js';
import { loadSigner } from '../certs/load-signer.js';
import { createDeliveryStore } from './delivery-store.js';
import { createReceiverHandler } from './receiver-handler.js';

export interface RunningReceiver {
  readonly port: number;
  readonly url: string;
  readonly deliveriesDir: string;
  close(): Promise<void>;
}

export async function startReceiver(
  config: Config,
  deps: { clock: Clock; logger: Logger; port?: number },
): Promise<RunningReceiver> {
  const r = config.receiver;
  const [cert, key, clientCa, releaseTrust] = await Promise.all([
    readFile(r.tlsCert, 'utf8'),
    readFile(r.tlsKey, 'utf8'),
    readFile(r.clientCa, 'utf8'),
    readFile(r.releaseTrust, 'utf8'),
  ]);
  const signer = await loadSigner(r.signingKey, r.signingCert);
  const deliveriesDir = path.join(r.dataDir, 'deliveries');
  const handler = createReceiverHandler({
    store: createDeliveryStore(deliveriesDir),
    anchors: () => Promise.resolve([releaseTrust]),
    signer,
    clock: deps.clock,
    logger: deps.logger,
    maxBytes: config.maxPayloadBytes,
    gatewayCn: GATEWAY_CN,
  });
  // requestCert + rejectUnauthorized: only clients with a certificate from the gateway's CA get in (api.md §7).
  const server = https.createServer(
    { cert, key, ca: clientCa, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      void handler(req, res);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port ?? config.receiverPort, config.bindHost, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  deps.logger.info('receiver listening', { port });
  return {
    port,
    url: listenUrl('https', config.bindHost, port, 'localhost'),
    deliveriesDir,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
