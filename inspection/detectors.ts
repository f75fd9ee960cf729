// inspection/detectors: the closed list of detectors with what each finding means under PIPL. Data only; it
// must not grow behaviour (the scanner and the report read these tables).

export type DetectorName =
  | 'resident_id'
  | 'uscc'
  | 'mobile'
  | 'bank_card'
  | 'passport'
  | 'hk_macao_permit'
  | 'email'
  | 'coordinates'
  | 'sensitive_column';

/** Detector indices used on the hot path (array slots instead of string keys). */
export const RESIDENT_ID = 0;
export const USCC = 1;
export const MOBILE = 2;
export const BANK_CARD = 3;
export const PASSPORT = 4;
export const HK_MACAO_PERMIT = 5;
export const EMAIL = 6;
export const COORDINATES = 7;
export const SENSITIVE_COLUMN = 8;
export const DETECTOR_COUNT = 9;

export const detectorNames: readonly DetectorName[] = [
  'resident_id',
  'uscc',
  'mobile',
  'bank_card',
  'passport',
  'hk_macao_permit',
  'email',
  'coordinates',
  'sensitive_column',
];

/** Confidence levels as numbers so that "raise to at least" is a max(). */
export const LOW = 1;
export const MEDIUM = 2;
export const HIGH = 3;

/**
 * PIPL art. 28 and GB/T 35273-2020 App. B: identity documents, financial accounts and precise location are
 * sensitive PI; mobile numbers and e-mail addresses are PI but not sensitive. A USCC (GB 32100) identifies an
 * organisation, so it is neither.
 */
export const detectorIsPi: readonly boolean[] = [true, false, true, true, true, true, true, true, true];
export const detectorIsSensitive: readonly boolean[] = [
  true,
  false,
  false,
  true,
  true,
  true,
  false,
  true,
  true,
];

/** Confidence of a bare match: a check character (GB 11643, GB 32100, ISO/IEC 7812 Luhn) lifts it to medium. */
export const baseConfidence: readonly number[] = [MEDIUM, MEDIUM, LOW, MEDIUM, LOW, LOW, LOW, LOW, HIGH];

/**
 * Which identifier on a record names the person (resident ID > passport/permit > bank card > mobile > email).
 * 0 = not a person identifier (USCC, coordinates, column values).
 */
export const personStrength: readonly number[] = [5, 0, 2, 3, 4, 4, 1, 0, 0];
