// console/vocabulary: the words for the closed values the API answers with (business types, grades, evidence
// items, countries, self-assessment kinds, FTZ areas) in both languages, and rule citations in words: in Chinese the
// instrument's title and the article (《促进和规范数据跨境流动规定》第八条), in English the citation without the
// gateway's internal document references (a reviewer has no regulation.md). Unknown values fall back to the raw
// value, so a new enum value shows rather than vanishes.

/** @type {Record<'zh' | 'en', Record<string, string>>} */
export const vocabulary = {
  zh: {
    'businessType.cross_border_ecommerce': '跨境电商',
    'businessType.cross_border_logistics': '跨境物流',
    'businessType.cross_border_payment': '跨境支付',
    'businessType.supply_chain': '供应链',
    'businessType.cross_border_trade': '跨境贸易',
    'businessType.cross_border_finance': '跨境金融',
    'businessType.cross_border_tourism': '跨境旅游',
    'businessType.hr_management': '人力资源管理',
    'businessType.academic_cooperation': '学术合作',
    'businessType.manufacturing': '制造业',
    'businessType.service_outsourcing': '服务外包',
    'businessType.exam_services': '考试服务',
    'businessType.other': '其他',
    'grade.core': '核心数据',
    'grade.important_notified': '重要数据（已告知）',
    'grade.important_suspected': '疑似重要数据',
    'grade.general': '一般数据',
    'grade.important': '重要数据',
    // Issue #20: minimisation at intake, shown beside the classification.
    'detail.minimisation': '数据最小化',
    'minimise.intro':
      '受理时已按清单中的最小化方案处理载荷；存储、计算摘要和交付的都是处理后的数据，原始数据未存储。',
    'minimise.original': '原始数据',
    'minimise.delivered': '出境数据',
    'minimise.plan': '最小化方案',
    'minimise.column': '列或类别',
    'minimise.operation': '处理方式',
    'minimise.values': '处理的值',
    'minimise.format': '载荷格式',
    'minimise.counts': '定级依据',
    'minimise.k': 'k 匿名值',
    'minimise.kMinimum': '策略下限',
    'minimise.kNone': '无剩余准标识符',
    'minimise.kUnknown': '无法计算（组合过多）',
    'minimise.quasi': '准标识符列',
    'minimiseOp.drop': '删除',
    'minimiseOp.mask': '掩码',
    'minimiseOp.generalise': '泛化',
    'minimiseOp.pseudonymise': '假名化',
    'minimiseFormat.csv': 'CSV',
    'minimiseFormat.tsv': 'TSV（制表符分隔）',
    'minimiseFormat.jsonl': 'JSON Lines',
    'minimiseCounts.detected': '按出境数据中检测到的人数',
    'minimiseCounts.declared': '按申报人数（处理后仍属个人信息）',
    'evidenceItem.classification_record': '分类记录',
    'evidenceItem.business_reference': '业务凭证',
    'evidenceItem.pipia': '个人信息保护影响评估报告',
    'evidenceItem.notice_record': '告知记录',
    'evidenceItem.consent_record': '单独同意记录',
    'evidenceItem.guardian_consent_record': '监护人同意记录',
    'evidenceItem.attestation': '境外接收方承诺',
    'evidenceItem.filing:standard_contract|certification': '标准合同备案或个人信息保护认证',
    'evidenceItem.risk_self_assessment': '数据出境风险自评估报告',
    'evidenceItem.recipient_legal_document': '与境外接收方的法律文件',
    'evidenceItem.filing:security_assessment': '数据出境安全评估',
    'evidenceItem.provenance_log': '数据来源记录',
    'evidenceItem.contract_record': '合同记录',
    'evidenceItem.hr_records': '人力资源管理记录',
    'evidenceItem.incident_record': '紧急情况记录',
    'evidenceItem.statutory_duty_record': '法定职责记录',
    'evidenceItem.ytd_counter_snapshot': '本年出境量快照',
    'evidenceItem.ftz_registration': '自贸试验区登记',
    'evidenceItem.ftz_list_version': '自贸试验区负面清单版本',
    'evidenceItem.export_licence': '出口许可',
    'evidenceItem.foreign_request_approval': '向外国机构提供数据的批准',
    'evidenceItem.core_data_approval': '核心数据出境批准',
    'evidenceItem.hgr_approval': '人类遗传资源出境批准',
    'evidenceItem.survey_mapping_approval': '测绘地理信息出境批准',
    'evidenceItem.financial_regulator_signoff': '金融监管部门同意',
    'evidenceItem.important_data_identification': '重要数据识别结论',
    'saKind.pipia': '个人信息保护影响评估',
    'saKind.risk_self_assessment': '数据出境风险自评估',
    'ftzArea.nanning': '南宁片区',
    'ftzArea.qinzhou': '钦州港片区',
    'ftzArea.chongzuo': '崇左片区',
    'recipientRole.controller': '个人信息处理者',
    'recipientRole.processor': '受托处理者',
    'onwardTransfer.prohibited': '禁止再转移',
    'onwardTransfer.with_exporter_consent': '经数据出境方同意方可再转移',
    'onwardTransfer.equivalent_protection': '接收方提供同等保护方可再转移',
    'country.BN': '文莱',
    'country.KH': '柬埔寨',
    'country.ID': '印度尼西亚',
    'country.LA': '老挝',
    'country.MY': '马来西亚',
    'country.MM': '缅甸',
    'country.PH': '菲律宾',
    'country.SG': '新加坡',
    'country.TH': '泰国',
    'country.VN': '越南',
    'event.transfer.held': '传输暂缓待审',
    'event.transfer.released': '传输已放行',
    'event.transfer.rejected': '传输被驳回',
    'event.transfer.blocked': '传输被禁止',
    'event.transfer.delivery_failed': '传输投递失败',
    'event.evidence.revoked': '证明被撤销（事件）',
    'event.filing.expiring': '备案即将到期',
    'event.attestation.expiring': '境外接收方承诺即将到期',
    'event.certificate.expiring': '境外接收方证书即将到期',
    'event.review.overdue': '审核超时',
    'webhookOutcome.delivered': '已送达',
    'webhookOutcome.http_error': '接收方返回错误',
    'webhookOutcome.address_not_allowed': '地址不在允许范围内',
    'webhookOutcome.dns_error': '域名无法解析',
    'webhookOutcome.connect_refused': '连接被拒绝',
    'webhookOutcome.unreachable': '网络不可达',
    'webhookOutcome.timeout': '超时',
    'webhookOutcome.tls_error': 'TLS 握手失败',
    'webhookOutcome.connection_reset': '连接被重置',
    'webhookOutcome.network_error': '网络错误',
    'webhookScope.exporter': '本企业',
    'webhookScope.global': '全部企业',
    'evidenceKind.certificate': '境外接收方证书',
    'evidenceKind.filing': '备案',
  },
  en: {
    'businessType.cross_border_ecommerce': 'cross-border e-commerce',
    'businessType.cross_border_logistics': 'cross-border logistics',
    'businessType.cross_border_payment': 'cross-border payment',
    'businessType.supply_chain': 'supply chain',
    'businessType.cross_border_trade': 'cross-border trade',
    'businessType.cross_border_finance': 'cross-border finance',
    'businessType.cross_border_tourism': 'cross-border tourism',
    'businessType.hr_management': 'HR management',
    'businessType.academic_cooperation': 'academic cooperation',
    'businessType.manufacturing': 'manufacturing',
    'businessType.service_outsourcing': 'service outsourcing',
    'businessType.exam_services': 'exam services',
    'businessType.other': 'other',
    'grade.core': 'core data',
    'grade.important_notified': 'important data (notified)',
    'grade.important_suspected': 'suspected important data',
    'grade.general': 'general data',
    'grade.important': 'important data',
    // Issue #20: minimisation at intake, shown beside the classification.
    'detail.minimisation': 'Minimisation',
    'minimise.intro':
      "The payload was minimised at intake by the manifest's plan: the bytes stored, hashed and delivered are the result; the original was never stored.",
    'minimise.original': 'Original',
    'minimise.delivered': 'What leaves',
    'minimise.plan': 'Minimisation plan',
    'minimise.column': 'Column or category',
    'minimise.operation': 'Operation',
    'minimise.values': 'Values changed',
    'minimise.format': 'Payload format',
    'minimise.counts': 'Counted on',
    'minimise.k': 'k-anonymity',
    'minimise.kMinimum': 'policy minimum',
    'minimise.kNone': 'no quasi-identifier left',
    'minimise.kUnknown': 'not computable (too many combinations)',
    'minimise.quasi': 'Quasi-identifier columns',
    'minimiseOp.drop': 'dropped',
    'minimiseOp.mask': 'masked',
    'minimiseOp.generalise': 'generalised',
    'minimiseOp.pseudonymise': 'pseudonymised',
    'minimiseFormat.csv': 'CSV',
    'minimiseFormat.tsv': 'TSV (tab-separated)',
    'minimiseFormat.jsonl': 'JSON Lines',
    'minimiseCounts.detected': 'the people found in what leaves',
    'minimiseCounts.declared': 'the declared counts (still personal information)',
    'evidenceItem.classification_record': 'classification record',
    'evidenceItem.business_reference': 'business reference',
    'evidenceItem.pipia': 'PI protection impact assessment',
    'evidenceItem.notice_record': 'notice record',
    'evidenceItem.consent_record': 'separate consent record',
    'evidenceItem.guardian_consent_record': 'guardian consent record',
    'evidenceItem.attestation': 'recipient attestation',
    'evidenceItem.filing:standard_contract|certification': 'standard contract filing or PI certification',
    'evidenceItem.risk_self_assessment': 'risk self-assessment report',
    'evidenceItem.recipient_legal_document': 'legal document with the recipient',
    'evidenceItem.filing:security_assessment': 'security assessment',
    'evidenceItem.provenance_log': 'provenance log',
    'evidenceItem.contract_record': 'contract record',
    'evidenceItem.hr_records': 'HR records',
    'evidenceItem.incident_record': 'emergency record',
    'evidenceItem.statutory_duty_record': 'statutory duty record',
    'evidenceItem.ytd_counter_snapshot': 'year-to-date volume snapshot',
    'evidenceItem.ftz_registration': 'FTZ registration',
    'evidenceItem.ftz_list_version': 'FTZ negative list version',
    'evidenceItem.export_licence': 'export licence',
    'evidenceItem.foreign_request_approval': 'approval to answer a foreign authority',
    'evidenceItem.core_data_approval': 'core data approval',
    'evidenceItem.hgr_approval': 'human genetic resources approval',
    'evidenceItem.survey_mapping_approval': 'surveying and mapping approval',
    'evidenceItem.financial_regulator_signoff': 'financial regulator sign-off',
    'evidenceItem.important_data_identification': 'important data identification',
    'saKind.pipia': 'PI protection impact assessment',
    'saKind.risk_self_assessment': 'risk self-assessment',
    'ftzArea.nanning': 'Nanning area',
    'ftzArea.qinzhou': 'Qinzhou Port area',
    'ftzArea.chongzuo': 'Chongzuo area',
    'recipientRole.controller': 'controller',
    'recipientRole.processor': 'processor',
    'onwardTransfer.prohibited': 'prohibited',
    'onwardTransfer.with_exporter_consent': "with the exporter's consent",
    'onwardTransfer.equivalent_protection': 'to recipients giving equivalent protection',
    'country.BN': 'Brunei',
    'country.KH': 'Cambodia',
    'country.ID': 'Indonesia',
    'country.LA': 'Laos',
    'country.MY': 'Malaysia',
    'country.MM': 'Myanmar',
    'country.PH': 'Philippines',
    'country.SG': 'Singapore',
    'country.TH': 'Thailand',
    'country.VN': 'Viet Nam',
    'event.transfer.held': 'transfer held for review',
    'event.transfer.released': 'transfer released',
    'event.transfer.rejected': 'transfer rejected',
    'event.transfer.blocked': 'transfer blocked',
    'event.transfer.delivery_failed': 'delivery failed',
    'event.evidence.revoked': 'evidence revoked (incident)',
    'event.filing.expiring': 'filing expiring',
    'event.attestation.expiring': 'partner attestation expiring',
    'event.certificate.expiring': 'partner certificate expiring',
    'event.review.overdue': 'review overdue',
    'webhookOutcome.delivered': 'delivered',
    'webhookOutcome.http_error': 'the receiver answered with an error',
    'webhookOutcome.address_not_allowed': 'address not allowed',
    'webhookOutcome.dns_error': 'host name does not resolve',
    'webhookOutcome.connect_refused': 'connection refused',
    'webhookOutcome.unreachable': 'network unreachable',
    'webhookOutcome.timeout': 'timed out',
    'webhookOutcome.tls_error': 'TLS handshake failed',
    'webhookOutcome.connection_reset': 'connection reset',
    'webhookOutcome.network_error': 'network error',
    'webhookScope.exporter': 'this exporter',
    'webhookScope.global': 'all exporters',
    'evidenceKind.certificate': 'partner certificate',
    'evidenceKind.filing': 'filing',
  },
};

