// certs/chain: certification path building and validation (RFC 5280 §6) from a leaf to a trust anchor.
// Pure judgement: data and `now` in, a decision with reasons out; never throws for bad certificates.
import { parseCertificate, type ParsedCertificate } from './certificate.js';
import { chainReason, type ChainReason } from './chain-reason.js';
import { ExtensionOid, handledExtensions } from './oids.js';
import { checkName, constrainedNames } from './name-constraints.js';
import { pemToDer } from './pem.js';
import { isStrongSignatureAlgorithm } from './signature-algorithm.js';
import { createSha256RevocationSource, type RevocationSource } from './revocation.js';
import { createLruCache } from './lru-cache.js';

/** A certificate as DER bytes, or as PEM text (e.g. a trust-dir file's contents). */
export type CertificateInput = Uint8Array | string;

export interface ChainInput {
  /** The end-entity certificate. */
  readonly leaf: CertificateInput;
  /** Candidate intermediates, in any order (e.g. x5c[1..]); unused ones are ignored. */
  readonly intermediates: readonly CertificateInput[];
  /** Trusted certificates: self-signed roots or any certificate trusted as an anchor. Unparseable ones are skipped. */
  readonly anchors: readonly CertificateInput[];
  readonly now: Date;
  /** A second instant at which every certificate must also be valid (e.g. the attestation's iat). */
  readonly at?: Date;
  /** Hex SHA-256 of the DER of revoked certificates; any of them anywhere in the path fails it. */
  readonly revokedSha256: ReadonlySet<string>;
  /** Further revocation sources (trust-dir CRLs, RFC 5280 §5); consulted after revokedSha256. */
  readonly revocationSources?: readonly RevocationSource[];
  /** The leaf's subject commonName must equal this (e.g. the partner id, api.md §5). */
  readonly expectedCn?: string;
}

export type ChainResult =
  | { readonly ok: true; readonly path: readonly ParsedCertificate[] }
  | { readonly ok: false; readonly reasons: readonly ChainReason[] };

/** Longest path we build, anchor included: deep enough for root → policy CA → issuing CA → leaf, with room. */
export const MAX_PATH_LENGTH = 8;
/** Bounds on alternative paths kept, and certificates visited, when intermediates share names (cross-certification). */
const MAX_CANDIDATE_PATHS = 16;
const MAX_SEARCH_STEPS = 256;

const ALLOWED_CURVES: ReadonlySet<string> = new Set(['prime256v1', 'secp384r1']); // P-256, P-384
const MIN_RSA_BITS = 2048; // NIST SP 800-131A Rev. 2: RSA below 2048 bits is disallowed for signatures.
const label = (c: ParsedCertificate): string => `'${c.subjectCn ?? `sha256:${c.sha256.slice(0, 16)}`}'`;

/** RFC 5280 §4.2.1.1: when both key identifiers are present they must agree; names must match exactly. */
function mayHaveIssued(issuer: ParsedCertificate, child: ParsedCertificate): boolean {
  if (!issuer.subject.equals(child.issuer)) return false;
  return (
    child.authorityKeyId === undefined ||
    issuer.subjectKeyId === undefined ||
    child.authorityKeyId === issuer.subjectKeyId
  );
}

interface Search {
  readonly paths: ParsedCertificate[][];
  steps: number;
  looped: boolean;
  tooLong: boolean;
  exhausted: boolean;
}

