// certs/trust-files: what the files of a trust dir (XBORDER_TRUST_DIR) mean — certificates in `.pem`/`.crt`
// files are trust anchors; CRLs (RFC 5280 §5) in `.crl` files, PEM or DER, and `X509 CRL` blocks in `.pem`
// files become one revocation source. Pure: the caller reads the files; nothing here touches the disk.
import { createCrlRevocationSource, type CrlInput } from './crl-revocation.js';
import { parsePem } from './pem.js';
import type { RevocationSource } from './revocation.js';

export interface TrustFile {
  readonly name: string;
  readonly bytes: Buffer;
}

export interface TrustMaterial {
  /** PEM text of every trust-anchor certificate. */
  readonly anchors: readonly string[];
  /** How many CRLs are configured (an unreadable `.crl` file counts: it fails closed). */
  readonly crlCount: number;
  /** The CRLs as a revocation source; empty when none are configured. */
  readonly revocationSources: readonly RevocationSource[];
}

const certificateBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const crlBlockLabel = 'X509 CRL';

/** Whether a file of this name is part of the trust material (others in the dir are ignored). */
export const isTrustFileName = (name: string): boolean => /\.(pem|crt|crl)$/i.test(name);

function crlsOf(file: TrustFile): CrlInput[] {
  const isCrlFile = /\.crl$/i.test(file.name);
  const text = file.bytes.toString('latin1');
  if (text.includes(`-----BEGIN ${crlBlockLabel}-----`)) {
    const blocks = parsePem(text, crlBlockLabel);
    // A block that is not base64 is a configured CRL we cannot read: keep it, as bytes that fail to parse.
    if (blocks === undefined || blocks.length === 0) return [{ label: file.name, der: Buffer.alloc(0) }];
    return blocks.map((der, i) => ({
      label: blocks.length === 1 ? file.name : `${file.name}#${i + 1}`,
      der,
    }));
  }
  return isCrlFile ? [{ label: file.name, der: file.bytes }] : [];
}

/** Reads the trust dir's files (in name order for stable messages) into anchors and a CRL revocation source. */
export function parseTrustFiles(files: readonly TrustFile[]): TrustMaterial {
  const sorted = [...files]
    .filter((f) => isTrustFileName(f.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  const anchors = sorted
    .filter((f) => /\.(pem|crt)$/i.test(f.name))
    .flatMap((f) => f.bytes.toString('utf8').match(certificateBlock) ?? []);
  const crls = sorted.flatMap(crlsOf);
  return {
    anchors,
    crlCount: crls.length,
    revocationSources: crls.length === 0 ? [] : [createCrlRevocationSource(crls, anchors)],
  };
}
