// console/views/transfer-detail: one transfer's full picture — classification with every reason and citation,
// inspection summary (counts, confidence, masked samples), checks, the evidence records, the exporter's yearly
// volume against the thresholds, delivery attempts, decisions and the ledger receipt — and the reviewer's
// four-eyes decision, or ops' retry of a failed delivery.
import { call, get } from '../api.js';
import { facts, h, shareBar, table } from '../dom.js';
import { fmtDuration, fmtNumber, fmtTime, t, term } from '../i18n.js';
import {
  downloadReceipt,
  exporterLabel,
  failingReasons,
  loadExporterNames,
  reasonList,
  statusBadge,
  tierLabel,
} from './transfer-parts.js';
import { terms } from '../terms.js';

const list = (values) => (values === undefined || values.length === 0 ? '—' : values.join(', '));
const mono = (text) =>
  text === undefined || text === null ? '—' : h('span', { class: 'mono' }, String(text));
const yesNo = (value) => (value === undefined || value === null ? '—' : t(value ? 'yes' : 'no'));

function section(id, title, ...content) {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...content);
}

/** "1 of 2 approvals, by rev-a" — the four-eyes state of api.md §6. */
export function fourEyesText(record) {
  const n = record.approvals.length;
  return n === 0
    ? t('review.fourEyesNone', { of: terms.approvalsNeeded })
    : t('review.fourEyes', { n, of: terms.approvalsNeeded, by: record.approvals.join(', ') });
}

export async function renderTransferDetail(target, ctx, id) {
  const path = `/v1/transfers/${encodeURIComponent(id)}`;
  const [record, evidence] = await Promise.all([get(path), get(`${path}/evidence`)]);
  const volume = await get(`/v1/exporters/${encodeURIComponent(record.exporterId)}/volume`).catch(() => null);
  await loadExporterNames([record.exporterId], ctx);
  if (!ctx.stillCurrent()) return;
  const m = record.manifest;
  const c = record.classification;
  const missing = failingReasons(record);

  target.replaceChildren(
    h(
      'p',
      { class: 'back' },
      h(
        'a',
        {
          href:
            ctx.me.role === 'enterprise' ? '#/mine' : ctx.me.role === 'reviewer' ? '#/queue' : '#/transfers',
        },
        t('detail.back'),
      ),
    ),
    h('h1', {}, t('detail.title'), ' ', h('span', { class: 'mono' }, record.id)),
    h('p', { class: 'headline' }, statusBadge(record.status), ' ', tierLabel(c.tier)),
    h(
      'div',
      { class: 'grid' },
      section(
        'sec-summary',
        t('detail.summary'),
        facts([
          [t('field.exporter'), exporterLabel(record.exporterId)],
          [t('field.partner'), mono(m.partnerId)],
          [t('field.endpoint'), mono(m.endpointId)],
          [t('field.destination'), term('country', m.destinationCountry)],
          [t('field.businessType'), term('businessType', m.businessType)],
          [t('field.purpose'), h('span', { class: 'purpose' }, m.purpose)],
          [t('field.dataCategories'), list(m.dataCategories)],
          [t('field.declaredGrade'), term('grade', m.declaredGrade)],
          [t('field.submitted'), fmtTime(record.createdAt)],
          [t('field.submittedBy'), record.submittedBy],
          [
            t('field.statusSince'),
            `${fmtTime(record.statusSince)} (${fmtDuration(Date.now() - Date.parse(record.statusSince))})`,
          ],
        ]),
      ),
      decisionPanel(record, ctx),
    ),
    record.holdReasons.length === 0
      ? null
      : section('sec-hold', t('detail.holdReasons'), reasonList(record.holdReasons)),
    section(
      'sec-class',
      t('detail.classification'),
      facts([
        [t('field.tier'), tierLabel(c.tier)],
        [t('field.grade'), term('grade', c.grade)],
        [t('field.matchedRow'), c.matchedRow],
        [t('field.policyVersion'), mono(c.policyVersion)],
        [
          t('field.ftz'),
          c.ftz?.match === null || c.ftz === undefined
            ? '—'
            : `${term('ftzArea', c.ftz.area)} · ${c.ftz.listId} · ${c.ftz.match}`,
        ],
        [t('field.requiredEvidence'), list(c.requiredEvidence?.map((x) => term('evidenceItem', x)))],
        [t('field.requiredChecks'), list(c.requiredChecks?.map((x) => t(`check.${x}`)))],
      ]),
      h('h3', {}, t('detail.reasons')),
      reasonList(c.reasons),
    ),
    record.minimisation === undefined ? null : minimisationSection(record.minimisation, record),
    inspectionSection(record.inspection),
    checksSection(record),
    evidenceSection(evidence, missing),
    volumeSection(volume, c),
    section(
      'sec-attempts',
      t('detail.attempts'),
      table(
        t('detail.attempts'),
        ['attempt', 'at', 'outcome', 'detail'].map((k) => t(`col.${k}`)),
        record.deliveryAttempts.map((a) => [a.attempt, fmtTime(a.at), t(`outcome.${a.outcome}`), a.detail]),
        t('detail.noAttempts'),
        { hideCaption: true },
      ),
    ),
    section(
      'sec-decisions',
      t('detail.decisions'),
      h('p', { class: 'four-eyes' }, fourEyesText(record)),
      table(
        t('detail.decisions'),
        ['reviewer', 'decision', 'comment', 'at'].map((k) => t(`col.${k}`)),
        record.decisions.map((d) => [d.reviewer, t(`decision.${d.decision}`), d.comment, fmtTime(d.at)]),
        t('detail.noDecisions'),
        { hideCaption: true },
      ),
    ),
    receiptSection(record, ctx),
  );
}

