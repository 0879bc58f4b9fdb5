// End to end: after a silent MSI install, the shim's COM harness asks COM for our CLSID, exactly as LogonUI
// does, so it loads the INSTALLED SsprLogonCP.dll through the registration the MSI wrote, and we read the tile
// the user would see. After uninstall the same request must find no provider at all.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLSID, KEYS, ROOT, WinePrefix, buildMsiOrThrow, makeTempDir, shimFiles, ssprUninstallEntries, stageApp } from './support';

type HarnessLine = Record<string, unknown> & { step: string };

let tmp = '';
let wine: WinePrefix;
let v1 = '';
let v2 = '';
let harness = '';

const walk = async (): Promise<HarnessLine[]> => {
  const r = await wine.run([harness, '--clsid', CLSID, 'walk']);
  return r.stdout
    .split(/\r?\n/)
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as HarnessLine);
};

const linkSeen = async () => {
  const lines = await walk();
  const create = lines.find((l) => l.step === 'create');
  const link = lines.find((l) => l.step === 'field' && l.type === 'command-link');
  const tile = lines.find((l) => l.step === 'tile');
  return { createHr: create?.hr, label: link?.label, tileLink: tile?.link };
};

beforeAll(async () => {
  tmp = makeTempDir('harness');
  const shim = await shimFiles(tmp);
  // This test is about the real provider; placeholders cannot answer COM.
  if (!shim.real) throw new Error('build/shim has no SsprLogonCP.dll/SsprLogon.exe and scripts/build-shim.sh did not produce them');
  harness = join(tmp, 'cp-harness.exe');
  copyFileSync(join(ROOT, 'build/shim/cp-harness.exe'), harness);
  const app = stageApp(tmp, shim.overlayExe);
  const [prefix, a, b] = await Promise.all([
    WinePrefix.create(tmp),
    buildMsiOrThrow({ staged: app, dll: shim.dll, version: '2.0.0', out: join(tmp, 'v2.msi') }),
    buildMsiOrThrow({ staged: app, dll: shim.dll, version: '2.1.0', out: join(tmp, 'v21.msi') }),
  ]);
  wine = prefix;
  v1 = a;
  v2 = b;
});

afterAll(async () => {
  await wine?.dispose();
  if (tmp) (await import('node:fs')).rmSync(tmp, { recursive: true, force: true });
});

describe('the installed credential provider, loaded by CLSID', { timeout: 120_000 }, () => {
  it('is not there before the install', async () => {
    const seen = await linkSeen();
    expect(seen.createHr).not.toBe('0x00000000');
    expect(seen.label).toBeUndefined();
  });

  it('shows the command link with the LINKTEXT passed to msiexec', async () => {
    const text = 'Passwort vergessen? Hilfe & mehr – ü';
    const r = await wine.msiexec(['/i', v1, '/qn', `LINKTEXT=${text}`, 'ENGINE=portal']);
    expect(r.windowsCode).toBe(0);
    const seen = await linkSeen();
    expect(seen).toEqual({ createHr: '0x00000000', label: text, tileLink: text });
  });

  it('keeps that link text through an upgrade that passes no properties', async () => {
    const r = await wine.msiexec(['/i', v2, '/qn']);
    expect(r.windowsCode).toBe(0);
    expect((await ssprUninstallEntries(wine)).map((e) => e.values.DisplayVersion?.value)).toEqual(['2.1.0']);
    expect((await linkSeen()).label).toBe('Passwort vergessen? Hilfe & mehr – ü');
  });

  it('a Group Policy LinkText (the ADMX value) wins over the MSI setting', async () => {
    const policyKey = 'HKLM\\SOFTWARE\\Policies\\SsprLogon';
    expect((await wine.run(['reg', 'add', policyKey, '/v', 'LinkText', '/t', 'REG_SZ', '/d', 'Reset via IT policy', '/f'])).code).toBe(0);
    expect((await linkSeen()).label).toBe('Reset via IT policy');
    expect((await wine.run(['reg', 'delete', policyKey, '/f'])).code).toBe(0);
    expect((await linkSeen()).label).toBe('Passwort vergessen? Hilfe & mehr – ü');
  });

  it('after msiexec /x the provider can no longer be created; log files stay for audit', async () => {
    // As if the overlay had run: a log file the uninstall must not destroy.
    writeFileSync(wine.cDrive('ProgramData/SsprLogon/logs/sspr-logon.20261125T000000Z.jsonl'), '{"event":"reset.done"}\n');
    const [entry] = await ssprUninstallEntries(wine);
    const r = await wine.msiexec(['/x', entry?.productCode ?? '', '/qn']);
    expect(r.windowsCode).toBe(0);
    expect(await wine.keyExists(KEYS.inprocServer)).toBe(false);
    const seen = await linkSeen();
    // REGDB_E_CLASSNOTREG: COM knows nothing of our CLSID any more.
    expect(seen.createHr).toBe('0x80040154');
    expect(seen.label).toBeUndefined();
    expect(existsSync(wine.cDrive('Program Files/SSPR Logon'))).toBe(false);
    expect(readFileSync(wine.cDrive('ProgramData/SsprLogon/logs/sspr-logon.20261125T000000Z.jsonl'), 'utf8')).toContain('reset.done');
  });
});
