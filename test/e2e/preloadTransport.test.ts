/**
 * In Electron the preload exposes `window.sspr` (one async function per channel) and the renderer must use
 * it instead of HTTP. Here a stand-in bridge forwards to the real core's dispatcher, as the preload's IPC
 * would; the page is loaded without a token, so any HTTP API call would show up (and fail).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../src/shared/ipc';
import { ExitCode } from '../../src/shared/exitCodes';
import { startDemo, type Demo } from '../../src/main/host/demo';
import { buildRenderer, enterCode, enterPassword, enterUser, expectStage, strongPassword, useOverlays } from './support';

describe('the renderer talks through window.sspr when the preload provides it', () => {
  // Only the browser and the emulator: this page is served by a host of its own, opened without a token.
  const overlays = useOverlays();
  let demo: Demo;

  beforeAll(async () => {
    demo = await startDemo({ emulator: overlays.emulator, rendererDir: await buildRenderer(), argv: ['--lang=en'], core: { sleep: async () => undefined } });
  });
  afterAll(async () => {
    await demo?.close();
  });

  it('completes a reset without a single HTTP API request', async () => {
    const context = await overlays.browser.newContext();
    const page = await context.newPage();
    const httpApi: string[] = [];
    const bridged: string[] = [];
    page.on('request', (req) => {
      if (new URL(req.url()).pathname.startsWith('/api/')) httpApi.push(req.url());
    });
    await page.exposeFunction('__ipc', (channel: string, payload: unknown) => {
      bridged.push(channel);
      return demo.dispatch(channel, payload);
    });
    await page.addInitScript((names: string[]) => {
      const call = (window as unknown as { __ipc: (c: string, p: unknown) => Promise<unknown> }).__ipc;
      (window as unknown as { sspr: Record<string, (r: unknown) => Promise<unknown>> }).sspr = Object.fromEntries(
        names.map((name) => [name, (request: unknown) => call(name, request)]),
      );
    }, channels);
    try {
      await page.goto(`${demo.host.origin}/`);
      await enterUser(page, 'alice@contoso.com');
      await expectStage(page, 'code');
      await enterCode(page, overlays.emulator.latestCode('alice@contoso.com')!);
      await enterPassword(page, strongPassword('ipc'));
      await expectStage(page, 'done');
      await page.getByRole('button', { name: 'Back to sign-in' }).click();
      await expectStage(page, 'closed');
      expect(httpApi).toEqual([]);
      expect(bridged).toEqual(['app:info', 'flow:start', 'flow:submitCode', 'flow:submitPassword', 'app:exit']);
      expect(demo.exits).toEqual([ExitCode.ResetDone]);
    } finally {
      await context.close();
    }
  });
});
