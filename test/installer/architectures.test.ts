// Mixed fleets: one MSI per architecture from one source. What an admin relies on: the x86 package installs
// into the 32-bit Program Files with 32-bit components, both packages upgrade each other's installs (one
// UpgradeCode), and each refuses the other's platform with a message that says which package to use.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, UPGRADE_CODE, WinePrefix, buildMsi, buildMsiOrThrow, makeTempDir, msiProperty, msiTable, stageApp } from './support';
import { ensureShimBuilt } from '../shim/support';

const COMPONENT_64BIT = 256; // msidbComponentAttributes64bit

let tmp = '';
let x64 = '';
let x86 = '';

beforeAll(async () => {
  await ensureShimBuilt();
  tmp = makeTempDir('msi-arch');
  const app86 = stageApp(join(tmp, 'x86'), join(ROOT, 'build/shim/x86/SsprLogon.exe'));
  const app64 = stageApp(join(tmp, 'x64'), join(ROOT, 'build/shim/SsprLogon.exe'));
  [x64, x86] = await Promise.all([
    buildMsiOrThrow({ staged: app64, arch: 'x64', version: '2.0.0', out: join(tmp, 'SsprLogon-x64.msi') }),
    buildMsiOrThrow({ staged: app86, arch: 'x86', version: '2.0.0', out: join(tmp, 'SsprLogon-x86.msi') }),
  ]);
}, 600_000);

afterAll(() => {
  // Left for inspection when KEEP_MSI_WORK is set, like build-msi.sh's own work folder.
  if (tmp && !process.env.KEEP_MSI_WORK) execFileSync('rm', ['-rf', tmp]);
});

describe('one MSI per architecture', () => {
  it('marks the x86 package Intel and the x64 package x64, with one UpgradeCode', async () => {
    expect(execFileSync('msiinfo', ['suminfo', x86]).toString()).toMatch(/Template: Intel;1033/);
    expect(execFileSync('msiinfo', ['suminfo', x64]).toString()).toMatch(/Template: x64;1033/);
    expect(await msiProperty(x86, 'UpgradeCode')).toBe(UPGRADE_CODE);
    expect(await msiProperty(x64, 'UpgradeCode')).toBe(UPGRADE_CODE);
  });

  it('installs the x86 package into the 32-bit Program Files with 32-bit components and registry searches', async () => {
    const dirs = new Map((await msiTable(x86, 'Directory')).map((d) => [d.Directory, d]));
    expect(dirs.get('INSTALLDIR')?.Directory_Parent).toBe('ProgramFilesFolder');
    expect(dirs.has('ProgramFiles64Folder')).toBe(false);
    const components = await msiTable(x86, 'Component');
    expect(components.length).toBeGreaterThan(5);
    for (const c of components) expect(Number(c.Attributes) & COMPONENT_64BIT, c.Component).toBe(0);
    const searches = await msiTable(x86, 'RegLocator');
    expect(searches.length).toBeGreaterThan(5);
    // Type 2 = raw registry value; +16 would read the 64-bit view.
    for (const r of searches) expect(Number(r.Type) & 16, r.Signature_).toBe(0);

    // 32-bit Windows has no System64Folder: the uninstall's account removal must name the native System32.
    const removal = (m: string) => msiTable(m, 'CustomAction').then((rows) => rows.find((r) => r.Action === 'RemoveOverlayAccount')?.Target);
    expect(await removal(x86)).toBe('"[SystemFolder]net.exe" user SsprLogonOverlay /delete');
    expect(await removal(x64)).toBe('"[System64Folder]net.exe" user SsprLogonOverlay /delete');

    const components64 = await msiTable(x64, 'Component');
    for (const c of components64) expect(Number(c.Attributes) & COMPONENT_64BIT, c.Component).toBe(COMPONENT_64BIT);
  });

  it('packages the 32-bit provider into the x86 MSI and the 64-bit one into the x64 MSI', async () => {
    const dll = (m: string) => msiTable(m, 'File').then((rows) => rows.find((f) => f.File === 'SsprLogonCP.dll'));
    const sizes = { x86: readFileSync(join(ROOT, 'build/shim/x86/SsprLogonCP.dll')).length, x64: readFileSync(join(ROOT, 'build/shim/SsprLogonCP.dll')).length };
    expect(Number((await dll(x86))?.FileSize)).toBe(sizes.x86);
    expect(Number((await dll(x64))?.FileSize)).toBe(sizes.x64);
  });

  it('takes its ProductVersion from package.json when no --version is given, like the DLL and SsprLogon.exe', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const msi = await buildMsiOrThrow({ staged: stageApp(join(tmp, 'default-version'), join(ROOT, 'build/shim/SsprLogon.exe')), out: join(tmp, 'default.msi') });
    expect(await msiProperty(msi, 'ProductVersion')).toBe(version);
  });

  it('refuses an unknown architecture, and --arch all with a single output', async () => {
    const bad = await buildMsi({ arch: 'arm64' as 'x64', out: join(tmp, 'arm.msi') });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--arch must be x64, x86 or all, got 'arm64'/);
    expect(existsSync(join(tmp, 'arm.msi'))).toBe(false);
  });

  it('refuses to install the x86 package on 64-bit Windows and names the package to use', async () => {
    const wine = await WinePrefix.create(tmp);
    try {
      const log = join(tmp, 'x86-install.log');
      const r = await wine.msiexec(['/i', x86, '/qn', '/l*v', log]);
      expect(r.windowsCode).toBe(1603);
      const buf = readFileSync(log);
      const text = buf[0] === 0xff && buf[1] === 0xfe ? buf.toString('utf16le') : buf.toString('utf8');
      // Wine's msiexec does not write the condition's message into the log (Windows shows and logs it); it
      // stops at LaunchConditions, before anything is costed or copied. The message itself is checked below.
      expect(text).toMatch(/Action start [^\n]*LaunchConditions/);
      expect(text).not.toMatch(/Action start [^\n]*: (CostInitialize|InstallValidate|InstallFiles)\./);
      const conditions = await msiTable(x86, 'LaunchCondition');
      expect(conditions.find((c) => c.Condition === 'NOT VersionNT64')?.Description).toBe(
        'This is the 32-bit package of [ProductName]; on 64-bit Windows install SsprLogon-x64.msi.',
      );
      expect(existsSync(wine.cDrive('Program Files (x86)/SSPR Logon/SsprLogonCP.dll'))).toBe(false);
      expect(existsSync(wine.cDrive('Program Files/SSPR Logon/SsprLogonCP.dll'))).toBe(false);
    } finally {
      await wine.dispose();
    }
  }, 300_000);
});
