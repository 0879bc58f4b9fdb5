/**
 * electron-builder.yml and its test variant, validated by electron-builder 24.13.3's own loader and schema
 * (so a key it does not know, such as electronFuses, fails here), plus the fuse hook's profiles.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
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
    expect(filters).toEqual(expect.arrayContaining(['!dist/main/host.cjs', '!dist/emulator/**', '!node_modules/**', '!dist/**/*.map']));
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

  it('refuses to package a Windows build without @electron/fuses rather than ship it unfused', async () => {
    const context = { electronPlatformName: 'win32', appOutDir: '/nonexistent', packager: { executableName: 'SsprLogon' } };
    await expect(fuses.flipFusesAfterPack(context, 'release')).rejects.toThrow(/@electron\/fuses is not installed/);
    await expect(fuses.flipFusesAfterPack(context, 'nonsense')).rejects.toThrow(/unknown fuse profile/);
  });
});
