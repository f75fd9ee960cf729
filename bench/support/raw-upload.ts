// bench/support/raw-upload: the baseline a delivery is measured against — a raw Node HTTPS upload of the same
// file to a receiver that only stores it (bench/baseline), with the cluster's own certificates (the workers'
// client certificate, the receiver's server one). Measures; asserts nothing.
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { devPkiPaths } from '../../certs/dev-pki.js';
import { partner, type Cluster } from '../../test/chaos/support/cluster.js';
import { waitForPort } from '../../test/support/processes.js';
import { freePort } from '../../test/support/redis-server.js';
import { runBenchProcess, startBenchProcess } from './node-process.js';

/** Seconds the raw upload of `file` took; the receiver stores under a new directory in `dir`. */
export async function rawUpload(cluster: Cluster, file: string, dir: string): Promise<number> {
  const pki = devPkiPaths(path.join(cluster.dataDir, 'pki'), partner);
  const port = await freePort();
  const receiver = startBenchProcess('noop-receiver', 'baseline/noop-receiver.js', {
    port,
    cert: pki.receiverServer.cert,
    key: pki.receiverServer.key,
    clientCa: pki.root.cert,
    store: mkdtempSync(path.join(dir, 'raw-')),
  });
  try {
    await waitForPort(port, receiver);
    const out = await runBenchProcess('baseline/raw-upload.js', {
      url: `https://localhost:${port}/v1/deliveries/raw`,
      file,
      cert: pki.gatewayClient.cert,
      key: pki.gatewayClient.key,
      ca: pki.root.cert,
    });
    return (JSON.parse(out) as { seconds: number }).seconds;
  } finally {
    await receiver.stop();
  }
}
