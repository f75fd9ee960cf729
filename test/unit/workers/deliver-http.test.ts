import { expect } from 'chai';
import { AddressNotAllowedError } from '../../../platform/outbound-guard.js';
import { classifyNetworkError } from '../../../workers/deliver-http.js';

describe('workers/deliver-http: classifyNetworkError (a closed outcome code, never the error text)', () => {
  const withCode = (code: string) => Object.assign(new Error(`boom ${code} 10.0.0.7:8443`), { code });
  const table: [error: unknown, outcome: string][] = [
    [new AddressNotAllowedError('partner.example', []), 'address_not_allowed'],
    [withCode('ENOTFOUND'), 'dns_error'],
    [withCode('EAI_AGAIN'), 'dns_error'],
    [withCode('ECONNREFUSED'), 'connect_refused'],
    [withCode('EHOSTUNREACH'), 'unreachable'],
    [withCode('ENETUNREACH'), 'unreachable'],
    [withCode('ETIMEDOUT'), 'timeout'],
    [withCode('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls_error'],
    [withCode('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls_error'],
    [withCode('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls_error'],
    [withCode('SELF_SIGNED_CERT_IN_CHAIN'), 'tls_error'],
    [withCode('CERT_HAS_EXPIRED'), 'tls_error'],
    [withCode('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), 'tls_error'],
    [withCode('EPROTO'), 'tls_error'],
    [withCode('ECONNRESET'), 'connection_reset'],
    [withCode('EPIPE'), 'connection_reset'],
    [withCode('ESOMETHINGELSE'), 'network_error'],
    [new Error('no code'), 'network_error'],
    [null, 'network_error'],
  ];
  for (const [error, outcome] of table) {
    it(`${(error as { code?: string } | null)?.code ?? String(error)} → ${outcome}`, () => {
      expect(classifyNetworkError(error)).to.equal(outcome);
    });
  }
});
