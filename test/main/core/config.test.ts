import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/shared/config';
import { loadConfig, resolveDataFolders } from '../../../src/main/core/config';
import { parseLaunchArgs } from '../../../src/main/core/launchArgs';
import {
  createWindowsRegistrySource,
  parseRegQuery,
  POLICY_KEY,
  PROVIDER_KEY,
  SETTINGS_KEY,
  type RegistrySource,
  type RegistryValue,
} from '../../../src/main/core/registry';

const dirs: string[] = [];
const dataDir = (configJson?: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sspr-cfg-'));
  dirs.push(dir);
  if (configJson !== undefined) writeFileSync(join(dir, 'config.json'), configJson);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const fakeRegistry = (keys: Record<string, Record<string, RegistryValue>>): RegistrySource => ({
  readValues: async (key) => keys[key] ?? null,
});

describe('loadConfig', () => {
  it('gives the defaults when nothing is configured', async () => {
    expect(await loadConfig({})).toEqual({ config: defaultConfig, problems: [] });
    expect(await loadConfig({ dataDir: dataDir(), registry: fakeRegistry({}) })).toEqual({ config: defaultConfig, problems: [] });
  });

  it('layers: config.json < HKLM settings < provider EnableLogging < policy < flags', async () => {
    const dir = dataDir(JSON.stringify({ Engine: 'native', LinkText: 'from file', HelpdeskText: 'file', Locale: 'fr', IdleTimeoutSeconds: 60 }));
    const registry = fakeRegistry({
      [SETTINGS_KEY]: { LinkText: 'from msi', HelpdeskText: 'msi', IdleTimeoutSeconds: 0x78, AllowedHosts: ['a.example.com', 'b.example.com'] },
      [PROVIDER_KEY]: { EnableLogging: 1, LinkText: 'ignored here' },
      [POLICY_KEY]: { HelpdeskText: 'policy', Locale: 'de' },
    });
    const { config, problems } = await loadConfig({ dataDir: dir, registry, flags: { Locale: 'nl', RequestTimeoutSeconds: '45' } });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      Engine: 'native', // file
      LinkText: 'from msi', // msi beats file; the provider key only carries EnableLogging
      IdleTimeoutSeconds: 120, // REG_DWORD
      AllowedHosts: ['a.example.com', 'b.example.com'], // REG_MULTI_SZ
      EnableLogging: true, // provider key DWORD 1
      HelpdeskText: 'policy', // GPO beats msi
      Locale: 'nl', // flags beat GPO
      RequestTimeoutSeconds: 45, // flag string coerced
    });
  });

  it('a bad value is reported and falls back to the lower layer; the other keys still apply', async () => {
    const registry = fakeRegistry({
      [SETTINGS_KEY]: { Engine: 'native', IdleTimeoutSeconds: 120 },
      [POLICY_KEY]: { Engine: 'telnet', IdleTimeoutSeconds: 5, PortalUrl: 'http://evil.example.com/', Locale: 'de', Bogus: 'x' },
    });
    const { config, problems } = await loadConfig({ registry });
    expect(config.Engine).toBe('native');
    expect(config.IdleTimeoutSeconds).toBe(120);
    expect(config.PortalUrl).toBe(defaultConfig.PortalUrl);
    expect(config.Locale).toBe('de');
    expect(problems.map((p) => [p.layer, p.key])).toEqual([
      [POLICY_KEY, 'Engine'],
      [POLICY_KEY, 'IdleTimeoutSeconds'],
      [POLICY_KEY, 'PortalUrl'],
      [POLICY_KEY, 'Bogus'],
    ]);
  });

  it('the proxy default is the machine\'s WinHTTP proxy, and a bad ProxyMode means direct, never system (WPAD)', async () => {
    expect(defaultConfig.ProxyMode).toBe('winhttp');
    const registry = fakeRegistry({
      [SETTINGS_KEY]: { ProxyMode: 'system' },
      [POLICY_KEY]: { ProxyMode: 'wpad-please' },
    });
    const { config, problems } = await loadConfig({ registry });
    expect(config.ProxyMode).toBe('direct');
    expect(problems).toEqual([{ layer: POLICY_KEY, key: 'ProxyMode', message: expect.stringMatching(/^invalid value, using direct/) }]);
    expect((await loadConfig({ registry: fakeRegistry({ [SETTINGS_KEY]: { ProxyMode: 'winhttp' } }) })).config.ProxyMode).toBe('winhttp');
  });

  it.each([
    ['{ "Engine": "native", ', 'not valid JSON'],
    ['[1,2,3]', 'not a JSON object'],
    ['null', 'not a JSON object'],
    ['"native"', 'not a JSON object'],
  ])('a broken config.json (%s) is a reported problem, not a crash', async (text, message) => {
    const { config, problems } = await loadConfig({ dataDir: dataDir(text), flags: { Locale: 'sv' } });
    expect(config).toEqual({ ...defaultConfig, Locale: 'sv' });
    expect(problems).toEqual([{ layer: 'config.json', key: '*', message: expect.stringContaining(message) }]);
  });

  it('a config.json with a byte-order mark is read', async () => {
    const { config, problems } = await loadConfig({ dataDir: dataDir('\uFEFF{"Locale":"it"}') });
    expect(problems).toEqual([]);
    expect(config.Locale).toBe('it');
  });

  it('a registry that cannot be read is reported and skipped', async () => {
    const registry: RegistrySource = {
      readValues: async (key) => {
        if (key === POLICY_KEY) throw new Error('access denied');
        return key === SETTINGS_KEY ? { Locale: 'pt' } : null;
      },
    };
    const { config, problems } = await loadConfig({ registry });
    expect(config.Locale).toBe('pt');
    expect(problems).toEqual([{ layer: POLICY_KEY, key: '*', message: expect.stringContaining('cannot read') }]);
  });

  it('the MSI key: its own bookkeeping values and properties left empty are not settings', async () => {
    const registry = fakeRegistry({
      [SETTINGS_KEY]: { InstallDir: 'C:\\Program Files\\SSPR Logon\\', WatchdogSeconds: 900, DebugLogFile: 'C:\\x.log', Engine: 'native', PortalUrl: '', EnableLogging: '', HelpdeskText: 'Call 555' },
      [POLICY_KEY]: { BrandName: '' },
    });
    const { config, problems } = await loadConfig({ dataDir: dataDir(JSON.stringify({ BrandName: 'Contoso', PortalUrl: 'https://sspr.contoso.com/' })), registry });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ Engine: 'native', PortalUrl: 'https://sspr.contoso.com/', EnableLogging: false, HelpdeskText: 'Call 555', BrandName: '' });
  });

  it("the shim's own UseOverlayAccount, under the MSI key or the policy key, is not an unknown overlay setting", async () => {
    const registry = fakeRegistry({ [SETTINGS_KEY]: { UseOverlayAccount: 0, Locale: 'pt' }, [POLICY_KEY]: { UseOverlayAccount: 1 } });
    const { config, problems } = await loadConfig({ registry });
    expect(problems).toEqual([]);
    expect(config.Locale).toBe('pt');
    expect(config).not.toHaveProperty('UseOverlayAccount');
    // Any other unknown name still is reported.
    const other = await loadConfig({ registry: fakeRegistry({ [POLICY_KEY]: { UseOverlayAcount: 1 } }) });
    expect(other.problems).toEqual([expect.objectContaining({ key: 'UseOverlayAcount', message: 'unknown setting, ignored' })]);
  });

  it('EnableLogging as REG_DWORD 0/1 and as text', async () => {
    for (const [value, expected] of [[1, true], [0, false], ['1', true], ['false', false]] as const) {
      const { config } = await loadConfig({ registry: fakeRegistry({ [POLICY_KEY]: { EnableLogging: value } }) });
      expect(config.EnableLogging).toBe(expected);
    }
    const { config, problems } = await loadConfig({ registry: fakeRegistry({ [POLICY_KEY]: { EnableLogging: 7 } }) });
    expect(config.EnableLogging).toBe(false);
    expect(problems).toHaveLength(1);
  });
});

