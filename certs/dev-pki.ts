// certs/dev-pki: the development PKI under <data dir>/pki (api.md §1 `xborder certs init`, §2 defaults) — root
// and intermediate CA, gateway, receiver and demo-partner certificates, the trust dir and the token issuer.
// Idempotent: what exists and is still good is loaded, only what is missing or stale is (re)issued. Never for
// production: keys are written unencrypted (mode 0600).
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  type X509Certificate,
} from 'node:crypto';
import { access, chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildCertificate, type CertificateSpec, type NameSpec } from './certificate-builder.js';
import { parseCertificate } from './certificate.js';
import { Rules } from './claims-reader.js';
import { jwkThumbprint } from './jwk-thumbprint.js';
import { derToPem, pemToDer } from './pem.js';

const generate = promisify(generateKeyPair);

export const DEFAULT_PARTNER_ID = 'demo-partner-sg';
export const GATEWAY_CN = 'xborder-gateway';
export const RECEIVER_CN = 'xborder-receiver';

const ORG = 'xborder (development)';
const DAY_MS = 86400_000;
/** Backdate notBefore a little so a peer whose clock is slightly behind still accepts fresh certificates. */
const BACKDATE_MS = 5 * 60_000;
const ROOT_DAYS = 3650;
const INTERMEDIATE_DAYS = 1825;
const LEAF_DAYS = 730;

export interface KeyPairPaths {
  readonly cert: string;
  readonly key: string;
}
export interface SigningPaths extends KeyPairPaths {
  /** Leaf then intermediate: what a Signer loads, so the x5c reaches the root. */
  readonly chain: string;
}

export interface DevPkiPaths {
  readonly root: KeyPairPaths;
  readonly intermediate: KeyPairPaths;
  /** TLS client certificate for mTLS to endpoints; cert file = leaf + intermediate. */
  readonly gatewayClient: KeyPairPaths;
  /** Ed25519: release manifests and ledger checkpoints. */
  readonly gatewaySigning: SigningPaths;
  /** TLS server certificate of the reference receiver; cert file = leaf + intermediate. */
  readonly receiverServer: KeyPairPaths;
  readonly receiverSigning: SigningPaths;
  readonly partner: SigningPaths;
  /** The trust-anchor directory for partner certificates (XBORDER_TRUST_DIR default). */
  readonly trustDir: string;
  readonly trustRoot: string;
  readonly issuerKey: string;
  readonly jwks: string;
}

export interface DevPkiOptions {
  readonly partnerId?: string;
  /** Issue time; defaults to the wall clock (this is an I/O edge). */
  readonly now?: Date;
}

export interface DevPki {
  readonly dir: string;
  readonly partnerId: string;
  readonly paths: DevPkiPaths;
  /** Files written by this call; empty when everything was loaded. */
  readonly written: readonly string[];
}

const signingPaths = (dir: string): SigningPaths => ({
  cert: path.join(dir, 'signing.crt'),
  key: path.join(dir, 'signing.key'),
  chain: path.join(dir, 'signing-chain.pem'),
});

function checkPartnerId(partnerId: string): void {
  if (!Rules.id.pattern.test(partnerId) || partnerId.length > Rules.id.max) {
    throw new TypeError(
      `partner id "${partnerId}" must be 1-128 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit`,
    );
  }
}

/** The file layout of a development PKI rooted at `dir` (no I/O). */
export function devPkiPaths(dir: string, partnerId: string = DEFAULT_PARTNER_ID): DevPkiPaths {
  checkPartnerId(partnerId);
  const at = (...parts: string[]): string => path.join(dir, ...parts);
  return {
    root: { cert: at('ca', 'root.crt'), key: at('ca', 'root.key') },
    intermediate: { cert: at('ca', 'intermediate.crt'), key: at('ca', 'intermediate.key') },
    gatewayClient: { cert: at('gateway', 'client.crt'), key: at('gateway', 'client.key') },
    gatewaySigning: signingPaths(at('gateway')),
    receiverServer: { cert: at('receiver', 'server.crt'), key: at('receiver', 'server.key') },
    receiverSigning: signingPaths(at('receiver')),
    partner: signingPaths(at('partners', partnerId)),
    trustDir: at('trust'),
    trustRoot: at('trust', 'root.crt'),
    issuerKey: at('auth', 'issuer.key'),
    jwks: at('auth', 'jwks.json'),
  };
}

// ---- file helpers (the I/O edge) ----

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Write via a temporary file and rename, so a reader never sees half a key; keys get mode 0600. */
async function writeAtomic(file: string, content: string, mode: number, written: string[]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode });
  await chmod(tmp, mode); // the umask may have narrowed or the file pre-existed
  await rename(tmp, file);
  written.push(file);
}

const writeKey = (file: string, key: KeyObject, written: string[]): Promise<void> =>
  writeAtomic(file, key.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600, written);
const writePublic = (file: string, content: string, written: string[]): Promise<void> =>
  writeAtomic(file, content, 0o644, written);

interface Issued {
  readonly der: Buffer;
  readonly key: KeyObject;
}

