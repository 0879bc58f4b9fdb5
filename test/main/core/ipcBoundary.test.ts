import { describe, expect, it } from 'vitest';
import type { IpcHandlers } from '../../../src/shared/ipc';
import { MAX_CODE_INPUT, MAX_PASSWORD_INPUT, MAX_USERNAME_INPUT } from '../../../src/shared/ipc';
import { createIpcDispatcher, IpcRejection } from '../../../src/main/core/ipcBoundary';
import { nullLogger } from '../../../src/main/core/logging';

/** Handlers that record every call; each answers a valid response unless told otherwise. */
const recordingHandlers = (overrides: Partial<Record<keyof IpcHandlers, (req: unknown) => Promise<unknown>>> = {}) => {
  const calls: [string, unknown][] = [];
  const ok = async () => ({ ok: true, view: { step: 'userId' } });
  const base: Record<string, (req: unknown) => Promise<unknown>> = {
    'app:info': async () => ({
      productName: 'SSPR Logon', scenario: 'logon', engine: 'native', userHint: '', locale: 'en',
      helpdeskText: '', idleTimeoutSeconds: 180, demo: false, portalUrl: 'https://passwordreset.microsoftonline.com/',
    }),
    'flow:start': ok,
    'flow:submitCode': ok,
    'flow:resendCode': ok,
    'flow:submitPassword': ok,
    'flow:restart': ok,
    'app:exit': async () => ({ ok: true }),
    ...overrides,
  };
  const handlers = Object.fromEntries(
    Object.entries(base).map(([channel, fn]) => [channel, async (req: unknown) => {
      calls.push([channel, req]);
      return fn(req);
    }]),
  ) as unknown as IpcHandlers;
  return { handlers, calls };
};

describe('IPC dispatcher', () => {
  it('passes a valid request to its handler and returns the validated answer', async () => {
    const { handlers, calls } = recordingHandlers();
    const dispatch = createIpcDispatcher(handlers, nullLogger());
    expect(await dispatch('flow:start', { username: 'alice@contoso.com' })).toEqual({ ok: true, view: { step: 'userId' } });
    expect(calls).toEqual([['flow:start', { username: 'alice@contoso.com' }]]);
  });

  it.each([['flow:nope'], ['__proto__'], ['constructor'], ['toString'], [''], [42], [null], [undefined], [{}], ['app:info\u0000']])(
    'refuses unknown channel %j without running anything',
    async (channel) => {
      const { handlers, calls } = recordingHandlers();
      const dispatch = createIpcDispatcher(handlers, nullLogger());
      await expect(dispatch(channel, {})).rejects.toMatchObject({ name: 'IpcRejection', reason: 'unknown_channel' });
      expect(calls).toEqual([]);
    },
  );

  it.each([
    ['flow:start', { username: 7 }],
    ['flow:start', { username: ['alice@contoso.com'] }],
    ['flow:start', {}],
    ['flow:start', 'alice@contoso.com'],
    ['flow:start', null],
    ['flow:start', { username: 'alice@contoso.com', admin: true }],
    ['flow:start', JSON.parse('{"username":"alice@contoso.com","__proto__":{"x":1}}')],
    ['flow:submitCode', { code: 12345678 }],
    ['flow:submitPassword', { password: { toString: () => 'x' } }],
    ['flow:resendCode', { force: true }],
    ['flow:restart', []],
  ])('refuses %s with payload %j: internal, no handler', async (channel, payload) => {
    const { handlers, calls } = recordingHandlers();
    const dispatch = createIpcDispatcher(handlers, nullLogger());
    expect(await dispatch(channel, payload)).toEqual({ ok: false, error: { code: 'internal' } });
    expect(calls).toEqual([]);
  });

  it.each([
    ['flow:start', 'username', MAX_USERNAME_INPUT, 'invalid_username'],
    ['flow:submitCode', 'code', MAX_CODE_INPUT, 'invalid_code'],
    ['flow:submitPassword', 'password', MAX_PASSWORD_INPUT, 'password_too_long'],
  ])('refuses an oversize %s.%s with the field message, no handler', async (channel, field, max, code) => {
    const { handlers, calls } = recordingHandlers();
    const dispatch = createIpcDispatcher(handlers, nullLogger());
    expect(await dispatch(channel, { [field]: 'x'.repeat(max + 1) })).toEqual({ ok: false, error: { code } });
    expect(calls).toEqual([]);
    // At the cap it passes.
    await dispatch(channel, { [field]: 'x'.repeat(max) });
    expect(calls).toHaveLength(1);
  });

  it('rejects (not answers) a bad payload on the non-flow channels', async () => {
    const { handlers, calls } = recordingHandlers();
    const dispatch = createIpcDispatcher(handlers, nullLogger());
    await expect(dispatch('app:exit', { reason: 'reboot' })).rejects.toBeInstanceOf(IpcRejection);
    await expect(dispatch('app:info', { extra: 1 })).rejects.toMatchObject({ reason: 'invalid_request' });
    expect(calls).toEqual([]);
  });

  it('a throwing handler answers internal on flow channels and rejects on the others; nothing escapes', async () => {
    const boom = async () => {
      throw new Error('boom');
    };
    const { handlers } = recordingHandlers({ 'flow:submitPassword': boom, 'app:info': boom });
    const dispatch = createIpcDispatcher(handlers, nullLogger());
    expect(await dispatch('flow:submitPassword', { password: 'Harbor-Lights-6620' })).toEqual({ ok: false, error: { code: 'internal' } });
    await expect(dispatch('app:info', {})).rejects.toMatchObject({ reason: 'handler_failed' });
  });

  it('a handler answer outside the contract never reaches the renderer', async () => {
    const { handlers } = recordingHandlers({
      'flow:start': async () => ({ ok: true, view: { step: 'code', continuation_token: 'secret' } }),
      'app:info': async () => ({ productName: 'x' }),
    });
    const dispatch = createIpcDispatcher(handlers, nullLogger());
    expect(await dispatch('flow:start', { username: 'alice@contoso.com' })).toEqual({ ok: false, error: { code: 'internal' } });
    await expect(dispatch('app:info', {})).rejects.toMatchObject({ reason: 'invalid_response' });
  });

  it('strips unknown keys from an otherwise valid answer (a token can never leak through)', async () => {
    const { handlers } = recordingHandlers({
      'flow:submitCode': async () => ({ ok: true, view: { step: 'password', continuationToken: 'T2' } }),
    });
    const dispatch = createIpcDispatcher(handlers, nullLogger());
    const answer = await dispatch('flow:submitCode', { code: '12345678' });
    expect(JSON.stringify(answer)).not.toContain('T2');
  });
});