/** Depth-first search for every path from `path`'s tip to an anchor, bounded in depth and count. */
function extend(
  path: ParsedCertificate[],
  pool: readonly ParsedCertificate[],
  anchors: readonly ParsedCertificate[],
  search: Search,
): void {
  search.steps += 1;
  if (search.steps > MAX_SEARCH_STEPS) search.exhausted = true;
  if (search.paths.length >= MAX_CANDIDATE_PATHS || search.exhausted) return;
  const tip = path[path.length - 1];
  if (tip === undefined) return;
  // The tip is itself trusted (the signer sent the root along, or the anchor is the leaf itself).
  if (anchors.some((a) => a.sha256 === tip.sha256)) {
    search.paths.push(path);
    return;
  }
  for (const anchor of anchors) {
    if (mayHaveIssued(anchor, tip)) search.paths.push([...path, anchor]);
  }
  for (const candidate of pool) {
    if (candidate.sha256 === tip.sha256 || !mayHaveIssued(candidate, tip)) continue;
    if (anchors.some((a) => a.sha256 === candidate.sha256)) continue; // already reached through the anchor branch
    if (path.some((c) => c.sha256 === candidate.sha256)) {
      search.looped = true;
      continue;
    }
    if (path.length + 1 >= MAX_PATH_LENGTH) {
      search.tooLong = true;
      continue;
    }
    extend([...path, candidate], pool, anchors, search);
  }
}

function checkKey(c: ParsedCertificate, i: number, out: ChainReason[]): void {
  const k = c.key;
  if (k.kind === 'rsa' && k.bits < MIN_RSA_BITS) {
    out.push(
      chainReason(
        'CHAIN-WEAK-KEY',
        `${label(c)} has an RSA key of ${k.bits} bits (minimum ${MIN_RSA_BITS})`,
        i,
      ),
    );
  } else if (k.kind === 'ec' && !ALLOWED_CURVES.has(k.curve)) {
    out.push(
      chainReason(
        'CHAIN-WEAK-KEY',
        `${label(c)} uses curve ${k.curve}; only P-256 and P-384 are accepted`,
        i,
      ),
    );
  } else if (k.kind === 'other') {
    out.push(
      chainReason(
        'CHAIN-WEAK-KEY',
        `${label(c)} has a ${k.type} key; only RSA, EC P-256/P-384 and Ed25519 are accepted`,
        i,
      ),
    );
  }
}

/**
 * Whether a certificate's signature verifies with an issuer's key depends on the two certificates' bytes and
 * nothing else, so the answer is kept by both DER digests (an RSA-3072 root's check is the costliest step of a
 * path). Everything a clock or the trust store decides — validity, revocation lists, CRLs, which anchors are
 * trusted — is judged afresh on every call.
 */
const SIGNATURE_CACHE_SIZE = 512;
const signatureChecks = createLruCache<string, boolean>(SIGNATURE_CACHE_SIZE);

function verifiesWith(child: ParsedCertificate, issuer: ParsedCertificate): boolean {
  const key = `${child.sha256}:${issuer.sha256}`;
  let ok = signatureChecks.get(key);
  if (ok === undefined) {
    try {
      ok = child.x509.verify(issuer.publicKey);
    } catch {
      ok = false;
    }
    signatureChecks.set(key, ok);
  }
  return ok;
}

const roleOf = (i: number, last: number): string =>
  i === 0 ? 'leaf' : i === last ? 'trust anchor' : 'intermediate';
/** Names the certificate for a message: its role, CN (or fingerprint) and place in the path (0 = leaf). */
const who = (c: ParsedCertificate, i: number, last: number): string =>
  `${roleOf(i, last)} ${label(c)} (path position ${i})`;
const extensionOf = (c: ParsedCertificate, oid: string): { readonly critical: boolean } | undefined =>
  c.extensions.find((e) => e.oid === oid);

/**
 * The RFC 5280 profile rules a conforming CA must follow, applied to every certificate of the path, the anchor
 * included (anchors are checked like any CA): a certificate that breaks them was not issued as the RFC allows,
 * so it is refused however well it verifies.
 */
