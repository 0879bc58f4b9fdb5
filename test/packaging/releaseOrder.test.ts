/**
 * The whole release path in the documented order, with a fixture runtime and a throwaway certificate:
 * package (fuses -> version resources -> notices -> sign SsprLogon.exe) -> sign the DLL -> npm run build:msi on
 * the staged folder -> sign the MSI. What the admin's msiexec installs is then read out of the MSI itself.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRuntime, readVersionResources } from '../../scripts/package.mjs';
import { signFile, signingConfig, verifyFile } from '../../scripts/sign.mjs';
import { ROOT, buildFixtureRuntime, fuseWireOf, makeThrowawayPki, tempDir } from './support';

describe('release order: package -> sign -> build:msi -> sign the MSI', () => {
  it('installs the signed, fused SsprLogon.exe, the signed DLL and the notices, inside a signed MSI', async () => {
    expect(existsSync(join(ROOT, 'build/shim/SsprLogonCP.dll')), 'run npm run build:shim first').toBe(true);
    const pki = makeThrowawayPki();
    const signing = signingConfig(pki.env)!;
    const unpacked = await packageRuntime({ electronDir: buildFixtureRuntime(), arch: 'x64', outDir: tempDir('release'), log: () => {}, signing });
    const work = tempDir('msi-out');
    const dll = join(work, 'SsprLogonCP.dll');
    copyFileSync(join(ROOT, 'build/shim/SsprLogonCP.dll'), dll);
    await signFile(dll, signing);
    const msi = join(work, 'SsprLogon-x64.msi');
    execFileSync('bash', [join(ROOT, 'scripts/build-msi.sh'), unpacked, '--dll', dll, '--out', msi], { cwd: ROOT, stdio: 'pipe' });
    await signFile(msi, signing);
    expect(verifyFile(msi, { caFile: pki.caFile }).digests).toEqual(['SHA1', 'SHA256']);

    const extracted = tempDir('msi-extract');
    const listed = execFileSync('msiextract', ['-C', extracted, msi], { encoding: 'utf8' }).split('\n').map((l) => l.split('/').pop());
    expect(listed).toEqual(expect.arrayContaining(['SsprLogon.exe', 'SsprLogonCP.dll', 'THIRD-PARTY-NOTICES.txt', 'LICENSES.chromium.html', 'app.asar']));
    const installed = (name: string) => join(extracted, 'SSPR Logon', name);
    for (const name of ['SsprLogon.exe', 'SsprLogonCP.dll']) {
      expect(verifyFile(installed(name), { caFile: pki.caFile }).digests, name).toEqual(['SHA1', 'SHA256']);
    }
    const exe = readFileSync(installed('SsprLogon.exe'));
    expect(fuseWireOf(exe)).toBe('010011');
    expect(readVersionResources(installed('SsprLogon.exe'))?.strings.ProductName).toBe('SSPR Logon');
    expect(readFileSync(installed('THIRD-PARTY-NOTICES.txt'), 'utf8')).toContain('From LICENSES.chromium.html of the Electron runtime');
  });
});
