/**
 * Authenticode signing with osslsigncode: SHA-1 then nested SHA-256 on SsprLogon.exe, the credential-provider
 * DLL and the MSI, with a throwaway PKI and osslsigncode's built-in TSA made at test time (support.ts), and
 * verified with `osslsigncode verify` as an admin's tooling would. The PKCS#11 path signs through a SoftHSM2
 * token holding the throwaway key.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRuntime, readVersionResources, writeVersionResources } from '../../scripts/package.mjs';
import { signingConfig, verifyFile } from '../../scripts/sign.mjs';
import { ROOT, buildFixtureExe, buildFixtureMsi, buildFixtureRuntime, fuseWireOf, makeSoftHsmToken, makeThrowawayPki, tempDir } from './support';

const run = promisify(execFile);
const require = createRequire(__filename);
const fuses = require('../../src/main/electron/packaging/fuses.cjs') as { verifyFuses(exe: string, profile: string): Promise<unknown> };

let pki: ReturnType<typeof makeThrowawayPki>;
beforeAll(() => {
  pki = makeThrowawayPki();
});

const signCli = async (args: string[], env: Record<string, string>) => {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SSPR_SIGN_')));
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'scripts/sign.mjs'), ...args], { cwd: ROOT, env: { ...clean, ...env } });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
};

/** `osslsigncode verify` against the throwaway CA, as a release engineer runs it. */
const verify = (file: string) => {
  try {
    return { ok: true, out: execFileSync('osslsigncode', ['verify', '-CAfile', pki.caFile, '-TSA-CAfile', pki.caFile, '-in', file], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (error) {
    const e = error as { stdout: string; stderr: string };
    return { ok: false, out: `${e.stdout}${e.stderr}` };
  }
};

/** A release-fused, resourced SsprLogon.exe, the DLL and an MSI, as they stand just before signing. */
const releaseFiles = () => {
  const dir = tempDir('to-sign');
  const exe = buildFixtureExe(join(dir, 'SsprLogon.exe'), { wire: '010011', electronResources: true });
  writeVersionResources(exe);
  const dll = buildFixtureExe(join(dir, 'SsprLogonCP.dll'), { wire: null });
  const msi = buildFixtureMsi(join(dir, 'SsprLogon-x64.msi'), exe);
  return { dir, exe, dll, msi };
};

describe('npm run sign: dual Authenticode signatures', () => {
  it('signs SsprLogon.exe, the DLL and the MSI with SHA-1 then nested SHA-256, timestamped, and they verify', async () => {
    const { exe, dll, msi } = releaseFiles();
    expect(verify(exe).ok).toBe(false);
    const { code, out } = await signCli([exe, dll, msi], pki.env);
    expect(out).not.toContain(pki.password);
    expect(code).toBe(0);
    for (const file of [exe, dll, msi]) {
      expect(out).toContain(`${file}: SHA1 + nested SHA256 (pfx, timestamped), verified`);
      const v = verify(file);
      expect(v.ok, v.out).toBe(true);
      expect(v.out).toMatch(/Signature Index: 0 {2}\(Primary Signature\)\s+Message digest algorithm\s+: SHA1/);
      expect(v.out).toMatch(/Signature Index: 1\s+Message digest algorithm\s+: SHA256/);
      expect(v.out).toContain('Subject: /CN=SSPR Logon test publisher');
      expect(v.out.match(/Timestamp Server Signature verification: ok/g)).toHaveLength(2);
      expect(v.out).toContain('Number of verified signatures: 2');
    }
    // Signing appends a certificate table; the fuses and our version resources are what got signed.
    await expect(fuses.verifyFuses(exe, 'release')).resolves.toBeTruthy();
    expect(readVersionResources(exe)?.strings.ProductName).toBe('SSPR Logon');
    // The MSI is still a database msiexec can read, now carrying its signature stream.
    expect(execFileSync('msiinfo', ['streams', msi], { encoding: 'utf8' })).toContain('DigitalSignature');
    expect(readdirSync(join(exe, '..')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('signs through a PKCS#11 token (SoftHSM2), the PIN passed on stdin and never shown', async () => {
    const token = makeSoftHsmToken(pki);
    const { exe, msi } = releaseFiles();
    const { code, out } = await signCli([exe, msi], token.env);
    expect(out).not.toContain(token.pin);
    expect(code, out).toBe(0);
    for (const file of [exe, msi]) {
      expect(out).toContain(`${file}: SHA1 + nested SHA256 (pkcs11, timestamped), verified`);
      const v = verify(file);
      expect(v.ok, v.out).toBe(true);
      expect(v.out).toContain('Subject: /CN=SSPR Logon test publisher');
      expect(v.out).toContain('Number of verified signatures: 2');
    }
    const wrongPin = await signCli([releaseFiles().exe], { ...token.env, SSPR_SIGN_PKCS11_PIN: '000000' });
    expect(wrongPin.code).not.toBe(0);
    expect(wrongPin.out).not.toContain('000000');
  });

  it('a signed file changed afterwards no longer verifies', async () => {
    const { exe } = releaseFiles();
    await signCli([exe], pki.env);
    expect(verifyFile(exe, { caFile: pki.caFile }).digests).toEqual(['SHA1', 'SHA256']);
    const bytes = readFileSync(exe);
    bytes[0x400] = bytes[0x400]! ^ 0xff; // inside the code section, covered by both digests
    writeFileSync(exe, bytes);
    expect(verify(exe).ok).toBe(false);
    expect(() => verifyFile(exe, { caFile: pki.caFile })).toThrow(/does not verify/);
  });

  it('refuses to sign an executable whose fuses are not the release profile, and leaves it unsigned', async () => {
    const dir = tempDir('to-sign');
    const exe = buildFixtureExe(join(dir, 'SsprLogon.exe'), { wire: '101111' });
    const before = readFileSync(exe);
    const { code, out } = await signCli([exe], pki.env);
    expect(code).not.toBe(0);
    expect(out).toMatch(/refusing to sign .*SsprLogon\.exe: .*RunAsNode is true, must be false/);
    expect(readFileSync(exe).equals(before)).toBe(true);
  });

  it('keeps the order: version resources cannot be written into a signed executable', async () => {
    const { exe } = releaseFiles();
    await signCli([exe], pki.env);
    expect(() => writeVersionResources(exe)).toThrow(/must be written before signing/);
    expect(verify(exe).ok).toBe(true);
  });

  it('a wrong PFX password fails clearly without echoing the password, and the file is untouched', async () => {
    const { exe } = releaseFiles();
    const before = readFileSync(exe);
    const { code, out } = await signCli([exe], { ...pki.env, SSPR_SIGN_PFX_PASSWORD: 'wrong-secret-xyz' });
    expect(code).not.toBe(0);
    expect(out).toMatch(/could not sign .*SsprLogon\.exe \(sha1\)/);
    expect(out).not.toContain('wrong-secret-xyz');
    expect(readFileSync(exe).equals(before)).toBe(true);
  });

  it('without a certificate: says so and leaves files unsigned; --require makes that an error', async () => {
    const { exe } = releaseFiles();
    const plain = await signCli([exe], {});
    expect(plain.code).toBe(0);
    expect(plain.out).toContain('no certificate configured');
    expect(plain.out).toContain('left unsigned');
    expect(verify(exe).ok).toBe(false);
    const required = await signCli(['--require', exe], {});
    expect(required.code).toBe(1);
    expect(required.out).toContain('refusing to leave a release unsigned');
  });

  it('reads PFX and PKCS#11 configurations, and refuses half-configured ones', () => {
    expect(signingConfig({})).toBeNull();
    expect(signingConfig({ SSPR_SIGN_PFX: pki.env.SSPR_SIGN_PFX, SSPR_SIGN_PFX_PASSWORD: 'x' })).toMatchObject({ kind: 'pfx', secret: 'x' });
    expect(() => signingConfig({ SSPR_SIGN_PFX: pki.env.SSPR_SIGN_PFX })).toThrow(/SSPR_SIGN_PFX_PASSWORD/);
    expect(() => signingConfig({ SSPR_SIGN_PFX: '/nonexistent.pfx', SSPR_SIGN_PFX_PASSWORD: '' })).toThrow(/does not exist/);
    const hsm = signingConfig({ SSPR_SIGN_PKCS11_MODULE: '/usr/lib/softhsm/libsofthsm2.so', SSPR_SIGN_PKCS11_KEY: 'pkcs11:object=sspr', SSPR_SIGN_PKCS11_CERT: 'chain.pem', SSPR_SIGN_TIMESTAMP_URL: 'http://tsa.example' });
    expect(hsm).toMatchObject({ kind: 'pkcs11', secret: null, timestamp: { url: 'http://tsa.example' } });
    expect(hsm?.credential).toEqual(['-pkcs11module', '/usr/lib/softhsm/libsofthsm2.so', '-certs', 'chain.pem', '-key', 'pkcs11:object=sspr']);
    expect(() => signingConfig({ SSPR_SIGN_PKCS11_MODULE: 'm.so' })).toThrow(/SSPR_SIGN_PKCS11_KEY/);
    expect(() => signingConfig({ SSPR_SIGN_TSA_CERTS: 'c.pem' })).toThrow(/go together/);
  });

  it('npm run package signs SsprLogon.exe after the fuses and the version resources, when configured', async () => {
    expect(existsSync(join(ROOT, 'dist/main/electron.cjs')), 'run npm run build first').toBe(true);
    const lines: string[] = [];
    const unpacked = await packageRuntime({ electronDir: buildFixtureRuntime(), arch: 'x64', outDir: tempDir('release'), log: (l) => lines.push(l), signing: signingConfig(pki.env) });
    const exe = join(unpacked, 'SsprLogon.exe');
    expect(lines.join('\n')).toMatch(/version resources[\s\S]*fuses read back[\s\S]*signed, SHA1 \+ nested SHA256/);
    expect(verify(exe).ok).toBe(true);
    expect(fuseWireOf(readFileSync(exe))).toBe('010011');
    expect(readVersionResources(exe)?.strings.OriginalFilename).toBe('SsprLogon.exe');
  });
});