function checkProfile(c: ParsedCertificate, i: number, last: number, out: ChainReason[]): void {
  const name = who(c, i, last);
  const isCa = c.basicConstraints?.ca === true;
  // §4.1.2.2: the serial number MUST be a positive integer.
  if (c.serialSign !== 'positive')
    out.push(
      chainReason('CHAIN-SERIAL', `${name} has a ${c.serialSign} serial number (RFC 5280 §4.1.2.2)`, i),
    );
  // §4.1.2.6: a CA's subject MUST be a non-empty distinguished name (it is the issuer name of what it signs).
  if (isCa && c.subjectName.length === 0)
    out.push(
      chainReason('CHAIN-CA-SUBJECT-EMPTY', `${name} is a CA with an empty subject (RFC 5280 §4.1.2.6)`, i),
    );
  // §4.2.1.1: keyIdentifier MUST be present except in a self-signed CA certificate; the extension MUST NOT be critical.
  const aki = extensionOf(c, ExtensionOid.authorityKeyIdentifier);
  if (aki?.critical === true)
    out.push(
      chainReason('CHAIN-AKI', `${name} marks authorityKeyIdentifier critical (RFC 5280 §4.2.1.1)`, i),
    );
  if (c.authorityKeyId === undefined && !(c.selfIssued && verifiesWith(c, c))) {
    const what =
      aki === undefined
        ? 'has no authorityKeyIdentifier'
        : 'has an authorityKeyIdentifier without keyIdentifier';
    out.push(chainReason('CHAIN-AKI', `${name} ${what} and is not self-signed (RFC 5280 §4.2.1.1)`, i));
  }
  // §4.2.1.2: every CA certificate MUST carry a subjectKeyIdentifier.
  if (isCa && c.subjectKeyId === undefined)
    out.push(
      chainReason('CHAIN-SKI-MISSING', `${name} is a CA without subjectKeyIdentifier (RFC 5280 §4.2.1.2)`, i),
    );
  // §4.2.1.6: well-formed GeneralNames; with an empty subject the SAN MUST be present and critical (§4.1.2.6).
  const san = extensionOf(c, ExtensionOid.subjectAltName);
  if (c.subjectAltNameError !== undefined)
    out.push(
      chainReason('CHAIN-SAN', `${name}: subjectAltName ${c.subjectAltNameError} (RFC 5280 §4.2.1.6)`, i),
    );
  if (c.subjectName.length === 0 && san === undefined)
    out.push(
      chainReason('CHAIN-SAN', `${name} has an empty subject and no subjectAltName (RFC 5280 §4.1.2.6)`, i),
    );
  else if (c.subjectName.length === 0 && san?.critical !== true)
    out.push(
      chainReason(
        'CHAIN-SAN',
        `${name} has an empty subject and a non-critical subjectAltName (RFC 5280 §4.2.1.6)`,
        i,
      ),
    );
  // §4.2.1.9: basicConstraints MUST be critical in CA certificates.
  if (isCa && extensionOf(c, ExtensionOid.basicConstraints)?.critical !== true)
    out.push(
      chainReason(
        'CHAIN-BC-NOT-CRITICAL',
        `${name} is a CA with non-critical basicConstraints (RFC 5280 §4.2.1.9)`,
        i,
      ),
    );
  // §4.2.1.9 / §4.2.1.3: keyCertSign requires cA=TRUE. An issuer without it is already CHAIN-NOT-CA.
  if (i === 0 && !isCa && c.keyUsage?.has('keyCertSign') === true)
    out.push(
      chainReason(
        'CHAIN-KEYCERTSIGN-NOT-CA',
        `${name} asserts keyCertSign but is not a CA (RFC 5280 §4.2.1.9)`,
        i,
      ),
    );
  // §4.2.1.10: nameConstraints MUST be critical and MUST only appear in CA certificates.
  const nc = extensionOf(c, ExtensionOid.nameConstraints);
  if (nc !== undefined && !nc.critical)
    out.push(
      chainReason(
        'CHAIN-NC-NOT-CRITICAL',
        `${name} has non-critical nameConstraints (RFC 5280 §4.2.1.10); they are enforced all the same`,
        i,
      ),
    );
  if (nc !== undefined && !isCa)
    out.push(
      chainReason(
        'CHAIN-NC-NOT-CA',
        `${name} carries nameConstraints but is not a CA (RFC 5280 §4.2.1.10)`,
        i,
      ),
    );
  // §4.2.1.11: policyConstraints MUST be critical.
  if (extensionOf(c, ExtensionOid.policyConstraints)?.critical === false)
    out.push(
      chainReason(
        'CHAIN-PC-NOT-CRITICAL',
        `${name} has non-critical policyConstraints (RFC 5280 §4.2.1.11)`,
        i,
      ),
    );
  // §4.2.2.1: authorityInfoAccess MUST be non-critical.
  if (extensionOf(c, ExtensionOid.authorityInfoAccess)?.critical === true)
    out.push(
      chainReason('CHAIN-AIA-CRITICAL', `${name} marks authorityInfoAccess critical (RFC 5280 §4.2.2.1)`, i),
    );
}

