/**
 * The IPC handlers of the native engine. Session state (continuation tokens included) lives here in
 * main and never reaches the renderer. Input is checked again with the shared rules before any request
 * (the renderer is not trusted), and every engine outcome is mapped onto the closed ErrorCode set.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { brandingInfo, DEFAULT_PORTAL_URL, overlayLanguage, type Config } from '../../shared/config';
import type { ErrorCode } from '../../shared/errors';
import { isScreenError } from '../../shared/errors';
import type { ExitCode } from '../../shared/exitCodes';
import type { AppInfo, CoreHandlers, FlowError, FlowResult, FlowView, ResetAddress } from '../../shared/ipc';
import { checkPassword, type PasswordProblem } from '../../shared/passwordPolicy';
import { checkCode, checkUsername } from '../../shared/validation';
import { newCorrelationId } from './engine/nativeEngine';
import type { EngineFailure, NativeEngine, PasswordRule, ServiceInfo } from './engine/types';
import { createExitTracker, type ExitTracker } from './exitTracker';
import { qrMatrix } from './qrCode';
import type { LaunchArgs } from './launchArgs';
import type { Logger } from './logging';

export const PRODUCT_NAME = 'SSPR Logon';
export const DEFAULT_RESEND_COOLDOWN_SECONDS = 60;

export interface FlowDeps {
  engine: NativeEngine;
  config: Config;
  launch: LaunchArgs;
  logger: Logger;
  exit: (code: ExitCode) => void;
  /** Seconds before "Send a new code" is allowed again (default 60). */
  resendCooldownSeconds?: number;
  /** Running against the embedded emulator: the UI says so. */
  demo?: boolean;
  now?: () => number;
  newCorrelationId?: () => string;
  tracker?: ExitTracker;
  /** The organisation's logo, already checked (src/main/core/logo.ts). */
  logoDataUrl?: string;
}

type State =
  | { step: 'userId' }
  | { step: 'code'; token: string; codeLength: number; target: string; sentAt: number }
  | { step: 'password'; token: string }
  | { step: 'done' }
  /** The password may have changed: nothing may be submitted again in this attempt. */
  | { step: 'ended' };

const PASSWORD_RULE_CODES: Record<PasswordRule, ErrorCode> = {
  password_too_weak: 'password_too_weak',
  password_too_short: 'password_too_short',
  password_too_long: 'password_too_long',
  password_recently_used: 'password_recently_used',
  password_banned: 'password_banned',
  password_is_invalid: 'password_invalid_characters',
};

const PASSWORD_PROBLEM_CODES: Record<PasswordProblem, ErrorCode> = {
  too_short: 'password_too_short',
  too_long: 'password_too_long',
  invalid_characters: 'password_invalid_characters',
  too_weak: 'password_too_weak',
};

/** The one place an engine outcome becomes something the user is told. */
export const errorCodeFor = (failure: EngineFailure): { code: ErrorCode; retryAfterSeconds?: number } => {
  switch (failure.kind) {
    case 'user_not_found':
      return { code: 'user_not_found' };
    case 'invalid_username':
      return { code: 'invalid_username' };
    case 'not_enabled':
      return { code: 'not_enabled' };
    case 'registration_required':
      return { code: 'not_registered' };
    case 'blocked':
      return { code: 'throttled', ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}) };
    case 'redirect':
    case 'unsupported_challenge_type':
    case 'verification_required':
      return { code: 'redirect_required' };
    case 'expired_token':
    case 'invalid_token':
      return { code: 'session_expired' };
    case 'invalid_oob_value':
      return { code: failure.expired ? 'code_expired' : 'code_incorrect' };
    case 'password_policy':
      return { code: PASSWORD_RULE_CODES[failure.rule] };
    case 'rate_limited':
    case 'submit_in_flight':
      return { code: 'service_busy', ...('retryAfterSeconds' in failure && failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}) };
    case 'server_error':
      if (failure.status === 503) {
        return { code: 'service_busy', ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}) };
      }
      return { code: 'unreachable' };
    case 'network':
    case 'bad_response':
      return { code: 'unreachable' };
    case 'password_may_have_changed':
    case 'poll_timeout':
    case 'invalid_poll_status':
      return { code: 'password_may_have_changed' };
    case 'reset_failed':
      return { code: 'reset_failed' };
    case 'invalid_client':
    case 'unauthorized_client':
    case 'invalid_request':
    case 'invalid_grant':
    case 'unknown_error':
      return { code: 'internal' };
  }
};

