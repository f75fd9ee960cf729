import { expect } from 'chai';
import { classifyColumn } from '../../../inspection/column-categories.js';

const category = (name: string): string | undefined => classifyColumn(name)?.category;

describe('inspection/column-categories', () => {
  it('recognises the Chinese header names of sensitive categories', () => {
    expect(category('身份证号')).to.equal('identity_document');
    expect(category('健康状况')).to.equal('health');
    expect(category('病历摘要')).to.equal('health');
    expect(category('宗教信仰')).to.equal('religion');
    expect(category('指纹模板')).to.equal('biometric');
    expect(category('人脸特征')).to.equal('biometric');
    expect(category('银行账号')).to.equal('financial_account');
    expect(category('当前位置')).to.equal('location');
    expect(category('民族')).to.equal('ethnicity');
    expect(category('性取向')).to.equal('sexual_orientation');
    expect(category('犯罪记录')).to.equal('criminal_record');
  });

  it('recognises English names written in snake, kebab, camel and Pascal case', () => {
    expect(category('id_number')).to.equal('identity_document');
    expect(category('IDNo')).to.equal('identity_document');
    expect(category('passportNumber')).to.equal('identity_document');
    expect(category('medical-history')).to.equal('health');
    expect(category('Religion')).to.equal('religion');
    expect(category('FingerprintHash')).to.equal('biometric');
    expect(category('face_id')).to.equal('biometric');
    expect(category('bank_account')).to.equal('financial_account');
    expect(category('gps_lat')).to.equal('location');
    expect(category('ethnicity')).to.equal('ethnicity');
    expect(category('sexual_orientation')).to.equal('sexual_orientation');
    expect(category('criminal_record')).to.equal('criminal_record');
  });

  it('marks sensitive categories per PIPL art. 28 and contact details as not sensitive', () => {
    expect(classifyColumn('health')?.sensitive).to.equal(true);
    expect(classifyColumn('mobile')?.sensitive).to.equal(false);
    expect(classifyColumn('email address')?.category).to.equal('contact');
    expect(classifyColumn('uscc')).to.deep.include({ category: 'organisation_code', sensitive: false });
  });

  it('matches whole words only', () => {
    expect(category('interface')).to.equal(undefined);
    expect(category('surface_area')).to.equal(undefined);
    expect(category('general_ledger')).to.equal(undefined);
    expect(category('translation')).to.equal(undefined);
    expect(category('order_id')).to.equal(undefined);
    expect(category('')).to.equal(undefined);
  });
});
