// test/chaos/support/receiver-cert: a TLS server certificate for the reference receiver at an IP address, issued
// by the development PKI's intermediate CA. `certs init` names only localhost, 127.0.0.1 and ::1; a partner
// reached over a network has a certificate for the address its endpoint URL names, and the gateway checks it.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildCertificate } from '../../../certs/certificate-builder.js';
import { devPkiPaths, RECEIVER_CN } from '../../../certs/dev-pki.js';
import { derToPem, pemToDer } from '../../../certs/pem.js';

/** Writes `server-<address>.crt` (leaf + intermediate) and `.key` under `<pki>/receiver`; answers their paths. */
export function issueReceiverCert(pkiDir: string, address: string): { cert: string; key: string } {
  const paths = devPkiPaths(pkiDir);
  const caDer = pemToDer(readFileSync(paths.intermediate.cert, 'utf8'));
  if (caDer === undefined) throw new Error(`no intermediate certificate in ${paths.intermediate.cert}`);
  const caKey = readFileSync(paths.intermediate.key, 'utf8');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = Date.now();
  const der = buildCertificate({
    subject: { cn: RECEIVER_CN, o: 'xborder test' },
    subjectKey: publicKey,
    issuer: { certificate: caDer, privateKey: createPrivateKey(caKey) },
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 86_400_000),
    keyUsage: ['digitalSignature'],
    extKeyUsage: ['serverAuth'],
    subjectAltNames: { ip: [address] },
  });
  const dir = path.dirname(paths.receiverServer.cert);
  const cert = path.join(dir, `server-${address}.crt`);
  const key = path.join(dir, `server-${address}.key`);
  writeFileSync(cert, derToPem(der) + derToPem(caDer));
  writeFileSync(key, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  return { cert, key };
}
