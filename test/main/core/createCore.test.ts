import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/shared/config';
import { createCore } from '../../../src/main/core/index';
import { parseLaunchArgs } from '../../../src/main/core/launchArgs';
import { nullLogger } from '../../../src/main/core/logging';
import type { NativeEngine } from '../../../src/main/core/engine/types';

const launch = parseLaunchArgs(['--scenario=unlock']).launch;

describe('createCore', () => {
  it('engine portal without portal handlers: flow channels answer internal, app channels still work', async () => {
    const exits: number[] = [];
    const core = createCore({ config: { ...defaultConfig, Engine: 'portal' }, launch, logger: nullLogger(), exit: (c) => exits.push(c) });
    expect(await core.dispatch('flow:start', { username: 'alice@contoso.com' })).toEqual({ ok: false, error: { code: 'internal' } });
    expect(await core.dispatch('app:info', {})).toMatchObject({ engine: 'portal', scenario: 'unlock', portalUrl: defaultConfig.PortalUrl });
    await core.dispatch('app:exit', { reason: 'cancelled' });
    expect(exits).toEqual([10]);
  });

  it('portal handlers plug in, and their outcomes drive the exit code', async () => {
    const exits: number[] = [];
    const core = createCore({
      config: { ...defaultConfig, Engine: 'portal' },
      launch,
      logger: nullLogger(),
      exit: (c) => exits.push(c),
      portalHandlers: { 'flow:restart': async () => ({ ok: true, view: { step: 'done' } }) },
    });
    expect(await core.dispatch('flow:restart', {})).toEqual({ ok: true, view: { step: 'done' } });
    await core.dispatch('app:exit', { reason: 'done' });
    expect(exits).toEqual([0]);
  });

  it('an engine that throws gives internal with the correlation id, and the flow starts over', async () => {
    let calls = 0;
    const engine: NativeEngine = {
      start: async () => {
        calls += 1;
        throw new Error('engine bug');
      },
      challenge: async () => {
        throw new Error('unused');
      },
      submitCode: async () => {
        throw new Error('unused');
      },
      resetPassword: async () => {
        throw new Error('unused');
      },
    };
    const core = createCore({ config: { ...defaultConfig, Engine: 'native' }, launch, logger: nullLogger(), exit: () => undefined, engineFactory: () => engine });
    expect(await core.dispatch('flow:start', { username: 'alice@contoso.com' })).toEqual({
      ok: false,
      error: { code: 'internal', correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
    expect(await core.dispatch('flow:submitCode', { code: '12345678' })).toMatchObject({ ok: false, error: { code: 'session_expired' } });
    expect(calls).toBe(1);
  });
});
