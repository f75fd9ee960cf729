// The pure rooms may not import each other (design.md "Dependency direction"), so certs/ keeps its own copies
// of a few lists the manifest defines. This test keeps the copies in step with the originals, and the closed set
// of reason codes (transfers/transfer-vocabulary.ts) in step with docs/errors.md and the sources, as Fastify keeps its
// error catalogue in step with its docs.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Rules } from '../../certs/claims-reader.js';
import { releaseTiers } from '../../certs/release.js';
import { tiers } from '../../policies/classification.js';
import { businessTypes, usccPattern } from '../../policies/manifest.js';
import { attestationBusinessTypes, recipientRoles } from '../../certs/attestation-claims.js';
import { PartnerBody } from '../../registry/records.js';
import { consoleVocabulary, evidenceReasonCodes, reasonCodes } from '../../transfers/transfer-vocabulary.js';
import { inspectionReasonCodes, tierReasonCodes } from '../../policies/reason-codes.js';

describe('vocabulary shared between rooms', () => {
  it('certs/ knows the same business types as the manifest', () => {
    expect([...attestationBusinessTypes].sort()).to.deep.equal([...businessTypes].sort());
  });

  it('certs/ knows the same tiers as the evaluator', () => {
    expect([...releaseTiers].sort()).to.deep.equal([...tiers].sort());
  });

  it('certs/ accepts the same ids and USCCs as the manifest', () => {
    for (const id of ['partner-sg', 'a', 'SCC-GX-2026-0001', 'x:y.z_1'])
      expect(Rules.id.pattern.test(id), id).to.equal(true);
    for (const id of ['-lead', '', 'has space', 'ü']) expect(Rules.id.pattern.test(id), id).to.equal(false);
    expect(String(Rules.uscc.pattern)).to.equal(String(new RegExp(usccPattern)));
  });

  it('certs/ knows the same recipient roles as the partner registry', () => {
    const roles = (PartnerBody.properties.role.anyOf as { const: string }[]).map((s) => s.const);
    expect([...recipientRoles].sort()).to.deep.equal(roles.sort());
  });
});

/** Every `R-…` code named on a page or in a file, families (`R-EVID-ATTESTATION-*`) left out; `A` / `-SPI` on
 * docs/errors.md is A's stem with -SPI. */
function codesIn(text: string): string[] {
  const expanded = text.replace(/`(R-[A-Z0-9-]+)-([A-Z0-9]+)` \/ `-([A-Z0-9]+)`/g, '`$1-$2` `$1-$3`');
  return [...new Set(expanded.match(/R-[A-Z0-9]+(?:-[A-Z0-9]+)+(?![A-Z0-9]|-[A-Z0-9*])/g) ?? [])].sort();
}

/** The shipped sources that give reasons: the rulebook's data files and the code, tests excluded. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.(ts|js|yaml)$/.test(entry.name) ? [file] : [];
  });
}

describe('the closed set of reason codes', () => {
  it('docs/errors.md documents exactly the codes of the union (both directions)', () => {
    const documented = codesIn(readFileSync('docs/errors.md', 'utf8'));
    expect(documented.filter((c) => !(reasonCodes as readonly string[]).includes(c))).to.deep.equal([]);
    expect([...reasonCodes].filter((c) => !documented.includes(c))).to.deep.equal([]);
  });

  it('every code written in the shipped sources is in the union', () => {
    const rooms = ['policies', 'transfers', 'workers', 'gateway', 'registry', 'certs', 'inspection', 'cli'];
    const written = codesIn(
      rooms
        .flatMap(sourceFiles)
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n'),
    );
    expect(written.filter((c) => !(reasonCodes as readonly string[]).includes(c))).to.deep.equal([]);
  });

  it('the decision table shipped gives exactly the tier and inspection codes', () => {
    const table = codesIn(readFileSync('policies/decision-table.yaml', 'utf8'));
    expect(table).to.deep.equal([...tierReasonCodes, ...inspectionReasonCodes].sort());
  });

  it('certs/ gives only attestation codes the attestation check knows', () => {
    const certs = codesIn(
      readFileSync('certs/attestation-claims.ts', 'utf8') + readFileSync('certs/attestation.ts', 'utf8'),
    );
    const known: readonly string[] = evidenceReasonCodes.attestation;
    expect(certs.filter((c) => !known.includes(c))).to.deep.equal([]);
  });

  it('the review console is told the same sets (GET /console/vocabulary.json)', () => {
    expect(consoleVocabulary.approvalsNeeded).to.equal(2);
    expect(consoleVocabulary.tiers).to.deep.equal(tiers);
    expect(consoleVocabulary.reasonCodes).to.deep.equal(reasonCodes);
  });
});