/**
 * RFC 5280 §6.1.3 (b)(c), §6.1.4 (g): every name of every certificate below a CA with nameConstraints must lie
 * in its permitted subtrees and outside its excluded ones. Checking each name against each such CA in turn is
 * the accumulated state of §6.1 (the intersection of permitted subtrees, the union of excluded ones). The
 * anchor's constraints count too, as OpenSSL applies them; self-issued intermediates are skipped (§6.1.3 (b)).
 */
function checkNameConstraints(path: readonly ParsedCertificate[], out: ChainReason[]): void {
  const last = path.length - 1;
  path.forEach((ca, j) => {
    const constraints = ca.nameConstraints;
    if (constraints === undefined) return;
    for (let i = 0; i < j; i += 1) {
      const c = path[i];
      if (c === undefined || (i > 0 && c.selfIssued)) continue;
      for (const name of constrainedNames(c.subjectName, c.subjectAltNames ?? [])) {
        const violation = checkName(name, constraints);
        if (violation !== undefined)
          out.push(
            chainReason(
              violation.code,
              `${who(c, i, last)}: ${violation.detail}, constrained by ${who(ca, j, last)}`,
              i,
            ),
          );
      }
    }
  });
}

/**
 * RFC 5280 §6.1.4 (h)(i), §6.1.5 (a)(b): explicit_policy as policyConstraints drive it. We build no policy
 * tree, so a path whose explicit_policy reaches 0 cannot show the valid policy it would need (§6.1.3 (f),
 * §6.1.5 (g)) and fails closed. The anchor is an input, not processed (§6.1.1).
 */
function checkExplicitPolicy(path: readonly ParsedCertificate[], out: ChainReason[]): void {
  const last = path.length - 1;
  let explicitPolicy = last + 1;
  let setBy = -1;
  for (let k = 1; k <= last; k += 1) {
    const i = last - k;
    const c = path[i];
    if (c === undefined) continue;
    const required = c.policyConstraints?.requireExplicitPolicy;
    if (i > 0) {
      if (!c.selfIssued && explicitPolicy !== 0) explicitPolicy -= 1;
      if (required !== undefined && required < explicitPolicy) [explicitPolicy, setBy] = [required, i];
    } else {
      if (explicitPolicy !== 0) explicitPolicy -= 1;
      if (required === 0) [explicitPolicy, setBy] = [0, 0];
    }
    if (explicitPolicy === 0 && setBy >= 0) {
      const by = path[setBy];
      out.push(
        chainReason(
          'CHAIN-EXPLICIT-POLICY',
          `${by === undefined ? 'a certificate' : who(by, setBy, last)} requires an explicit policy by ${who(c, i, last)} (RFC 5280 §4.2.1.11, §6.1.5 (g))`,
          setBy,
        ),
      );
      return;
    }
  }
}

