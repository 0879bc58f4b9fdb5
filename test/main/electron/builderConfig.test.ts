/**
 * electron-builder.yml and its test variant, validated by electron-builder 24.13.3's own loader and schema
 * (so a key it does not know, such as electronFuses, fails here), plus the fuse hook's profiles.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const require = createRequire(__filename);
const { getConfig, validateConfig } = require('app-builder-lib/out/util/config.js') as {
  getConfig(projectDir: string, configPath: string, configFromOptions: null): Promise<Record<string, unknown> & { win: { target: unknown; requestedExecutionLevel?: string } }>;
  validateConfig(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util/out/DebugLogger.js') as { DebugLogger: new (enabled: boolean) => unknown };
const fuses = require('../../../src/main/electron/packaging/fuses.cjs') as {
  FUSE_PROFILES: Record<'release' | 'test', Record<string, boolean>>;
  flipFusesAfterPack(context: unknown, profile: string): Promise<void>;
};

const load = async (file: string) => {
  const config = await getConfig(root, file, null);
  await validateConfig(config, new DebugLogger(false));
  return config;
};

describe('electron-builder configuration', () => {
  it('release: Windows dir for x64 and ia32, Electron 22.3.27, asar, only dist and package.json', async () => {
    const c = await load('electron-builder.yml');
    expect(c).toMatchObject({ productName: 'SSPR Logon', executableName: 'SsprLogon', electronVersion: '22.3.27', asar: true, npmRebuild: false });
    expect(c.appId).toEqual(expect.any(String));
    expect(c.win.target).toEqual([{ target: 'dir', arch: ['x64', 'ia32'] }]);
    expect(c.win.requestedExecutionLevel).toBe('asInvoker');
    // electron-builder normalises `files` into one filter set.
    const filters = (c.files as { filter: string[] }[]).flatMap((f) => f.filter);
    expect(filters.filter((f) => !f.startsWith('!'))).toEqual(['package.json', 'dist/**']);
    expect(filters).toEqual(expect.arrayContaining(['!dist/main/host.cjs', '!dist/main/demo.cjs', '!dist/emulator/**', '!node_modules/**', '!dist/**/*.map']));
    expect(c.afterPack).toBe('src/main/electron/packaging/afterPack.cjs');
  });

  it('test variant: same build, separate output, inspect-enabled fuses', async () => {
    const c = await load('electron-builder.test.yml');
    expect(c).toMatchObject({ executableName: 'SsprLogon', electronVersion: '22.3.27', asar: true, afterPack: 'src/main/electron/packaging/afterPack.test.cjs' });
    expect(String(c.productName)).toContain('test build');
    expect((c.directories as { output: string }).output).toContain('release-test');
  });

  it('fuse profiles: release turns off RunAsNode, NODE_OPTIONS and inspect; only the test build keeps inspect', () => {
    expect(fuses.FUSE_PROFILES.release).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
    });
    expect({ ...fuses.FUSE_PROFILES.test, EnableNodeCliInspectArguments: false }).toEqual(fuses.FUSE_PROFILES.release);
    expect(fuses.FUSE_PROFILES.test.EnableNodeCliInspectArguments).toBe(true);
  });

  it('flips the fuse wire of the packaged SsprLogon.exe to the release profile', async () => {
    // A stand-in executable carrying Electron 22's fuse wire (sentinel, version 1, six fuses as shipped:
    // cookie encryption off, everything else on), so the hook runs on the same bytes a real package has.
    const dir = mkdtempSync(join(tmpdir(), 'sspr-fuses-'));
    const sentinel = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX');
    const exe = join(dir, 'SsprLogon.exe');
    writeFileSync(exe, Buffer.concat([Buffer.alloc(4096, 0x90), sentinel, Buffer.from([1, 6]), Buffer.from('101111'), Buffer.alloc(4096, 0x90)]));
    const context = { electronPlatformName: 'win32', appOutDir: dir, packager: { executableName: 'SsprLogon' } };
    await fuses.flipFusesAfterPack(context, 'release');
    const bytes = readFileSync(exe);
    const wire = bytes.subarray(bytes.indexOf(sentinel) + sentinel.length + 2, bytes.indexOf(sentinel) + sentinel.length + 8).toString();
    // RunAsNode, CookieEncryption, NODE_OPTIONS, CLI inspect, asar integrity, only-from-asar
    expect(wire).toBe('010011');
    await fuses.flipFusesAfterPack(context, 'test');
    const testWire = readFileSync(exe);
    expect(testWire.subarray(testWire.indexOf(sentinel) + sentinel.length + 2, testWire.indexOf(sentinel) + sentinel.length + 8).toString()).toBe('010111');
    await expect(fuses.flipFusesAfterPack(context, 'nonsense')).rejects.toThrow(/unknown fuse profile/);
    // Non-Windows packages are left alone rather than failing.
    await expect(fuses.flipFusesAfterPack({ ...context, electronPlatformName: 'linux' }, 'release')).resolves.toBeUndefined();
  });

  it('refuses to package a binary without a fuse wire rather than ship it unfused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sspr-fuses-'));
    writeFileSync(join(dir, 'SsprLogon.exe'), Buffer.alloc(8192, 0x90));
    const context = { electronPlatformName: 'win32', appOutDir: dir, packager: { executableName: 'SsprLogon' } };
    await expect(fuses.flipFusesAfterPack(context, 'release')).rejects.toThrow(/sentinel/);
  });
});
