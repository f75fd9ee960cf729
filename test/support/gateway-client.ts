// test/support/gateway-client: how a test talks to a running gateway over HTTP — bearer tokens minted with the
// development PKI's issuer key, JSON calls, multipart submits and polling a transfer until it gets somewhere.
// It starts nothing and judges nothing: the test that uses it keeps its own expectations.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { devPkiPaths } from '../../certs/dev-pki.js';
import { mintToken, type TokenRole } from '../../certs/token.js';

export interface Answer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface GatewayClientOptions {
  /** The gateway's base URL, e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string;
  /** The deployment's XBORDER_DATA_DIR: `xborder certs init` left the token issuer key under pki/auth/. */
  readonly dataDir: string;
  /** Token lifetime; ten minutes outlasts one test file, long chaos runs and benchmarks need more. */
  readonly tokenTtlSeconds?: number | undefined;
  /** Aborts a request that takes longer. None by default: a test's own timeout ends a hung call. */
  readonly requestTimeoutMs?: number | undefined;
  /** The processes' recent output, for the message of a transfer that never gets where the test waits. */
  readonly output?: (() => string) | undefined;
}

/** `B` is what the test reads from the gateway's answers unless a call names another type. */
export interface GatewayClient<B = unknown> {
  readonly baseUrl: string;
  readonly dataDir: string;
  /** A token for `role`; `exporterId` binds an enterprise token to its exporter (api.md §3). */
  token(role: TokenRole, sub: string, exporterId?: string): Promise<string>;
  /** One request with an optional JSON body; an empty answer body reads as null. */
  call<T = B>(method: string, url: string, bearer: string, body?: unknown): Promise<Answer<T>>;
  /** `call` that throws (with the answer's body) unless the gateway answers `status`; gives the body. */
  callExpecting<T = B>(
    status: number,
    method: string,
    url: string,
    bearer: string,
    body?: unknown,
  ): Promise<T>;
  /** POST /v1/transfers as multipart/form-data: the manifest part, then the payload part. */
  submit<T = B>(manifest: object, payload: Buffer | string, bearer: string): Promise<Answer<T>>;
  /** `submit` that throws (with the answer's body) unless the gateway accepts it (202); gives the transfer. */
  submitAccepted<T = B>(manifest: object, payload: Buffer | string, bearer: string): Promise<T>;
  /** Polls GET /v1/transfers/:id until `done` holds; the failure says `what` never happened and shows outputs. */
  until<T = B>(
    id: string,
    bearer: string,
    what: string,
    done: (transfer: T) => boolean,
    timeoutMs?: number,
  ): Promise<T>;
  /** Polls until the transfer's status is one of `statuses` (by default any status a transfer ends or rests in). */
  settle<T = B>(id: string, bearer: string, statuses?: readonly string[], timeoutMs?: number): Promise<T>;
}

/** The statuses a transfer stops in until someone acts (api.md §6): what "settled" means by default. */
export const settledStatuses: readonly string[] = [
  'released',
  'held',
  'blocked',
  'rejected',
  'delivery_failed',
];

/** The token issuer and audience `xborder certs init` configures for development. */
const devIssuer = { issuer: 'xborder-dev', audience: 'xborder' } as const;

export function createGatewayClient<B = unknown>(options: GatewayClientOptions): GatewayClient<B> {
  const { baseUrl, dataDir } = options;
  const issuerKey = devPkiPaths(path.join(dataDir, 'pki')).issuerKey;
  const output = (): string => options.output?.() ?? '';

  async function call<T>(method: string, url: string, bearer: string, body?: unknown): Promise<Answer<T>> {
    const response = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        Authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(options.requestTimeoutMs === undefined
        ? {}
        : { signal: AbortSignal.timeout(options.requestTimeoutMs) }),
    });
    return readAnswer<T>(response);
  }

  async function submit<T>(manifest: object, payload: Buffer | string, bearer: string): Promise<Answer<T>> {
    const form = new FormData();
    form.append('manifest', JSON.stringify(manifest));
    form.append('payload', new Blob([payload]), 'payload');
    const response = await fetch(`${baseUrl}/v1/transfers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bearer}` },
      body: form,
    });
    return readAnswer<T>(response);
  }

  async function until<T>(
    id: string,
    bearer: string,
    what: string,
    done: (transfer: T) => boolean,
    timeoutMs = 30_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { body } = await call<T>('GET', `/v1/transfers/${id}`, bearer);
      if (done(body)) return body;
      if (Date.now() > deadline)
        throw new Error(`transfer ${id} never ${what}: ${JSON.stringify(body)}\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return {
    baseUrl,
    dataDir,
    token: (role, sub, exporterId) =>
      mintToken(
        {
          role,
          sub,
          ttlSeconds: options.tokenTtlSeconds ?? 600,
          ...(exporterId === undefined ? {} : { exporter: exporterId }),
        },
        readFileSync(issuerKey, 'utf8'),
        { ...devIssuer, now: new Date() },
      ),
    call,
    async callExpecting<T>(status: number, method: string, url: string, bearer: string, body?: unknown) {
      const answer = await call<T>(method, url, bearer, body);
      if (answer.status !== status)
        throw new Error(
          `${method} ${url} answered ${answer.status}, not ${status}: ${JSON.stringify(answer.body)}`,
        );
      return answer.body;
    },
    submit,
    async submitAccepted<T>(manifest: object, payload: Buffer | string, bearer: string) {
      const answer = await submit<T>(manifest, payload, bearer);
      if (answer.status !== 202)
        throw new Error(
          `POST /v1/transfers answered ${answer.status}, not 202: ${JSON.stringify(answer.body)}`,
        );
      return answer.body;
    },
    until,
    settle: <T>(id: string, bearer: string, statuses = settledStatuses, timeoutMs?: number) =>
      until<T>(
        id,
        bearer,
        `reached ${statuses.join(' or ')}`,
        (transfer) => statuses.includes((transfer as { status?: string } | null)?.status ?? ''),
        timeoutMs,
      ),
  };
}

/** The gateway answers JSON; an empty body (a 204, say) reads as null rather than failing to parse. */
async function readAnswer<T>(response: Response): Promise<Answer<T>> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text === '' ? null : JSON.parse(text)) as T,
  };
}