/** Every RFC 5280 §6.1.3/§6.1.4 check we apply, on one complete path (leaf first, anchor last). */
function checkPath(path: readonly ParsedCertificate[], input: ChainInput): ChainReason[] {
  const out: ChainReason[] = [];
  const revocation = [createSha256RevocationSource(input.revokedSha256), ...(input.revocationSources ?? [])];
  const instants = input.at === undefined ? [input.now] : [input.now, input.at];
  const last = path.length - 1;

  path.forEach((c, i) => {
    const role = i === 0 ? 'leaf' : i === last ? 'trust anchor' : 'intermediate';
    // RFC 5280 §6.1.3 (a)(2): the certificate validity period includes the time in question.
    for (const t of instants) {
      if (c.notBefore.getTime() > t.getTime()) {
        out.push(
          chainReason(
            'CHAIN-NOT-YET-VALID',
            `${role} ${label(c)} is valid from ${c.notBefore.toISOString()}, not at ${t.toISOString()}`,
            i,
          ),
        );
      } else if (c.notAfter.getTime() < t.getTime()) {
        out.push(
          chainReason(
            'CHAIN-EXPIRED',
            `${role} ${label(c)} expired at ${c.notAfter.toISOString()}, before ${t.toISOString()}`,
            i,
          ),
        );
      }
    }
    checkKey(c, i, out);
    checkProfile(c, i, last, out);
    // RFC 5280 §4.2: an unrecognised critical extension MUST make the certificate unacceptable.
    for (const ext of c.extensions) {
      if (ext.critical && !handledExtensions.has(ext.oid)) {
        out.push(
          chainReason('CHAIN-CRITICAL-EXT', `${role} ${label(c)} has critical extension ${ext.oid}`, i),
        );
      }
    }
    // RFC 5280 §6.1.3 (a)(3): the certificate is not revoked; an undetermined status (§6.3.3) fails closed.
    // A self-issued anchor is an input of validation, not a certificate any CRL speaks for (§6.1.1 (d)): only
    // the registry's list (an administrator's act) applies to it.
    const sources = i === last && c.selfIssued ? revocation.slice(0, 1) : revocation;
    for (const source of sources) {
      const status = source.check(c, path[i + 1], input.now);
      if (status.status === 'revoked') {
        out.push(
          chainReason(
            'CHAIN-REVOKED',
            `${role} ${label(c)} (sha256 ${c.sha256}) is on the ${source.name}: ${status.detail}`,
            i,
          ),
        );
        break;
      }
      if (status.status === 'undetermined') {
        out.push(chainReason(status.code, `${role} ${label(c)}: ${status.detail}`, i));
        break;
      }
    }
    const issuer = path[i + 1];
    if (issuer !== undefined) {
      // RFC 5280 §6.1.3 (a)(1): the signature verifies with the issuer's key — unless its algorithm is weak,
      // in which case it is refused without being trusted either way.
      if (!isStrongSignatureAlgorithm(c.signatureAlgorithm)) {
        out.push(
          chainReason('CHAIN-WEAK-ALG', `${role} ${label(c)} is signed with ${c.signatureAlgorithm.name}`, i),
        );
      } else if (!verifiesWith(c, issuer)) {
        out.push(
          chainReason(
            'CHAIN-UNTRUSTED',
            `the signature on ${role} ${label(c)} does not verify with the key of ${label(issuer)}`,
            i,
          ),
        );
      }
    }
    if (i > 0) {
      // RFC 5280 §6.1.4 (k): an issuer must be a CA (basicConstraints cA=TRUE).
      if (c.basicConstraints?.ca !== true) {
        out.push(
          chainReason(
            'CHAIN-NOT-CA',
            `${role} ${label(c)} issues certificates but has no basicConstraints cA=TRUE`,
            i,
          ),
        );
      }
      // RFC 5280 §6.1.4 (n): keyUsage must assert keyCertSign (we require keyUsage to be present on CAs, §4.2.1.3).
      if (c.keyUsage?.has('keyCertSign') !== true) {
        out.push(
          chainReason(
            'CHAIN-KEYUSAGE',
            `${role} ${label(c)} issues certificates but its keyUsage lacks keyCertSign`,
            i,
          ),
        );
      }
      // RFC 5280 §4.2.1.9 / §6.1.4 (l)(m): non-self-issued intermediates below this CA may not exceed pathLen.
      const pathLen = c.basicConstraints?.pathLen;
      const below = path.slice(1, i).filter((x) => !x.selfIssued).length;
      if (pathLen !== undefined && below > pathLen) {
        out.push(
          chainReason(
            'CHAIN-PATHLEN',
            `${role} ${label(c)} allows ${pathLen} intermediate(s) below it, the path has ${below}`,
            i,
          ),
        );
      }
    }
  });

  checkNameConstraints(path, out);
  checkExplicitPolicy(path, out);

  const leaf = path[0];
  if (leaf !== undefined) {
    // RFC 5280 §4.2.1.3: the leaf signs documents, so keyUsage must be present and assert digitalSignature.
    if (leaf.keyUsage?.has('digitalSignature') !== true) {
      out.push(chainReason('CHAIN-KEYUSAGE', `leaf ${label(leaf)} does not allow digitalSignature`, 0));
    }
    if (input.expectedCn !== undefined && leaf.subjectCn !== input.expectedCn) {
      out.push(
        chainReason(
          'CHAIN-CN-MISMATCH',
          `leaf CN is ${leaf.subjectCn === undefined ? 'absent or ambiguous' : `'${leaf.subjectCn}'`}, expected '${input.expectedCn}'`,
          0,
        ),
      );
    }
  }
  return out;
}

