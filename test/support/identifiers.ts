// test/support/identifiers: valid PRC identifiers made in the test (GB 11643 resident IDs), so detectors are
// exercised on real checksums rather than fixtures.
const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChars = '10X98765432';

/** A resident ID with a valid GB 11643 check character for the given 17-digit body. */
export function residentId(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(body17[i]) * (weights[i] ?? 0);
  return body17 + checkChars.charAt(sum % 11);
}

/** `n` distinct valid resident IDs born in Nanning (4501xx) on real dates. */
export function residentIds(n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((Math.floor(i / 28) % 12) + 1).padStart(2, '0');
    const seq = String(100 + (i % 900)).padStart(3, '0');
    ids.push(residentId(`450102198${i % 10}${month}${day}${seq}`));
  }
  return ids;
}
