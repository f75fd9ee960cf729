import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { BANK_CARD, EMAIL, MOBILE, PASSPORT, RESIDENT_ID, USCC } from '../../../inspection/detectors.js';
import { createRecordPeople } from '../../../inspection/record-people.js';
import { residentId, testKey } from './identifiers.js';

function key(message: string): string {
  return createHmac('sha256', testKey).update(message).digest().subarray(0, 16).toString('hex');
}

function collect(): { people: ReturnType<typeof createRecordPeople>; all: string[]; sensitive: string[] } {
  const all: string[] = [];
  const sensitive: string[] = [];
  const people = createRecordPeople({
    personKey: testKey,
    onPersonKeys: (keys, isSensitive) =>
      (isSensitive ? sensitive : all).push(...keys.map((k) => k.toString('hex'))),
  });
  return { people, all, sensitive };
}

function offer(people: ReturnType<typeof createRecordPeople>, kind: number, value: string): void {
  const bytes = Buffer.from(`..${value}..`);
  people.offer(kind, bytes, 2, 2 + value.length);
}

describe('inspection/record-people', () => {
  it('keys a person by HMAC-SHA256 of "<tag>:<normalised identifier>", truncated to 16 bytes', () => {
    const { people, all, sensitive } = collect();
    offer(people, RESIDENT_ID, '11010519491231002x');
    people.endRecord(true);
    offer(people, EMAIL, 'Zhang.San@Example.COM');
    people.endRecord(false);
    offer(people, PASSPORT, 'ea1234567');
    people.endRecord(false);
    offer(people, MOBILE, '13812345678');
    people.endRecord(false);
    offer(people, BANK_CARD, '6222021234567890128');
    people.endRecord(false);
    people.flush();
    expect(all).to.deep.equal([
      key('I:11010519491231002X'),
      key('E:zhang.san@example.com'),
      key('P:EA1234567'),
      key('M:13812345678'),
      key('B:6222021234567890128'),
    ]);
    expect(sensitive).to.deep.equal([key('I:11010519491231002X')]);
  });

  it('names one person per distinct identifier of the strongest kind on the record', () => {
    const { people, all } = collect();
    offer(people, EMAIL, 'a@x.cn');
    offer(people, MOBILE, '13812345678');
    offer(people, RESIDENT_ID, residentId('450103', '19850612', '001'));
    offer(people, MOBILE, '13912345678');
    offer(people, RESIDENT_ID, residentId('450103', '19850612', '002'));
    offer(people, RESIDENT_ID, residentId('450103', '19850612', '001'));
    offer(people, PASSPORT, 'E12345678');
    people.endRecord(false);
    people.flush();
    expect(all).to.deep.equal([
      key(`I:${residentId('450103', '19850612', '001')}`),
      key(`I:${residentId('450103', '19850612', '002')}`),
    ]);
    expect(people.count()).to.equal(2);
  });

  it('ignores identifiers that do not name a person', () => {
    const { people } = collect();
    offer(people, USCC, '91350100M000100Y43');
    expect(people.named).to.equal(false);
  });

  it('counts people beyond 64 on one record at once, as sensitive (fail closed)', () => {
    const { people, all, sensitive } = collect();
    for (let i = 0; i < 70; i++) offer(people, MOBILE, `138${String(i).padStart(8, '0')}`);
    people.endRecord(false);
    people.flush();
    expect(all).to.have.length(70);
    expect(sensitive).to.have.length(6);
    expect(people.count()).to.equal(70);
    expect(people.sensitiveCount()).to.equal(6);
  });

  it('counts a person once across records, and once more as sensitive when a later record is sensitive', () => {
    const { people, all, sensitive } = collect();
    offer(people, MOBILE, '13812345678');
    people.endRecord(false);
    offer(people, MOBILE, '13812345678');
    people.endRecord(false);
    offer(people, MOBILE, '13812345678');
    people.endRecord(true);
    people.flush();
    expect(all).to.deep.equal([key('M:13812345678')]);
    expect(sensitive).to.deep.equal([key('M:13812345678')]);
  });
});
