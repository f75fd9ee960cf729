// gateway/merge-archive-page: one page of transfers from the hot records (Redis) and the archive (PostgreSQL),
// api.md §10 — hot records win where both hold a transfer (they are fuller and newer), the archive fills in what
// Redis has let go. Pure: the route fetches both pages with the same filters and cursor.
import type { ArchivePage, ArchivedTransfer } from '../registry/archive/archive-search.js';

export type ArchiveState = 'included' | 'unavailable' | 'off';

export interface MergedPage<T extends { readonly id: string }> {
  readonly items: (T | ArchivedTransfer)[];
  readonly nextCursor: string | null;
  /** Whether the archive answered: 'unavailable' means the page holds hot records only. */
  readonly archive: ArchiveState;
}

export function mergeArchivePage<T extends { readonly id: string }>(
  hot: { readonly items: readonly T[]; readonly nextCursor: string | null },
  archived: ArchivePage | null,
  limit: number,
  order: 'newest' | 'oldest',
): MergedPage<T> {
  if (archived === null) return { items: [...hot.items], nextCursor: hot.nextCursor, archive: 'unavailable' };
  const seen = new Set(hot.items.map((t) => t.id));
  const all: (T | ArchivedTransfer)[] = [...hot.items, ...archived.items.filter((a) => !seen.has(a.id))];
  all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * (order === 'oldest' ? 1 : -1));
  const items = all.slice(0, limit);
  const more = all.length > limit || hot.nextCursor !== null || archived.nextCursor !== null;
  return { items, nextCursor: more ? (items.at(-1)?.id ?? hot.nextCursor) : null, archive: 'included' };
}