describe('Windows registry source', () => {
  const sample = [
    '',
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\SsprLogon',
    '    (Default)    REG_SZ    ',
    '    Engine    REG_SZ    native',
    '    Link Text    REG_SZ    Forgot   password?',
    '    IdleTimeoutSeconds    REG_DWORD    0xb4',
    '    AllowedHosts    REG_MULTI_SZ    a.example.com\\0b.example.com',
    '    HelpdeskText    REG_SZ',
    '    Blob    REG_BINARY    00FF',
    '',
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\SsprLogon\\Sub',
    '    Engine    REG_SZ    portal',
    '',
  ].join('\r\n');

  it('parses reg.exe query output: types, spaces in names and data, only the key itself', () => {
    expect(parseRegQuery(sample, SETTINGS_KEY)).toEqual({
      Engine: 'native',
      'Link Text': 'Forgot   password?',
      IdleTimeoutSeconds: 180,
      AllowedHosts: ['a.example.com', 'b.example.com'],
      HelpdeskText: '',
    });
  });

  it('runs reg.exe by absolute path with an argument array, /reg:64 under WOW64, and null for a missing key', async () => {
    const calls: [string, string[]][] = [];
    const source = createWindowsRegistrySource({
      env: { SystemRoot: 'C:\\Windows', PROCESSOR_ARCHITEW6432: 'AMD64' },
      run: async (file, args) => {
        calls.push([file, args]);
        return args[1] === SETTINGS_KEY ? { stdout: sample, code: 0 } : { stdout: '', code: 1 };
      },
    });
    expect(await source.readValues(SETTINGS_KEY)).toMatchObject({ Engine: 'native' });
    expect(await source.readValues(POLICY_KEY)).toBeNull();
    expect(calls[0]![0]).toMatch(/^C:\\Windows[\\/]System32[\\/]reg\.exe$/);
    expect(calls[0]![1]).toEqual(['query', SETTINGS_KEY, '/reg:64']);
  });
});

