/** Network failures in a technician's words (the cause, not a stack). */
import { AxiosError } from 'axios';

const CODES: Record<string, string> = {
  ENOTFOUND: 'name not resolved',
  EAI_AGAIN: 'name not resolved',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection dropped',
  ETIMEDOUT: 'no answer in time',
  ECONNABORTED: 'no answer in time',
  ESSPR_CONNECT_TIMEOUT: 'no answer in time',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate not trusted (pass the issuing CA with --ca)',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate not trusted (pass the issuing CA with --ca)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'certificate not trusted (pass the issuing CA with --ca)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate is for another host',
  CERT_HAS_EXPIRED: 'certificate expired',
};

export const describeNetworkError = (err: unknown): string => {
  const code = err instanceof AxiosError ? (err.code ?? (err.cause as { code?: string } | undefined)?.code) : (err as { code?: string } | undefined)?.code;
  if (code && CODES[code]) return `${CODES[code]} (${code})`;
  return code ?? (err instanceof Error ? err.message.slice(0, 200) : String(err).slice(0, 200));
};
