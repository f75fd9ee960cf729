// certs/crl-revocation: CRL files as a RevocationSource (RFC 5280 §5, §6.3). A CRL counts only once its
// signature verifies with its issuer's key — the issuing certificate in the path being validated, or a trust
// anchor of that name. Fails closed: a configured CRL that cannot be read, does not verify, carries what we do
// not process, or is past its nextUpdate leaves the status undetermined, which refuses the path. Pure.
import { parseCertificate, type ParsedCertificate } from './certificate.js';
import type { CertificateInput } from './chain.js';
import { parseCrl, type ParsedCrl } from './crl.js';
import { handledCrlExtensions } from './oids.js';
import { pemToDer } from './pem.js';
import {
  good,
  type RevocationIssuer,
  type RevocationSource,
  type RevocationStatus,
  type RevocationSubject,
} from './revocation.js';
import { isStrongSignatureAlgorithm, verifySignatureValue } from './signature-algorithm.js';

/** One CRL as configured: where it came from (a file name, for messages) and its DER. */
export interface CrlInput {
  readonly label: string;
  readonly der: Uint8Array;
}

/** A CRL issued a little ahead of our clock is still usable; beyond this it is refused as not yet valid. */
const CLOCK_SKEW_MS = 60_000;

interface LoadedCrl {
  readonly label: string;
  readonly crl: ParsedCrl;
  /** RFC 5280 §5.2 / §5.3: critical extensions we do not process make the CRL unusable. */
  readonly unsupported: readonly string[];
}

/** Why a CRL cannot be used: unusable (bad signature, unsupported, …) or not conforming (§5.2.3). */
interface Defect {
  readonly code: 'CHAIN-CRL-INVALID' | 'CHAIN-CRL-NUMBER';
  readonly detail: string;
}

const isoOf = (d: Date): string => d.toISOString();
const nameOf = (crl: LoadedCrl): string =>
  `CRL ${crl.label} of '${crl.crl.issuerCn ?? `sha256:${crl.crl.sha256.slice(0, 16)}`}'`;

function parseAnchors(anchors: readonly CertificateInput[]): ParsedCertificate[] {
  return anchors.flatMap((input) => {
    const der = typeof input === 'string' ? pemToDer(input) : input;
    const parsed = der === undefined ? undefined : parseCertificate(der);
    return parsed?.ok === true ? [parsed.certificate] : [];
  });
}

/**
 * The trust dir's CRLs as one revocation source. `anchors` are the trust anchors, used to verify CRLs about
 * certificates whose issuer is not in the path (an intermediate trusted directly as an anchor).
 */