function decisionPanel(record, ctx) {
  const { me } = ctx;
  const parts = [h('p', { class: 'four-eyes', id: 'four-eyes' }, fourEyesText(record))];
  if (me.role === 'reviewer' && record.status === 'held') {
    const own = record.submittedBy === me.sub;
    const already = record.approvals.includes(me.sub);
    if (own) parts.push(h('p', { class: 'notice warn' }, t('review.ownTransfer')));
    else if (already) parts.push(h('p', { class: 'notice warn' }, t('review.alreadyApproved')));
    const error = h('p', { id: 'comment-error', class: 'error', hidden: true });
    const comment = h('textarea', {
      id: 'decision-comment',
      name: 'comment',
      rows: '3',
      required: true,
      maxlength: '4000',
      disabled: own ? true : undefined,
      'aria-describedby': 'comment-hint comment-error',
    });
    const decide = async (decision) => {
      if (comment.value.trim() === '') {
        error.textContent = t('review.commentRequired');
        error.hidden = false;
        comment.setAttribute('aria-invalid', 'true');
        comment.focus();
        return;
      }
      try {
        const updated = await call('POST', `/v1/transfers/${encodeURIComponent(record.id)}/decision`, {
          decision,
          comment: comment.value.trim(),
        });
        await ctx.rerender();
        ctx.announce(t(`review.done.${decision}`, { status: t(`status.${updated.status}`) }), 'success');
      } catch (err) {
        error.textContent = ctx.describeError(err);
        error.hidden = false;
      }
    };
    parts.push(
      h(
        'form',
        { class: 'decision', novalidate: true, onsubmit: (event) => event.preventDefault() },
        h('label', { for: 'decision-comment' }, t('review.comment')),
        h('p', { id: 'comment-hint', class: 'hint' }, t('review.commentHint')),
        comment,
        error,
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'primary',
              disabled: own || already ? true : undefined,
              onclick: () => void decide('approve'),
            },
            t('review.approve'),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              disabled: own ? true : undefined,
              onclick: () => void decide('reject'),
            },
            t('review.reject'),
          ),
        ),
      ),
    );
  } else if (me.role === 'ops' && record.status === 'delivery_failed') {
    parts.push(
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          onclick: async () => {
            try {
              await call('POST', `/v1/transfers/${encodeURIComponent(record.id)}/retry`);
              await ctx.rerender();
              ctx.announce(t('ops.retried', { id: record.id }), 'success');
            } catch (err) {
              ctx.announce(ctx.describeError(err), 'error');
            }
          },
        },
        t('ops.retry'),
      ),
    );
  } else if (record.status === 'held') {
    parts.push(h('p', { class: 'hint' }, t('review.reviewersOnly')));
  }
  return section('sec-decide', t('detail.decide'), ...parts);
}

