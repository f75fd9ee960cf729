// console/api: the console's only way to the gateway — /v1 calls with the bearer token the user signed in
// with. The token lives in sessionStorage (gone when the tab closes) and travels only in the Authorization
// header, never in a cookie: the browser never attaches it by itself, so there is no CSRF surface. Every call asks
// for the console's language (api.md §6: reason messages follow Accept-Language).
import { getLang } from './i18n.js';

const tokenKey = 'xborder.token';

export function getToken() {
  return sessionStorage.getItem(tokenKey);
}

/** @param {string} token */
export function setToken(token) {
  sessionStorage.setItem(tokenKey, token);
}

export function clearToken() {
  sessionStorage.removeItem(tokenKey);
}

/** An answer that was not 2xx, with the gateway's error body (api.md §4). */
export class ApiError extends Error {
  /** @param {number} status @param {{ code?: string, message?: string, details?: { path?: string, code?: string, message?: string }[] }} error @param {string | null} requestId */
  constructor(status, error, requestId) {
    super(error.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = error.code ?? 'HTTP_' + status;
    this.details = error.details ?? [];
    this.requestId = requestId;
  }
}

/** Called when the gateway answers 401: the token expired or is not valid any more. */
let onUnauthenticated = () => undefined;
/** @param {() => void} handler */
export function setUnauthenticatedHandler(handler) {
  onUnauthenticated = handler;
}

/**
 * @param {string} method @param {string} path @param {unknown} [body]
 * @returns {Promise<any>}
 */
export async function call(method, path, body) {
  const headers = {
    Accept: 'application/json',
    'Accept-Language': getLang() === 'zh' ? 'zh-CN,zh;q=0.9' : 'en',
  };
  const token = getToken();
  if (token !== null) headers['Authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'omit',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    parsed = { error: { message: text.slice(0, 200) } };
  }
  if (!response.ok) {
    if (response.status === 401) onUnauthenticated();
    throw new ApiError(response.status, parsed?.error ?? {}, parsed?.requestId ?? null);
  }
  return parsed;
}

/** @param {string} path */
export const get = (path) => call('GET', path);

/** Builds a query string from the defined, non-empty values. @param {Record<string, string | number | undefined>} params */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
