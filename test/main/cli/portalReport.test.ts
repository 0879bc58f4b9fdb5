import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/main/core/logging';
import { createPortalCapture } from '../../../src/main/core/portal/capture';
import { runCli } from '../../../src/main/cli/run';
import type { PortalReport } from '../../../src/main/cli/portalReport';
import { captureIo, scratchFolders } from './support';

const pilotFolder = scratchFolders('sspr-pilot-');
const io = () => captureIo({ now: () => 0 });

/** One pilot PC's log folder (`name` may be a path below root) with the capture of one overlay run. */
const pilotPc = async (root: string, name: string, run: (c: ReturnType<typeof createPortalCapture>) => void): Promise<void> => {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const logger = createLogger({ verbose: false, dir });
  const capture = createPortalCapture(logger.child({ correlationId: `${name}-run` }), true);
  capture.nextAttempt();
  run(capture);
  await logger.close();
};

describe('report --portal', () => {
  it('suggests allow-list entries and markers from the captures of several pilot PCs', async () => {
    const root = pilotFolder();
    await pilotPc(root, 'pc1', (c) => {
      c.note({ type: 'page', url: 'https://passwordreset.microsoftonline.com/passwordreset?mkt=en', inPage: false });
      c.note({ type: 'blocked', url: 'https://aadcdn.msftauthimages.net/logo.png', resourceType: 'image', quiet: false });
      c.note({ type: 'blocked', url: 'https://static.contoso-cdn.example/brand.css', resourceType: 'stylesheet', quiet: false });
      c.note({ type: 'blocked', url: 'https://browser.events.data.microsoft.com/x', resourceType: 'ping', quiet: true });
      c.note({ type: 'texts', texts: ['Get back into your account'] });
      c.note({ type: 'texts', texts: ['Alles erledigt – neues Kennwort aktiv'] });
      c.note({ type: 'outcome', state: 'exit:done', exitCode: 10 });
    });
    await pilotPc(root, 'pc2', (c) => {
      c.note({ type: 'page', url: 'https://passwordreset.microsoftonline.com/passwordreset?mkt=en#!/verify?x=1', inPage: true });
      c.note({ type: 'blocked', url: 'https://eu.static.contoso-cdn.example/x.js', resourceType: 'script', quiet: false });
      c.note({ type: 'blocked', url: 'https://static.contoso-cdn.example/brand.css', resourceType: 'stylesheet', quiet: false });
      c.note({ type: 'blocked', url: 'https://login.microsoftonline.com/', resourceType: 'mainFrame', quiet: false });
      c.note({ type: 'texts', texts: ['Your password has been reset'] });
      c.note({ type: 'outcome', state: 'success' });
    });
    await pilotPc(root, 'pc3', (c) => {
      c.note({ type: 'texts', texts: ['Something went wrong. Error code: SSPR_0031'] });
      c.note({ type: 'outcome', state: 'exit:cancelled', exitCode: 10 });
    });

    const json = io();
    expect(await runCli(['report', '--portal', '--data-dir', root, '--json'], json.io)).toBe(0);
    const report = JSON.parse(json.out.join('\n')) as PortalReport;
    expect(report.attempts).toBe(3);
    expect(report.outcomes).toEqual({ 'exit:done': 1, success: 1, 'exit:cancelled': 1 });
    // An unknown code is reported for the admin to judge, never turned into a guessed marker.
    expect(report.unknownErrorCodes).toEqual([{ code: 'SSPR_0031', seenIn: 'Something went wrong. Error code: SSPR_0031' }]);
    expect(report.suggestedResourceHosts.map((s) => s.entry)).toEqual(['static.contoso-cdn.example', '*.msftauthimages.net', 'eu.static.contoso-cdn.example']);
    expect(report.suggestedResourceHosts[0]).toMatchObject({ requests: 2, types: ['stylesheet'] });
    expect(report.refusedPageHosts).toEqual([{ host: 'login.microsoftonline.com', times: 1 }]);
    expect(report.telemetryRefused).toEqual(['browser.events.data.microsoft.com']);
    expect(report.suggestedMarkers.map((m) => m.entry)).toEqual(['success:text:Alles erledigt – neues Kennwort aktiv']);
    expect(report.routes).toContain('https://passwordreset.microsoftonline.com/passwordreset?mkt=#!/verify?x=');

    const text = io();
    expect(await runCli(['report', '--portal', `--data-dir=${root}`], text.io)).toBe(0);
    const printed = text.out.join('\n');
    expect(printed).toContain('Portal pilot report: 3 attempts');
    expect(printed).toContain('SSPR_0031');
    expect(printed).toMatch(/AllowedResourceHosts[\s\S]*static\.contoso-cdn\.example/);
    expect(printed).toContain('success:text:Alles erledigt – neues Kennwort aktiv');
  });

  it('reads log folders copied up to four folders deep, but nothing deeper and no file of another name', async () => {
    const root = pilotFolder();
    await pilotPc(root, 'berlin', (c) => c.note({ type: 'outcome', state: 'success' }));
    await pilotPc(root, join('site-b', 'lyon', 'logs'), (c) => c.note({ type: 'outcome', state: 'exit:cancelled', exitCode: 10 }));
    await pilotPc(root, join('a', 'b', 'c', 'd'), (c) => c.note({ type: 'outcome', state: 'exit:done', exitCode: 0 }));
    await pilotPc(root, join('a', 'b', 'c', 'd', 'too-deep'), (c) => c.note({ type: 'outcome', state: 'offline' }));
    // Same records under a name the overlay never writes: someone's notes, not a log.
    writeFileSync(join(root, 'berlin', 'notes.txt'), `${JSON.stringify({ event: 'portal.capture.outcome', correlationId: 'x', state: 'offline' })}\n`);

    const json = io();
    expect(await runCli(['report', '--portal', '--data-dir', root, '--json'], json.io)).toBe(0);
    const report = JSON.parse(json.out.join('\n')) as PortalReport;
    expect(report.files).toBe(3);
    expect(report.outcomes).toEqual({ success: 1, 'exit:cancelled': 1, 'exit:done': 1 });
  });

  it('says how to collect captures when the folder has none, and asks for the folder when it is missing', async () => {
    const empty = pilotFolder();
    const a = io();
    expect(await runCli(['report', '--portal', '--data-dir', empty], a.io)).toBe(0);
    expect(a.out.join('\n')).toContain('Portal pilot capture');
    const b = io();
    expect(await runCli(['report', '--portal'], b.io)).toBe(2);
    expect(b.err.join('\n')).toContain('--data-dir');
  });
});
