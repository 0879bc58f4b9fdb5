// The MSI as an admin uses it: wine's msiexec installs, upgrades and removes it silently in a fresh prefix,
// and we read back what Windows would have: files on C:, registry values, Programs and Features entries.
// The steps build on each other (install -> refused changes -> upgrades -> uninstall), so they run in order.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KEYS,
  WinePrefix,
  buildMsiOrThrow,
  makeTempDir,
  msiProperty,
  shimFiles,
  ssprUninstallEntries,
  stageApp,
} from './support';
import { isConfigKey, loadConfig } from '../../src/main/core/config';
import { createWindowsRegistrySource } from '../../src/main/core/registry';
import { defaultConfig } from '../../src/shared/config';

const INSTALL_DIR = 'Program Files/SSPR Logon';
const LINK_TEXT = 'Passwort vergessen? [Hilfe] & mehr – ü';
const AUTHORITY = 'https://contoso.ciamlogin.com/contoso.onmicrosoft.com/';
const CLIENT_ID = '5f3a9c7e-1b2d-4e8f-9a0b-1c2d3e4f5a6b';

let tmp = '';
let wine: WinePrefix;
let v1 = '';
let v2 = '';
let v2rebuild = '';
let shimDll = '';
let stagedApp = '';

const logText = (file: string) => {
  const buf = readFileSync(file);
  // msiexec writes its /l*v log as UTF-16 LE with a BOM.
  return buf[0] === 0xff && buf[1] === 0xfe ? buf.toString('utf16le') : buf.toString('utf8');
};

/** The run went as far as LaunchConditions and no further (nothing was costed, removed or copied). */
const stoppedAtLaunchConditions = (log: string) =>
  log.includes('Action start') && log.includes('LaunchConditions') && !/Action start [^\n]*: (CostInitialize|InstallValidate|InstallFiles)\./.test(log);

beforeAll(async () => {
  tmp = makeTempDir('msiexec');
  const shim = await shimFiles(tmp);
  shimDll = shim.dll;
  stagedApp = stageApp(tmp, shim.overlayExe);
  const builds = [
    ['1.0.0', 'v1.msi'],
    ['1.1.0', 'v2.msi'],
    ['1.1.0', 'v2-rebuild.msi'],
  ] as const;
  const [a, b, c] = await Promise.all([
    WinePrefix.create(tmp),
    ...builds.map(([version, name]) => buildMsiOrThrow({ staged: stagedApp, dll: shimDll, version, out: join(tmp, name) })),
  ]);
  wine = a as WinePrefix;
  v1 = b as string;
  v2 = c as string;
  v2rebuild = join(tmp, 'v2-rebuild.msi');
});

afterAll(async () => {
  await wine?.dispose();
  // The prefix is large; leave nothing behind in /tmp.
  if (tmp) (await import('node:fs')).rmSync(tmp, { recursive: true, force: true });
});

const USER_LIST = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\SpecialAccounts\\UserList';

