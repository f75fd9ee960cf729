// platform/lua-script: runs a Lua script by SHA with a fallback to loading it, so each atomic state change is
// one round trip. Results come back as `unknown`: each caller parses what its script's header promises.
import { createHash } from 'node:crypto';
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
