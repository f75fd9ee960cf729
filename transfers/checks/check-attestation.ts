// transfers/checks/check-attestation: the partner's signed attestation. The signature, the x5c chain to a trust
// anchor, validity and revocation are verified by certs/ (passed in as `verification`); this binds the
// verified claims to the transfer: partner, exporter, endpoint, purpose, categories, business type, sensitive
// PI and storage country (regulation.md §9.1). Pure.
import type { Manifest } from '../../policies/manifest.js';
import type { Classification } from '../../policies/classification.js';
import type { AttestationVerification } from '../../certs/attestation.js';
import { fail, missingFrom, samePurpose, type CheckVerdict } from './check-outcome.js';

const rule = 'PIPL art. 38; ASEAN Model Contractual Clauses (2021)';

/** Chinese text of the certificate-level attestation codes (api.md §6: messages in zh and en). */
const attestationZh: Readonly<Record<string, string>> = {
  'R-EVID-ATTESTATION-INVALID': '境外接收方声明无效（签名或格式不符）',
  'R-EVID-ATTESTATION-UNTRUSTED': '境外接收方声明的证书链不受信任',
  'R-EVID-ATTESTATION-EXPIRED': '境外接收方声明或其证书已过期或尚未生效',
  'R-EVID-ATTESTATION-REVOKED': '境外接收方声明的签名证书已被吊销',
};

export function checkAttestation(
  manifest: Manifest,
  classification: Classification,
  verification: AttestationVerification | null,
): CheckVerdict {
  const id = manifest.evidence?.attestationId;
  if (id === undefined || verification === null) {
    return fail({
      code: 'R-EVID-ATTESTATION-MISSING',
      rule,
      message:
        id === undefined
          ? 'The manifest names no partner attestation'
          : `Attestation ${id} is not registered`,
      messageZh: id === undefined ? '清单未引用境外接收方声明' : `境外接收方声明 ${id} 未登记`,
    });
  }
  if (!verification.ok)
    return {
      ok: false,
      reasons: verification.reasons.map((r) => ({
        code: r.code,
        rule,
        message: r.message,
        messageZh: `${attestationZh[r.code] ?? '境外接收方声明未通过验证'}（${r.message}）`,
      })),
    };
  const claims = verification.claims;
  const gaps: string[] = [];
  const gapsZh: string[] = [];
  const gap = (en: string, zh: string) => {
    gaps.push(en);
    gapsZh.push(zh);
  };
  if (claims.iss !== manifest.partnerId)
    gap(
      `it is issued by ${claims.iss}, not partner ${manifest.partnerId}`,
      `签发方为 ${claims.iss}，而非接收方 ${manifest.partnerId}`,
    );
  if (claims.sub !== manifest.exporterId) gap('it is given to another exporter', '声明对象为其他数据处理者');
  if (!claims.endpoints.includes(manifest.endpointId))
    gap(`endpoint ${manifest.endpointId} is not covered`, `未涵盖接收端点 ${manifest.endpointId}`);
  if (!claims.purposes.some((p) => samePurpose(p, manifest.purpose)))
    gap('the purpose is not covered', '未涵盖本次出境目的');
  const categories = missingFrom(manifest.dataCategories, claims.dataCategories);
  if (categories.length > 0)
    gap(`categories ${categories.join(', ')} are not covered`, `未涵盖数据类别 ${categories.join('、')}`);
  if (!claims.businessTypes.includes(manifest.businessType))
    gap(`business type ${manifest.businessType} is not covered`, `未涵盖业务类型 ${manifest.businessType}`);
  if (classification.thisTransfer.sensitiveIndividuals > 0 && !claims.sensitive)
    gap('sensitive PI is not accepted', '未同意接收敏感个人信息');
  if (claims.storageCountry !== manifest.destinationCountry) {
    gap(
      `storage country ${claims.storageCountry} differs from destination ${manifest.destinationCountry}`,
      `存储国 ${claims.storageCountry} 与目的国 ${manifest.destinationCountry} 不一致`,
    );
  }
  if (gaps.length > 0)
    return fail({
      code: 'R-EVID-ATTESTATION-SCOPE',
      rule,
      message: `Attestation ${id} does not cover this transfer: ${gaps.join('; ')}`,
      messageZh: `境外接收方声明 ${id} 未涵盖本次传输：${gapsZh.join('；')}`,
    });
  return { ok: true };
}
