// bench/baseline/raw-upload: the delivery baseline's sender — one HTTPS POST of a file with Node's https module,
// the same mutual TLS as a delivery, streamed from disk. Prints {"seconds": …} when the answer has arrived.
// Run as a process: node raw-upload.js '<json>'.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import https from 'node:https';

interface Options {
  readonly url: string;
  readonly file: string;
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const started = process.hrtime.bigint();
const req = https.request(
  options.url,
  {
    method: 'POST',
    cert: readFileSync(options.cert),
    key: readFileSync(options.key),
    ca: readFileSync(options.ca),
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(statSync(options.file).size),
    },
  },
  (res) => {
    res.resume();
    res.on('end', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      process.stdout.write(`${JSON.stringify({ status: res.statusCode, seconds })}\n`);
    });
  },
);
req.on('error', (err) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
createReadStream(options.file, { highWaterMark: 1 << 20 }).pipe(req);
