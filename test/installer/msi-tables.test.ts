// The MSI's tables, read back with msiinfo: what Windows Installer will do before anything runs. These catch
// what wixl silently drops (Secure, conditions, expandable strings, same-version upgrades) and drift between the
// remembered properties, their searches and their registry values.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLSID,
  DWORD_PROPERTIES,
  REMEMBERED_PROPERTIES,
  ROOT,
  UPGRADE_CODE,
  buildMsi,
  buildMsiOrThrow,
  makeTempDir,
  msiProperty,
  msiTable,
  shimFiles,
  stageApp,
} from './support';

let tmp = '';
let msi = '';
let app = '';
let dll = '';

beforeAll(async () => {
  tmp = makeTempDir('msi-tables');
  const shim = await shimFiles(tmp);
  dll = shim.dll;
  app = stageApp(tmp, shim.overlayExe);
  msi = await buildMsiOrThrow({ staged: app, dll, version: '1.2.3', out: join(tmp, 'SsprLogon.msi') });
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const byKey = (rows: Record<string, string>[], key: string) => new Map(rows.map((r) => [r[key] ?? '', r]));
const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
/** The payload reference the provider checks before each launch: name → SHA-256, and the writing component. */
const payloadReference = async (m: string): Promise<Map<string, { value: string; component: string }>> =>
  new Map(
    (await msiTable(m, 'Registry'))
      .filter((r) => r.Root === '2' && r.Key === 'SOFTWARE\\SsprLogon\\Payload')
      .map((r) => [r.Name ?? '', { value: r.Value ?? '', component: r.Component_ ?? '' }]),
  );

describe('MSI tables', () => {
  it('is a per-machine x64 package with our identity', async () => {
    const suminfo = execFileSync('msiinfo', ['suminfo', msi]).toString();
    expect(suminfo).toMatch(/Template: x64;1033/);
    const props = byKey(await msiTable(msi, 'Property'), 'Property');
    expect(props.get('ALLUSERS')?.Value).toBe('1');
    expect(props.get('ProductName')?.Value).toBe('SSPR Logon');
    expect(props.get('ProductVersion')?.Value).toBe('1.2.3');
    expect(props.get('UpgradeCode')?.Value).toBe(UPGRADE_CODE);
    expect(props.get('ProductCode')?.Value).toMatch(/^\{[0-9A-F-]{36}\}$/);
    // A locked workstation holds the DLL: never close LogonUI, never restart on our own (3010 instead).
    expect(props.get('MSIRESTARTMANAGERCONTROL')?.Value).toBe('Disable');
    expect(props.get('REBOOT')?.Value).toBe('ReallySuppress');
    for (const c of await msiTable(msi, 'Component')) {
      expect(Number(c.Attributes) & 256, `${c.Component} is Win64`).toBe(256);
    }
    const dirs = byKey(await msiTable(msi, 'Directory'), 'Directory');
    expect(dirs.get('INSTALLDIR')).toMatchObject({ Directory_Parent: 'ProgramFiles64Folder', DefaultDir: 'SSPR Logon' });
    expect(dirs.get('LOGFOLDER')).toMatchObject({ Directory_Parent: 'DATAFOLDER', DefaultDir: 'logs' });
    expect(dirs.get('DATAFOLDER')).toMatchObject({ Directory_Parent: 'CommonAppDataFolder', DefaultDir: 'SsprLogon' });
  });

  it('passes every public property to the elevated install (SecureCustomProperties)', async () => {
    const secure = ((await msiProperty(msi, 'SecureCustomProperties')) ?? '').split(';');
    const expected = ['INSTALLDIR', ...Object.keys(REMEMBERED_PROPERTIES)];
    for (const p of expected) {
      expect(secure, p).toContain(p);
      expect(secure, `REMEMBERED_${p}`).toContain(`REMEMBERED_${p}`);
    }
    expect(secure).toEqual(expect.arrayContaining(['WIX_UPGRADE_DETECTED', 'WIX_DOWNGRADE_DETECTED']));
    // Any public property referenced by a registry value or searched for must be in the list too.
    const registry = await msiTable(msi, 'Registry');
    const referenced = new Set(registry.flatMap((r) => [...(r.Value ?? '').matchAll(/\[([A-Z][A-Z0-9_]*)\]/g)].map((m) => m[1] ?? '')));
    for (const r of await msiTable(msi, 'AppSearch')) referenced.add(r.Property ?? '');
    for (const p of referenced) expect(secure, p).toContain(p);
  });

  it('registers the provider, its CLSID and the event source in the DLL component', async () => {
    const rows = (await msiTable(msi, 'Registry')).filter((r) => r.Component_ === 'CredentialProvider');
    const view = rows.map((r) => [r.Root, r.Key, r.Name, r.Value]);
    const cpKey = `SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Authentication\\Credential Providers\\${CLSID}`;
    const evKey = 'SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\SsprLogon';
    expect(view).toEqual(
      expect.arrayContaining([
        ['0', `CLSID\\${CLSID}`, '', 'SsprLogon'],
        ['0', `CLSID\\${CLSID}\\InprocServer32`, '', '[INSTALLDIR]SsprLogonCP.dll'],
        ['0', `CLSID\\${CLSID}\\InprocServer32`, 'ThreadingModel', 'Apartment'],
        ['2', cpKey, '', 'SsprLogon'],
        ['2', cpKey, 'EnableLogging', '#[CpEnableLogging]'],
        ['2', evKey, 'EventMessageFile', '#%%SystemRoot%\\System32\\EventCreate.exe'],
        ['2', evKey, 'TypesSupported', '#7'],
        ['2', evKey, 'CustomSource', '#1'],
        ['2', 'SOFTWARE\\SsprLogon', 'InstallDir', '[INSTALLDIR]'],
        ['2', 'SOFTWARE\\SsprLogon', '-', ''],
        ['2', 'SOFTWARE\\SsprLogon\\Payload', 'SsprLogonCP.dll', sha256(dll)],
        ['2', 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\SpecialAccounts\\UserList', 'SsprLogonOverlay', '#0'],
      ]),
    );
    expect(rows).toHaveLength(12);
    const file = byKey(await msiTable(msi, 'File'), 'File').get('SsprLogonCP.dll');
    expect(file?.Component_).toBe('CredentialProvider');
    expect(Number(file?.FileSize)).toBe(readFileSync(dll).length);
    const props = byKey(await msiTable(msi, 'Property'), 'Property');
    expect(props.get('CpEnableLogging')?.Value).toBe('0');
  });

  it('remembers each setting: searched, restored only when not passed, written only when set', async () => {
    const locators = byKey(await msiTable(msi, 'RegLocator'), 'Signature_');
    const appSearch = byKey(await msiTable(msi, 'AppSearch'), 'Property');
    const actions = byKey(await msiTable(msi, 'CustomAction'), 'Action');
    const sequence = await msiTable(msi, 'InstallExecuteSequence');
    const seqOf = (action: string) => Number(sequence.find((s) => s.Action === action)?.Sequence ?? NaN);
    const components = byKey(await msiTable(msi, 'Component'), 'Component');
    const registry = await msiTable(msi, 'Registry');

    for (const [property, valueName] of Object.entries(REMEMBERED_PROPERTIES)) {
      const search = appSearch.get(`REMEMBERED_${property}`);
      expect(search, property).toBeDefined();
      // Root 2 = HKLM, type 18 = raw value from the 64-bit view.
      expect(locators.get(search?.Signature_ ?? '')).toMatchObject({ Root: '2', Key: 'SOFTWARE\\SsprLogon', Name: valueName, Type: '18' });

      const written = registry.find((r) => r.Key === 'SOFTWARE\\SsprLogon' && r.Name === valueName);
      expect(written, valueName).toBeDefined();
      expect(written?.Value).toBe(DWORD_PROPERTIES.has(property) ? `#[${property}]` : `[${property}]`);
      expect(components.get(written?.Component_ ?? '')?.Condition, `${valueName} written only when ${property} is set`).toBe(property);

      const restores = sequence.filter((s) => actions.get(s.Action ?? '')?.Source === property);
      expect(restores.length, property).toBeGreaterThan(0);
      for (const r of restores) {
        expect(r.Condition, r.Action).toContain(`NOT ${property}`);
        expect(seqOf(r.Action ?? '')).toBeGreaterThan(seqOf('AppSearch'));
        expect(seqOf(r.Action ?? '')).toBeLessThan(seqOf('LaunchConditions'));
      }
    }
  });

  it('orders the execute sequence so upgrades read old settings before removing the old version', async () => {
    const sequence = await msiTable(msi, 'InstallExecuteSequence');
    const seqOf = (action: string) => Number(sequence.find((s) => s.Action === action)?.Sequence ?? NaN);
    const order = ['FindRelatedProducts', 'AppSearch', 'LaunchConditions', 'CostFinalize', 'InstallValidate', 'RemoveExistingProducts', 'InstallInitialize', 'CreateFolders', 'InstallFiles', 'WriteRegistryValues', 'RegisterProduct', 'InstallFinalize'];
    const numbers = order.map(seqOf);
    expect(numbers.every((n) => Number.isFinite(n)), JSON.stringify(numbers)).toBe(true);
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
    expect(seqOf('SetCpEnableLogging')).toBeGreaterThan(seqOf('RestoreEnableLogging1'));
    expect(seqOf('SetCpEnableLogging')).toBeLessThan(seqOf('LaunchConditions'));
  });

  it('upgrades older and same versions, refuses newer ones', async () => {
    const rows = await msiTable(msi, 'Upgrade');
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(
      expect.arrayContaining([
        // 513 = migrate features + VersionMax inclusive: a rebuild of the same version replaces the old one.
        expect.objectContaining({ UpgradeCode: UPGRADE_CODE, VersionMin: '', VersionMax: '1.2.3', Attributes: '513', ActionProperty: 'WIX_UPGRADE_DETECTED' }),
        // 2 = detect only, exclusive minimum: anything newer is a downgrade attempt.
        expect.objectContaining({ UpgradeCode: UPGRADE_CODE, VersionMin: '1.2.3', VersionMax: '', Attributes: '2', ActionProperty: 'WIX_DOWNGRADE_DETECTED' }),
      ]),
    );
    const conditions = (await msiTable(msi, 'LaunchCondition')).map((r) => r.Condition);
    expect(conditions).toEqual(
      expect.arrayContaining([
        'NOT WIX_DOWNGRADE_DETECTED',
        'Privileged',
        'VersionNT64 >= 601',
        'NOT ENGINE OR ENGINE = "portal" OR ENGINE = "native"',
        // Every ProxyMode of the schema, the winhttp default included, and nothing else.
        'NOT PROXYMODE OR PROXYMODE = "winhttp" OR PROXYMODE = "system" OR PROXYMODE = "direct" OR PROXYMODE = "fixed" OR PROXYMODE = "pac"',
        'NOT ENABLELOGGING OR ENABLELOGGING = "0" OR ENABLELOGGING = "1"',
        'NOT USEOVERLAYACCOUNT OR USEOVERLAYACCOUNT = "0" OR USEOVERLAYACCOUNT = "1"',
      ]),
    );
  });

  it('installs every staged file, keeping sub-folders, and the DLL exactly once', async () => {
    const files = await msiTable(msi, 'File');
    const dirs = byKey(await msiTable(msi, 'Directory'), 'Directory');
    const components = byKey(await msiTable(msi, 'Component'), 'Component');
    const pathOf = (f: Record<string, string>) => {
      let dir = components.get(f.Component_ ?? '')?.Directory_ ?? '';
      const parts = [f.FileName ?? ''];
      while (dir && dir !== 'INSTALLDIR') {
        parts.unshift(dirs.get(dir)?.DefaultDir ?? '?');
        dir = dirs.get(dir)?.Directory_Parent ?? '';
      }
      return parts.join('/');
    };
    expect(files.map(pathOf).sort()).toEqual(['LICENSE.electron.txt', 'SsprLogon.exe', 'SsprLogonCP.dll', 'locales/en-US.pak', 'resources/app.asar']);
  });

  it('writes the SHA-256 of the overlay, its archive and the provider DLL, each with its own file', async () => {
    const reference = await payloadReference(msi);
    expect([...reference.keys()].sort()).toEqual(['SsprLogon.exe', 'SsprLogonCP.dll', 'resources\\app.asar']);
    expect(reference.get('SsprLogon.exe')?.value).toBe(sha256(join(app, 'SsprLogon.exe')));
    expect(reference.get('resources\\app.asar')?.value).toBe(sha256(join(app, 'resources', 'app.asar')));
    expect(reference.get('SsprLogonCP.dll')).toEqual({ value: sha256(dll), component: 'CredentialProvider' });
    // Written by the component that installs the file, so a repair or upgrade rewrites both together.
    const files = byKey(await msiTable(msi, 'File'), 'FileName');
    expect(reference.get('SsprLogon.exe')?.component).toBe(files.get('SsprLogon.exe')?.Component_);
  });

  it('locks the install folder, wherever INSTALLDIR points, and the data and log folders with protected DACLs', async () => {
    const rows = byKey(await msiTable(msi, 'MsiLockPermissionsEx'), 'LockObject');
    // Write for SYSTEM and Administrators only; Users and the overlay's RESTRICTED SID read and execute.
    expect(rows.get('INSTALLDIR')).toMatchObject({ Table: 'CreateFolder', SDDLText: 'D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)(A;OICI;0x1200a9;;;RC)' });
    expect(rows.get('DATAFOLDER')).toMatchObject({ Table: 'CreateFolder', SDDLText: 'D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)(A;OICI;0x1200a9;;;RC)' });
    expect(rows.get('LOGFOLDER')).toMatchObject({ Table: 'CreateFolder', SDDLText: 'D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)' });
    const created = (await msiTable(msi, 'CreateFolder')).map((r) => r.Directory_);
    expect(created).toEqual(expect.arrayContaining(['INSTALLDIR', 'DATAFOLDER', 'LOGFOLDER']));
    // Property setters only, plus one program run: System32's net.exe deleting the overlay's account at
    // uninstall. No code of ours, nothing from a folder a user could write, so nothing a standard user's
    // "msiexec /fa" repair could hijack.
    const actions = await msiTable(msi, 'CustomAction');
    const programs = actions.filter((r) => (Number(r.Type) & 0x3f) !== 51);
    expect(programs).toEqual([
      expect.objectContaining({ Action: 'RemoveOverlayAccount', Type: '3170', Source: 'INSTALLDIR', Target: '"[System64Folder]net.exe" user SsprLogonOverlay /delete' }),
    ]);
    // 34 = exe; 0x400 deferred, 0x800 as SYSTEM (no impersonation), 0x40 a missing account does not fail the uninstall.
    expect(Number(programs[0]!.Type) & 0xc40).toBe(0xc40);
    const sequence = byKey(await msiTable(msi, 'InstallExecuteSequence'), 'Action');
    expect(sequence.get('RemoveOverlayAccount')?.Condition).toBe('REMOVE="ALL" AND NOT UPGRADINGPRODUCTCODE');
    const at = Number(sequence.get('RemoveOverlayAccount')?.Sequence);
    expect(at).toBeGreaterThan(Number(sequence.get('InstallInitialize')?.Sequence));
    expect(at).toBeLessThan(Number(sequence.get('InstallFinalize')?.Sequence));
    // The account is hidden from the logon screen from the first boot, and the entry leaves with the product.
    const hide = (await msiTable(msi, 'Registry')).find((r) => r.Name === 'SsprLogonOverlay');
    expect(hide).toMatchObject({ Root: '2', Key: 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\SpecialAccounts\\UserList', Value: '#0', Component_: 'CredentialProvider' });
  });
});

describe('build-msi.sh', () => {
  it('gives component GUIDs that stay the same from one build to the next', async () => {
    const again = await buildMsiOrThrow({ staged: app, dll, version: '1.2.4', out: join(tmp, 'again.msi') });
    const ids = async (m: string) => (await msiTable(m, 'Component')).map((c) => `${c.Component}=${c.ComponentId}`).sort();
    expect(await ids(again)).toEqual(await ids(msi));
    expect(await msiProperty(again, 'ProductCode')).not.toBe(await msiProperty(msi, 'ProductCode'));
  });

  it('refuses a version Windows Installer cannot compare, a missing staged folder, and one without the overlay', async () => {
    const bad = await buildMsi({ staged: app, dll, version: '1.2', out: join(tmp, 'bad.msi') });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/version must be x\.y\.z/);
    const missing = await buildMsi({ staged: join(tmp, 'nope'), dll, version: '1.0.0', out: join(tmp, 'missing.msi') });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/does not exist/);
    const noExe = join(tmp, 'no-exe');
    mkdirSync(noExe);
    writeFileSync(join(noExe, 'readme.txt'), 'an app folder without the overlay\n');
    const dead = await buildMsi({ staged: noExe, dll, version: '1.0.0', out: join(tmp, 'dead.msi') });
    expect(dead.code).not.toBe(0);
    expect(dead.stderr).toMatch(/has no SsprLogon\.exe/);
    expect(['bad.msi', 'missing.msi', 'dead.msi'].filter((f) => existsSync(join(tmp, f)))).toEqual([]);
  });

  it('with no staged folder or DLL given, packages the overlay and provider from the build (npm run build:msi)', async () => {
    const m = await buildMsiOrThrow({ out: join(tmp, 'default.msi') });
    const names = (await msiTable(m, 'File')).map((f) => f.FileName);
    expect(names).toEqual(expect.arrayContaining(['SsprLogon.exe', 'SsprLogonCP.dll']));
    expect(await msiProperty(m, 'ProductVersion')).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it("harvests an Electron 22 win-unpacked layout completely, with every file at its relative path", async () => {
    const stage = join(tmp, 'win-unpacked');
    const top = ['SsprLogon.exe', 'chrome_100_percent.pak', 'chrome_200_percent.pak', 'd3dcompiler_47.dll', 'ffmpeg.dll', 'icudtl.dat',
      'libEGL.dll', 'libGLESv2.dll', 'LICENSE.electron.txt', 'LICENSES.chromium.html', 'resources.pak', 'snapshot_blob.bin',
      'v8_context_snapshot.bin', 'vk_swiftshader.dll', 'vk_swiftshader_icd.json', 'vulkan-1.dll'];
    const locales = ['am', 'ar', 'bg', 'de', 'en-GB', 'en-US', 'es-419', 'fr', 'pt-BR', 'zh-CN', 'zh-TW'].map((l) => `locales/${l}.pak`);
    const expected = [...top, ...locales, 'resources/app.asar', 'resources/app.asar.unpacked/native/helper.node'];
    for (const rel of expected) {
      mkdirSync(join(stage, rel, '..'), { recursive: true });
      writeFileSync(join(stage, rel), `stand-in for ${rel}\n`);
    }
    mkdirSync(join(stage, 'empty-dir'));
    const m = await buildMsiOrThrow({ staged: stage, dll, version: '1.3.0', out: join(tmp, 'electron.msi') });
    const dirs = byKey(await msiTable(m, 'Directory'), 'Directory');
    const components = byKey(await msiTable(m, 'Component'), 'Component');
    const paths = (await msiTable(m, 'File')).map((f) => {
      const parts = [f.FileName ?? ''];
      for (let d = components.get(f.Component_ ?? '')?.Directory_ ?? ''; d && d !== 'INSTALLDIR'; d = dirs.get(d)?.Directory_Parent ?? '') {
        parts.unshift(dirs.get(d)?.DefaultDir ?? '?');
      }
      return parts.join('/');
    });
    expect(paths.sort()).toEqual([...expected, 'SsprLogonCP.dll'].sort());
    // Every program file beside the overlay and the app archive are in the payload reference; data files are not.
    const reference = await payloadReference(m);
    expect([...reference.keys()].sort()).toEqual(
      ['SsprLogon.exe', 'SsprLogonCP.dll', 'd3dcompiler_47.dll', 'ffmpeg.dll', 'libEGL.dll', 'libGLESv2.dll', 'resources\\app.asar', 'vk_swiftshader.dll', 'vulkan-1.dll'].sort(),
    );
    expect(reference.get('ffmpeg.dll')?.value).toBe(sha256(join(stage, 'ffmpeg.dll')));
    // An empty folder gets no Directory row: MSI would create it, but it would be nothing but clutter.
    expect([...dirs.values()].some((d) => d.DefaultDir === 'empty-dir')).toBe(false);
  });

  it('packages a DLL found in the staged folder only once, from --dll', async () => {
    writeFileSync(join(app, 'SsprLogonCP.dll'), 'stale copy that must not be packaged\n');
    const m = await buildMsiOrThrow({ staged: app, dll, version: '1.2.5', out: join(tmp, 'dup.msi') });
    const dlls = (await msiTable(m, 'File')).filter((f) => f.FileName === 'SsprLogonCP.dll');
    expect(dlls).toHaveLength(1);
    expect(Number(dlls[0]?.FileSize)).toBe(readFileSync(dll).length);
  });
});
