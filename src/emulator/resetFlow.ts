/**
 * The native-auth SSPR v1 state machine (sspr-protocol.md §1.2, §6.1):
 *   start → T0 → challenge → T1 (resend: challenge again with T1) → continue → T2 → submit → T3 →
 *   poll_completion (not_started, in_progress, …) → succeeded + T4 → oauth2/v2.0/token; or failed + a new
 *   submit token. Each handler takes the parsed form and returns the JSON body, or throws ApiError.
 */
import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { AuditLog, AuditRequestInfo } from './audit';
import { AuditActivity, AuditReason } from './audit';
import type { Clock } from './clock';
import type { Directory, DirectoryUser } from './directory';
import { maskEmail } from './directory';
import { AADSTS, ApiError } from './errors';
import { checkNewPassword, PASSWORD_MESSAGES } from './passwordRules';
import type { EmulatorPolicy } from './policy';
import type { Throttle } from './throttle';
import type { TokenStep, TokenStore } from './tokens';

export interface OutboxEntry {
  /** The full recovery address the code was "sent" to. */
  to: string;
  username: string;
  code: string;
  /** ISO time on the emulator clock. */
  sentAt: string;
  challengeId: string;
}

export interface TenantInfo {
  /** The tenant segment of the authority, e.g. 'contoso.onmicrosoft.com'. */
  name: string;
  displayName: string;
  id: string;
}

export interface FlowRequest extends AuditRequestInfo {
  form: Map<string, string>;
}

export type FlowBody = Record<string, unknown>;

interface Flow {
  id: string;
  clientId: string;
  username: string;
  sessionEndsAt: number;
  code?: { value: string; expiresAt: number; challengeId: string };
  /** Set by a submit: the writeback result that poll_completion reveals after the pending polls. */
  outcome?: 'succeeded' | 'failed';
  polls: number;
  pollToken?: string;
  finalToken?: string;
}

