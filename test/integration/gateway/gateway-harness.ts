// A gateway started in-process from its composition root, on a private Redis and a fresh data dir with a
// development PKI made for the test; plus helpers to mint tokens and send requests.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDevPki, devPkiPaths } from '../../../certs/dev-pki.js';
import { mintToken, type TokenRole } from '../../../certs/token.js';
import { startGateway, type RunningGateway } from '../../../gateway/start-gateway.js';
import { loadConfig } from '../../../platform/config.js';
import { systemClock, type Clock } from '../../../platform/clock.js';
import { createLogger } from '../../../platform/logger.js';
import { startRedisServer, type TestRedis } from '../../support/redis-server.js';

export interface Harness {
  readonly url: string;
  readonly dataDir: string;
  readonly redisUrl: string;
  readonly gateway: RunningGateway;
  token(role: TokenRole, sub?: string, exporter?: string): Promise<string>;
  /**
   * Registers, as admin, what a manifest refers to: the exporters, partner `p-sg` and its endpoint `e-sg`
   * (which no test delivers to). Throws with the gateway's answer if any registration is refused.
   */
  registerRoute(...exporters: string[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `clock` is the gateway's time and the tokens' issue time (a token from the real "now" is not yet valid under a
 * clock fixed in the past): a fixed clock lets a test about "this year" pass on any date.
 */
export async function startHarness(
  env: Record<string, string> = {},
  clock: Clock = systemClock,
): Promise<Harness> {
  const redis: TestRedis = await startRedisServer();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'xborder-gw-'));
  await createDevPki(path.join(dataDir, 'pki'));
  const config = loadConfig({
    XBORDER_REDIS_URL: redis.url,
    XBORDER_DATA_DIR: dataDir,
    XBORDER_HTTP_PORT: '0',
    XBORDER_POLICY_DIR: path.resolve('policies'),
    // registerRoute's endpoint is https://localhost:1 (never delivered to): loopback must be allowed.
    XBORDER_ENDPOINT_ALLOWED_NETS: '127.0.0.0/8,::1/128',
    ...env,
  });
  const gateway: RunningGateway = await startGateway(config, {
    clock,
    logger: createLogger({ level: 'error', name: 'test', write: () => undefined }),
  });
  const issuerKey = readFileSync(devPkiPaths(path.join(dataDir, 'pki')).issuerKey, 'utf8');
  const token: Harness['token'] = (role, sub = `${role}-1`, exporter) =>
    mintToken({ role, sub, ttlSeconds: 600, ...(exporter === undefined ? {} : { exporter }) }, issuerKey, {
      issuer: 'xborder-dev',
      audience: 'xborder',
      now: clock.now(),
    });
  return {
    url: gateway.url,
    dataDir,
    redisUrl: redis.url,
    gateway,
    token,
    async registerRoute(...exporters) {
      const admin = await token('admin');
      const put = async (url: string, body: unknown) => {
        const answer = await request(`${gateway.url}${url}`, {
          method: 'PUT',
          headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (answer.status !== 200)
          throw new Error(`PUT ${url}: ${answer.status} ${JSON.stringify(answer.body)}`);
      };
      for (const id of exporters) await put(`/v1/exporters/${id}`, { name: 'E', ciio: false, ftzArea: null });
      await put('/v1/partners/p-sg', { name: 'P', country: 'SG', role: 'processor' });
      await put('/v1/endpoints/e-sg', { partnerId: 'p-sg', url: 'https://localhost:1', country: 'SG' });
    },
    async stop() {
      await gateway.close();
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A general-grade supply-chain manifest to the route registerRoute sets up (partner p-sg, endpoint e-sg). */
export function routeManifest(exporterId: string, overrides: Record<string, unknown> = {}) {
  return {
    exporterId,
    businessType: 'supply_chain',
    purpose: 'planning',
    partnerId: 'p-sg',
    endpointId: 'e-sg',
    destinationCountry: 'SG',
    dataCategories: ['inventory'],
    declaredGrade: 'general',
    personalInfo: { individuals: 0, sensitiveIndividuals: 0 },
    ...overrides,
  };
}

export interface Answer {
  readonly status: number;
  readonly body: {
    error?: { code: string; details: { path?: string; code?: string }[] };
    [key: string]: unknown;
  };
}

export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as Answer['body'] };
  } catch {
    return { status: response.status, body: { text } };
  }
}