/** Instruments as the policy files cite them, longest first so "Order 13" is not read as "Order 1". */
const instruments = [
  ['Law on Guarding State Secrets (2024 rev.)', '《保守国家秘密法》（2024年修订）'],
  ['Export Control Law (2020)', '《出口管制法》'],
  ['HGR Regulations (2019)', '《人类遗传资源管理条例》'],
  ['Surveying and Mapping Law', '《测绘法》'],
  ['Map Management Regulations', '《地图管理条例》'],
  ['Credit Reporting Regulation', '《征信业管理条例》'],
  ['Securities Law', '《证券法》'],
  ['PBOC 2011 notice', '中国人民银行《关于银行业金融机构做好个人金融信息保护工作的通知》（2011年）'],
  ['Provisions 2024', '《促进和规范数据跨境流动规定》'],
  [
    'Measures for the Reporting of Cybersecurity Incidents (CAC, 2025)',
    '《国家网络安全事件报告管理办法》（2025年）',
  ],
  ['PIPL', '《个人信息保护法》'],
  ['DSL', '《数据安全法》'],
  ['CSL', '《网络安全法》'],
  ['NDSMR', '《网络数据安全管理条例》'],
  ['Order 11', '《数据出境安全评估办法》'],
  ['Order 13', '《个人信息出境标准合同办法》'],
  ['Order 20', '《个人信息出境认证办法》'],
  ['GB/T 43697-2024', 'GB/T 43697-2024《数据安全技术 数据分类分级规则》'],
  ['GB/T 37964-2019', 'GB/T 37964-2019《信息安全技术 个人信息去标识化指南》'],
  ['ASEAN MCCs', '《东盟数据跨境流动示范合同条款》'],
  ['FTZ negative list entry', '自贸试验区数据出境负面清单条目'],
  ['FTZ negative list', '自贸试验区数据出境负面清单'],
];