export interface ResetServiceDeps {
  clock: Clock;
  policy: () => EmulatorPolicy;
  directory: Directory;
  tokens: TokenStore;
  throttle: Throttle;
  audit: AuditLog;
  outbox: OutboxEntry[];
  tenant: TenantInfo;
  clientIds: ReadonlySet<string>;
  /** Signs a JWT payload with the emulator's key (RS256). */
  signJwt: (payload: Record<string, unknown>) => string;
  issuer: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHALLENGE_TYPES = new Set(['password', 'oob', 'redirect']);
const ALLOWED_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

const missing = (name: string) =>
  new ApiError('invalid_request', AADSTS.missingParameter, `The request body must contain the following parameter: '${name}'.`);

const tokenProblem = (reason: 'invalid' | 'expired') =>
  reason === 'expired'
    ? new ApiError('expired_token', AADSTS.expiredToken, 'The continuation token has expired. Start the flow again.')
    : new ApiError('invalid_request', AADSTS.invalidToken, 'The continuation_token is invalid, was superseded, or was not issued for this step.');

const lockedError = () =>
  new ApiError('invalid_request', AADSTS.userLocked, 'The account is locked: too many password reset attempts. Try again in 24 hours.');

const sameCode = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export class ResetService {
  private readonly flows = new Map<string, Flow>();

  constructor(private readonly d: ResetServiceDeps) {}

  // ------------------------------------------------------------------ shared checks
  private checkClient(req: FlowRequest): string {
    const clientId = req.form.get('client_id')?.trim();
    if (!clientId) throw missing('client_id');
    if (!GUID.test(clientId)) throw new ApiError('invalid_request', AADSTS.malformedClientId, `${clientId.slice(0, 40)} is not a valid application identifier.`);
    if (!this.d.clientIds.has(clientId.toLowerCase())) {
      throw new ApiError('unauthorized_client', AADSTS.unknownClient, `Application with identifier '${clientId}' was not found in the directory '${this.d.tenant.name}'.`);
    }
    if (!this.d.policy().nativeAuthEnabled) {
      throw new ApiError('invalid_client', AADSTS.nativeAuthDisabled, 'The application is not enabled for native authentication.', { suberror: 'nativeauthapi_disabled' });
    }
    return clientId.toLowerCase();
  }

  /** Validates a challenge_type list; returns whether it allows the e-mail OTP (else the client must redirect). */
  private checkChallengeTypes(raw: string | undefined, required: boolean): boolean {
    if (raw === undefined || raw.trim() === '') {
      if (required) throw missing('challenge_type');
      return true;
    }
    const types = raw.trim().split(/\s+/);
    const unknown = types.find((t) => !CHALLENGE_TYPES.has(t));
    if (unknown !== undefined) {
      throw new ApiError('invalid_request', AADSTS.unknownChallengeType, `The challenge_type '${unknown.slice(0, 40)}' is not valid. Valid values are password, oob and redirect.`);
    }
    if (!types.includes('redirect')) {
      throw new ApiError('unsupported_challenge_type', AADSTS.challengeTypeWithoutRedirect, "The challenge_type list must include 'redirect'.");
    }
    return types.includes('oob');
  }

  private flowFor(req: FlowRequest, clientId: string, step: TokenStep): { flow: Flow; token: string } {
    const token = req.form.get('continuation_token');
    if (!token) throw missing('continuation_token');
    const check = this.d.tokens.check(token, step);
    if (!check.ok) throw tokenProblem(check.reason);
    const flow = this.flows.get(check.flowId);
    if (!flow || flow.clientId !== clientId) throw tokenProblem('invalid');
    return { flow, token };
  }

  private userOf(flow: Flow): DirectoryUser {
    const user = this.d.directory.find(flow.username);
    if (!user) throw tokenProblem('invalid');
    return user;
  }

  private tokenExpiry(flow: Flow): number {
    return Math.min(this.d.clock.now() + this.d.policy().continueTokenTtlSeconds * 1000, flow.sessionEndsAt);
  }

  private issue(flow: Flow, steps: readonly TokenStep[], keep: readonly string[] = []): string {
    return this.d.tokens.issue(flow.id, steps, this.tokenExpiry(flow), keep);
  }

  private refuseIfLocked(user: DirectoryUser, req: FlowRequest): void {
    if (this.d.throttle.lockedUntil(user.objectId) === undefined) return;
    this.d.audit.record(AuditActivity.blocked, 'success', AuditReason.locked, user, req);
    throw lockedError();
  }

  private banContext(user: DirectoryUser) {
    const tenantWord = this.d.tenant.name.split('.')[0] ?? '';
    return {
      customTerms: this.d.policy().customBannedPasswords,
      contextTerms: [user.givenName, user.surname, this.d.tenant.displayName, tenantWord],
    };
  }

  // A long-running demo starts many flows; those past their session can never be continued.
  private forgetEndedFlows(now: number): void {
    if (this.flows.size < 1000) return;
    for (const [id, flow] of this.flows) {
      if (flow.sessionEndsAt < now) {
        this.flows.delete(id);
        this.d.tokens.revokeFlow(id);
      }
    }
  }

  // ------------------------------------------------------------------ endpoints
  start(req: FlowRequest): FlowBody {
    const clientId = this.checkClient(req);
    const allowsOob = this.checkChallengeTypes(req.form.get('challenge_type'), true);
    const username = req.form.get('username')?.trim() ?? '';
    if (username === '' || !/^[^@\s]+@[^@\s]+$/.test(username)) {
      throw new ApiError('invalid_request', AADSTS.invalidUsername, 'The username parameter is empty or not valid.');
    }
    const user = this.d.directory.find(username);
    if (!user) throw new ApiError('user_not_found', AADSTS.userNotFound, `The user account does not exist in the ${this.d.tenant.name} directory.`);
    this.refuseIfLocked(user, req);
    if (!user.accountEnabled || !user.ssprEnabled) {
      this.d.audit.record(AuditActivity.progress, 'failure', AuditReason.notEnabled, user, req);
      throw new ApiError('invalid_request', AADSTS.ssprNotEnabled, 'Password reset is not enabled for this user.');
    }
    if (user.methods.length === 0) {
      this.d.audit.record(AuditActivity.progress, 'failure', AuditReason.insufficientMethods, user, req);
      throw new ApiError('invalid_request', AADSTS.registrationRequired, 'The user has not registered any method for password reset.', {
        suberror: 'registration_required',
      });
    }
    this.d.audit.record(AuditActivity.progress, 'success', AuditReason.submittedUserId, user, req);
    // Admins face the two-gate policy; the native API only offers one e-mail OTP.
    if (user.isAdmin || !user.methods.includes('email') || !user.email || !allowsOob) {
      this.d.audit.record(AuditActivity.progress, 'failure', AuditReason.redirected, user, req);
      return { challenge_type: 'redirect' };
    }
    const now = this.d.clock.now();
    this.forgetEndedFlows(now);
    const flow: Flow = { id: randomUUID(), clientId, username: user.username, sessionEndsAt: now + this.d.policy().sessionTtlSeconds * 1000, polls: 0 };
    this.flows.set(flow.id, flow);
    return { continuation_token: this.issue(flow, ['challenge']) };
  }

  challenge(req: FlowRequest): FlowBody {
    const clientId = this.checkClient(req);
    const allowsOob = this.checkChallengeTypes(req.form.get('challenge_type'), false);
    const { flow } = this.flowFor(req, clientId, 'challenge');
    const user = this.userOf(flow);
    if (!allowsOob) return { challenge_type: 'redirect' };
    this.refuseIfLocked(user, req);
    if (!this.d.throttle.allowEmail(user.objectId)) {
      this.d.audit.record(AuditActivity.blocked, 'success', AuditReason.tooManyEmails, user, req);
      throw lockedError();
    }
    const policy = this.d.policy();
    const value = Array.from({ length: policy.codeLength }, () => String(randomInt(10))).join('');
    const now = this.d.clock.now();
    const challengeId = randomUUID();
    // A resend replaces the code: the previous one stops working.
    flow.code = { value, expiresAt: now + policy.codeTtlSeconds * 1000, challengeId };
    const to = user.email ?? '';
    this.d.outbox.push({ to, username: user.username, code: value, sentAt: new Date(now).toISOString(), challengeId });
    this.d.audit.record(AuditActivity.progress, 'success', AuditReason.startedEmail, user, req);
    return {
      continuation_token: this.issue(flow, ['challenge', 'continue']),
      challenge_type: 'oob',
      binding_method: 'prompt',
      challenge_channel: 'email',
      challenge_target_label: maskEmail(to),
      code_length: policy.codeLength,
    };
  }

  continue(req: FlowRequest): FlowBody {
    const clientId = this.checkClient(req);
    const { flow } = this.flowFor(req, clientId, 'continue');
    const grantType = req.form.get('grant_type');
    if (!grantType) throw missing('grant_type');
    if (grantType !== 'oob') throw new ApiError('invalid_grant', AADSTS.invalidGrantType, "The grant_type must be 'oob' at this step.");
    const oob = req.form.get('oob');
    if (oob === undefined || oob === '') throw missing('oob');
    const user = this.userOf(flow);
    this.refuseIfLocked(user, req);
    const code = flow.code;
    if (!code || !sameCode(oob, code.value)) {
      if (this.d.throttle.recordFailedCode(user.objectId)) {
        this.d.audit.record(AuditActivity.blocked, 'success', AuditReason.tooManyCodes, user, req);
        throw lockedError();
      }
      this.d.audit.record(AuditActivity.progress, 'failure', AuditReason.wrongCode, user, req);
      throw new ApiError('invalid_grant', AADSTS.wrongCode, 'The code is incorrect.', { suberror: 'invalid_oob_value' });
    }
    if (this.d.clock.now() >= code.expiresAt) {
      this.d.audit.record(AuditActivity.progress, 'failure', AuditReason.expiredCode, user, req);
      throw new ApiError('invalid_grant', AADSTS.expiredCode, 'The code has expired. Request a new code.', { suberror: 'invalid_oob_value' });
    }
    flow.code = undefined;
    this.d.audit.record(AuditActivity.progress, 'success', AuditReason.completedEmail, user, req);
    const token = this.issue(flow, ['submit']);
    const expiresIn = Math.floor((this.tokenExpiry(flow) - this.d.clock.now()) / 1000);
    return { continuation_token: token, expires_in: expiresIn };
  }

  submit(req: FlowRequest): FlowBody {
    const clientId = this.checkClient(req);
    const { flow } = this.flowFor(req, clientId, 'submit');
    const password = req.form.get('new_password');
    if (password === undefined) throw missing('new_password');
    const user = this.userOf(flow);
    const policy = this.d.policy();
    const problem = checkNewPassword({ password, currentPassword: user.password, checkReuse: policy.checkPasswordReuse, ban: this.banContext(user) });
    if (problem) {
      const reason = problem === 'password_banned' ? AuditReason.passwordBanned : AuditReason.passwordRejected;
      this.d.audit.record(AuditActivity.progress, 'failure', reason, user, req);
      throw new ApiError('invalid_grant', AADSTS.passwordPolicy, PASSWORD_MESSAGES[problem], { suberror: problem });
    }
    const writebackFails = policy.failPasswordWriteback || user.writebackFailuresLeft > 0;
    if (writebackFails) {
      user.writebackFailuresLeft = Math.max(0, user.writebackFailuresLeft - 1);
      flow.outcome = 'failed';
      this.d.audit.record(AuditActivity.reset, 'failure', AuditReason.writebackFailed, user, req);
    } else {
      this.d.directory.setPassword(user.username, password);
      this.d.throttle.resetUser(user.objectId);
      flow.outcome = 'succeeded';
      this.d.audit.record(AuditActivity.progress, 'success', AuditReason.resetSucceeded, user, req);
      this.d.audit.record(AuditActivity.reset, 'success', AuditReason.resetCompleted, user, req);
    }
    flow.polls = 0;
    flow.finalToken = undefined;
    flow.pollToken = this.issue(flow, ['poll_completion']);
    return { continuation_token: flow.pollToken, poll_interval: policy.pollInterval };
  }

  pollCompletion(req: FlowRequest): FlowBody {
    const clientId = this.checkClient(req);
    const { flow, token } = this.flowFor(req, clientId, 'poll_completion');
    if (flow.polls < this.d.policy().pollPendingCount) {
      const status = flow.polls === 0 ? 'not_started' : 'in_progress';
      flow.polls += 1;
      return { status, continuation_token: token };
    }
    if (flow.outcome === 'failed') {
      flow.outcome = undefined;
      return { status: 'failed', continuation_token: this.issue(flow, ['submit']) };
    }
    // Polling is a read: asking again (say after a lost response) returns the same sign-in token.
    flow.finalToken ??= this.issue(flow, ['token'], [token]);
    return { status: 'succeeded', continuation_token: flow.finalToken };
  }

  token(req: FlowRequest): FlowBody {
    const clientId = this.checkClient(req);
    const grantType = req.form.get('grant_type');
    if (!grantType) throw missing('grant_type');
    if (grantType !== 'continuation_token') {
      throw new ApiError('unsupported_grant_type', AADSTS.unsupportedGrantType, `The grant type '${grantType.slice(0, 40)}' is not supported by this emulator.`);
    }
    const { flow } = this.flowFor(req, clientId, 'token');
    const scope = req.form.get('scope')?.trim();
    if (!scope) throw missing('scope');
    const scopes = scope.split(/\s+/);
    const bad = scopes.find((s) => !ALLOWED_SCOPES.has(s));
    if (bad !== undefined) throw new ApiError('invalid_scope', AADSTS.invalidScope, `The provided value for the input parameter 'scope' isn't valid. The scope ${bad.slice(0, 80)} isn't valid.`);
    const user = this.userOf(flow);
    const username = req.form.get('username');
    if (username !== undefined && username.trim().toLowerCase() !== user.username.toLowerCase()) {
      throw new ApiError('invalid_request', AADSTS.invalidUsername, 'The username does not match the continuation token.');
    }
    this.d.tokens.revokeFlow(flow.id);
    this.flows.delete(flow.id);
    return this.tokenSet(user, clientId, scopes);
  }

  private tokenSet(user: DirectoryUser, clientId: string, scopes: string[]): FlowBody {
    const now = Math.floor(this.d.clock.now() / 1000);
    const ttl = this.d.policy().accessTokenTtlSeconds;
    const common = { iss: this.d.issuer, tid: this.d.tenant.id, oid: user.objectId, sub: user.objectId, iat: now, nbf: now, exp: now + ttl };
    const body: FlowBody = {
      token_type: 'Bearer',
      scope: scopes.join(' '),
      expires_in: ttl,
      ext_expires_in: ttl,
      access_token: this.d.signJwt({ ...common, aud: '00000003-0000-0000-c000-000000000000', azp: clientId, scp: scopes.join(' '), ver: '2.0' }),
      client_info: Buffer.from(JSON.stringify({ uid: user.objectId, utid: this.d.tenant.id })).toString('base64url'),
    };
    if (scopes.includes('openid')) {
      body.id_token = this.d.signJwt({ ...common, aud: clientId, ver: '2.0', name: user.displayName, preferred_username: user.username });
    }
    if (scopes.includes('offline_access')) body.refresh_token = Buffer.from(randomUUID() + randomUUID()).toString('base64url');
    return body;
  }
}
