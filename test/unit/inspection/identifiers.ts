// test/unit/inspection/identifiers: builds valid identifiers for the inspection tests, written from the standards
// independently of inspection/ so a shared mistake cannot pass unnoticed.

/** GB 11643-1999: 17 digits + MOD 11-2 check character. */
export function residentId(region = '450103', birth = '19850612', sequence = '123'): string {
  const body = region + birth + sequence;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * (weights[i] as number);
  return body + '10X98765432'[sum % 11];
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** GB 32100-2015: 17 code characters + MOD 31 check character (31 - sum mod 31, 31 meaning 0). */
export function uscc(body: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(body[i] as string) * (3 ** i % 31);
  const check = (31 - (sum % 31)) % 31;
  return body + USCC_ALPHABET[check];
}

/** ISO/IEC 7812-1 Annex B: appends the Luhn check digit. */
export function luhn(prefix: string): string {
  let sum = 0;
  for (let i = 0; i < prefix.length; i++) {
    let d = Number(prefix[prefix.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return prefix + String((10 - (sum % 10)) % 10);
}

/** A 32-byte person key for tests. */
export const testKey = Buffer.alloc(32, 0x42);
