// The shim builds from source with mingw-w64, the DLL can be loaded by LogonUI on a stock Windows (only
// system DLLs imported, the two COM exports present), and the plain C++ rules pass their native tests.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ensureShimBuilt, ROOT, run, SHIM_OUT } from './support';

const SYSTEM_DLLS = new Set(['kernel32.dll', 'advapi32.dll', 'ole32.dll', 'user32.dll', 'gdi32.dll', 'wtsapi32.dll', 'bcrypt.dll', 'netapi32.dll', 'msvcrt.dll']);

async function objdump(file: string): Promise<string> {
  const r = await run('x86_64-w64-mingw32-objdump', ['-p', join(SHIM_OUT, file)]);
  expect(r.code).toBe(0);
  return r.stdout;
}

function importedDlls(dump: string): string[] {
  return [...dump.matchAll(/DLL Name: (\S+)/g)].map((m) => m[1]!.toLowerCase()).sort();
}

describe('shim build', () => {
  beforeAll(async () => {
    await ensureShimBuilt();
  });

  it('SsprLogonCP.dll imports only DLLs every Windows 7 has (no libstdc++, libgcc or winpthread)', async () => {
    for (const dll of ['SsprLogonCP.dll', 'SsprLogonCP-winetest.dll']) {
      const imports = importedDlls(await objdump(dll));
      expect(imports.length).toBeGreaterThan(3);
      expect(imports.filter((d) => !SYSTEM_DLLS.has(d))).toEqual([]);
      expect(imports.join(' ')).not.toMatch(/libstdc|libgcc|winpthread/);
    }
  });

  it('the stand-in and the harness also run without mingw runtime DLLs', async () => {
    for (const exe of ['SsprLogon.exe', 'cp-harness.exe']) {
      const imports = importedDlls(await objdump(exe));
      expect(imports.join(' ')).not.toMatch(/libstdc|libgcc|winpthread/);
    }
  });

  it('exports exactly DllCanUnloadNow and DllGetClassObject, as a 64-bit DLL', async () => {
    const dump = await objdump('SsprLogonCP.dll');
    const table = dump.slice(dump.indexOf('[Ordinal/Name Pointer] Table'));
    const names = [...table.matchAll(/\[\s*\d+\]\s+(\w+)/g)].map((m) => m[1]);
    expect(names.slice(0, 2).sort()).toEqual(['DllCanUnloadNow', 'DllGetClassObject']);
    expect(dump).toMatch(/Magic\s+020b/); // PE32+
    expect(dump).toMatch(/DllCharacteristics[\s\S]*DYNAMIC_BASE[\s\S]*NX_COMPAT/);
  });

  it('carries an Event Log message for every event ID the code uses, and docs/event-ids.md lists each', async () => {
    const header = readFileSync(join(ROOT, 'src/shim/core/event_ids.h'), 'utf8');
    const codeIds = [...header.matchAll(/^\s+\w+ = (\d+),$/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
    expect(codeIds.length).toBeGreaterThan(15);
    expect(codeIds.every((id) => id >= 1 && id <= 1000)).toBe(true);
    const r = await run('x86_64-w64-mingw32-windres', ['-i', join(SHIM_OUT, 'SsprLogonCP.dll'), '-O', 'rc']);
    expect(r.code).toBe(0);
    const tableIds = [...r.stdout.matchAll(/MessageId = 0x([0-9a-f]+)/g)].map((m) => parseInt(m[1]!, 16)).sort((a, b) => a - b);
    expect(tableIds).toEqual(codeIds);
    const docs = readFileSync(join(ROOT, 'docs/event-ids.md'), 'utf8');
    for (const id of codeIds) expect(docs).toMatch(new RegExp(`^\\| ${id} \\|`, 'm'));
  });

  it('plain C++ launch, exit-code, self-disable and escaping rules pass their native unit tests', async () => {
    const r = await run(join(SHIM_OUT, 'native/core-test'), []);
    expect(r.stdout).toMatch(/^ok \d+/m);
    expect(r.stdout).not.toMatch(/FAIL/);
    expect(r.code).toBe(0);
  });
});
