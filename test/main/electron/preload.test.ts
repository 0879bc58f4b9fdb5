import { resolve } from 'node:path';
import { build } from 'esbuild';
import { mainBundleOptions } from '../../../scripts/bundle-options.mjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { channels } from '../../../src/shared/ipc';
import { recorded, resetElectronMock, setRendererTarget } from '../../mocks/electron';

vi.mock('electron', () => import('../../mocks/electron'));

const sent: [string, unknown][] = [];
let api: Record<string, (payload?: unknown) => Promise<unknown>>;

beforeAll(async () => {
  resetElectronMock();
  setRendererTarget(async (channel, payload) => {
    sent.push([channel, payload]);
    return { ok: true, echo: channel };
  });
  await import('../../../src/preload/index');
  api = recorded.exposed.get('sspr') as typeof api;
});

describe('preload', () => {
  it('exposes exactly one object, window.sspr', () => {
    expect([...recorded.exposed.keys()]).toEqual(['sspr']);
  });

  it('has exactly one async function per channel and nothing else', () => {
    expect(Object.keys(api).sort()).toEqual([...channels].sort());
    for (const fn of Object.values(api)) expect(typeof fn).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('each function invokes its own channel with the payload and returns plain data', async () => {
    await expect(api['flow:start']?.({ username: 'alice@contoso.com' })).resolves.toEqual({ ok: true, echo: 'flow:start' });
    await api['app:info']?.({});
    expect(sent).toEqual([
      ['flow:start', { username: 'alice@contoso.com' }],
      ['app:info', {}],
    ]);
  });

  it('never exposes ipcRenderer or a generic send', () => {
    const names = Object.keys(api);
    expect(names.filter((n) => /^(invoke|send|sendSync|on|once|ipcRenderer|postMessage)$/i.test(n) || !n.includes(':'))).toEqual([]);
  });
});

describe('preload bundle', () => {
  it('needs nothing a sandboxed preload cannot require (Electron 22 offers electron, events, timers, url)', async () => {
    // The options scripts/build.mjs uses for dist/preload/preload.cjs, kept in memory.
    const out = await build({ ...mainBundleOptions(resolve(__dirname, '../../../src/preload/index.ts'), 'preload.cjs'), sourcemap: false, write: false, logLevel: 'error' });
    const code = out.outputFiles[0]?.text ?? '';
    const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((name) => !['electron', 'events', 'timers', 'url'].includes(String(name)))).toEqual([]);
  });
});
