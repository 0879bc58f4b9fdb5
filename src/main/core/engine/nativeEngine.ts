/**
 * Client of Entra's native-auth SSPR API v1 (sspr-protocol.md §1): start → challenge → continue → submit →
 * poll_completion, form-encoded POSTs carrying the latest continuation token.
 *
 * No POST is ever retried automatically: challenge sends an e-mail, submit changes a password. A lost
 * answer to submit is reported as password_may_have_changed, never resent (security.md §5).
 */
import { randomUUID } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import { CONNECT_TIMEOUT_CODE } from '../http';
import {
  PASSWORD_RULES,
  POLL_STATUSES,
  type AttemptContext,
  type Endpoint,
  type EngineFailure,
  type NativeEngine,
  type NetworkCause,
  type PasswordRule,
  type PollStatus,
  type ResetResult,
  type ServiceInfo,
} from './types';

export const CLIENT_SKU = 'SsprLogon.Windows';
export const CHALLENGE_TYPES = 'oob redirect';
/**
 * Convention: Microsoft documents no lifetime for submit's (poll) token, nor any expires_in on submit. The
 * longest a continuation token lives is 600 s (continue's expires_in), so polling may go on that long; an
 * expires_in on submit or a poll answer, when the service sends one, takes its place.
 */
export const POLL_TOKEN_LIFETIME_SECONDS = 600;
/** An outer cap on polling, for tests and callers that need a shorter bound; by default the token's lifetime. */
export const DEFAULT_POLL_TIMEOUT_MS = POLL_TOKEN_LIFETIME_SECONDS * 1000;
/** The longest wait between polls when a failed poll carried no Retry-After. */
const MAX_POLL_BACKOFF_SECONDS = 30;
/** MSAL rewrites a poll_interval of 0 (or a missing one) to 2 s. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 2;
const MAX_RETRY_AFTER_SECONDS = 86_400;
/** The emulator's convention for "the code has expired" (the docs give no number). */
const EXPIRED_CODE = 50182;

export const newCorrelationId = (): string => randomUUID();

export interface NativeEngineOptions {
  /** e.g. https://contoso.ciamlogin.com/contoso.onmicrosoft.com/ */
  authority: string;
  clientId: string;
  http: AxiosInstance;
  /** Sent as x-client-VER. */
  clientVersion: string;
  /** Outer bound on polling after a submit (default: the poll token's lifetime, 600 s). */
  pollTimeoutMs?: number;
  /** Injectable so tests need not wait for real poll intervals. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Called once per HTTP exchange, for the log. Receives no token, code or password. */
  onExchange?: (ctx: AttemptContext, info: ServiceInfo) => void;
}

type Exchange =
  | { type: 'response'; status: number; body: Record<string, unknown> | null; info: ServiceInfo; retryAfterSeconds?: number }
  | { type: 'network'; cause: NetworkCause; requestSent: boolean; info: ServiceInfo };

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const TLS_ERROR = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH)/;

interface SocketLike {
  authorized?: boolean;
}
interface RequestLike {
  socket?: SocketLike | null;
  reusedSocket?: boolean;
}

/** Classifies a failed exchange and tells whether the request could have reached the service. */
export const classifyNetworkError = (err: unknown): { cause: NetworkCause; requestSent: boolean; code: string } => {
  const e = err as { code?: unknown; message?: unknown; request?: RequestLike; cause?: { code?: unknown } };
  const code = str(e?.code) ?? str(e?.cause?.code) ?? '';
  const message = str(e?.message) ?? '';
  const req = e?.request;
  // Only a request whose TLS session was set up (or that rode a reused socket) can have been received.
  const tlsUp = req?.reusedSocket === true || req?.socket?.authorized === true;
  if (code === CONNECT_TIMEOUT_CODE) return { cause: 'timeout', requestSent: false, code };
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { cause: 'refused', requestSent: false, code };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { cause: 'dns', requestSent: false, code };
  if (TLS_ERROR.test(code) || /certificate|ssl|tls/i.test(message)) return { cause: 'tls', requestSent: false, code };
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message)) return { cause: 'timeout', requestSent: tlsUp, code };
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(message)) return { cause: 'reset', requestSent: tlsUp || req === undefined, code };
  return { cause: 'other', requestSent: tlsUp || req === undefined, code };
};

/** Retry-After is either delta-seconds or an HTTP date. */
export const parseRetryAfter = (value: unknown, nowMs: number): number | undefined => {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const text = String(raw).trim();
  let seconds: number;
  if (/^\d+$/.test(text)) seconds = Number(text);
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    seconds = Math.ceil((at - nowMs) / 1000);
  }
  return Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER_SECONDS);
};