/** Loads a certificate (first PEM block) and its key; undefined if both are absent; throws if half is. */
async function readIssued(paths: KeyPairPaths): Promise<Issued | undefined> {
  const [hasCert, hasKey] = await Promise.all([exists(paths.cert), exists(paths.key)]);
  if (!hasCert && !hasKey) return undefined;
  if (hasCert !== hasKey)
    throw new Error(`development PKI is incomplete: ${hasCert ? paths.key : paths.cert} is missing`);
  const der = pemToDer(await readFile(paths.cert, 'utf8'));
  if (der === undefined) throw new Error(`${paths.cert} holds no PEM certificate`);
  return { der, key: createPrivateKey(await readFile(paths.key, 'utf8')) };
}

/**
 * Still good: valid a day from now, signed by `issuer` (so a re-created CA re-issues what it signs) and, when
 * given, with subject CN `cn` (so a data dir from before a profile changed gets the new subject).
 */
function stillGood(cert: Issued | undefined, issuer: Buffer, now: Date, cn?: string): cert is Issued {
  if (cert === undefined) return false;
  const parsed = parseCertificate(cert.der);
  const parent = parseCertificate(issuer);
  if (!parsed.ok || !parent.ok) return false;
  const c = parsed.certificate;
  const current = c.notBefore.getTime() <= now.getTime() && c.notAfter.getTime() > now.getTime() + DAY_MS;
  return (
    current &&
    (cn === undefined || c.subjectCn === cn) &&
    c.issuer.equals(parent.certificate.subject) &&
    verifiesWith(c.x509, parent.certificate.publicKey)
  );
}

function verifiesWith(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.verify(key);
  } catch {
    return false; // e.g. a key of another type
  }
}

// ---- issuance ----

type LeafProfile = Pick<CertificateSpec, 'keyUsage' | 'extKeyUsage' | 'subjectAltNames'> & {
  readonly subject: NameSpec;
};

const validity = (now: Date, days: number): { notBefore: Date; notAfter: Date } => ({
  notBefore: new Date(now.getTime() - BACKDATE_MS),
  notAfter: new Date(now.getTime() + days * DAY_MS),
});

async function newKey(kind: 'rsa3072' | 'p256' | 'ed25519'): Promise<KeyObject> {
  if (kind === 'rsa3072') return (await generate('rsa', { modulusLength: 3072 })).privateKey;
  if (kind === 'p256') return (await generate('ec', { namedCurve: 'P-256' })).privateKey;
  return (await generate('ed25519')).privateKey;
}

/** node:crypto derives the public half of a private KeyObject. */
const publicOf = (key: KeyObject): KeyObject => createPublicKey(key);

interface LeafTarget {
  readonly paths: KeyPairPaths & { readonly chain?: string };
  readonly keyKind: 'p256' | 'ed25519';
  readonly profile: LeafProfile;
  /** TLS cert files carry leaf + intermediate (Node's tls `cert` option: "the full chain, not the root"). */
  readonly fullChainInCert: boolean;
}

async function ensureLeaf(
  target: LeafTarget,
  ca: Issued,
  now: Date,
  force: boolean,
  written: string[],
): Promise<void> {
  const existing = force ? undefined : await readIssued(target.paths);
  if (stillGood(existing, ca.der, now, target.profile.subject.cn)) {
    if (target.paths.chain !== undefined && !(await exists(target.paths.chain))) {
      await writePublic(target.paths.chain, derToPem(existing.der) + derToPem(ca.der), written);
    }
    return;
  }
  const key = await newKey(target.keyKind);
  const der = buildCertificate({
    ...target.profile,
    subjectKey: publicOf(key),
    issuer: { certificate: ca.der, privateKey: ca.key },
    ...validity(now, LEAF_DAYS),
  });
  const chainPem = derToPem(der) + derToPem(ca.der);
  await writeKey(target.paths.key, key, written);
  await writePublic(target.paths.cert, target.fullChainInCert ? chainPem : derToPem(der), written);
  if (target.paths.chain !== undefined) await writePublic(target.paths.chain, chainPem, written);
}

const partnerTarget = (paths: SigningPaths, partnerId: string): LeafTarget => ({
  paths,
  keyKind: 'p256',
  profile: {
    subject: { cn: partnerId, o: `${partnerId} (development partner)` },
    keyUsage: ['digitalSignature'],
  },
  fullChainInCert: false,
});

async function ensureIssuer(paths: DevPkiPaths, written: string[]): Promise<void> {
  const hasKey = await exists(paths.issuerKey);
  const key = hasKey ? createPrivateKey(await readFile(paths.issuerKey, 'utf8')) : await newKey('p256');
  if (!hasKey) await writeKey(paths.issuerKey, key, written);
  if (hasKey && (await exists(paths.jwks))) return;
  const jwk = publicOf(key).export({ format: 'jwk' });
  // RFC 7517 §4: kid = RFC 7638 thumbprint, so mintToken derives the same kid from the key alone.
  const jwks = { keys: [{ ...jwk, kid: jwkThumbprint(key), alg: 'ES256', use: 'sig' }] };
  await writePublic(paths.jwks, `${JSON.stringify(jwks, null, 2)}\n`, written);
}

