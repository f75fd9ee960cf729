// assembleFilingPack against facts computed by hand, and its Chinese HTML rendering escaping every value.
import { expect } from 'chai';
import {
  assembleFilingPack,
  type FilingPackInput,
  type FilingPackTransfer,
} from '../../../../registry/archive/assemble-filing-pack.js';
import { renderFilingPackHtml } from '../../../../registry/archive/render-filing-pack-html.js';

const base: Omit<FilingPackTransfer, 'transferId' | 'submittedIndex'> = {
  partnerId: 'p1',
  destinationCountry: 'SG',
  dataCategories: ['contact'],
  businessType: 'hr',
  state: 'released',
  individuals: 0,
  sensitiveIndividuals: 0,
  volumeIndexes: [],
  declaredIndividuals: 1,
  declaredSensitive: 0,
};

const transfers: FilingPackTransfer[] = [
  {
    ...base,
    transferId: 't1',
    submittedIndex: 0,
    individuals: 100,
    sensitiveIndividuals: 10,
    volumeIndexes: [4],
  },
  {
    ...base,
    transferId: 't2',
    submittedIndex: 5,
    partnerId: 'p2',
    destinationCountry: 'VN',
    dataCategories: ['contact', 'order'],
    businessType: 'ecommerce',
    individuals: 50,
    volumeIndexes: [9],
  },
  {
    ...base,
    transferId: 't3',
    submittedIndex: 10,
    partnerId: 'p3',
    destinationCountry: 'JP',
    dataCategories: ['health'],
    state: 'held',
    declaredIndividuals: 7,
    declaredSensitive: 7,
  },
];

const input: FilingPackInput = {
  exporterId: '91450100MA5KXXXX0A',
  kind: 'standard_contract',
  year: 2025,
  firstFiling: true,
  transfers,
  attestations: [
    {
      attestationId: 'att-1',
      ledgerIndex: 2,
      partnerId: 'p1',
      storageCountry: 'SG',
      retentionDays: 365,
      expiresAt: '2026-01-01T00:00:00.000Z',
    },
    {
      attestationId: 'att-x',
      ledgerIndex: 3,
      partnerId: 'p9',
      storageCountry: 'US',
      retentionDays: 1,
      expiresAt: null,
    },
  ],
};

describe('assembleFilingPack', () => {
  it('gives recipients, countries, categories, business types, volumes and storage with their sources', () => {
    const pack = assembleFilingPack(input);
    expect(pack.transfers).to.deep.equal({ released: 2, held: 1 });
    expect(pack.recipients).to.deep.equal([
      { partnerId: 'p1', countries: ['SG'], transferIds: ['t1'], ledgerIndexes: [0] },
      { partnerId: 'p2', countries: ['VN'], transferIds: ['t2'], ledgerIndexes: [5] },
      { partnerId: 'p3', countries: ['JP'], transferIds: ['t3'], ledgerIndexes: [10] },
    ]);
    expect(pack.countries.map((c) => c.country)).to.deep.equal(['JP', 'SG', 'VN']);
    expect(pack.dataCategories).to.deep.equal([
      { category: 'contact', transferIds: ['t1', 't2'], ledgerIndexes: [0, 5] },
      { category: 'health', transferIds: ['t3'], ledgerIndexes: [10] },
      { category: 'order', transferIds: ['t2'], ledgerIndexes: [5] },
    ]);
    expect(pack.businessTypes).to.deep.equal([
      { businessType: 'ecommerce', transferIds: ['t2'], ledgerIndexes: [5] },
      { businessType: 'hr', transferIds: ['t1', 't3'], ledgerIndexes: [0, 10] },
    ]);
    expect(pack.purposes.recorded).to.equal(false);
    expect(pack.volumes).to.deep.equal({
      released: {
        individuals: 150,
        sensitiveIndividuals: 10,
        transferIds: ['t1', 't2'],
        ledgerIndexes: [4, 9],
      },
      held: { declaredIndividuals: 7, declaredSensitive: 7, transferIds: ['t3'], ledgerIndexes: [10] },
    });
    // p9's attestation concerns no recipient in the pack.
    expect(pack.storage).to.deep.equal([
      {
        partnerId: 'p1',
        storageCountry: 'SG',
        retentionDays: 365,
        expiresAt: '2026-01-01T00:00:00.000Z',
        attestationId: 'att-1',
        ledgerIndex: 2,
      },
    ]);
    expect(pack.storageUnknownFor).to.deep.equal(['p2', 'p3']);
  });

  it('leaves held transfers out once a filing of the kind exists', () => {
    const pack = assembleFilingPack({ ...input, firstFiling: false });
    expect(pack.transfers).to.deep.equal({ released: 2, held: 0 });
    expect(pack.recipients.map((r) => r.partnerId)).to.deep.equal(['p1', 'p2']);
    expect(pack.volumes.held).to.deep.equal({
      declaredIndividuals: 0,
      declaredSensitive: 0,
      transferIds: [],
      ledgerIndexes: [],
    });
    expect(pack.storageUnknownFor).to.deep.equal(['p2']);
  });

  it('renders a Chinese document with every value escaped and no outside assets', () => {
    const hostile = '<script>alert("x")</script>';
    const html = renderFilingPackHtml(
      assembleFilingPack({
        ...input,
        transfers: [{ ...transfers[0]!, partnerId: hostile, dataCategories: [`a&b'${hostile}`] }],
      }),
    );
    expect(html).to.include('<html lang="zh-CN">');
    expect(html).to.include('个人信息出境标准合同备案');
    expect(html).to.not.include('<script');
    expect(html).to.include('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    expect(html).to.include('a&#38;b&#39;');
    expect(html).to.not.match(/\b(src|href)=|https?:\/\//);
  });
});