/** A token lifetime the service stated (expires_in, seconds), when it is a usable number. */
const lifetimeOf = (body: Record<string, unknown>): number | undefined => {
  const value = body.expires_in;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.min(value, MAX_RETRY_AFTER_SECONDS) : undefined;
};

const isPasswordRule = (value: unknown): value is PasswordRule => PASSWORD_RULES.includes(value as PasswordRule);

/**
 * Undocumented AADSTS numbers (portal-facts §3: general sign-in codes, or the emulator's conventions) may
 * only refine a failure whose documented `error` is itself unspecific; they never override a documented
 * error or suberror, so a correct screen never rests on them alone.
 */
const refineUnspecific = (info: ServiceInfo, fallback: EngineFailure): EngineFailure => {
  const codes = info.errorCodes ?? [];
  if (codes.includes(50057)) return { kind: 'not_enabled', info };
  if (info.suberror === 'registration_required' || info.suberror === 'mfa_required' || codes.includes(50079)) return { kind: 'registration_required', info };
  if (codes.includes(50053)) return { kind: 'blocked', info };
  return fallback;
};

/**
 * Maps a 4xx error body onto a failure kind. Behaviour is keyed on the documented strings (error,
 * suberror, and the documented token codes 55200/552003); see refineUnspecific for the rest.
 */
export const classifyServiceError = (body: Record<string, unknown>, info: ServiceInfo): EngineFailure => {
  const error = info.error ?? '';
  const suberror = info.suberror;
  const codes = info.errorCodes ?? [];
  const token = str(body.continuation_token);
  if (isPasswordRule(suberror)) return { kind: 'password_policy', rule: suberror, info, ...(token ? { continuationToken: token } : {}) };
  // MSAL-ObjC also accepts some suberrors as the top-level error (continue, poll_completion).
  if (isPasswordRule(error)) return { kind: 'password_policy', rule: error, info, ...(token ? { continuationToken: token } : {}) };
  switch (error) {
    case 'user_not_found':
      return { kind: 'user_not_found', info };
    case 'unsupported_challenge_type':
      return { kind: 'unsupported_challenge_type', info };
    case 'invalid_client':
      return { kind: 'invalid_client', info, ...(suberror ? { suberror } : {}) };
    case 'unauthorized_client':
      return { kind: 'unauthorized_client', info };
    case 'expired_token':
      return { kind: 'expired_token', info };
    case 'invalid_oob_value':
      // "Expired" only refines the message of a documented wrong-code answer.
      return { kind: 'invalid_oob_value', info, ...(codes.includes(EXPIRED_CODE) ? { expired: true } : {}) };
    case 'verification_required':
      return { kind: 'verification_required', info };
    case 'invalid_grant':
      if (suberror === 'invalid_oob_value') return { kind: 'invalid_oob_value', info, ...(codes.includes(EXPIRED_CODE) ? { expired: true } : {}) };
      return refineUnspecific(info, { kind: 'invalid_grant', info });
    case 'invalid_request':
      if (codes.includes(552003)) return { kind: 'expired_token', info };
      if (codes.includes(55200)) return { kind: 'invalid_token', info };
      if (codes.includes(90100)) return { kind: 'invalid_username', info };
      return refineUnspecific(info, { kind: 'invalid_request', info });
    default:
      return refineUnspecific(info, { kind: 'unknown_error', info });
  }
};