/** Issue #20: the original and what leaves side by side — digest, people found, tier and reasons — and the plan. */
function minimisationSection(m, record) {
  const before = m.before;
  const after = record.inspection;
  const findings = (counts) =>
    list(Object.entries(counts ?? {}).map(([d, n]) => `${t(`detector.${d}`, {}, d)} ${fmtNumber(n)}`));
  const k = m.outcome.kAnonymity;
  const kText =
    k.k !== null
      ? fmtNumber(k.k)
      : k.bounded
        ? t('minimise.kUnknown')
        : k.quasiIdentifiers.length === 0
          ? t('minimise.kNone')
          : '—';
  return section(
    'sec-minimise',
    t('detail.minimisation'),
    h('p', {}, t('minimise.intro')),
    table(
      t('detail.minimisation'),
      ['', t('minimise.original'), t('minimise.delivered')],
      [
        [t('field.tier'), tierLabel(before.classification.tier), tierLabel(record.classification.tier)],
        [t('field.bytes'), fmtNumber(before.bytes), fmtNumber(after.bytes)],
        [t('field.sha256'), mono(before.sha256), mono(after.sha256)],
        [
          t('field.individualsDetected'),
          fmtNumber(before.individualsDetected),
          fmtNumber(after.individualsDetected),
        ],
        [
          t('field.sensitiveDetected'),
          fmtNumber(before.sensitiveIndividualsDetected),
          fmtNumber(after.sensitiveIndividualsDetected),
        ],
        [t('detail.findings'), findings(before.findings), findings(after.findings)],
        [
          t('detail.reasons'),
          reasonList(before.classification.reasons),
          reasonList(record.classification.reasons),
        ],
      ],
    ),
    facts([
      [t('minimise.format'), term('minimiseFormat', m.plan.format)],
      [t('minimise.counts'), term('minimiseCounts', m.counts)],
      [t('minimise.k'), `${kText} (${t('minimise.kMinimum')} ${fmtNumber(m.kMinimum)})`],
      [t('minimise.quasi'), list(k.quasiIdentifiers)],
    ]),
    table(
      t('minimise.plan'),
      [t('minimise.column'), t('minimise.operation'), t('minimise.values')],
      [
        ...m.outcome.columns.map((col) => [col.name, term('minimiseOp', col.op), fmtNumber(col.values)]),
        ...Object.entries(m.outcome.categories ?? {}).map(([cat, n]) => [
          t(`detector.${cat}`, {}, cat),
          term('minimiseOp', m.plan.categories?.[cat]?.op),
          fmtNumber(n),
        ]),
      ],
      '—',
    ),
  );
}

function inspectionSection(inspection) {
  const detail = inspection.detail ?? { findings: {}, columns: [] };
  const rows = Object.entries(detail.findings ?? {}).map(([detector, f]) => [
    t(`detector.${detector}`, {}, detector),
    fmtNumber(f.count),
    t(`confidence.${f.confidence}`, {}, f.confidence),
    yesNo(f.sensitive),
    h('span', { class: 'mono samples' }, f.samples.length === 0 ? '—' : f.samples.join('  ')),
  ]);
  return section(
    'sec-inspection',
    t('detail.inspection'),
    facts([
      [t('field.bytes'), fmtNumber(inspection.bytes)],
      [t('field.sha256'), mono(inspection.sha256)],
      [t('field.individualsDetected'), fmtNumber(inspection.individualsDetected)],
      [t('field.sensitiveDetected'), fmtNumber(inspection.sensitiveIndividualsDetected)],
      [t('field.columns'), list((detail.columns ?? []).map((col) => `${col.name} (${col.category})`))],
    ]),
    table(
      t('detail.findings'),
      ['detector', 'count', 'confidence', 'sensitive', 'samples'].map((k) => t(`col.${k}`)),
      rows,
      t('detail.noFindings'),
    ),
  );
}

