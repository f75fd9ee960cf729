// bench/baseline/noop-receiver: the receiver baseline — an HTTPS server with the same mutual TLS as the
// reference receiver that reads the body and answers 200 with a small JSON body. With `store`, bodies are
// streamed into files there and fsynced before the answer (a raw upload's destination, as durable as the
// reference receiver's); otherwise they are discarded. No release check, no hashing, no receipt.
// Run as a process: node noop-receiver.js '<json>'.
import { createWriteStream, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

interface Options {
  readonly port: number;
  readonly cert: string;
  readonly key: string;
  readonly clientCa: string;
  readonly store?: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
let counter = 0;

const server = https.createServer(
  {
    cert: readFileSync(options.cert),
    key: readFileSync(options.key),
    ca: readFileSync(options.clientCa),
    requestCert: true,
    rejectUnauthorized: true,
  },
  (req, res) => {
    const done = () => {
      const body = '{"receipt":"none"}';
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length }).end(body);
    };
    if (options.store === undefined) {
      req.resume();
      req.on('end', done);
      return;
    }
    const file = path.join(options.store, `upload-${process.pid}-${(counter += 1)}.bin`);
    pipeline(req, createWriteStream(file))
      .then(async () => {
        const handle = await open(file, 'r');
        await handle.sync();
        await handle.close();
      })
      .then(done, () => res.destroy());
  },
);
server.listen(options.port, '127.0.0.1', () => process.stderr.write(`noop receiver on ${options.port}\n`));
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
