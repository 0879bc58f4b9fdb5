/**
 * The one classifier of failed exchanges with the service, for the engine (which screen, and whether the
 * request could have reached the service), for `doctor` and for logs. Never the raw error text to a user.
 */
import type { NetworkCause } from './engine/types';

/** What an administrator should look at: the TLS version, the certificate, the proxy, the network. */
export type FailureClass = 'tls-version' | 'certificate' | 'proxy' | 'offline' | 'timeout' | 'other';

export interface NetworkFailure {
  /** The engine's view: which user-facing error this becomes. */
  cause: NetworkCause;
  /** Could the service have received the request? A lost password submission is then never resent. */
  requestSent: boolean;
  /** The error code as Node or axios gave it ('' when none). */
  code: string;
  /** The administrator's view (logs, doctor). */
  failureClass: FailureClass;
}

interface RequestLike {
  socket?: { authorized?: boolean } | null;
  reusedSocket?: boolean;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const TLS_ERROR = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH)/;
const TLS_VERSION_MESSAGE = /unsupported protocol|protocol version|wrong version number|no protocols available|version too low/i;
const TLS_VERSION_CODES = ['ERR_SSL_UNSUPPORTED_PROTOCOL', 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'];
const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME_INVALID/;
/** Our own code for a TLS connection that was not established in time (set by the HTTPS agent). */
export const CONNECT_TIMEOUT_CODE = 'ESSPR_CONNECT_TIMEOUT';

const TIMEOUT_CODES = [CONNECT_TIMEOUT_CODE, 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED'];
const OFFLINE_CODES = ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNRESET'];

const failureClassOf = (code: string, message: string): FailureClass => {
  if (code.startsWith('ERR_PROXY')) return 'proxy';
  if (TLS_VERSION_MESSAGE.test(message) || TLS_VERSION_CODES.includes(code)) return 'tls-version';
  if (CERTIFICATE_CODE.test(code)) return 'certificate';
  if (TIMEOUT_CODES.includes(code)) return 'timeout';
  if (OFFLINE_CODES.includes(code)) return 'offline';
  return 'other';
};

const causeOf = (code: string, message: string, tlsUp: boolean, req: RequestLike | undefined): { cause: NetworkCause; requestSent: boolean } => {
  if (code === CONNECT_TIMEOUT_CODE) return { cause: 'timeout', requestSent: false };
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { cause: 'refused', requestSent: false };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { cause: 'dns', requestSent: false };
  if (TLS_ERROR.test(code) || /certificate|ssl|tls/i.test(message)) return { cause: 'tls', requestSent: false };
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message)) return { cause: 'timeout', requestSent: tlsUp };
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(message)) return { cause: 'reset', requestSent: tlsUp || req === undefined };
  return { cause: 'other', requestSent: tlsUp || req === undefined };
};

export const classifyNetworkError = (err: unknown): NetworkFailure => {
  const e = err as { code?: unknown; message?: unknown; request?: RequestLike; cause?: { code?: unknown } } | null;
  const code = str(e?.code) ?? str(e?.cause?.code) ?? '';
  const message = str(e?.message) ?? '';
  const req = e?.request;
  // Only a request whose TLS session was set up (or that rode a reused socket) can have been received.
  const tlsUp = req?.reusedSocket === true || req?.socket?.authorized === true;
  return { ...causeOf(code, message, tlsUp, req), code, failureClass: failureClassOf(code, message) };
};
