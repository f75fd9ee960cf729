// platform/lua-script: runs a Lua script by SHA with a fallback to loading it, so each atomic state change is
// one round trip. Scripts are `.lua` files in the room of their store, each opening with a header naming its
// KEYS, ARGV and returns (the BullMQ habit). Results come back as `unknown`: each caller parses what its
// script's header promises. Must not build key names: callers pass every key in KEYS (Redis Cluster routes and
// checks by them).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from './redis.js';

export type LuaScript = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

export function createLuaScript(redis: Redis, source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}

/**
 * The package root: the nearest folder above this file holding package.json. The same from the TypeScript
 * sources (tests run them through tsx) and from dist/ (processes run the build), since tsc does not copy
 * `.lua` files into dist/; the Dockerfile copies the script folders beside dist/ for the same reason.
 */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('lua-script: no package.json above platform/lua-script');
    dir = parent;
  }
  return dir;
}

const root = packageRoot();
const sources = new Map<string, string>();

/** The text of a script file, by its path from the package root (e.g. `registry/scripts/set-status.lua`). */
export function readLuaSource(file: string): string {
  let source = sources.get(file);
  if (source === undefined) {
    source = readFileSync(path.join(root, file), 'utf8');
    sources.set(file, source);
  }
  return source;
}

/** A script from its file (see readLuaSource), run by SHA. */
export function loadLuaScript(redis: Redis, file: string): LuaScript {
  return createLuaScript(redis, readLuaSource(file));
}