/** Serialises the flow's operations so two IPC calls can never interleave on the same state. */
const createQueue = () => {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>): Promise<T> => {
    const run = tail.then(job, job);
    tail = run.catch(() => undefined);
    return run;
  };
};

export const createFlowHandlers = (deps: FlowDeps): CoreHandlers => {
  const now = deps.now ?? Date.now;
  const makeId = deps.newCorrelationId ?? newCorrelationId;
  const cooldownSeconds = deps.resendCooldownSeconds ?? DEFAULT_RESEND_COOLDOWN_SECONDS;
  const tracker = deps.tracker ?? createExitTracker();
  const enqueue = createQueue();

  let state: State = { step: 'userId' };
  let correlationId = makeId();
  // Every record of an attempt carries what the helpdesk searches by (logRecord.ts): the correlation
  // id, scenario and engine from the start, the user (hashed by the logger) once it is known.
  const attemptLogger = (fields: Record<string, unknown> = {}) =>
    deps.logger.child({ correlationId, scenario: deps.launch.scenario, engine: 'native', ...fields });
  let log = attemptLogger();
  let attemptStartedAt = now();
  /**
   * The submission in flight and a digest of its password, then the digest of the password that was sent:
   * an answer about a submission is only ever given to a request carrying that same password. Digests are
   * kept in memory only, never logged.
   */
  let submitting: { run: Promise<FlowResult>; digest: Buffer } | undefined;
  let submittedDigest: Buffer | undefined;
  const digestOf = (password: string): Buffer => createHash('sha256').update(password, 'utf8').digest();
  const same = (digest: Buffer | undefined, password: string): boolean => digest !== undefined && timingSafeEqual(digest, digestOf(password));

  const newAttempt = (): void => {
    submittedDigest = undefined;
    correlationId = makeId();
    attemptStartedAt = now();
    log = attemptLogger();
  };
  /** Time since the attempt started, on every step record. */
  const attemptMs = (): number => Math.max(0, now() - attemptStartedAt);

  const serviceFields = (info: ServiceInfo | undefined): Record<string, unknown> =>
    info
      ? {
          endpoint: info.endpoint,
          httpStatus: info.status,
          serviceError: info.error,
          suberror: info.suberror,
          errorCodes: info.errorCodes,
          requestId: info.requestId,
          durationMs: info.durationMs,
        }
      : {};

  const answer = (result: FlowResult): FlowResult => {
    tracker.note(result);
    return result;
  };
  const view = (v: FlowView): FlowResult => answer({ ok: true, view: v });
  const fail = (code: ErrorCode, retryAfterSeconds?: number): FlowResult => {
    const error: FlowError = { code, correlationId, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
    return answer({ ok: false, error });
  };

  /** Maps a failure, logs the step and moves the state where the user's next action makes sense. */
  const failStep = (step: string, failure: EngineFailure): FlowResult => {
    const { code, retryAfterSeconds } = errorCodeFor(failure);
    // A failure is at least a warning, so `logs --level warn` lists every attempt that went wrong.
    const level = code === 'internal' ? 'error' : 'warn';
    log[level]('flow.step', {
      step,
      outcome: failure.kind,
      errorCode: code,
      attemptMs: attemptMs(),
      ...(failure.kind === 'network' ? { networkCause: failure.cause, requestSent: failure.requestSent } : {}),
      ...(failure.kind === 'password_may_have_changed' ? { cause: failure.cause } : {}),
      ...serviceFields(failure.info),
    });
    if (code === 'password_may_have_changed') state = { step: 'ended' };
    else if (isScreenError(code) && code !== 'reset_failed') state = { step: 'userId' };
    return fail(code, retryAfterSeconds);
  };

  const rejectInput = (step: string, code: ErrorCode, problem: string): FlowResult => {
    // The rejected value itself is never logged.
    log.warn('flow.input_rejected', { step, outcome: 'input_rejected', problem, errorCode: code, attemptMs: attemptMs() });
    return fail(code);
  };

  const codeView = (s: Extract<State, { step: 'code' }>, resent?: boolean): FlowResult =>
    view({
      step: 'code',
      channel: 'email',
      target: s.target,
      codeLength: s.codeLength,
      resendAvailableInSeconds: Math.max(0, Math.ceil(cooldownSeconds - (now() - s.sentAt) / 1000)),
      ...(resent ? { resent: true } : {}),
    });

  const outOfOrder = (step: string): FlowResult => {
    log.warn('flow.out_of_order', { step, outcome: 'out_of_order', errorCode: 'session_expired', state: state.step, attemptMs: attemptMs() });
    return fail('session_expired');
  };

  /** Sends (or resends) the code and moves to the code step. */
  const sendCode = async (step: string, token: string, resent: boolean): Promise<FlowResult> => {
    const ch = await deps.engine.challenge({ correlationId }, token);
    if (!ch.ok) return failStep(step, ch);
    if (ch.channel !== 'email') {
      // The UI knows e-mail codes only; anything else belongs to the web flow.
      return failStep(step, { kind: 'redirect', reason: `channel ${ch.channel}`.slice(0, 40), info: ch.info });
    }
    state = { step: 'code', token: ch.continuationToken, codeLength: ch.codeLength, target: ch.targetLabel, sentAt: now() };
    log.info('flow.step', { step, outcome: 'ok', codeLength: ch.codeLength, target: ch.targetLabel, attemptMs: attemptMs(), ...serviceFields(ch.info) });
    return codeView(state, resent);
  };

  const start = async (username: string): Promise<FlowResult> => {
    newAttempt();
    state = { step: 'userId' };
    const checked = checkUsername(username);
    if (!checked.ok) return rejectInput('start', 'invalid_username', checked.problem);
    // From here on every record of the attempt names the user (hashed), failed starts included.
    log = attemptLogger({ user: checked.value });
    const started = await deps.engine.start({ correlationId }, checked.value);
    if (!started.ok) return failStep('start', started);
    log.info('flow.step', { step: 'start', outcome: 'ok', attemptMs: attemptMs(), ...serviceFields(started.info) });
    return sendCode('challenge', started.continuationToken, false);
  };

  const submitCode = async (code: string): Promise<FlowResult> => {
    if (state.step !== 'code') return outOfOrder('continue');
    const current = state;
    const checked = checkCode(code, current.codeLength);
    if (!checked.ok) return rejectInput('continue', 'invalid_code', checked.problem);
    const r = await deps.engine.submitCode({ correlationId }, current.token, checked.value);
    if (!r.ok) {
      // A wrong code keeps the code step (the same token stays valid for another try).
      if (r.kind === 'invalid_oob_value') {
        const { code: errorCode } = errorCodeFor(r);
        log.warn('flow.step', { step: 'continue', outcome: r.kind, errorCode, attemptMs: attemptMs(), ...serviceFields(r.info) });
        return fail(errorCode);
      }
      return failStep('continue', r);
    }
    state = { step: 'password', token: r.continuationToken };
    log.info('flow.step', { step: 'continue', outcome: 'ok', expiresInSeconds: r.expiresInSeconds, attemptMs: attemptMs(), ...serviceFields(r.info) });
    return view({ step: 'password' });
  };

  const resendCode = async (): Promise<FlowResult> => {
    if (state.step !== 'code') return outOfOrder('resend');
    const waitSeconds = Math.ceil(cooldownSeconds - (now() - state.sentAt) / 1000);
    if (waitSeconds > 0) {
      log.warn('flow.step', { step: 'resend', outcome: 'too_soon', errorCode: 'resend_too_soon', retryAfterSeconds: waitSeconds, attemptMs: attemptMs() });
      return fail('resend_too_soon', waitSeconds);
    }
    const token = state.token;
    const result = await sendCode('resend', token, true);
    return result;
  };

  const submitPassword = async (password: string): Promise<FlowResult> => {
    if (state.step === 'ended') return fail('password_may_have_changed');
    if (state.step === 'done') {
      // "Done" is true only of the password that was set; any other one was never sent.
      if (same(submittedDigest, password)) return view({ step: 'done' });
      log.info('flow.step', { step: 'submit', outcome: 'refused', reason: 'already_changed', errorCode: 'password_already_submitted' });
      return fail('password_already_submitted');
    }
    if (state.step !== 'password') return outOfOrder('submit');
    const current = state;
    const checked = checkPassword(password);
    if (checked.problem) return rejectInput('submit', PASSWORD_PROBLEM_CODES[checked.problem], checked.problem);
    submittedDigest = digestOf(password);
    const r = await deps.engine.resetPassword({ correlationId }, current.token, password);
    if (!r.ok) {
      if (r.kind === 'reset_failed') state = { step: 'password', token: r.continuationToken };
      if (r.kind === 'password_policy' && r.continuationToken) state = { step: 'password', token: r.continuationToken };
      return failStep('submit', r);
    }
    state = { step: 'done' };
    log.info('flow.step', { step: 'submit', outcome: 'succeeded', polls: r.polls, attemptMs: attemptMs(), ...serviceFields(r.info) });
    return view({ step: 'done' });
  };

  const guarded = (step: string, job: () => Promise<FlowResult>): Promise<FlowResult> =>
    enqueue(async () => {
      try {
        return await job();
      } catch (err) {
        log.error('flow.internal_error', { step, outcome: 'internal_error', errorCode: 'internal', error: err, attemptMs: attemptMs() });
        state = { step: 'userId' };
        return fail('internal');
      }
    });

  const info = (): AppInfo => ({
    productName: PRODUCT_NAME,
    scenario: deps.launch.scenario,
    engine: deps.config.Engine,
    userHint: deps.launch.user,
    locale: overlayLanguage(deps.config, deps.launch.lang),
    helpdeskText: deps.config.HelpdeskText,
    idleTimeoutSeconds: deps.config.IdleTimeoutSeconds,
    demo: deps.demo ?? deps.launch.demo,
    portalUrl: deps.config.PortalUrl,
    ...brandingInfo(deps.config),
    ...(deps.logoDataUrl ? { logoDataUrl: deps.logoDataUrl } : {}),
  });

  // PortalUrl is where Microsoft's own reset page lives for this tenant: the one address a person sent
  // to "another device" needs. Shown as the admin wrote it (no mkt=: the phone picks its own language).
  let resetAddress: ResetAddress | undefined;
  const getResetAddress = (): ResetAddress => {
    const address = deps.config.PortalUrl || DEFAULT_PORTAL_URL;
    resetAddress ??= { address, qr: qrMatrix(address) };
    return resetAddress;
  };

  return {
    'app:info': async () => info(),
    'app:resetAddress': async () => getResetAddress(),
    'flow:start': ({ username }) => guarded('start', () => start(username)),
    'flow:submitCode': ({ code }) => guarded('continue', () => submitCode(code)),
    'flow:resendCode': () => guarded('resend', resendCode),
    'flow:submitPassword': ({ password }) => {
      if (submitting) {
        // A double click shares the one request in flight; the password is never sent twice. A different
        // password is refused, never sent and never told the first one's answer.
        if (same(submitting.digest, password)) return submitting.run;
        log.info('flow.step', { step: 'submit', outcome: 'refused', reason: 'submission_in_flight', errorCode: 'password_already_submitted' });
        return Promise.resolve(fail('password_already_submitted'));
      }
      const run = guarded('submit', () => submitPassword(password));
      submitting = { run, digest: digestOf(password) };
      run
        .finally(() => {
          if (submitting?.run === run) submitting = undefined;
        })
        .catch(() => undefined);
      return run;
    },
    'flow:restart': () =>
      guarded('restart', async () => {
        log.info('flow.step', { step: 'restart', outcome: 'ok', from: state.step, attemptMs: attemptMs() });
        state = { step: 'userId' };
        newAttempt();
        return view({ step: 'userId' });
      }),
    // Only the Electron overlay can host a web page; it answers this itself when it can.
    'app:openWebFlow': async () => ({ ok: false }),
    'app:exit': async ({ reason }) => {
      if (submitting) {
        // Leaving now would report an outcome nobody knows yet: the code is decided by the answer.
        log.info('app.exit_waits', { reason, for: 'submission_in_flight' });
        await submitting.run.catch(() => undefined);
      }
      const code = tracker.codeFor(reason);
      log.info('app.exit', { reason, exitCode: code, state: state.step });
      deps.exit(code);
      return { ok: true as const };
    },
  };
};