describe('silent install, upgrade and removal under wine msiexec', { timeout: 120_000 }, () => {
  it('installs the files and writes exactly the settings passed on the command line', async () => {
    const r = await wine.msiexec(
      ['/i', v1, '/qn', 'ENGINE=native', `AUTHORITY=${AUTHORITY}`, `CLIENTID=${CLIENT_ID}`, `LINKTEXT=${LINK_TEXT}`, '/l*v', join(tmp, 'install.log')],
    );
    expect(r.windowsCode).toBe(0);

    // Every staged file, at the same relative path, plus the credential provider next to the overlay.
    for (const rel of ['SsprLogon.exe', 'SsprLogonCP.dll', 'resources/app.asar', 'locales/en-US.pak', 'LICENSE.electron.txt']) {
      expect(existsSync(wine.cDrive(`${INSTALL_DIR}/${rel}`)), rel).toBe(true);
    }
    expect(readFileSync(wine.cDrive(`${INSTALL_DIR}/SsprLogonCP.dll`))).toEqual(readFileSync(shimDll));
    expect(readFileSync(wine.cDrive(`${INSTALL_DIR}/SsprLogon.exe`))).toEqual(readFileSync(join(stagedApp, 'SsprLogon.exe')));
    expect(existsSync(wine.cDrive('ProgramData/SsprLogon/logs'))).toBe(true);

    // Only the properties that were set are written, so the overlay's own defaults apply to the rest.
    expect(await wine.regValues(KEYS.settings)).toEqual({
      Engine: { type: 'REG_SZ', value: 'native' },
      Authority: { type: 'REG_SZ', value: AUTHORITY },
      ClientId: { type: 'REG_SZ', value: CLIENT_ID },
      LinkText: { type: 'REG_SZ', value: LINK_TEXT },
      InstallDir: { type: 'REG_SZ', value: 'C:\\Program Files\\SSPR Logon\\' },
    });
    expect(await wine.regValues(KEYS.credentialProvider)).toEqual({
      '(Default)': { type: 'REG_SZ', value: 'SsprLogon' },
      EnableLogging: { type: 'REG_DWORD', value: 0 },
    });
    expect(await wine.regValues(KEYS.clsid)).toEqual({ '(Default)': { type: 'REG_SZ', value: 'SsprLogon' } });
    expect(await wine.regValues(KEYS.inprocServer)).toEqual({
      '(Default)': { type: 'REG_SZ', value: 'C:\\Program Files\\SSPR Logon\\SsprLogonCP.dll' },
      ThreadingModel: { type: 'REG_SZ', value: 'Apartment' },
    });
    expect(await wine.regValues(KEYS.eventSource)).toEqual({
      EventMessageFile: { type: 'REG_EXPAND_SZ', value: '%SystemRoot%\\System32\\EventCreate.exe' },
      TypesSupported: { type: 'REG_DWORD', value: 7 },
      CustomSource: { type: 'REG_DWORD', value: 1 },
    });

    // The payload reference the provider checks before each launch: the SHA-256 of each installed file.
    const digest = (rel: string) => createHash('sha256').update(readFileSync(wine.cDrive(`${INSTALL_DIR}/${rel}`))).digest('hex');
    expect(await wine.regValues(`${KEYS.settings}\\Payload`)).toEqual({
      'SsprLogon.exe': { type: 'REG_SZ', value: digest('SsprLogon.exe') },
      'SsprLogonCP.dll': { type: 'REG_SZ', value: digest('SsprLogonCP.dll') },
      'resources\\app.asar': { type: 'REG_SZ', value: digest('resources/app.asar') },
    });
    // The overlay's dedicated account is hidden from the logon screen.
    expect((await wine.regValues(USER_LIST))?.SsprLogonOverlay).toEqual({ type: 'REG_DWORD', value: 0 });

    const entries = await ssprUninstallEntries(wine);
    expect(entries.map((e) => e.productCode)).toEqual([await msiProperty(v1, 'ProductCode')]);
    expect(entries[0]?.values.DisplayVersion?.value).toBe('1.0.0');
  });

  it("the overlay's configuration loader reads what the MSI wrote, with Group Policy on top", async () => {
    const policyKey = 'HKLM\\SOFTWARE\\Policies\\SsprLogon';
    const add = (name: string, type: string, data: string) => wine.run(['reg', 'add', policyKey, '/v', name, '/t', type, '/d', data, '/f']);
    expect((await add('LinkText', 'REG_SZ', 'Reset via policy')).code).toBe(0);
    expect((await add('IdleTimeoutSeconds', 'REG_DWORD', '300')).code).toBe(0);
    expect((await add('AllowedHosts', 'REG_MULTI_SZ', 'contoso.ciamlogin.com\\0*.msftauth.net')).code).toBe(0);
    // The overlay runs reg.exe query; here wine's reg answers, against the registry msiexec just wrote.
    const registry = createWindowsRegistrySource({
      run: async (_file, args) => {
        const r = await wine.run(['reg', ...args]);
        return { stdout: r.stdout, code: r.code };
      },
    });
    const { config, problems } = await loadConfig({ registry });
    expect(config).toMatchObject({
      Engine: 'native',
      Authority: AUTHORITY,
      ClientId: CLIENT_ID,
      LinkText: 'Reset via policy',
      IdleTimeoutSeconds: 300,
      AllowedHosts: ['contoso.ciamlogin.com', '*.msftauth.net'],
      EnableLogging: false,
      PortalUrl: defaultConfig.PortalUrl,
      ProxyMode: defaultConfig.ProxyMode,
    });
    // InstallDir (for the shim) is not a config key; the loader currently lists it as "unknown setting".
    expect(problems.filter((p) => isConfigKey(p.key))).toEqual([]);
    expect((await wine.run(['reg', 'delete', policyKey, '/f'])).code).toBe(0);
  });

  it.each([
    ['ENGINE=webview'],
    ['PROXYMODE=auto'],
    ['ENABLELOGGING=true'],
    ['USEOVERLAYACCOUNT=no'],
    ['PORTALURL=http://passwordreset.microsoftonline.com/'],
  ])('refuses %s with 1603 and leaves the installed version untouched', async (bad) => {
    const log = join(tmp, `refused-${bad.split('=')[0]}.log`);
    const r = await wine.msiexec(['/i', v2, '/qn', bad, '/l*v', log]);
    expect(r.windowsCode).toBe(1603);
    // Windows logs the condition's message; wine's log only shows that the run ended at LaunchConditions.
    expect(stoppedAtLaunchConditions(logText(log))).toBe(true);
    const entries = await ssprUninstallEntries(wine);
    expect(entries.map((e) => e.values.DisplayVersion?.value)).toEqual(['1.0.0']);
    expect((await wine.regValues(KEYS.settings))?.Engine?.value).toBe('native');
  });

  it('upgrades in place to a higher version and keeps the settings when none are passed', async () => {
    const r = await wine.msiexec(['/i', v2, '/qn', '/l*v', join(tmp, 'upgrade.log')]);
    expect(r.windowsCode).toBe(0);

    const entries = await ssprUninstallEntries(wine);
    expect(entries.map((e) => e.productCode)).toEqual([await msiProperty(v2, 'ProductCode')]);
    expect(entries[0]?.values.DisplayVersion?.value).toBe('1.1.0');

    expect(await wine.regValues(KEYS.settings)).toEqual({
      Engine: { type: 'REG_SZ', value: 'native' },
      Authority: { type: 'REG_SZ', value: AUTHORITY },
      ClientId: { type: 'REG_SZ', value: CLIENT_ID },
      LinkText: { type: 'REG_SZ', value: LINK_TEXT },
      InstallDir: { type: 'REG_SZ', value: 'C:\\Program Files\\SSPR Logon\\' },
    });
    expect(existsSync(wine.cDrive(`${INSTALL_DIR}/SsprLogonCP.dll`))).toBe(true);
    expect(existsSync(wine.cDrive(`${INSTALL_DIR}/resources/app.asar`))).toBe(true);
  });

  it('a rebuild of the same version upgrades too; a property passed then replaces only its own value', async () => {
    const r = await wine.msiexec(['/i', v2rebuild, '/qn', 'LINKTEXT=Reset password', 'ENABLELOGGING=1', 'PROXYMODE=direct', 'USEOVERLAYACCOUNT=0']);
    expect(r.windowsCode).toBe(0);

    const entries = await ssprUninstallEntries(wine);
    expect(entries.map((e) => e.productCode)).toEqual([await msiProperty(v2rebuild, 'ProductCode')]);

    expect(await wine.regValues(KEYS.settings)).toEqual({
      Engine: { type: 'REG_SZ', value: 'native' },
      Authority: { type: 'REG_SZ', value: AUTHORITY },
      ClientId: { type: 'REG_SZ', value: CLIENT_ID },
      LinkText: { type: 'REG_SZ', value: 'Reset password' },
      ProxyMode: { type: 'REG_SZ', value: 'direct' },
      EnableLogging: { type: 'REG_DWORD', value: 1 },
      // Read by the credential provider (the dedicated account's escape hatch); the ADMX writes the same value.
      UseOverlayAccount: { type: 'REG_DWORD', value: 0 },
      InstallDir: { type: 'REG_SZ', value: 'C:\\Program Files\\SSPR Logon\\' },
    });
    // Verbose logging is also switched on where Microsoft's add-in kept it.
    expect((await wine.regValues(KEYS.credentialProvider))?.EnableLogging).toEqual({ type: 'REG_DWORD', value: 1 });
  });

  it('keeps EnableLogging=1 and UseOverlayAccount=0 across a further upgrade that does not mention them', async () => {
    const r = await wine.msiexec(['/i', v2, '/qn']);
    expect(r.windowsCode).toBe(0);
    expect((await wine.regValues(KEYS.settings))?.UseOverlayAccount).toEqual({ type: 'REG_DWORD', value: 0 });
    expect((await wine.regValues(KEYS.settings))?.EnableLogging).toEqual({ type: 'REG_DWORD', value: 1 });
    expect((await wine.regValues(KEYS.credentialProvider))?.EnableLogging).toEqual({ type: 'REG_DWORD', value: 1 });
  });

  it('ENABLELOGGING=0 on a later upgrade turns verbose logging off in both places; USEOVERLAYACCOUNT=1 turns the account back on', async () => {
    const r = await wine.msiexec(['/i', v2rebuild, '/qn', 'ENABLELOGGING=0', 'USEOVERLAYACCOUNT=1']);
    expect(r.windowsCode).toBe(0);
    expect((await wine.regValues(KEYS.settings))?.UseOverlayAccount).toEqual({ type: 'REG_DWORD', value: 1 });
    expect((await wine.regValues(KEYS.settings))?.EnableLogging).toEqual({ type: 'REG_DWORD', value: 0 });
    expect((await wine.regValues(KEYS.credentialProvider))?.EnableLogging).toEqual({ type: 'REG_DWORD', value: 0 });
    expect((await wine.regValues(KEYS.settings))?.LinkText).toEqual({ type: 'REG_SZ', value: 'Reset password' });
  });

  it('refuses a downgrade with 1603 and the newer version stays', async () => {
    const log = join(tmp, 'downgrade.log');
    const r = await wine.msiexec(['/i', v1, '/qn', '/l*v', log]);
    expect(r.windowsCode).toBe(1603);
    const text = logText(log);
    expect(text).toMatch(/Property\(S\): WIX_DOWNGRADE_DETECTED = \{[0-9A-F-]{36}\}/);
    expect(stoppedAtLaunchConditions(text)).toBe(true);
    const entries = await ssprUninstallEntries(wine);
    expect(entries.map((e) => e.values.DisplayVersion?.value)).toEqual(['1.1.0']);
  });

  it('msiexec /x {ProductCode} removes every file, key, CLSID and entry, including state written at run time', async () => {
    // What the shim or an admin may add under our settings key at run time must go too.
    expect((await wine.run(['reg', 'add', `${KEYS.settings}\\State`, '/v', 'ConsecutiveFailures', '/t', 'REG_DWORD', '/d', '2', '/f'])).code).toBe(0);

    const [entry] = await ssprUninstallEntries(wine);
    expect(entry).toBeDefined();
    const r = await wine.msiexec(['/x', entry?.productCode ?? '', '/qn', '/l*v', join(tmp, 'uninstall.log')]);
    expect(r.windowsCode).toBe(0);

    expect(existsSync(wine.cDrive(INSTALL_DIR))).toBe(false);
    expect(existsSync(wine.cDrive('ProgramData/SsprLogon'))).toBe(false);
    for (const key of [KEYS.settings, KEYS.credentialProvider, KEYS.clsid, KEYS.eventSource]) {
      expect(await wine.keyExists(key), key).toBe(false);
    }
    expect(await ssprUninstallEntries(wine)).toEqual([]);
    expect((await wine.regValues(USER_LIST))?.SsprLogonOverlay).toBeUndefined();
    // The deferred account removal ran (wine's net.exe has no "user" command, so its result is ignored).
    expect(readFileSync(join(tmp, 'uninstall.log'), 'utf16le') + readFileSync(join(tmp, 'uninstall.log'), 'latin1')).toMatch(/RemoveOverlayAccount/);
    // Nothing of ours is left in Program Files at all.
    expect(readdirSync(wine.cDrive('Program Files')).filter((n) => /sspr/i.test(n))).toEqual([]);
  });
});
