/**
 * One classifier for failed exchanges: the engine's view (which screen, could the request have arrived?)
 * and the administrator's view (logs, doctor) come from the same call, so they cannot disagree. The TLS
 * agent's classifyTlsError and the engine's export are that classifier.
 */
import { describe, expect, it } from 'vitest';
import { classifyNetworkError as fromEngine } from '../../../src/main/core/engine/nativeEngine';
import { CONNECT_TIMEOUT_CODE } from '../../../src/main/core/http';
import { classifyNetworkError } from '../../../src/main/core/networkError';
import { classifyTlsError } from '../../../src/main/core/tls/agent';

const err = (code: string | undefined, message = '', extra: object = {}) => Object.assign(new Error(message), code ? { code } : {}, extra);
const sentOverTls = { request: { socket: { authorized: true } } };
const notConnected = { request: { socket: { authorized: false } } };

describe('classifyNetworkError', () => {
  it.each([
    ['connection refused', err('ECONNREFUSED', '', notConnected), { cause: 'refused', requestSent: false, failureClass: 'offline' }],
    ['no DNS answer', err('ENOTFOUND', '', notConnected), { cause: 'dns', requestSent: false, failureClass: 'offline' }],
    ['TLS 1.0-only server', err('EPROTO', 'write EPROTO ... wrong version number', notConnected), { cause: 'tls', requestSent: false, failureClass: 'tls-version' }],
    ['server refuses TLS 1.2', err('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', '', notConnected), { cause: 'tls', requestSent: false, failureClass: 'tls-version' }],
    ['untrusted certificate', err('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', notConnected), { cause: 'tls', requestSent: false, failureClass: 'certificate' }],
    ['expired certificate', err('CERT_HAS_EXPIRED', 'certificate has expired', notConnected), { cause: 'tls', requestSent: false, failureClass: 'certificate' }],
    ['wrong host name', err('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", notConnected), { cause: 'tls', requestSent: false, failureClass: 'certificate' }],
    ['TCP+TLS set-up too slow', err(CONNECT_TIMEOUT_CODE, 'TLS connection not established within 10000 ms', notConnected), { cause: 'timeout', requestSent: false, failureClass: 'timeout' }],
    ['answer too slow after the request went out', err('ECONNABORTED', 'timeout of 30000ms exceeded', sentOverTls), { cause: 'timeout', requestSent: true, failureClass: 'timeout' }],
    ['reset after the request went out', err('ECONNRESET', 'socket hang up', sentOverTls), { cause: 'reset', requestSent: true, failureClass: 'offline' }],
    ['proxy refused the tunnel', err('ERR_PROXY_TUNNEL', 'proxy refused the tunnel (HTTP 403)', notConnected), { cause: 'other', requestSent: false, failureClass: 'proxy' }],
  ])('%s', (_name, error, expected) => {
    expect(classifyNetworkError(error)).toMatchObject(expected);
  });

  it('reads the code from an axios error’s cause as well', () => {
    expect(classifyNetworkError({ message: 'x', cause: { code: 'ENOTFOUND' } })).toMatchObject({ cause: 'dns', code: 'ENOTFOUND', failureClass: 'offline' });
  });

  it('never throws on something that is not an error', () => {
    for (const thing of [null, undefined, 42, 'text', {}]) expect(classifyNetworkError(thing)).toMatchObject({ cause: 'other', failureClass: 'other' });
  });

  it('is the classifier behind the engine and the TLS agent', () => {
    expect(fromEngine).toBe(classifyNetworkError);
    const certificate = err('CERT_HAS_EXPIRED', 'certificate has expired');
    expect(classifyTlsError(certificate)).toBe(classifyNetworkError(certificate).failureClass);
  });
});
