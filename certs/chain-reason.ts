// certs/chain-reason: the closed catalogue of certificate-path failure codes, each with its human title.
// Data only: chain.ts decides, this file names.

export const chainReasonTitles = {
  'CHAIN-MALFORMED': 'A certificate cannot be parsed',
  'CHAIN-UNTRUSTED': 'The certificate does not chain to a trust anchor',
  'CHAIN-LOOP': 'The issuer chain loops or is too long',
  'CHAIN-EXPIRED': 'A certificate in the chain has expired',
  'CHAIN-NOT-YET-VALID': 'A certificate in the chain is not yet valid',
  'CHAIN-NOT-CA': 'An issuing certificate is not a CA',
  'CHAIN-PATHLEN': 'A CA path length constraint is exceeded',
  'CHAIN-KEYUSAGE': 'A certificate does not allow this key usage',
  'CHAIN-CRITICAL-EXT': 'A certificate carries an unsupported critical extension',
  'CHAIN-WEAK-ALG': 'A certificate is signed with a weak or unsupported algorithm',
  'CHAIN-WEAK-KEY': 'A certificate carries a weak or unsupported public key',
  'CHAIN-REVOKED': 'A certificate in the chain is revoked',
  'CHAIN-CRL-STALE': 'The configured CRL for a certificate in the chain is past its next update',
  'CHAIN-CRL-INVALID': 'A configured CRL cannot be used (unreadable, bad signature or unsupported)',
  'CHAIN-CN-MISMATCH': 'The certificate subject CN is not the expected one',
} as const satisfies Record<`CHAIN-${string}`, string>;

export type ChainReasonCode = keyof typeof chainReasonTitles;

export interface ChainReason {
  readonly code: ChainReasonCode;
  readonly message: string;
  /** Where in the path: 0 = leaf, increasing toward the anchor; absent when no single certificate is at fault. */
  readonly position?: number;
}

export function chainReason(code: ChainReasonCode, detail: string, position?: number): ChainReason {
  const message = `${chainReasonTitles[code]}: ${detail}`;
  return position === undefined ? { code, message } : { code, message, position };
}