const digits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 35 → 三十五, 177 → 一百七十七. */
export function chineseNumber(n) {
  if (!Number.isInteger(n) || n < 0 || n > 999) return String(n);
  if (n < 10) return digits[n];
  if (n < 20) return `十${n === 10 ? '' : digits[n - 10]}`;
  if (n < 100) return `${digits[Math.floor(n / 10)]}十${n % 10 === 0 ? '' : digits[n % 10]}`;
  const rest = n % 100;
  const hundreds = `${digits[Math.floor(n / 100)]}百`;
  if (rest === 0) return hundreds;
  return rest < 10
    ? `${hundreds}零${digits[rest]}`
    : `${hundreds}${rest < 20 ? '一' : ''}${chineseNumber(rest)}`;
}

/** "8" → 第八条, "5(3)" → 第五条第（三）项. */
function article(text) {
  const m = /^(\d+)(?:\((\d+)\))?$/.exec(text.trim());
  if (m === null) return null;
  const item = m[2] === undefined ? '' : `第（${chineseNumber(Number(m[2]))}）项`;
  return `第${chineseNumber(Number(m[1]))}条${item}`;
}

/** "arts. 7, 9" / "art. 5(3)" / "arts. 7–8" in Chinese; null when the text is not an article list. */
function articles(text) {
  const list = text.replace(/^arts?\.\s*/, '');
  if (list === text) return null;
  const parts = list.split(/,\s*/).map((p) => {
    const range = /^(\d+)\s*[–-]\s*(\d+)$/.exec(p);
    if (range !== null) return `${article(range[1])}至${article(range[2])}`;
    return article(p);
  });
  return parts.every((p) => p !== null) ? parts.join('、') : null;
}

