// inspection/column-categories: what a CSV header or JSON key says about the values under it. Headers are not PI
// and are reported as found; values never are. Pure; the vocabulary is data.
import {
  BANK_CARD,
  COORDINATES,
  EMAIL,
  HK_MACAO_PERMIT,
  MOBILE,
  PASSPORT,
  RESIDENT_ID,
  USCC,
} from './detectors.js';

export interface ColumnCategory {
  /** Stable category code, e.g. `health`. */
  readonly category: string;
  /** PIPL art. 28 / GB/T 35273-2020 App. B sensitive PI. */
  readonly sensitive: boolean;
  /** Detectors whose findings this column name vouches for (their confidence becomes high). */
  readonly detectors: readonly number[];
}

interface Vocabulary extends ColumnCategory {
  /** Matched as substrings of the header as written. */
  readonly chinese: readonly string[];
  /** Matched as whole word sequences of the header split at case changes, digits and punctuation. */
  readonly english: readonly string[];
}

/**
 * First match wins, so the specific comes before the general ("email address" is contact, not address).
 * Sensitive categories follow PIPL art. 28 (biometrics, religious belief, specific identity, medical and health,
 * financial accounts, whereabouts) and GB/T 35273-2020 App. B (identity documents, precise location, criminal
 * records, sexual orientation); ethnicity is "specific identity".
 */
const VOCABULARY: readonly Vocabulary[] = [
  {
    category: 'identity_document',
    sensitive: true,
    detectors: [RESIDENT_ID, PASSPORT, HK_MACAO_PERMIT],
    chinese: ['身份证', '身份号码', '证件', '护照', '通行证', '回乡证'],
    english: [
      'id number',
      'id no',
      'id num',
      'id card',
      'idcard',
      'idno',
      'identity',
      'national id',
      'resident id',
      'citizen id',
      'passport',
      'permit',
      'document number',
      'document no',
      'ssn',
    ],
  },
  {
    category: 'organisation_code',
    sensitive: false,
    detectors: [USCC],
    chinese: ['统一社会信用代码', '信用代码'],
    english: ['uscc', 'credit code'],
  },
  {
    category: 'financial_account',
    sensitive: true,
    detectors: [BANK_CARD],
    chinese: ['银行', '卡号', '账号', '账户', '帐号', '帐户', '开户', '信用卡', '储蓄卡'],
    english: [
      'bank',
      'account',
      'acct',
      'card',
      'cardno',
      'card number',
      'iban',
      'credit card',
      'debit card',
    ],
  },
  {
    category: 'health',
    sensitive: true,
    detectors: [],
    chinese: ['健康', '病历', '病史', '诊断', '疾病', '医疗', '体检', '过敏', '用药', '病情', '症状', '血型'],
    english: [
      'health',
      'medical',
      'diagnosis',
      'diagnoses',
      'disease',
      'illness',
      'allergy',
      'allergies',
      'medication',
      'symptom',
      'symptoms',
      'patient',
      'treatment',
      'prescription',
      'blood type',
      'hiv',
    ],
  },
  {
    category: 'religion',
    sensitive: true,
    detectors: [],
    chinese: ['宗教', '信仰'],
    english: ['religion', 'religious', 'faith'],
  },
  {
    category: 'biometric',
    sensitive: true,
    detectors: [],
    chinese: ['指纹', '人脸', '面部', '面容', '虹膜', '声纹', '掌纹', '基因', '生物识别'],
    english: [
      'biometric',
      'biometrics',
      'fingerprint',
      'face',
      'facial',
      'iris',
      'voiceprint',
      'palmprint',
      'dna',
      'gene',
      'genetic',
      'retina',
    ],
  },
  {
    category: 'location',
    sensitive: true,
    detectors: [COORDINATES],
    chinese: ['位置', '定位', '经纬度', '经度', '纬度', '坐标', '轨迹', '行踪'],
    english: [
      'location',
      'gps',
      'latitude',
      'longitude',
      'lat',
      'lng',
      'lon',
      'coordinates',
      'coords',
      'geo',
      'geolocation',
      'trajectory',
    ],
  },
  {
    category: 'ethnicity',
    sensitive: true,
    detectors: [],
    chinese: ['民族', '种族'],
    english: ['ethnicity', 'ethnic', 'race'],
  },
  {
    category: 'sexual_orientation',
    sensitive: true,
    detectors: [],
    chinese: ['性取向'],
    english: ['sexual orientation', 'sexuality'],
  },
  {
    category: 'criminal_record',
    sensitive: true,
    detectors: [],
    chinese: ['犯罪', '前科', '违法记录', '刑事'],
    english: ['criminal', 'conviction', 'convictions', 'offence', 'offense'],
  },
  {
    category: 'contact',
    sensitive: false,
    detectors: [MOBILE, EMAIL],
    chinese: ['手机', '电话', '联系方式', '邮箱', '电子邮件'],
    english: [
      'mobile',
      'phone',
      'telephone',
      'tel',
      'cell',
      'cellphone',
      'email',
      'e mail',
      'mail',
      'msisdn',
    ],
  },
  {
    category: 'birth_date',
    sensitive: false,
    detectors: [],
    chinese: ['出生', '生日'],
    english: ['birth', 'birthday', 'dob', 'birthdate'],
  },
  {
    category: 'name',
    sensitive: false,
    detectors: [],
    chinese: ['姓名'],
    english: ['full name', 'first name', 'last name', 'surname', 'given name', 'family name'],
  },
  {
    category: 'address',
    sensitive: false,
    detectors: [],
    chinese: ['地址', '住址', '住所'],
    english: ['address', 'street'],
  },
];

/** "idNumber", "ID_NO", "Bank-Account2" → " id number ", " id no ", " bank account " (padded for whole-word search). */
function wordsOf(name: string): string {
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length > 0);
  return ` ${words.join(' ')} `;
}

/** The category a column name reveals, or undefined when it reveals none. */
export function classifyColumn(name: string): ColumnCategory | undefined {
  if (name.length === 0 || name.length > 200) return undefined;
  const words = wordsOf(name);
  for (const entry of VOCABULARY) {
    if (entry.chinese.some((w) => name.includes(w)) || entry.english.some((w) => words.includes(` ${w} `))) {
      return { category: entry.category, sensitive: entry.sensitive, detectors: entry.detectors };
    }
  }
  return undefined;
}