describe('parseLaunchArgs', () => {
  it('reads the shim contract', () => {
    expect(parseLaunchArgs(['--scenario=unlock', '--user=CONTOSO\\alice', '--lang=fr-CA'])).toEqual({
      launch: { scenario: 'unlock', user: 'CONTOSO\\alice', lang: 'fr-CA', demo: false, configFlags: {} },
      problems: [],
    });
  });

  it('defaults to logon with no user', () => {
    expect(parseLaunchArgs([]).launch).toEqual({ scenario: 'logon', user: '', demo: false, configFlags: {} });
  });

  it('bad values are reported and fall back', () => {
    const { launch, problems } = parseLaunchArgs([
      '--scenario=shell',
      '--user=a\r\nINFO fake',
      '--lang=../../etc',
      '--inspect=9229',
      '--set=NoEquals',
      `--user=${'x'.repeat(300)}`,
    ]);
    expect(launch).toEqual({ scenario: 'logon', user: '', demo: false, configFlags: {} });
    expect(problems).toHaveLength(6);
    // Problems never echo control characters.
    expect(JSON.stringify(problems)).not.toMatch(/\r|\n/);
  });

  it('development flags: --demo, --set, --data-dir, --log-dir', () => {
    expect(parseLaunchArgs(['--demo', '--set=Engine=native', '--set=HelpdeskText=Call 1234=ok', '--data-dir=/tmp/d', '--log-dir=/tmp/l']).launch).toEqual({
      scenario: 'logon',
      user: '',
      demo: true,
      configFlags: { Engine: 'native', HelpdeskText: 'Call 1234=ok' },
      dataDir: '/tmp/d',
      logDir: '/tmp/l',
    });
    // `npm start -- --data-dir <dir>`: the spaced form means the same.
    expect(parseLaunchArgs(['--data-dir', '/tmp/d', '--scenario=unlock']).launch).toMatchObject({ dataDir: '/tmp/d', scenario: 'unlock' });
  });
});

describe('where the data folder is', () => {
  const launch = { dataDir: '/dev/data' };
  it('an install: %ProgramData%\\SsprLogon from the environment (any case), no log folder of its own', () => {
    expect(resolveDataFolders({ launch: {}, release: true, env: { PROGRAMDATA: '/pd' } })).toEqual({ dataDir: join('/pd', 'SsprLogon') });
    expect(resolveDataFolders({ launch: {}, release: true, env: { ProgramData: '/pd' } })).toEqual({ dataDir: join('/pd', 'SsprLogon') });
    // Developer flags never move an installed overlay's configuration or logs.
    expect(resolveDataFolders({ launch: { dataDir: '/planted', logDir: '/planted/logs' }, release: true, env: { ProgramData: '/pd' } })).toEqual({
      dataDir: join('/pd', 'SsprLogon'),
    });
    expect(resolveDataFolders({ launch: {}, release: true, env: {} })).toEqual({});
  });
  it('the demo: --data-dir holds config.json and logs/', () => {
    expect(resolveDataFolders({ launch, release: false, env: { ProgramData: '/pd' } })).toEqual({ dataDir: '/dev/data', logDir: join('/dev/data', 'logs') });
    expect(resolveDataFolders({ launch: { dataDir: '/d', logDir: '/l' }, release: false, env: {} })).toEqual({ dataDir: '/d', logDir: '/l' });
  });
});
