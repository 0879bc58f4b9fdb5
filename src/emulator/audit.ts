/**
 * Audit events shaped like Microsoft Graph directoryAudit records of "Self-service Password Management"
 * (sspr-protocol.md §4), so helpdesk tooling can be exercised against them. Events never hold a password,
 * a code or a token.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock';

export const SSPR_SERVICE = 'Self-service Password Management';

export const AuditActivity = {
  progress: 'Self-service password reset flow activity progress',
  reset: 'Reset password (self-service)',
  blocked: 'Blocked from self-service password reset',
} as const;
export type AuditActivityName = (typeof AuditActivity)[keyof typeof AuditActivity];

export const AuditReason = {
  submittedUserId: 'User submitted their user ID',
  notEnabled: 'Password reset is not enabled for this user',
  insufficientMethods: "User's account has insufficient authentication methods defined. Add authentication info to resolve this",
  redirected: 'User was presented with verification options the application cannot complete',
  startedEmail: 'User started the email verification option',
  completedEmail: 'User completed the email verification option',
  wrongCode: 'User entered an incorrect code for the email verification option',
  expiredCode: 'User entered an expired code for the email verification option',
  passwordRejected: 'New password does not comply with the password policy',
  passwordBanned: "Password doesn't comply with fuzzy policy",
  resetSucceeded: 'User successfully reset password',
  resetCompleted: 'Successfully completed reset.',
  writebackFailed: 'On-premises policy violation: the on-premises directory rejected the password (33008)',
  tooManyCodes: 'User exceeded the number of allowed verification attempts in 24 hours',
  tooManyEmails: 'User exceeded the number of allowed e-mails in 10 minutes',
  locked: 'User is blocked from self-service password reset for 24 hours',
} as const;

export interface AuditEvent {
  id: string;
  category: 'UserManagement';
  correlationId: string;
  result: 'success' | 'failure';
  resultReason: string;
  activityDisplayName: AuditActivityName;
  activityDateTime: string;
  loggedByService: typeof SSPR_SERVICE;
  operationType: 'Update';
  initiatedBy: { user: { id: string; displayName: string; userPrincipalName: string; ipAddress: string } };
  targetResources: { id: string; displayName: string; userPrincipalName: string; type: 'User' }[];
  additionalDetails: { key: string; value: string }[];
}

export interface AuditSubject {
  objectId: string;
  displayName: string;
  username: string;
}

export interface AuditRequestInfo {
  correlationId: string;
  ipAddress: string;
  clientType: string;
}

export class AuditLog {
  readonly events: AuditEvent[] = [];

  constructor(private readonly clock: Clock) {}

  record(activity: AuditActivityName, result: 'success' | 'failure', reason: string, user: AuditSubject, req: AuditRequestInfo): AuditEvent {
    const subject = { id: user.objectId, displayName: user.displayName, userPrincipalName: user.username };
    const event: AuditEvent = {
      id: randomUUID(),
      category: 'UserManagement',
      correlationId: req.correlationId,
      result,
      resultReason: reason,
      activityDisplayName: activity,
      activityDateTime: new Date(this.clock.now()).toISOString(),
      loggedByService: SSPR_SERVICE,
      operationType: 'Update',
      initiatedBy: { user: { ...subject, ipAddress: req.ipAddress } },
      targetResources: [{ ...subject, type: 'User' }],
      additionalDetails: [{ key: 'ClientType', value: req.clientType }],
    };
    this.events.push(event);
    return event;
  }
}