function malformed(what: string, message: string, position?: number): ChainResult {
  return { ok: false, reasons: [chainReason('CHAIN-MALFORMED', `${what}: ${message}`, position)] };
}

function parseInput(input: CertificateInput): ReturnType<typeof parseCertificate> {
  const der = typeof input === 'string' ? pemToDer(input) : input;
  return der === undefined ? { ok: false, message: 'not a PEM certificate' } : parseCertificate(der);
}

/** Builds a path leaf → intermediates → anchor and validates it; the first fully valid path wins. */
export function verifyChain(input: ChainInput): ChainResult {
  const leaf = parseInput(input.leaf);
  if (!leaf.ok) return malformed('leaf', leaf.message, 0);
  const pool: ParsedCertificate[] = [];
  for (const [i, cert] of input.intermediates.entries()) {
    const parsed = parseInput(cert);
    if (!parsed.ok) return malformed(`supplied intermediate #${i + 1}`, parsed.message);
    pool.push(parsed.certificate);
  }
  const anchors = input.anchors.flatMap((cert) => {
    const parsed = parseInput(cert);
    return parsed.ok ? [parsed.certificate] : [];
  });

  const search: Search = { paths: [], steps: 0, looped: false, tooLong: false, exhausted: false };
  extend([leaf.certificate], pool, anchors, search);
  if (search.paths.length === 0) {
    if (search.looped || search.tooLong || search.exhausted) {
      const why = search.looped
        ? 'an issuer reappears in its own chain'
        : `no anchor within ${MAX_PATH_LENGTH} certificates`;
      return {
        ok: false,
        reasons: [chainReason('CHAIN-LOOP', `${why}, starting from leaf ${label(leaf.certificate)}`)],
      };
    }
    const issuerCn = leaf.certificate.issuerCn;
    return {
      ok: false,
      reasons: [
        chainReason(
          'CHAIN-UNTRUSTED',
          `no trust anchor or supplied intermediate issued leaf ${label(leaf.certificate)} (issuer '${issuerCn ?? '?'}') or its issuers`,
        ),
      ],
    };
  }

  let best: ChainReason[] | undefined;
  for (const path of search.paths) {
    const reasons = checkPath(path, input);
    if (reasons.length === 0) return { ok: true, path };
    if (best === undefined || reasons.length < best.length) best = reasons;
  }
  return { ok: false, reasons: dedupe(best ?? []) };
}

/** One reason per code and position (validity at `now` and at `at` often fail together). */
function dedupe(reasons: readonly ChainReason[]): ChainReason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const key = `${r.code}@${r.position ?? '-'}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