export const createNativeEngine = (opts: NativeEngineOptions): NativeEngine => {
  const base = opts.authority.endsWith('/') ? opts.authority : `${opts.authority}/`;
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  const pollTimeoutMs = opts.pollTimeoutMs ?? DEFAULT_POLL_TIMEOUT_MS;
  let submitInFlight = false;

  const post = async (ctx: AttemptContext, endpoint: Endpoint, fields: Record<string, string>): Promise<Exchange> => {
    const started = now();
    const body = new URLSearchParams({ client_id: opts.clientId, ...fields }).toString();
    const info: ServiceInfo = { endpoint };
    try {
      const res = await opts.http.post<string>(`${base}resetpassword/v1.0/${endpoint}`, body, {
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
          'client-request-id': ctx.correlationId,
          'return-client-request-id': 'true',
          'x-client-SKU': CLIENT_SKU,
          'x-client-VER': opts.clientVersion,
        },
      });
      info.status = res.status;
      info.durationMs = now() - started;
      const requestId = str(res.headers['x-ms-request-id']);
      if (requestId) info.requestId = requestId.slice(0, 64);
      let parsed: Record<string, unknown> | null = null;
      try {
        const value: unknown = typeof res.data === 'string' && res.data.length > 0 ? JSON.parse(res.data) : null;
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) parsed = value as Record<string, unknown>;
      } catch {
        parsed = null;
      }
      if (parsed) {
        const error = str(parsed.error);
        const suberror = str(parsed.suberror);
        if (error) info.error = error.slice(0, 64);
        if (suberror) info.suberror = suberror.slice(0, 64);
        if (Array.isArray(parsed.error_codes)) info.errorCodes = parsed.error_codes.filter((c): c is number => typeof c === 'number').slice(0, 8);
      }
      const retryAfterSeconds = parseRetryAfter(res.headers['retry-after'], now());
      opts.onExchange?.(ctx, info);
      return { type: 'response', status: res.status, body: parsed, info, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
    } catch (err) {
      const net = classifyNetworkError(err);
      info.durationMs = now() - started;
      info.error = `network:${net.cause}${net.code ? `:${net.code}` : ''}`.slice(0, 64);
      opts.onExchange?.(ctx, info);
      return { type: 'network', cause: net.cause, requestSent: net.requestSent, info };
    }
  };

  /** Everything that is not a well-formed 200: a typed failure. Returns null for a usable 200 body. */
  const failureOf = (ex: Exchange): EngineFailure | null => {
    if (ex.type === 'network') return { kind: 'network', cause: ex.cause, requestSent: ex.requestSent, info: ex.info };
    const { status, body, info } = ex;
    if (status === 429) return { kind: 'rate_limited', info, ...(ex.retryAfterSeconds !== undefined ? { retryAfterSeconds: ex.retryAfterSeconds } : {}) };
    if (status >= 500) return { kind: 'server_error', status, info, ...(ex.retryAfterSeconds !== undefined ? { retryAfterSeconds: ex.retryAfterSeconds } : {}) };
    if (status >= 200 && status < 300) {
      if (!body) return { kind: 'bad_response', detail: 'not a JSON object', info };
      if (body.challenge_type === 'redirect') {
        const reason = str(body.redirect_reason);
        return { kind: 'redirect', info, ...(reason ? { reason: reason.slice(0, 64) } : {}) };
      }
      return null;
    }
    if (status >= 400 && status < 500 && body && typeof body.error === 'string') {
      const failure = classifyServiceError(body, info);
      if (failure.kind === 'blocked' && ex.retryAfterSeconds !== undefined) return { ...failure, retryAfterSeconds: ex.retryAfterSeconds };
      return failure;
    }
    return { kind: 'bad_response', detail: `unexpected HTTP ${status}`, info };
  };

  const tokenOf = (ex: Exchange): string | undefined => (ex.type === 'response' ? str(ex.body?.continuation_token) : undefined);

  const missing = (ex: Exchange & { type: 'response' }, field: string): EngineFailure => ({
    kind: 'bad_response',
    detail: `200 without ${field}`,
    info: ex.info,
  });

  const start: NativeEngine['start'] = async (ctx, username) => {
    const ex = await post(ctx, 'start', { username, challenge_type: CHALLENGE_TYPES });
    const failure = failureOf(ex);
    if (failure) return { ok: false, ...failure };
    if (ex.type !== 'response') throw new Error('unreachable');
    const token = tokenOf(ex);
    if (!token) return { ok: false, ...missing(ex, 'continuation_token') };
    return { ok: true, continuationToken: token, info: ex.info };
  };

  const challenge: NativeEngine['challenge'] = async (ctx, continuationToken) => {
    const ex = await post(ctx, 'challenge', { continuation_token: continuationToken, challenge_type: CHALLENGE_TYPES });
    const failure = failureOf(ex);
    if (failure) return { ok: false, ...failure };
    if (ex.type !== 'response' || !ex.body) throw new Error('unreachable');
    const token = tokenOf(ex);
    if (!token) return { ok: false, ...missing(ex, 'continuation_token') };
    if (ex.body.challenge_type !== 'oob') return { ok: false, kind: 'bad_response', detail: 'challenge_type is not oob', info: ex.info };
    const codeLength = typeof ex.body.code_length === 'number' && Number.isInteger(ex.body.code_length) && ex.body.code_length > 0 && ex.body.code_length <= 32 ? ex.body.code_length : 0;
    return {
      ok: true,
      continuationToken: token,
      channel: str(ex.body.challenge_channel) ?? '',
      targetLabel: (str(ex.body.challenge_target_label) ?? '').slice(0, 256),
      codeLength,
      bindingMethod: str(ex.body.binding_method) ?? '',
      info: ex.info,
    };
  };

  const submitCode: NativeEngine['submitCode'] = async (ctx, continuationToken, code) => {
    const ex = await post(ctx, 'continue', { continuation_token: continuationToken, grant_type: 'oob', oob: code });
    const failure = failureOf(ex);
    if (failure) return { ok: false, ...failure };
    if (ex.type !== 'response' || !ex.body) throw new Error('unreachable');
    const token = tokenOf(ex);
    if (!token) return { ok: false, ...missing(ex, 'continuation_token') };
    const expires = ex.body.expires_in;
    return { ok: true, continuationToken: token, info: ex.info, ...(typeof expires === 'number' ? { expiresInSeconds: expires } : {}) };
  };

  /**
   * Polls with the submit's token until a final status or until that token can no longer be answered.
   * A poll only reads status, so a throttled (429), failing (5xx) or lost poll is asked again: after the
   * service's Retry-After when it gives one, else after a doubling back-off. Giving up early would tell a
   * user whose password did change that it "may have changed", so the only end short of a final status is
   * the poll token's lifetime (or the pollTimeoutMs cap, whichever comes first).
   */
  const pollToEnd = async (ctx: AttemptContext, firstToken: string, intervalSeconds: number, lifetimeSeconds: number): Promise<ResetResult> => {
    const cap = now() + pollTimeoutMs;
    let deadline = Math.min(cap, now() + lifetimeSeconds * 1000);
    let token = firstToken;
    let polls = 0;
    let waitSeconds = intervalSeconds;
    let lostInARow = 0;
    let lastInfo: ServiceInfo = { endpoint: 'poll_completion' };
    for (;;) {
      // Waiting past the token's end would only earn expired_token: stop now and say what is known.
      if (now() + waitSeconds * 1000 >= deadline) {
        return { ok: false, kind: 'poll_timeout', polls, info: lastInfo };
      }
      await sleep(waitSeconds * 1000);
      polls += 1;
      const ex = await post(ctx, 'poll_completion', { continuation_token: token });
      lastInfo = ex.info;
      const failure = failureOf(ex);
      if (failure) {
        if (failure.kind === 'rate_limited' || failure.kind === 'server_error' || failure.kind === 'network') {
          lostInARow += 1;
          const backOff = Math.min(intervalSeconds * 2 ** lostInARow, MAX_POLL_BACKOFF_SECONDS);
          const retryAfter = failure.kind === 'network' ? undefined : failure.retryAfterSeconds;
          waitSeconds = Math.max(intervalSeconds, retryAfter ?? backOff);
          continue;
        }
        if (failure.kind === 'password_policy') return { ok: false, ...failure };
        return { ok: false, kind: 'password_may_have_changed', cause: `poll ${failure.kind}`, info: failure.info };
      }
      lostInARow = 0;
      waitSeconds = intervalSeconds;
      if (ex.type !== 'response' || !ex.body) throw new Error('unreachable');
      const status = ex.body.status;
      if (!POLL_STATUSES.includes(status as PollStatus)) {
        return { ok: false, kind: 'invalid_poll_status', status: String(status).slice(0, 32), info: ex.info };
      }
      const next = tokenOf(ex);
      if (status === 'succeeded') return { ok: true, continuationToken: next ?? '', polls, info: ex.info };
      if (status === 'failed') {
        if (!next) return { ok: false, kind: 'bad_response', detail: 'failed without continuation_token', info: ex.info };
        return { ok: false, kind: 'reset_failed', continuationToken: next, info: ex.info };
      }
      if (next) token = next;
      const expiresIn = lifetimeOf(ex.body);
      if (expiresIn !== undefined) deadline = Math.min(cap, now() + expiresIn * 1000);
    }
  };

  const resetPassword: NativeEngine['resetPassword'] = async (ctx, continuationToken, newPassword) => {
    if (submitInFlight) return { ok: false, kind: 'submit_in_flight', info: { endpoint: 'submit' } };
    submitInFlight = true;
    try {
      const ex = await post(ctx, 'submit', { continuation_token: continuationToken, new_password: newPassword });
      const failure = failureOf(ex);
      if (failure) {
        // The answer is lost but the request may have been applied: never send it again.
        if (failure.kind === 'network' && failure.requestSent) {
          return { ok: false, kind: 'password_may_have_changed', cause: `submit network:${failure.cause}`, info: failure.info };
        }
        if (failure.kind === 'server_error' || failure.kind === 'bad_response') {
          return { ok: false, kind: 'password_may_have_changed', cause: `submit ${failure.kind}`, info: failure.info };
        }
        return { ok: false, ...failure };
      }
      if (ex.type !== 'response' || !ex.body) throw new Error('unreachable');
      const token = tokenOf(ex);
      // Accepted, but without a token nobody can tell how it ended.
      if (!token) return { ok: false, kind: 'password_may_have_changed', cause: 'submit 200 without continuation_token', info: ex.info };
      const raw = ex.body.poll_interval;
      const interval = typeof raw === 'number' && raw > 0 && raw <= 60 ? raw : DEFAULT_POLL_INTERVAL_SECONDS;
      return await pollToEnd(ctx, token, interval, lifetimeOf(ex.body) ?? POLL_TOKEN_LIFETIME_SECONDS);
    } finally {
      submitInFlight = false;
    }
  };

  return { start, challenge, submitCode, resetPassword };
};