export function createCrlRevocationSource(
  inputs: readonly CrlInput[],
  anchors: readonly CertificateInput[] = [],
): RevocationSource {
  const loaded: LoadedCrl[] = [];
  const unreadable: string[] = [];
  for (const input of inputs) {
    const parsed = parseCrl(input.der);
    if (!parsed.ok) {
      unreadable.push(`CRL ${input.label} cannot be read (${parsed.message})`);
      continue;
    }
    loaded.push({
      label: input.label,
      crl: parsed.crl,
      unsupported: parsed.crl.criticalExtensions.filter((oid) => !handledCrlExtensions.has(oid)),
    });
  }
  const trusted = parseAnchors(anchors);
  // Signature checks are pure in (CRL, key): remember them across the many chains one trust snapshot sees.
  const verified = new Map<string, boolean>();

  function signedBy(entry: LoadedCrl, issuer: RevocationIssuer): boolean {
    const key = `${entry.crl.sha256}:${issuer.sha256}`;
    let ok = verified.get(key);
    if (ok === undefined) {
      ok = verifySignatureValue(
        entry.crl.signatureAlgorithmNode,
        entry.crl.signedBytes,
        entry.crl.signature,
        issuer.publicKey,
      );
      verified.set(key, ok);
    }
    return ok;
  }

  /** Why this CRL cannot be used, or undefined when it verifies with `issuer` and is usable at `now`. */
  function defectOf(entry: LoadedCrl, issuer: RevocationIssuer, now: Date): Defect | undefined {
    const invalid = (detail: string): Defect => ({ code: 'CHAIN-CRL-INVALID', detail });
    const found = defectDetail(entry, issuer, now);
    if (found !== undefined) return invalid(found);
    // RFC 5280 §5.2.3: conforming CRL issuers MUST include cRLNumber, and it is non-critical. Judged only
    // on a CRL that verifies: an unverified one says nothing of its issuer's conformance.
    if (entry.crl.crlNumber === undefined)
      return { code: 'CHAIN-CRL-NUMBER', detail: `${nameOf(entry)} has no cRLNumber (RFC 5280 §5.2.3)` };
    if (entry.crl.crlNumberCritical)
      return {
        code: 'CHAIN-CRL-NUMBER',
        detail: `${nameOf(entry)} marks cRLNumber critical (RFC 5280 §5.2.3)`,
      };
    return undefined;
  }

  function defectDetail(entry: LoadedCrl, issuer: RevocationIssuer, now: Date): string | undefined {
    const { crl } = entry;
    if (entry.unsupported.length > 0)
      return `${nameOf(entry)} has critical extension(s) ${entry.unsupported.join(', ')}, which are not processed`;
    if (!isStrongSignatureAlgorithm(crl.signatureAlgorithm))
      return `${nameOf(entry)} is signed with ${crl.signatureAlgorithm.name}`;
    // RFC 5280 §4.2.1.3 / §6.3.3 (f): the key that signs CRLs must be allowed to (cRLSign).
    if (issuer.keyUsage !== undefined && !issuer.keyUsage.has('cRLSign'))
      return `${nameOf(entry)}: its issuer's keyUsage lacks cRLSign`;
    if (!signedBy(entry, issuer))
      return `the signature on ${nameOf(entry)} does not verify with the key of its issuer`;
    if (crl.thisUpdate.getTime() > now.getTime() + CLOCK_SKEW_MS)
      return `${nameOf(entry)} is issued in the future (thisUpdate ${isoOf(crl.thisUpdate)})`;
    return undefined;
  }

  /** RFC 5280 §5.2.1: a CRL's authority key id, when both ids are known, selects the issuer key it is for. */
  const keyFits = (crl: ParsedCrl, issuer: RevocationIssuer): boolean =>
    crl.authorityKeyId === undefined ||
    issuer.subjectKeyId === undefined ||
    crl.authorityKeyId === issuer.subjectKeyId;

  function check(
    subject: RevocationSubject,
    pathIssuer: RevocationIssuer | undefined,
    now: Date,
  ): RevocationStatus {
    if (unreadable.length > 0) {
      // We cannot know whom an unreadable CRL speaks for, so it speaks against every path.
      return { status: 'undetermined', code: 'CHAIN-CRL-INVALID', detail: unreadable.join('; ') };
    }
    // RFC 5280 §6.3.3 (b): only CRLs whose issuer is the certificate's issuer (no indirect CRLs).
    const named = loaded.filter((entry) => entry.crl.issuer.equals(subject.issuer));
    if (named.length === 0) return good;
    const issuers: RevocationIssuer[] =
      pathIssuer !== undefined && pathIssuer.subject.equals(subject.issuer)
        ? [pathIssuer]
        : trusted.filter((anchor) => anchor.subject.equals(subject.issuer));

    const usable: LoadedCrl[] = [];
    const defects: Defect[] = [];
    for (const entry of named) {
      const candidates = issuers.filter((issuer) => keyFits(entry.crl, issuer));
      // A CRL for another key of a same-named CA (RFC 5280 §5.2.1) says nothing about this certificate.
      if (issuers.length > 0 && candidates.length === 0) continue;
      if (candidates.length === 0) {
        defects.push({
          code: 'CHAIN-CRL-INVALID',
          detail: `${nameOf(entry)} cannot be verified: its issuer is neither in the path nor a trust anchor`,
        });
        continue;
      }
      const problems = candidates.map((issuer) => defectOf(entry, issuer, now));
      const nonConforming = problems.find((p) => p?.code === 'CHAIN-CRL-NUMBER');
      if (problems.some((p) => p === undefined)) usable.push(entry);
      else if (nonConforming !== undefined) {
        // It verifies, so its listings are the CA's word (revoked stands); but a CRL its issuer did not make
        // as §5.2.3 requires cannot vouch that the rest are unrevoked.
        usable.push(entry);
        defects.push(nonConforming);
      } else defects.push(problems[0] ?? { code: 'CHAIN-CRL-INVALID', detail: nameOf(entry) });
    }

    for (const entry of usable) {
      const revokedAt = entry.crl.revoked.get(subject.serialHex);
      if (revokedAt !== undefined)
        return {
          status: 'revoked',
          detail: `serial ${subject.serialHex} is listed on ${nameOf(entry)}, revoked at ${isoOf(revokedAt)}`,
        };
    }
    if (defects.length > 0)
      return {
        status: 'undetermined',
        code: defects.every((d) => d.code === 'CHAIN-CRL-NUMBER') ? 'CHAIN-CRL-NUMBER' : 'CHAIN-CRL-INVALID',
        detail: defects.map((d) => d.detail).join('; '),
      };
    if (usable.length === 0) return good;
    // RFC 5280 §6.3.3 (a)(2): the newest CRL must not be past its nextUpdate (none given: never fresh).
    const newest = usable.reduce((a, b) => (b.crl.thisUpdate > a.crl.thisUpdate ? b : a));
    const next = newest.crl.nextUpdate;
    if (next === undefined || next.getTime() <= now.getTime()) {
      return {
        status: 'undetermined',
        code: 'CHAIN-CRL-STALE',
        detail:
          next === undefined
            ? `${nameOf(newest)} has no nextUpdate, so it is never current`
            : `${nameOf(newest)} was due to be replaced at ${isoOf(next)}, before ${isoOf(now)}`,
      };
    }
    return good;
  }

  return { name: 'trust-dir CRLs', check };
}
