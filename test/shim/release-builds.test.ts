// What an admin deploying to a mixed fleet relies on: a 32-bit provider beside the 64-bit one, both loadable by
// LogonUI on a stock Windows 7, and every binary stamped with the one version package.json gives.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ensureShimBuilt, ROOT, run, SHIM_OUT } from './support';

const SYSTEM_DLLS = new Set(['kernel32.dll', 'advapi32.dll', 'ole32.dll', 'user32.dll', 'gdi32.dll', 'wtsapi32.dll', 'bcrypt.dll', 'netapi32.dll', 'msvcrt.dll']);
const packageVersion = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

async function objdump(file: string): Promise<string> {
  const r = await run('i686-w64-mingw32-objdump', ['-p', join(SHIM_OUT, file)]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

/** The version resource as windres decompiles it: the numeric FILEVERSION and the string table. */
async function versionResource(file: string): Promise<{ fileVersion: string; strings: Map<string, string> }> {
  const r = await run('x86_64-w64-mingw32-windres', ['-i', join(SHIM_OUT, file), '-O', 'rc']);
  expect(r.code, r.stderr).toBe(0);
  const fileVersion = /FILEVERSION\s+(\d+),\s*(\d+),\s*(\d+),\s*(\d+)/.exec(r.stdout);
  expect(fileVersion, `${file} has no version resource`).not.toBeNull();
  const strings = new Map([...r.stdout.matchAll(/VALUE "(\w+)", "([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  return { fileVersion: fileVersion!.slice(1, 5).join('.'), strings };
}

describe('release builds of the shim', () => {
  beforeAll(async () => {
    await ensureShimBuilt();
  });

  it('builds a 32-bit provider that exports the two COM entry points undecorated and imports only system DLLs', async () => {
    const dump = await objdump('x86/SsprLogonCP.dll');
    expect(dump).toMatch(/file format pei-i386/);
    expect(dump).toMatch(/Magic\s+010b/); // PE32, not PE32+
    const table = dump.slice(dump.indexOf('[Ordinal/Name Pointer] Table'));
    const names = [...table.matchAll(/\[\s*\d+\]\s+(\S+)/g)].map((m) => m[1]);
    // LogonUI asks GetProcAddress for "DllGetClassObject"; a stdcall-decorated "DllGetClassObject@12" would not load.
    expect(names.slice(0, 2).sort()).toEqual(['DllCanUnloadNow', 'DllGetClassObject']);
    const imports = [...dump.matchAll(/DLL Name: (\S+)/g)].map((m) => m[1]!.toLowerCase());
    expect(imports.length).toBeGreaterThan(3);
    expect(imports.filter((d) => !SYSTEM_DLLS.has(d))).toEqual([]);
    expect(dump).toMatch(/DllCharacteristics[\s\S]*DYNAMIC_BASE[\s\S]*NX_COMPAT/);
  });

  it('stamps the provider and the stand-in of both architectures with package.json\'s version', async () => {
    const expected = `${packageVersion}.0`;
    for (const [file, description] of [
      ['SsprLogonCP.dll', 'SSPR Logon credential provider'],
      ['x86/SsprLogonCP.dll', 'SSPR Logon credential provider'],
      ['SsprLogon.exe', 'SSPR Logon overlay (CI stand-in)'],
      ['x86/SsprLogon.exe', 'SSPR Logon overlay (CI stand-in)'],
    ] as const) {
      const { fileVersion, strings } = await versionResource(file);
      expect(fileVersion, file).toBe(expected);
      expect(strings.get('FileVersion'), file).toBe(expected);
      expect(strings.get('ProductVersion'), file).toBe(expected);
      expect(strings.get('FileDescription'), file).toBe(description);
      expect(strings.get('OriginalFilename'), file).toBe(file.replace('x86/', ''));
    }
  });

  it('keeps the Event Log message table in the 32-bit provider too', async () => {
    const r = await run('x86_64-w64-mingw32-windres', ['-i', join(SHIM_OUT, 'x86/SsprLogonCP.dll'), '-O', 'rc']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/MESSAGETABLE/);
  });
});
