// platform/listen-url: the URL a server started on XBORDER_BIND_HOST can be reached at, for the line a process
// prints at start. A gateway on a host's own address must say that address, not loopback: another host (or
// a test that starts it in a network namespace) takes the printed URL at its word.
import net from 'node:net';

/**
 * `local` names this machine when the server listens on every interface (`0.0.0.0`, `::`) or on 127.0.0.1:
 * `127.0.0.1` by default, `localhost` for a server whose development certificate names localhost.
 */
export function listenUrl(
  scheme: 'http' | 'https',
  bindHost: string,
  port: number,
  local = '127.0.0.1',
): string {
  const here = bindHost === '0.0.0.0' || bindHost === '::' || bindHost === '127.0.0.1';
  const host = here ? local : bindHost;
  return `${scheme}://${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
}
