/**
 * Audit events (Graph directoryAudit shape, "Self-service Password Management") and the outbox, both in
 * process and over GET /audit and GET /outbox. Nothing secret may end up in the audit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditActivity, AuditReason, createManualClock, startEmulator, type RunningEmulator } from '../../src/emulator/index';
import { addUser, clientFor, wrongCodeFor } from './helpers';

const clock = createManualClock(Date.UTC(2026, 2, 3, 9, 14, 0));
let emu: RunningEmulator;
let c: ReturnType<typeof clientFor>;

beforeAll(async () => {
  emu = await startEmulator({ clock, policy: { requestsPerSecond: 100_000, pollPendingCount: 0 } });
  c = clientFor(emu);
});
afterAll(async () => {
  c.close();
  await emu.close();
});

const eventsOf = (username: string) => emu.audit.filter((e) => e.initiatedBy.user.userPrincipalName === username);

describe('audit events', () => {
  it('records each step of a reset with client IP, ClientType and the client-request-id', async () => {
    const user = addUser(emu);
    const headers = { 'client-request-id': 'helpdesk-0914', 'x-client-SKU': 'SsprLogon.Win7' };
    const form = { ...c.base };
    const t0 = (await c.post('start', { ...form, challenge_type: 'oob redirect', username: user.username }, headers)).body.continuation_token;
    const t1 = (await c.post('challenge', { ...form, continuation_token: t0 }, headers)).body.continuation_token;
    const code = emu.latestCode(user.username)!;
    await c.post('continue', { ...form, continuation_token: t1, grant_type: 'oob', oob: wrongCodeFor(code) }, headers);
    const t2 = (await c.post('continue', { ...form, continuation_token: t1, grant_type: 'oob', oob: code }, headers)).body.continuation_token;
    await c.post('submit', { ...form, continuation_token: t2, new_password: 'P@ssw0rd1!' }, headers);
    expect((await c.post('submit', { ...form, continuation_token: t2, new_password: 'Sapphire-Lake-2931' }, headers)).status).toBe(200);

    const events = eventsOf(user.username);
    expect(events.map((e) => [e.activityDisplayName, e.result, e.resultReason])).toEqual([
      [AuditActivity.progress, 'success', 'User submitted their user ID'],
      [AuditActivity.progress, 'success', 'User started the email verification option'],
      [AuditActivity.progress, 'failure', AuditReason.wrongCode],
      [AuditActivity.progress, 'success', 'User completed the email verification option'],
      [AuditActivity.progress, 'failure', AuditReason.passwordBanned],
      [AuditActivity.progress, 'success', AuditReason.resetSucceeded],
      ['Reset password (self-service)', 'success', 'Successfully completed reset.'],
    ]);
    for (const e of events) {
      expect(e).toMatchObject({
        loggedByService: 'Self-service Password Management',
        category: 'UserManagement',
        correlationId: 'helpdesk-0914',
        activityDateTime: '2026-03-03T09:14:00.000Z',
        initiatedBy: { user: { userPrincipalName: user.username, ipAddress: '127.0.0.1', id: user.objectId } },
        targetResources: [{ userPrincipalName: user.username, type: 'User' }],
        additionalDetails: [{ key: 'ClientType', value: 'SsprLogon.Win7' }],
      });
    }
    const text = JSON.stringify(emu.audit);
    expect(text).not.toContain('Sapphire-Lake-2931');
    expect(text).not.toContain('P@ssw0rd1!');
    expect(text).not.toContain(code);
    expect(text).not.toContain(t2);
  });

  it("says ClientType 'Unknown' without x-client-SKU, and logs refusals", async () => {
    await c.post('start', { ...c.base, challenge_type: 'oob redirect', username: 'carol@contoso.com' });
    await c.post('start', { ...c.base, challenge_type: 'oob redirect', username: 'bob@contoso.com' });
    const carol = eventsOf('carol@contoso.com').at(-1)!;
    expect(carol).toMatchObject({ result: 'failure', resultReason: 'Password reset is not enabled for this user' });
    expect(carol.additionalDetails).toEqual([{ key: 'ClientType', value: 'Unknown' }]);
    expect(carol.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(eventsOf('bob@contoso.com').at(-1)!.resultReason).toBe(AuditReason.insufficientMethods);
  });

  it('records a failed writeback as a failed reset', async () => {
    const user = addUser(emu, { writebackFailures: 1 });
    const t3 = await c.submitted(user.username, 'Sapphire-Lake-2931');
    expect((await c.post('poll_completion', { ...c.base, continuation_token: t3 })).body.status).toBe('failed');
    expect(eventsOf(user.username).at(-1)).toMatchObject({ activityDisplayName: 'Reset password (self-service)', result: 'failure' });
  });

  it('records "Blocked from self-service password reset" when a locked user tries again', async () => {
    const user = addUser(emu);
    const { token, code } = await c.challenged(user.username);
    for (let i = 0; i < 5; i++) await c.post('continue', { ...c.base, continuation_token: token, grant_type: 'oob', oob: wrongCodeFor(code) });
    await c.post('start', { ...c.base, challenge_type: 'oob redirect', username: user.username });
    const blocked = eventsOf(user.username).filter((e) => e.activityDisplayName === 'Blocked from self-service password reset');
    expect(blocked.map((e) => e.resultReason)).toEqual([AuditReason.tooManyCodes, AuditReason.locked]);
  });

  it('serves the same events at GET /audit, filterable by username', async () => {
    const all = await c.raw({ method: 'GET', path: '/audit' });
    expect(all.status).toBe(200);
    expect(all.body).toEqual(JSON.parse(JSON.stringify(emu.audit)));
    const carol = await c.raw({ method: 'GET', path: '/audit?username=CAROL@contoso.com' });
    expect(carol.body.length).toBeGreaterThan(0);
    expect(carol.body.every((e: { initiatedBy: { user: { userPrincipalName: string } } }) => e.initiatedBy.user.userPrincipalName === 'carol@contoso.com')).toBe(true);
  });
});

describe('outbox', () => {
  it('serves the sent codes at GET /outbox, filterable by username', async () => {
    const user = addUser(emu);
    await c.challenged(user.username);
    const r = await c.raw({ method: 'GET', path: `/outbox?username=${encodeURIComponent(user.username)}` });
    expect(r.status).toBe(200);
    expect(r.body).toEqual([
      { to: user.email, username: user.username, code: emu.latestCode(user.username), sentAt: new Date(clock.now()).toISOString(), challengeId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    ]);
    const all = await c.raw({ method: 'GET', path: '/outbox' });
    expect(all.body).toHaveLength(emu.outbox.length);
  });

  it('has no latest code for a user who was never sent one', () => {
    expect(emu.latestCode('nobody@contoso.com')).toBeUndefined();
  });
});
