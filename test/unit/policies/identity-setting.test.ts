// Issue #13 item 10, rules reference §0.1 C3: "is a bare resident-ID number sensitive PI" is a [U] setting citing
// GB/T 35273-2020 App. B (yes) and GB/T 45574-2025 (no longer listed); default sensitive. The inspector reads it.
import { expect } from 'chai';
import { createInspector } from '../../../inspection/inspector.js';
import { residentId, testKey } from '../inspection/identifiers.js';
import { policy, policyWith } from './fixtures.js';

function inspect(residentIdSensitive: boolean | undefined) {
  const inspector = createInspector({
    personKey: testKey,
    ...(residentIdSensitive === undefined ? {} : { residentIdSensitive }),
  });
  const rows = [
    'name,id',
    ...Array.from({ length: 5 }, (_, i) => `p${i},${residentId('450103', '19850612', `12${i}`)}`),
  ];
  inspector.write(Buffer.from(`${rows.join('\n')}\n`));
  return inspector.finish();
}

describe('[U] bare resident-ID number as sensitive PI (GB/T 35273-2020 vs GB/T 45574-2025)', () => {
  it('defaults to sensitive (the conservative reading, rules reference §0.1 C3)', () => {
    expect(policy.settings.identity.bareResidentIdSensitive).to.equal(true);
    const report = inspect(undefined);
    expect(report.individualsDetected).to.equal(5);
    expect(report.sensitiveIndividualsDetected).to.equal(5);
    expect(report.findings.resident_id?.sensitive).to.equal(true);
  });

  it('GB/T 45574-2025 reading (setting false): the people still count as individuals, not as sensitive', () => {
    const lenient = policyWith({
      file: 'settings.yaml',
      from: 'bareResidentIdSensitive: true',
      to: 'bareResidentIdSensitive: false',
    });
    expect(lenient.settings.identity.bareResidentIdSensitive).to.equal(false);
    const report = inspect(false);
    expect(report.individualsDetected).to.equal(5);
    expect(report.sensitiveIndividualsDetected).to.equal(0);
    expect(report.containsSpi).to.equal(false);
  });
});
