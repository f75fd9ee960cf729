// policies/policy-version: the policy version every decision carries — a digest of the policy files' names and
// bytes in name order, so any edit to any file (or a file added or removed) changes it. Pure.
import { createHash } from 'node:crypto';

export interface PolicyFileText {
  readonly name: string;
  readonly text: string;
}

/** sha256 over (name, NUL, length, NUL, bytes) of each file sorted by name; the first 16 hex digits. The length
 * prefix keeps two different file sets from ever feeding the hash the same byte stream. */
export function computePolicyVersion(files: readonly PolicyFileText[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const bytes = Buffer.from(file.text, 'utf8');
    hash.update(`${file.name}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex').slice(0, 16);
}