/** Internal document references (regulation.md §…, design.md: …) are not citations a reviewer can look up. */
const internalRef = /,?\s*(?:regulation|design|api)\.md\b[^;()]*/g;
const isInternal = /(?:regulation|design|api)\.md\b/;

function citationPartZh(part) {
  const text = part.replace(/\s*\([^)]*(?:regulation|design|api)\.md[^)]*\)/g, '').trim();
  if (text === '' || isInternal.test(text)) return null;
  for (const [name, title] of instruments) {
    if (!text.startsWith(name)) continue;
    // A note in brackets after the article ("(recipient meets the PIPL standard)") is English commentary: left out.
    const rest = text
      .slice(name.length)
      .replace(/\s+\([^)]*\)\s*$/, '')
      .trim();
    if (rest === '') return title;
    const arts = articles(rest);
    if (arts !== null) return `${title}${arts}`;
  }
  return null;
}

/**
 * A rule citation from the policy in the console's language. Chinese: each "Instrument art. N" becomes the
 * instrument's title and article; parts it cannot put in words, and internal document references, become
 * 网关规则 (the gateway's own policy). English: the citation less internal document references.
 * @param {string} rule @param {'zh' | 'en'} lang
 */
export function citation(rule, lang) {
  if (lang === 'zh') {
    const parts = rule.split(/;\s*/).map(citationPartZh);
    const known = parts.filter((p) => p !== null);
    const policy = parts.some((p) => p === null) ? ['网关规则'] : [];
    return [...new Set([...known, ...policy])].join('；');
  }
  const cleaned = rule
    .split(/;\s*/)
    .filter((p) => !/^\s*(?:regulation|design|api)\.md\b/.test(p) && !/^\s*§/.test(p))
    .map((p) =>
      p.replace(/\(([^)]*)\)/g, (whole, inner) =>
        isInternal.test(inner) ? `(${inner.replace(internalRef, '').trim()})` : whole,
      ),
    )
    .map((p) =>
      p
        .replace(/\s*\(\s*\)/g, '')
        .replace(internalRef, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((p) => p !== '');
  return cleaned.length === 0 ? 'gateway policy' : cleaned.join('; ');
}
