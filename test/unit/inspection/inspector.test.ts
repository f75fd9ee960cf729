import { createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { inspectStream } from '../../../inspection/inspect-stream.js';
import { createInspector, inspectBuffer, type InspectionReport } from '../../../inspection/inspector.js';
import { luhn, residentId, testKey, uscc } from './identifiers.js';

const inspect = (text: string): InspectionReport =>
  inspectBuffer(Buffer.from(text, 'utf8'), { personKey: testKey });

/** Inspects the text written in the given pieces (byte offsets where a new chunk starts). */
function inspectSplit(text: string, cuts: readonly number[]): InspectionReport {
  const bytes = Buffer.from(text, 'utf8');
  const inspector = createInspector({ personKey: testKey });
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    inspector.write(bytes.subarray(at, cut));
    at = cut;
  }
  return inspector.finish();
}

function personKey(identifier: string): string {
  return createHmac('sha256', testKey).update(identifier).digest().subarray(0, 16).toString('hex');
}

describe('inspection/inspector', () => {
  const id = residentId('450103', '19850612', '123');
  const id2 = residentId('450103', '19900101', '456');
  const card = luhn('622202123456789012');

  describe('findings', () => {
    it('counts every kind and shows only masked samples', () => {
      const text = [
        '',
        `${id} 13812345678 zhang@example.com ${card}`,
        'E12345678 C12345678 91350100M000100Y43 22.8170, 108.3665',
      ].join('\n');
      const report = inspect(text);
      const counts = Object.fromEntries(Object.entries(report.findings).map(([k, v]) => [k, v.count]));
      expect(counts).to.deep.equal({
        resident_id: 1,
        uscc: 1,
        mobile: 1,
        bank_card: 1,
        passport: 1,
        hk_macao_permit: 1,
        email: 1,
        coordinates: 1,
      });
      expect(report.findings.resident_id?.samples).to.deep.equal([
        `${id.slice(0, 4)}${'*'.repeat(10)}${id.slice(14)}`,
      ]);
      expect(report.findings.email?.samples).to.deep.equal(['z***@example.com']);
      const json = JSON.stringify(report);
      for (const value of [id, '13812345678', 'zhang@example.com', card, 'E12345678', 'C12345678']) {
        expect(json).not.to.include(value);
      }
    });

    it('keeps at most 3 distinct samples per detector', () => {
      const mobiles = ['13800000001', '13900000002', '15000000003', '18600000004', '19900000005'];
      const report = inspect(`\n${mobiles.join(' ')}`);
      expect(report.findings.mobile?.count).to.equal(5);
      expect(report.findings.mobile?.samples).to.have.length(3);
    });

    it('reports bytes and nothing else for empty or identifier-free input', () => {
      expect(inspect('')).to.deep.include({
        bytes: 0,
        containsPi: false,
        containsSpi: false,
        individualsDetected: 0,
      });
      const plain = inspect('hello world\n订单已发货\n');
      expect(plain.findings).to.deep.equal({});
      expect(plain.bytes).to.equal(Buffer.byteLength('hello world\n订单已发货\n'));
    });
  });

  describe('confidence', () => {
    it('is low for a bare pattern, medium with a check character, high after a keyword', () => {
      expect(inspect('\n13812345678').findings.mobile?.confidence).to.equal('low');
      expect(inspect(`\n${id}`).findings.resident_id?.confidence).to.equal('medium');
      expect(inspect(`\n${card}`).findings.bank_card?.confidence).to.equal('medium');
      expect(inspect(`\n身份证号：${id}`).findings.resident_id?.confidence).to.equal('high');
      expect(inspect('\nmobile: 13812345678').findings.mobile?.confidence).to.equal('high');
      expect(inspect(`\nCard No. ${card}`).findings.bank_card?.confidence).to.equal('high');
      expect(inspect('\n护照 E12345678').findings.passport?.confidence).to.equal('high');
    });

    it('counts the 300-character window in characters, not bytes', () => {
      const near = `\n手机${'字'.repeat(298)}13812345678`;
      const far = `\n手机${'字'.repeat(301)}13812345678`;
      expect(inspect(near).findings.mobile?.confidence).to.equal('high');
      expect(inspect(far).findings.mobile?.confidence).to.equal('low');
      expect(inspect(`\nphone${'x'.repeat(299)} 13812345678`).findings.mobile?.confidence).to.equal('low');
    });

    it('takes the keyword of the right kind only, and only before the finding', () => {
      expect(inspect('\n护照 13812345678').findings.mobile?.confidence).to.equal('low');
      expect(inspect('\n13812345678 手机').findings.mobile?.confidence).to.equal('low');
    });

    it('is high for every finding under a header that names its kind', () => {
      const rows = Array.from(
        { length: 50 },
        (_, i) => `${i},${'备注'.repeat(20)},${residentId('450103', '19850612', String(i).padStart(3, '0'))}`,
      );
      const report = inspect(`编号,备注,身份证号\n${rows.join('\n')}\n`);
      expect(report.findings.resident_id).to.deep.include({ count: 50, confidence: 'high' });
    });
  });

  describe('PI and sensitive PI', () => {
    it('does not treat an organisation code as PI', () => {
      const report = inspect(`\ncompany ${uscc('91450100MA5KXY12P')}`);
      expect(report.findings.uscc?.count).to.equal(1);
      expect(report.containsPi).to.equal(false);
      expect(report.containsSpi).to.equal(false);
    });

    it('marks contact details as PI but not sensitive, documents, cards and coordinates as sensitive', () => {
      expect(inspect('\n13812345678 a@b.cn')).to.deep.include({ containsPi: true, containsSpi: false });
      for (const text of [id, card, 'E12345678', 'H12345678', '22.8170, 108.3665']) {
        expect(inspect(`\n${text}`), text).to.deep.include({ containsPi: true, containsSpi: true });
      }
    });
  });

  describe('columns', () => {
    it('reports header names with categories and counts sensitive columns', () => {
      const report = inspect('姓名,身份证号,手机,健康状况,宗教信仰,order_no\n张三,,13812345678,良好,无\n');
      expect(report.columns).to.deep.equal([
        { name: '姓名', category: 'name', sensitive: false },
        { name: '身份证号', category: 'identity_document', sensitive: true },
        { name: '手机', category: 'contact', sensitive: false },
        { name: '健康状况', category: 'health', sensitive: true },
        { name: '宗教信仰', category: 'religion', sensitive: true },
      ]);
      expect(report.findings.sensitive_column).to.deep.equal({
        count: 3,
        confidence: 'high',
        samples: ['身份证号', '健康状况', '宗教信仰'],
        sensitive: true,
      });
      expect(report.containsSpi).to.equal(true);
    });

    it('reads JSON keys on every record, once per distinct key', () => {
      const lines = [
        '{"name":"a","mobile":"13812345678","diagnosis":"flu","fingerprint":null}',
        '{"name":"b","mobile":"13912345678","diagnosis":"","lat":22.817}',
      ];
      const report = inspect(lines.join('\n'));
      expect(report.columns.map((c) => c.name)).to.deep.equal(['mobile', 'diagnosis', 'fingerprint', 'lat']);
      expect(report.findings.sensitive_column?.count).to.equal(3);
      expect(report.findings.mobile?.confidence).to.equal('high');
    });

    it('skips a UTF-8 byte order mark before the header', () => {
      const report = inspect('\ufeff身份证号,手机\n');
      expect(report.columns.map((c) => c.name)).to.deep.equal(['身份证号', '手机']);
    });
  });

  describe('people', () => {
    it('counts distinct people by the strongest identifier on each record', () => {
      const report = inspect(
        [
          'name,id,mobile,email',
          `a,${id},13812345678,a@x.cn`,
          `a again,${id},13900000000,other@x.cn`, // same ID: same person
          `b,${id2},13812345678,a@x.cn`, // same mobile, other ID: another person
          'c,,13700000000,c@x.cn', // no ID: the mobile names the person
          'c again,,13700000000,', // same mobile
          'd,,,d@x.cn',
          'no identifiers here',
        ].join('\n'),
      );
      expect(report.individualsDetected).to.equal(4);
      expect(report.sensitiveIndividualsDetected).to.equal(2);
    });

    it('counts two people on one record when it holds two identifiers of the strongest kind', () => {
      const report = inspect(
        ['applicant,guarantor,mobile', `${id},${id2},13812345678`, `${id},E12345678,13812345678`].join('\n'),
      );
      expect(report.individualsDetected).to.equal(2);
    });

    it('takes each element of a minified JSON array as a record', () => {
      const elements = Array.from(
        { length: 50 },
        (_, i) => `{"name":"n${i}","mobile":"1380000${String(i).padStart(4, '0')}","email":"p${i}@x.cn"}`,
      );
      const report = inspect(`[${elements.join(',')}]`);
      expect(report.findings.mobile?.count).to.equal(50);
      expect(report.individualsDetected).to.equal(50);
    });

    it('takes lines ending in CR alone (classic Mac text) as records', () => {
      const rows = Array.from(
        { length: 20 },
        (_, i) => `${i},1380000${String(i).padStart(4, '0')},p${i}@x.cn`,
      );
      const report = inspect(['id,mobile,email', ...rows].join('\r'));
      expect(report.individualsDetected).to.equal(20);
      expect(report.columns.map((c) => c.name)).to.deep.equal(['mobile', 'email']);
    });

    it('picks the record separator from the first MiB alone, however the bytes are written', () => {
      // Found by the long-line property: a first line longer than 1 MiB with a lone CR after it was read as
      // CR-separated when written in two pieces and LF-separated when written whole (and so counted different people).
      const bytes = Buffer.from(`${id}${'a'.repeat(1_100_000)}\r${id2}x\n13812345678\n`);
      const whole = inspectBuffer(bytes, { personKey: testKey });
      for (const cut of [1000, 630_149, 1_048_576, 1_100_010]) {
        const inspector = createInspector({ personKey: testKey });
        inspector.write(bytes.subarray(0, cut));
        inspector.write(bytes.subarray(cut));
        expect(inspector.finish(), `cut at ${cut}`).to.deep.equal(whole);
      }
      expect(whole.individualsDetected).to.equal(3); // LF separates: two IDs on the long line, then a mobile
    });

    it('counts the last record without a trailing newline', () => {
      expect(inspect(`x\n${id}`).individualsDetected).to.equal(1);
    });

    it('makes a person sensitive through a value under a sensitive CSV header', () => {
      const report = inspect(
        ['mobile,diagnosis', '13812345678,hypertension', '13912345678,', '13712345678,null'].join('\n'),
      );
      expect(report.individualsDetected).to.equal(3);
      expect(report.sensitiveIndividualsDetected).to.equal(1);
    });

    it('makes a person sensitive through a sensitive JSON key with a value', () => {
      const report = inspect(
        ['{"mobile":"13812345678","religion":"x"}', '{"mobile":"13912345678","religion":null}'].join('\n'),
      );
      expect(report.individualsDetected).to.equal(2);
      expect(report.sensitiveIndividualsDetected).to.equal(1);
    });

    it('delivers 16-byte HMAC keys: every person once as non-sensitive, sensitive people once as sensitive', () => {
      const batches: { keys: string[]; sensitive: boolean }[] = [];
      const text = [
        '',
        `${id} 13812345678`,
        `${id}`,
        '13712345678',
        'Zhang@Example.com',
        `ID ${id.slice(0, 17)}${id[17] === 'X' ? 'x' : id[17]}`,
      ].join('\n');
      inspectBuffer(Buffer.from(text), {
        personKey: testKey,
        onPersonKeys: (keys, sensitive) =>
          batches.push({ keys: keys.map((k) => k.toString('hex')), sensitive }),
      });
      expect(batches).to.deep.equal([
        {
          keys: [personKey(`I:${id}`), personKey('M:13712345678'), personKey('E:zhang@example.com')],
          sensitive: false,
        },
        { keys: [personKey(`I:${id}`)], sensitive: true },
      ]);
    });

    it('switches to an estimate above the exact limit and never reports fewer people', () => {
      const rows = Array.from({ length: 3000 }, (_, i) => `1${3 + (i % 7)}${String(i).padStart(9, '0')}`);
      const report = inspectBuffer(Buffer.from(`\n${rows.join('\n')}\n`), {
        personKey: testKey,
        exactPersonLimit: 500,
      });
      expect(report.individualsDetected).to.be.at.least(3000);
      expect(report.individualsDetected).to.be.at.most(3300);
    });
  });

  describe('streaming', () => {
    const text = [
      '姓名,身份证号,手机,邮箱,银行卡,位置',
      `张三,${id},+86 13812345678,zhang.san@example.com,${card},"22.8170, 108.3665"`,
      `李四,${id2},008613912345678,li@example.cn,,护照E12345678`,
      `org,91350100M000100Y43,,,${luhn('4111111111111111'.slice(0, 15))},H1234567801`,
    ].join('\r\n');

    it('finds the same at every single split point', () => {
      const whole = inspect(text);
      const length = Buffer.byteLength(text);
      for (let cut = 1; cut < length; cut++) {
        expect(inspectSplit(text, [cut]), `cut at ${cut}`).to.deep.equal(whole);
      }
    });

    it('finds the same when fed one byte at a time', () => {
      const length = Buffer.byteLength(text);
      expect(
        inspectSplit(
          text,
          Array.from({ length: length - 1 }, (_, i) => i + 1),
        ),
      ).to.deep.equal(inspect(text));
    });

    it('finds identifiers around the forced cuts of a line longer than 1 MiB, exactly once', function () {
      this.timeout(20_000);
      const pieces: string[] = [];
      let expected = 0;
      for (let i = 0; i < 3000; i++) {
        pieces.push(
          `${'y'.repeat(600 + (i % 97))} ${residentId('450103', '19850612', String(i % 1000).padStart(3, '0'))}`,
        );
        expected++;
      }
      const line = pieces.join(' ');
      expect(line.length).to.be.greaterThan(3 << 19);
      const report = inspect(`header\n${line}\n`);
      expect(report.findings.resident_id?.count).to.equal(expected);
      const chunked = inspectSplit(`header\n${line}\n`, [1000, 1 << 19, (1 << 20) + 7, 3 << 20]);
      expect(chunked.findings.resident_id?.count).to.equal(expected);
      // A line that long is not taken as one record: each ID counts (1000 distinct), never fewer.
      expect(report.individualsDetected).to.equal(1000);
      expect(chunked.individualsDetected).to.equal(1000);
    });

    it('inspects an async iterable of chunks and strings', async () => {
      function* pieces(): Generator<Uint8Array | string> {
        yield Buffer.from('\n1381234');
        yield '5678 ';
        yield Buffer.from(id);
      }
      const chunks = Readable.from(pieces());
      const report = await inspectStream(chunks, { personKey: testKey });
      expect(report.findings.mobile?.count).to.equal(1);
      expect(report.findings.resident_id?.count).to.equal(1);
    });
  });

  describe('misuse', () => {
    it('refuses a person key that is not 32 bytes', () => {
      expect(() => createInspector({ personKey: Buffer.alloc(16) })).to.throw(
        TypeError,
        'personKey must be 32 bytes',
      );
    });

    it('refuses writes after finish and a second finish', () => {
      const inspector = createInspector({ personKey: testKey });
      inspector.finish();
      expect(() => inspector.write(Buffer.from('x'))).to.throw(/after finish/);
      expect(() => inspector.finish()).to.throw(/twice/);
    });
  });
});
