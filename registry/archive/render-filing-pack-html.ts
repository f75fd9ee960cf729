// registry/archive/render-filing-pack-html: a filing pack as a printable HTML document in Chinese (api.md §10). Pure: every
// value is escaped, no scripts, no outside assets (styles inline), so it prints the same offline.
import type { FilingPack, Sources } from './assemble-filing-pack.js';

const kindTitle: Record<FilingPack['kind'], string> = {
  standard_contract: '个人信息出境标准合同备案',
  certification: '个人信息保护认证申请',
  security_assessment: '数据出境安全评估申报',
};

export function escapeHtml(value: string | number | null): string {
  return String(value ?? '—').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const sources = (s: Sources) =>
  `<td class="src">${s.transferIds.map(escapeHtml).join('<br>')}</td><td class="src">${s.ledgerIndexes
    .map(escapeHtml)
    .join(', ')}</td>`;

function table(head: readonly string[], rows: readonly string[]): string {
  if (rows.length === 0) return '<p>（无）</p>';
  return `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r}</tr>`)
    .join('')}</tbody></table>`;
}

export function renderFilingPackHtml(pack: FilingPack): string {
  const src = ['来源传输', '账本索引'];
  const v = pack.volumes;
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${kindTitle[pack.kind]} · ${escapeHtml(pack.exporterId)}</title>
<style>body{font-family:"Noto Sans CJK SC",sans-serif;margin:2em;font-size:11pt}table{border-collapse:collapse;width:100%;margin-bottom:1em}th,td{border:1px solid #444;padding:4px;text-align:left;vertical-align:top}td.src{font-family:monospace;font-size:8pt}@media print{body{margin:0}}</style>
</head><body>
<h1>${kindTitle[pack.kind]}：事实材料</h1>
<p>数据处理者（统一社会信用代码）：${escapeHtml(pack.exporterId)}<br>年度：${escapeHtml(pack.year)}（北京时间 1 月 1 日起）<br>${
    pack.firstFiling ? '首次备案/申请：是（含因缺少备案而暂扣的传输）' : '首次备案/申请：否'
  }<br>已放行传输：${escapeHtml(pack.transfers.released)} 笔；暂扣传输：${escapeHtml(pack.transfers.held)} 笔</p>
<h2>一、境外接收方</h2>
${table(
  ['接收方', '国家/地区', ...src],
  pack.recipients.map(
    (r) =>
      `<td>${escapeHtml(r.partnerId)}</td><td>${r.countries.map(escapeHtml).join('、')}</td>${sources(r)}`,
  ),
)}
<h2>二、目的地国家/地区</h2>
${table(
  ['国家/地区', ...src],
  pack.countries.map((c) => `<td>${escapeHtml(c.country)}</td>${sources(c)}`),
)}
<h2>三、个人信息种类</h2>
${table(
  ['种类', ...src],
  pack.dataCategories.map((c) => `<td>${escapeHtml(c.category)}</td>${sources(c)}`),
)}
<h2>四、业务类型与处理目的</h2>
${table(
  ['业务类型', ...src],
  pack.businessTypes.map((b) => `<td>${escapeHtml(b.businessType)}</td>${sources(b)}`),
)}
<p>处理目的为清单中的自由文本，不写入账本与归档，请依已登记备案或清单填写。</p>
<h2>五、数量</h2>
${table(
  ['项目', '个人（去重）', '敏感个人信息主体', ...src],
  [
    `<td>本年已放行</td><td>${escapeHtml(v.released.individuals)}</td><td>${escapeHtml(v.released.sensitiveIndividuals)}</td>${sources(v.released)}`,
    `<td>暂扣（申报数，未去重）</td><td>${escapeHtml(v.held.declaredIndividuals)}</td><td>${escapeHtml(v.held.declaredSensitive)}</td>${sources(v.held)}`,
  ],
)}
<h2>六、境外存储地点与保存期限（据接收方承诺）</h2>
${table(
  ['接收方', '存储国家/地区', '保存期限（天）', '承诺有效期至', '承诺编号', '账本索引'],
  pack.storage.map(
    (s) =>
      `<td>${escapeHtml(s.partnerId)}</td><td>${escapeHtml(s.storageCountry)}</td><td>${escapeHtml(s.retentionDays)}</td><td>${escapeHtml(s.expiresAt)}</td><td class="src">${escapeHtml(s.attestationId)}</td><td class="src">${escapeHtml(s.ledgerIndex)}</td>`,
  ),
)}
${pack.storageUnknownFor.length === 0 ? '' : `<p>未登记承诺、存储地点与期限未知的接收方：${pack.storageUnknownFor.map(escapeHtml).join('、')}</p>`}
</body></html>
`;
}
