// The pure rooms may not import each other (design.md "Dependency direction"), so certs/ keeps its own copies
// of a few lists the manifest defines. This test keeps the copies in step with the originals.
import { expect } from 'chai';
import { Rules } from '../../certs/claims-reader.js';
import { releaseTiers } from '../../certs/release.js';
import { tiers } from '../../policies/classification.js';
import { businessTypes, usccPattern } from '../../policies/manifest.js';
import { attestationBusinessTypes, recipientRoles } from '../../certs/attestation-claims.js';
import { PartnerBody } from '../../registry/records.js';

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
