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
  // RFC 5280 profile rules (§4.1, §4.2, §5.2): each a certificate or CRL that a conforming CA must not issue.
  'CHAIN-SERIAL': 'A certificate serial number is not a positive integer (RFC 5280 §4.1.2.2)',
  'CHAIN-CA-SUBJECT-EMPTY': 'A CA certificate has an empty subject (RFC 5280 §4.1.2.6)',
  'CHAIN-AKI':
    'A certificate lacks an authorityKeyIdentifier keyIdentifier, or marks it critical (RFC 5280 §4.2.1.1)',
  'CHAIN-SKI-MISSING': 'A CA certificate has no subjectKeyIdentifier (RFC 5280 §4.2.1.2)',
  'CHAIN-SAN':
    'A subjectAltName is not well-formed, or not critical (or absent) beside an empty subject (RFC 5280 §4.2.1.6)',
  'CHAIN-BC-NOT-CRITICAL': 'A CA certificate has a non-critical basicConstraints (RFC 5280 §4.2.1.9)',
  'CHAIN-KEYCERTSIGN-NOT-CA':
    'A certificate asserts keyCertSign without basicConstraints cA=TRUE (RFC 5280 §4.2.1.9)',
  'CHAIN-NC-NOT-CRITICAL': 'A nameConstraints extension is not critical (RFC 5280 §4.2.1.10)',
  'CHAIN-NC-NOT-CA': 'A certificate that is not a CA carries nameConstraints (RFC 5280 §4.2.1.10)',
  'CHAIN-NAME-NOT-PERMITTED':
    'A name is outside the permitted subtrees of a CA above it (RFC 5280 §6.1.3 (b))',
  'CHAIN-NAME-EXCLUDED': 'A name is within the excluded subtrees of a CA above it (RFC 5280 §6.1.3 (c))',
  'CHAIN-NAME-UNSUPPORTED':
    'A name meets a name constraint xborder cannot evaluate; it fails closed (RFC 5280 §4.2.1.10)',
  'CHAIN-PC-NOT-CRITICAL': 'A policyConstraints extension is not critical (RFC 5280 §4.2.1.11)',
  'CHAIN-EXPLICIT-POLICY':
    'The path requires an explicit certificate policy, which xborder does not process (RFC 5280 §6.1.5 (g))',
  'CHAIN-AIA-CRITICAL': 'An authorityInfoAccess extension is marked critical (RFC 5280 §4.2.2.1)',
  'CHAIN-CRL-NUMBER': 'A configured CRL lacks a cRLNumber, or marks it critical (RFC 5280 §5.2.3)',
} as const satisfies Record<`CHAIN-${string}`, string>;

/** The same titles in Chinese (the session's convention: every reason carries `messageZh`). */
export const chainReasonTitlesZh: Readonly<Record<ChainReasonCode, string>> = {
  'CHAIN-MALFORMED': '证书无法解析',
  'CHAIN-UNTRUSTED': '证书链无法追溯到受信任的根',
  'CHAIN-LOOP': '证书链出现循环或过长',
  'CHAIN-EXPIRED': '证书链中的证书已过期',
  'CHAIN-NOT-YET-VALID': '证书链中的证书尚未生效',
  'CHAIN-NOT-CA': '签发证书不是 CA 证书',
  'CHAIN-PATHLEN': '超出 CA 路径长度约束',
  'CHAIN-KEYUSAGE': '证书的密钥用途不允许此用法',
  'CHAIN-CRITICAL-EXT': '证书含有不支持的关键扩展',
  'CHAIN-WEAK-ALG': '证书使用弱的或不支持的签名算法',
  'CHAIN-WEAK-KEY': '证书含有弱的或不支持的公钥',
  'CHAIN-REVOKED': '证书链中的证书已被吊销',
  'CHAIN-CRL-STALE': '证书对应的 CRL 已过下次更新时间',
  'CHAIN-CRL-INVALID': '配置的 CRL 无法使用（不可读、签名错误或不受支持）',
  'CHAIN-CN-MISMATCH': '证书主体 CN 与预期不符',
  'CHAIN-SERIAL': '证书序列号不是正整数（RFC 5280 §4.1.2.2）',
  'CHAIN-CA-SUBJECT-EMPTY': 'CA 证书的主体为空（RFC 5280 §4.1.2.6）',
  'CHAIN-AKI': '证书缺少授权密钥标识符的 keyIdentifier，或将其标记为关键（RFC 5280 §4.2.1.1）',
  'CHAIN-SKI-MISSING': 'CA 证书缺少主体密钥标识符（RFC 5280 §4.2.1.2）',
  'CHAIN-SAN': '主体备用名称格式错误，或主体为空时未标记为关键（RFC 5280 §4.2.1.6）',
  'CHAIN-BC-NOT-CRITICAL': 'CA 证书的基本约束未标记为关键（RFC 5280 §4.2.1.9）',
  'CHAIN-KEYCERTSIGN-NOT-CA': '证书声明 keyCertSign 却没有 cA=TRUE（RFC 5280 §4.2.1.9）',
  'CHAIN-NC-NOT-CRITICAL': '名称约束扩展未标记为关键（RFC 5280 §4.2.1.10）',
  'CHAIN-NC-NOT-CA': '非 CA 证书含有名称约束（RFC 5280 §4.2.1.10）',
  'CHAIN-NAME-NOT-PERMITTED': '名称不在上级 CA 允许的子树内（RFC 5280 §6.1.3 (b)）',
  'CHAIN-NAME-EXCLUDED': '名称位于上级 CA 排除的子树内（RFC 5280 §6.1.3 (c)）',
  'CHAIN-NAME-UNSUPPORTED': '名称受制于无法评估的名称约束，按失败处理（RFC 5280 §4.2.1.10）',
  'CHAIN-PC-NOT-CRITICAL': '策略约束扩展未标记为关键（RFC 5280 §4.2.1.11）',
  'CHAIN-EXPLICIT-POLICY': '证书路径要求显式证书策略，本系统不处理证书策略（RFC 5280 §6.1.5 (g)）',
  'CHAIN-AIA-CRITICAL': '授权信息访问扩展被标记为关键（RFC 5280 §4.2.2.1）',
  'CHAIN-CRL-NUMBER': '配置的 CRL 缺少 cRLNumber，或将其标记为关键（RFC 5280 §5.2.3）',
};

export type ChainReasonCode = keyof typeof chainReasonTitles;

export interface ChainReason {
  readonly code: ChainReasonCode;
  readonly message: string;
  /** The Chinese title with the same (English) detail. */
  readonly messageZh?: string;
  /** Where in the path: 0 = leaf, increasing toward the anchor; absent when no single certificate is at fault. */
  readonly position?: number;
}

export function chainReason(code: ChainReasonCode, detail: string, position?: number): ChainReason {
  const message = `${chainReasonTitles[code]}: ${detail}`;
  const messageZh = `${chainReasonTitlesZh[code]}：${detail}`;
  return position === undefined ? { code, message, messageZh } : { code, message, messageZh, position };
}