function checksSection(record) {
  const required = record.classification.requiredChecks ?? [];
  const names = [...new Set([...required, ...Object.keys(record.checks)])];
  const rows = names.map((name) => {
    const outcome = record.checks[name];
    return [
      t(`check.${name}`),
      outcome === undefined
        ? h('span', { class: 'badge pending' }, t('check.pending'))
        : h(
            'span',
            { class: `badge ${outcome.ok ? 'ok' : 'fail'}` },
            t(outcome.ok ? 'check.passed' : 'check.failed'),
          ),
      outcome === undefined ? '—' : reasonList(outcome.reasons, '—'),
      outcome === undefined ? '—' : mono(Object.values(outcome.evidence).join(', ') || '—'),
      outcome === undefined ? '—' : fmtTime(outcome.at),
    ];
  });
  return section(
    'sec-checks',
    t('detail.checks'),
    table(
      t('detail.checks'),
      ['check', 'result', 'reasons', 'evidence', 'at'].map((k) => t(`col.${k}`)),
      rows,
      t('detail.noChecks'),
      { hideCaption: true },
    ),
  );
}

function evidenceSection(evidence, missing) {
  const absent = (named) =>
    h(
      'p',
      { class: 'empty' },
      t(named === undefined ? 'evidence.notNamed' : 'evidence.notFound', { id: named ?? '' }),
    );
  const sa = evidence.selfAssessment;
  const att = evidence.attestation;
  const filing = evidence.filing;
  const claims = att?.claims ?? {};
  return section(
    'sec-evidence',
    t('detail.evidence'),
    h('h3', {}, t('evidence.missing')),
    missing.length === 0 ? h('p', { class: 'empty' }, t('evidence.nothingMissing')) : reasonList(missing),
    h(
      'p',
      {},
      t('field.requiredEvidence'),
      ': ',
      list(evidence.requiredEvidence?.map((x) => term('evidenceItem', x))),
    ),
    h('h3', {}, t('evidence.selfAssessment')),
    sa === null
      ? absent(evidence.named.selfAssessmentId)
      : facts([
          [t('field.id'), mono(sa.id)],
          [t('field.kind'), term('saKind', sa.kind)],
          [t('field.completedOn'), sa.completedOn],
          [t('field.reportSha256'), mono(sa.reportSha256)],
          [t('field.partners'), list(sa.scope.partnerIds)],
          [t('field.dataCategories'), list(sa.scope.dataCategories)],
          [t('field.purposes'), list(sa.scope.purposes)],
          [t('field.businessTypes'), list(sa.scope.businessTypes?.map((x) => term('businessType', x)))],
        ]),
    h('h3', {}, t('evidence.attestation')),
    att === null
      ? absent(evidence.named.attestationId)
      : [
          facts([
            [t('field.id'), mono(att.id)],
            [t('field.partner'), mono(att.partnerId)],
            [
              t('field.recipient'),
              claims.recipient
                ? `${claims.recipient.name} (${term('country', claims.recipient.country)})`
                : '—',
            ],
            [t('field.role'), term('recipientRole', claims.role)],
            [t('field.purposes'), list(claims.purposes)],
            [t('field.dataCategories'), list(claims.dataCategories)],
            [t('field.storageCountry'), term('country', claims.storageCountry)],
            [t('field.retentionDays'), claims.retentionDays],
            [t('field.onwardTransfer'), term('onwardTransfer', claims.onwardTransfer)],
            [t('field.sensitive'), yesNo(claims.sensitive)],
            [t('field.breachHours'), claims.breachNotificationHours],
            [t('field.cacSupervision'), yesNo(claims.acceptsCacSupervision)],
            [t('field.endpoints'), list(claims.endpoints)],
            [t('field.alg'), att.alg],
            [t('field.registeredAt'), fmtTime(att.registeredAt)],
            [t('field.expiresAt'), fmtTime(att.expiresAt)],
          ]),
          table(
            t('evidence.chain'),
            ['position', 'subject', 'issuer', 'validFrom', 'validUntil', 'key', 'sha256'].map((k) =>
              t(`col.${k}`),
            ),
            att.chain.map((cert, i) => [
              i === 0 ? t('evidence.leaf') : t('evidence.intermediate', { n: i }),
              cert.subjectCn ?? '—',
              cert.issuerCn ?? '—',
              fmtTime(cert.notBefore),
              fmtTime(cert.notAfter),
              cert.key,
              h('span', { class: 'mono', title: cert.sha256 }, `${cert.sha256.slice(0, 16)}…`),
            ]),
            t('evidence.noChain'),
          ),
        ],
    h('h3', {}, t('evidence.filing')),
    filing === null
      ? absent(evidence.named.filingId)
      : facts([
          [t('field.id'), mono(filing.id)],
          [t('field.kind'), t(`filingKind.${filing.kind}`)],
          [t('field.status'), t(`filingStatus.${filing.status}`)],
          [t('field.validFrom'), filing.validFrom],
          [t('field.validUntil'), filing.validUntil],
          [t('field.maxIndividuals'), fmtNumber(filing.maxIndividuals)],
          [t('field.maxSensitive'), fmtNumber(filing.maxSensitiveIndividuals)],
          [t('field.partners'), list(filing.partnerIds)],
          [t('field.dataCategories'), list(filing.dataCategories)],
          [t('field.purposes'), list(filing.purposes)],
        ]),
  );
}

