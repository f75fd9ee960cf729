// Name constraints (RFC 5280 §4.2.1.10, §6.1.3 (b)(c)) beyond the conformance corpus: malformed extensions,
// the anchor's own constraints, subtrees with a minimum or maximum, and the parsed facts themselves.
import { expect } from 'chai';
import { parseCertificate } from '../../../certs/certificate.js';
import { verifyChain, type ChainResult } from '../../../certs/chain.js';
import { ExtensionOid } from '../../../certs/oids.js';
import { NOW, issue, makeKey, type Issued, type KeyPair } from './test-pki.js';

const codes = (r: ChainResult): string[] => (r.ok ? [] : r.reasons.map((x) => x.code));
const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');

describe('certs name constraints', () => {
  let rootKey: KeyPair;
  let caKey: KeyPair;
  let leafKey: KeyPair;
  let root: Issued;

  before(() => {
    rootKey = makeKey('p256');
    caKey = makeKey('p256');
    leafKey = makeKey('p256');
    root = issue({ cn: 'NC Root', key: rootKey, ca: {} });
  });

  const verify = (leaf: Issued, intermediates: Issued[], anchors: Issued[] = [root]): ChainResult =>
    verifyChain({
      leaf: leaf.der,
      intermediates: intermediates.map((c) => c.der),
      anchors: anchors.map((c) => c.der),
      now: NOW,
      revokedSha256: new Set(),
    });

  it('parses permitted and excluded subtrees of every supported form', () => {
    const ca = issue({
      cn: 'NC CA',
      key: caKey,
      issuer: root,
      ca: {},
      nameConstraints: {
        permitted: [{ dns: 'example.com' }, { ip: '10.0.0.0/8' }, { dirName: { c: 'CN', o: 'Org' } }],
        excluded: [{ email: '.example.org' }, { uri: 'bad.example.com' }],
      },
    });
    const parsed = parseCertificate(ca.der);
    expect(parsed.ok).to.equal(true);
    if (!parsed.ok) return;
    const nc = parsed.certificate.nameConstraints;
    expect(nc?.permitted?.map((s) => [s.base.form, s.supported])).to.deep.equal([
      ['dNSName', true],
      ['iPAddress', true],
      ['directoryName', true],
    ]);
    expect(nc?.excluded?.map((s) => s.base.form)).to.deep.equal(['rfc822Name', 'uniformResourceIdentifier']);
  });

  it('refuses a certificate whose nameConstraints is not well-formed (an empty permittedSubtrees): CHAIN-MALFORMED', () => {
    const ca = issue({ cn: 'NC CA', key: caKey, issuer: root, ca: {} });
    const leaf = issue({
      cn: 'partner-a',
      key: leafKey,
      issuer: ca,
      extraExtensions: [{ oid: ExtensionOid.nameConstraints, critical: true, value: hex('3002 a000') }],
    });
    const result = verify(leaf, [ca]);
    expect(codes(result)).to.deep.equal(['CHAIN-MALFORMED']);
    expect(result.ok ? '' : result.reasons[0]?.message).to.contain('nameConstraints is malformed');
  });

  it("applies the trust anchor's own constraints to the path below it", () => {
    const constrainedRoot = issue({
      cn: 'NC Constrained Root',
      key: rootKey,
      ca: {},
      nameConstraints: { permitted: [{ dirName: { o: 'Elsewhere' } }] },
    });
    const ca = issue({ cn: 'NC CA', key: caKey, issuer: constrainedRoot, ca: {} });
    const leaf = issue({ cn: 'partner-a', key: leafKey, issuer: ca });
    const result = verify(leaf, [ca], [constrainedRoot]);
    // Both the intermediate (position 1) and the leaf (position 0) have O=xborder tests.
    expect(codes(result)).to.deep.equal(['CHAIN-NAME-NOT-PERMITTED', 'CHAIN-NAME-NOT-PERMITTED']);
    expect(result.ok ? [] : result.reasons.map((r) => r.position)).to.have.members([0, 1]);
  });

  it('fails closed for dNSNames under a subtree with a maximum (RFC 5280 §4.2.1.10), not for other names', () => {
    // NameConstraints { permittedSubtrees [0] { GeneralSubtree { dNSName "example.com", maximum [1] 2 } } }
    const value = hex('3014 a012 3010 820b 6578616d706c652e636f6d 8101 02');
    const ca = issue({
      cn: 'NC Max CA',
      key: caKey,
      issuer: root,
      ca: {},
      extraExtensions: [{ oid: ExtensionOid.nameConstraints, critical: true, value }],
    });
    const parsed = parseCertificate(ca.der);
    expect(parsed.ok && parsed.certificate.nameConstraints?.permitted?.[0]?.supported).to.equal(false);
    // A leaf with no dNSName: nothing of that form to judge.
    expect(codes(verify(issue({ cn: 'partner-a', key: leafKey, issuer: ca }), [ca]))).to.deep.equal([]);
    // A dNSName inside example.com still cannot be judged against the maximum: refused, naming both certificates.
    const named = issue({
      cn: 'partner-a',
      key: leafKey,
      issuer: ca,
      subjectAltNames: { dns: ['a.example.com'] },
    });
    const result = verify(named, [ca]);
    expect(codes(result)).to.deep.equal(['CHAIN-NAME-UNSUPPORTED']);
    const message = result.ok ? '' : (result.reasons[0]?.message ?? '');
    expect(message).to.contain("leaf 'partner-a' (path position 0)");
    expect(message).to.contain("intermediate 'NC Max CA' (path position 1)");
  });
});