/** Creates (or loads) the development PKI under `dir`; see DevPkiPaths for the layout. */
export async function createDevPki(dir: string, options: DevPkiOptions = {}): Promise<DevPki> {
  const partnerId = options.partnerId ?? DEFAULT_PARTNER_ID;
  const paths = devPkiPaths(dir, partnerId);
  const now = options.now ?? new Date();
  const written: string[] = [];

  let root = await readIssued(paths.root);
  let renewed = false;
  if (root === undefined || !stillGood(root, root.der, now)) {
    const key = await newKey('rsa3072');
    const der = buildCertificate({
      subject: { cn: 'xborder Development Root CA', o: ORG, c: 'CN' },
      subjectKey: publicOf(key),
      issuer: { selfSignedWith: key },
      ...validity(now, ROOT_DAYS),
      ca: {},
      keyUsage: ['keyCertSign', 'cRLSign'],
    });
    root = { der, key };
    await writeKey(paths.root.key, key, written);
    await writePublic(paths.root.cert, derToPem(der), written);
    renewed = true;
  }

  let intermediate = renewed ? undefined : await readIssued(paths.intermediate);
  if (!stillGood(intermediate, root.der, now)) {
    const key = await newKey('p256');
    const der = buildCertificate({
      subject: { cn: 'xborder Development Issuing CA', o: ORG, c: 'CN' },
      subjectKey: publicOf(key),
      issuer: { certificate: root.der, privateKey: root.key },
      ...validity(now, INTERMEDIATE_DAYS),
      // RFC 5280 §4.2.1.9: pathLen 0 — it issues end-entity certificates only.
      ca: { pathLen: 0 },
      keyUsage: ['keyCertSign', 'cRLSign'],
    });
    intermediate = { der, key };
    await writeKey(paths.intermediate.key, key, written);
    await writePublic(paths.intermediate.cert, derToPem(der), written);
    renewed = true;
  }

  const leaves: LeafTarget[] = [
    {
      paths: paths.gatewayClient,
      keyKind: 'p256',
      profile: {
        subject: { cn: GATEWAY_CN, o: ORG },
        keyUsage: ['digitalSignature'],
        extKeyUsage: ['clientAuth'],
      },
      fullChainInCert: true,
    },
    {
      paths: paths.gatewaySigning,
      keyKind: 'ed25519',
      profile: { subject: { cn: GATEWAY_CN, o: ORG, ou: 'signing' }, keyUsage: ['digitalSignature'] },
      fullChainInCert: false,
    },
    {
      paths: paths.receiverServer,
      keyKind: 'p256',
      profile: {
        subject: { cn: RECEIVER_CN, o: ORG },
        keyUsage: ['digitalSignature'],
        extKeyUsage: ['serverAuth'],
        subjectAltNames: { dns: ['localhost'], ip: ['127.0.0.1', '::1'] },
      },
      fullChainInCert: true,
    },
    {
      // The reference receiver stands for the partner's data center: its receipts are the partner's, and the
      // gateway accepts a receipt only when the signer CN is the endpoint's partnerId (api.md §7).
      paths: paths.receiverSigning,
      keyKind: 'p256',
      profile: { subject: { cn: partnerId, o: ORG, ou: 'receipts' }, keyUsage: ['digitalSignature'] },
      fullChainInCert: false,
    },
    partnerTarget(paths.partner, partnerId),
  ];
  for (const leaf of leaves) await ensureLeaf(leaf, intermediate, now, renewed, written);

  const rootPem = derToPem(root.der);
  const trusted = (await exists(paths.trustRoot)) ? await readFile(paths.trustRoot, 'utf8') : '';
  if (trusted !== rootPem) await writePublic(paths.trustRoot, rootPem, written);
  await ensureIssuer(paths, written);
  return { dir, partnerId, paths, written };
}

export interface PartnerCertOptions {
  readonly now?: Date;
  /** Re-issue even if a good certificate exists. */
  readonly replace?: boolean;
}

export interface PartnerCert {
  readonly partnerId: string;
  readonly paths: SigningPaths;
  readonly written: readonly string[];
}

/** Issues partners/<id>/signing.{crt,key} (+ signing-chain.pem) from the dev intermediate (`xborder certs issue-partner`). */
export async function issuePartnerCert(
  pkiDir: string,
  partnerId: string,
  options: PartnerCertOptions = {},
): Promise<PartnerCert> {
  const paths = devPkiPaths(pkiDir, partnerId);
  const ca = await readIssued(paths.intermediate);
  if (ca === undefined)
    throw new Error(`no development CA under ${pkiDir}: run \`xborder certs init\` first`);
  const written: string[] = [];
  await ensureLeaf(
    partnerTarget(paths.partner, partnerId),
    ca,
    options.now ?? new Date(),
    options.replace === true,
    written,
  );
  return { partnerId, paths: paths.partner, written };
}
