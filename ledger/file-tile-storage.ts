// ledger/file-tile-storage: TileStorage over a directory (keys are relative paths). For tests of the tile layout
// and for a tiles ledger on one machine; every put is written to a private file, fsynced and renamed into place,
// so a reader sees a whole object or none. Must not interpret what it stores.
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TileStorage } from './tile-storage.js';

export function createFileTileStorage(root: string): TileStorage {
  const pathOf = (key: string): string => {
    if (key === '' || key.split('/').some((part) => part === '' || part === '.' || part === '..'))
      throw new RangeError(`bad storage key ${JSON.stringify(key)}`);
    return join(root, ...key.split('/'));
  };
  return {
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EISDIR') return undefined;
        throw err;
      }
    },
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const staged = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      const handle = await open(staged, 'w');
      try {
        await handle.writeFile(body);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(staged, path);
      const dir = await open(dirname(path), 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    async *list(prefix) {
      // Walk from the deepest directory the prefix names; filter the rest by string prefix.
      const cut = prefix.lastIndexOf('/');
      const start = cut < 0 ? root : join(root, ...prefix.slice(0, cut).split('/'));
      const stack = [start];
      while (stack.length > 0) {
        const dir = stack.pop() as string;
        let names;
        try {
          names = await readdir(dir, { withFileTypes: true });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw err;
        }
        for (const entry of names) {
          const full = join(dir, entry.name);
          if (entry.isDirectory()) stack.push(full);
          else if (!entry.name.endsWith('.tmp')) {
            const key = relative(root, full).split(sep).join('/');
            if (key.startsWith(prefix)) yield key;
          }
        }
      }
    },
  };
}
