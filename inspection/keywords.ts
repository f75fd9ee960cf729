// inspection/keywords: the Chinese and English context words that raise a detector's confidence to high, and
// one compiled regular expression that finds them in a latin1 view of UTF-8 bytes. Pure; no state.
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

interface KeywordGroup {
  readonly detectors: readonly number[];
  readonly chinese: readonly string[];
  readonly english: readonly string[];
}

/**
 * Words that announce an identifier: field labels in forms and exports (GB/T 35273-2020 App. A names the same
 * categories). English phrases match in any case, with a space, '_' or '-' (or nothing) between their words, and
 * only as whole words (so "mobile" does not fire inside "automobile", nor "tel" inside "hotel").
 */
const GROUPS: readonly KeywordGroup[] = [
  {
    detectors: [RESIDENT_ID],
    chinese: ['身份证', '身份号码', '公民身份'],
    english: [
      'id number',
      'id no',
      'id num',
      'id card',
      'identity card',
      'identity number',
      'national id',
      'resident id',
      'citizen id',
    ],
  },
  {
    detectors: [RESIDENT_ID, PASSPORT, HK_MACAO_PERMIT],
    chinese: ['证件号', '证件号码'],
    english: ['document number', 'document no'],
  },
  { detectors: [PASSPORT], chinese: ['护照'], english: ['passport'] },
  {
    detectors: [HK_MACAO_PERMIT],
    chinese: ['通行证', '回乡证', '港澳'],
    english: ['permit', 'home return'],
  },
  {
    detectors: [MOBILE],
    chinese: ['手机', '电话', '联系方式', '联系号码'],
    english: ['mobile', 'phone', 'telephone', 'cellphone', 'cell', 'tel', 'msisdn'],
  },
  {
    detectors: [BANK_CARD],
    chinese: ['银行卡', '卡号', '账号', '银行账户', '开户行', '储蓄卡', '信用卡'],
    english: [
      'card number',
      'card no',
      'bank card',
      'bank account',
      'account number',
      'account no',
      'credit card',
      'debit card',
    ],
  },
  { detectors: [EMAIL], chinese: ['邮箱', '电子邮件', '邮件地址'], english: ['email', 'e mail', 'mail'] },
  {
    detectors: [COORDINATES],
    chinese: ['经纬度', '坐标', '位置', '定位', '经度', '纬度'],
    english: [
      'latitude',
      'longitude',
      'lat',
      'lng',
      'lon',
      'gps',
      'coordinates',
      'coords',
      'location',
      'geo',
    ],
  },
  { detectors: [USCC], chinese: ['统一社会信用代码', '信用代码'], english: ['credit code', 'uscc'] },
];

/** A Chinese word as the latin1 characters of its UTF-8 bytes. */
function chinesePattern(word: string): string {
  return [...Buffer.from(word, 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
}

/** An English phrase, any case, separators optional, not inside a longer word. */
function englishPattern(phrase: string): string {
  const body = phrase
    .split(' ')
    .map((word) => [...word].map((ch) => (/[a-z]/.test(ch) ? `[${ch}${ch.toUpperCase()}]` : ch)).join(''))
    .join('[ _-]?');
  return `(?<![A-Za-z])${body}(?![A-Za-z])`;
}

function compile(): RegExp {
  const alternatives = GROUPS.map((group) => {
    const words = [...group.chinese.map(chinesePattern), ...group.english.map(englishPattern)];
    return `(${words.join('|')})`;
  });
  return new RegExp(alternatives.join('|'), 'g');
}

/** Compiled once; its lastIndex is reset at every call and recordKeywords() runs to completion synchronously. */
const KEYWORDS = compile();

/** Every keyword, Chinese and English (the inspection benchmark builds its `grep -P` baseline from them). */
export const keywordPhrases = {
  chinese: GROUPS.flatMap((group) => group.chinese),
  english: GROUPS.flatMap((group) => group.english),
};

/**
 * Finds every keyword in `text` (a latin1 string of raw bytes) and records, per detector, the absolute offset
 * one past the latest keyword: lastEnd[d] = max(lastEnd[d], offset + end of match).
 */
export function recordKeywords(text: string, offset: number, lastEnd: Float64Array): void {
  KEYWORDS.lastIndex = 0;
  for (let m = KEYWORDS.exec(text); m !== null; m = KEYWORDS.exec(text)) {
    const end = offset + m.index + m[0].length;
    for (let g = 0; g < GROUPS.length; g++) {
      if (m[g + 1] === undefined) continue;
      for (const d of (GROUPS[g] as KeywordGroup).detectors)
        if ((lastEnd[d] as number) < end) lastEnd[d] = end;
      break;
    }
  }
}