/** How close the count is to the security-assessment threshold: full (and red) at or past it. */
function closeness(label, count, th) {
  const share = th.securityAssessment > 0 ? count / th.securityAssessment : 1;
  const region =
    count >= th.securityAssessment ? 'over' : count >= th.standardContract ? 'contract' : 'under';
  return shareBar(share, region, t('volume.meter', { label }));
}

function volumeSection(volume, classification) {
  if (volume === null)
    return section('sec-volume', t('detail.volume'), h('p', { class: 'empty' }, t('volume.unavailable')));
  const row = (label, ytd, projected, th) => [
    label,
    fmtNumber(ytd),
    fmtNumber(projected),
    fmtNumber(th.standardContract),
    fmtNumber(th.securityAssessment),
    closeness(label, Math.max(ytd, projected), th),
  ];
  return section(
    'sec-volume',
    t('detail.volume'),
    h('p', { class: 'hint' }, t('volume.intro', { year: volume.year })),
    table(
      t('detail.volume'),
      ['kind', 'ytd', 'projected', 'sccFrom', 'saFrom', 'meter'].map((k) => t(`col.${k}`)),
      [
        row(
          t('volume.nonSensitive'),
          volume.individuals,
          classification.volume?.individualsYtd ?? volume.individuals,
          volume.thresholds.nonSensitive,
        ),
        row(
          t('volume.sensitive'),
          volume.sensitiveIndividuals,
          classification.volume?.sensitiveYtd ?? volume.sensitiveIndividuals,
          volume.thresholds.sensitive,
        ),
      ],
      undefined,
      { hideCaption: true },
    ),
  );
}

function receiptSection(record, ctx) {
  const release = record.release;
  return section(
    'sec-receipt',
    t('detail.receipt'),
    facts([
      [t('field.releasedBy'), release === null ? '—' : t(`release.${release.by}`)],
      [t('field.releasedAt'), release === null ? '—' : fmtTime(release.at)],
      [t('field.ledgerIndex'), release?.ledgerIndex ?? '—'],
      [t('field.partnerReceipt'), record.receipt === null ? '—' : fmtTime(record.receipt.receivedAt)],
    ]),
    release === null || release.ledgerIndex === null
      ? h('p', { class: 'empty' }, t('receipt.none'))
      : h(
          'button',
          { type: 'button', onclick: () => void downloadReceipt(record.id, ctx) },
          t('receipt.download'),
        ),
  );
}
