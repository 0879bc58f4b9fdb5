import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { channels, ipcContract, isChannel } from '../../src/shared/ipc';

describe('IPC contract', () => {
  it('knows exactly its channels', () => {
    expect(channels).toEqual(Object.keys(ipcContract));
    expect(isChannel('flow:start')).toBe(true);
    expect(isChannel('__proto__')).toBe(false);
    expect(isChannel('toString')).toBe(false);
    expect(isChannel(42)).toBe(false);
  });

  it('refuses extra keys, wrong types and oversize input', () => {
    const start = ipcContract['flow:start'].request;
    expect(v.safeParse(start, { username: 'alice@contoso.com' }).success).toBe(true);
    expect(v.safeParse(start, { username: 'a', extra: 1 }).success).toBe(false);
    expect(v.safeParse(start, { username: 42 }).success).toBe(false);
    expect(v.safeParse(start, { username: 'a'.repeat(1024 * 1024) }).success).toBe(false);
    expect(v.safeParse(ipcContract['app:exit'].request, { reason: 'shell' }).success).toBe(false);
  });

  it('describes results the renderer can rely on', () => {
    const r = ipcContract['flow:submitCode'].response;
    expect(v.safeParse(r, { ok: true, view: { step: 'password' } }).success).toBe(true);
    expect(v.safeParse(r, { ok: false, error: { code: 'code_incorrect' } }).success).toBe(true);
    expect(v.safeParse(r, { ok: false, error: { code: 'made_up' } }).success).toBe(false);
  });
});
