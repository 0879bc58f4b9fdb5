/**
 * npm run package: the release engineer's path from the official Electron zip to release/<arch>/win-unpacked.
 * The real 100 MB runtime cannot be downloaded here, so the packaging runs on a fixture runtime whose
 * electron.exe is a real PE with Electron's fuse wire (support.ts); the checksum gate runs on real zips.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  electronRuntime,
  packageRuntime,
  readVersionResources,
  unzipElectron,
  verifyElectronZip,
  writeVersionResources,
} from '../../scripts/package.mjs';
import { ROOT, buildFixtureExe, buildFixtureRuntime, fuseWireOf, tempDir, zipFolder } from './support';

const run = promisify(execFile);
const require = createRequire(__filename);
const fuses = require('../../src/main/electron/packaging/fuses.cjs') as {
  readFuses(exe: string): Promise<Record<string, boolean | 'removed'>>;
  verifyFuses(exe: string, profile: string): Promise<unknown>;
};
const asar = require('@electron/asar') as { listPackage(file: string, options: object): string[] };
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; productName: string };
const checksums = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/checksums.json'), 'utf8')) as Record<string, string>;

/** Runs `npm run package` the way a release engineer would (without npm's banner), never throwing. */
const packageCli = async (args: string[], env: Record<string, string> = {}) => {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'scripts/package.mjs'), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
};

describe('npm run package: the Electron runtime zip', () => {
  it('without a zip, says exactly what to download, its SHA-256 and where to put it, and fails', async () => {
    const downloads = tempDir('downloads');
    for (const arch of ['x64', 'ia32']) {
      const file = `electron-v22.3.27-win32-${arch}.zip`;
      const { code, out } = await packageCli(['--arch', arch], { SSPR_ELECTRON_DOWNLOADS: downloads });
      expect(code).not.toBe(0);
      expect(out).toContain(`https://github.com/electron/electron/releases/download/v22.3.27/${file}`);
      expect(out).toContain(checksums[file]);
      expect(out).toContain(join(downloads, file));
      expect(out).toContain('--electron-zip');
    }
  });

  it('refuses a zip whose SHA-256 is not the published one, before unpacking or building anything', async () => {
    const dir = tempDir('zip');
    const zip = zipFolder(buildFixtureRuntime(), dir, 'electron-v22.3.27-win32-x64.zip');
    const { code, out } = await packageCli(['--electron-zip', zip]);
    expect(code).not.toBe(0);
    expect(out).toMatch(/refusing .*electron-v22\.3\.27-win32-x64\.zip: its SHA-256 does not match/);
    expect(out).toContain(`expected ${checksums['electron-v22.3.27-win32-x64.zip']}`);
    const actual = (await run('sha256sum', [zip])).stdout.split(' ')[0];
    expect(out).toContain(`actual   ${actual}`);
    expect(out).not.toContain('bundling');
    await expect(verifyElectronZip(zip, 'ia32')).rejects.toThrow(checksums['electron-v22.3.27-win32-ia32.zip']!);
  });

  it('checks against the values Electron published for 22.3.27 (the pinned version)', () => {
    expect(electronRuntime('x64')).toMatchObject({ version: '22.3.27', sha256: 'ad723ed7dad32f9459f7a9de1fd6d718cf713c4809c2431503bea62ce8f786e6' });
    expect(electronRuntime('ia32').sha256).toBe('1119ac7112590cb9c10a8c9b0bb5be65c0e11648a4f1311e6b7a5a00e497c2ce');
    expect(() => electronRuntime('arm64')).toThrow(/unknown architecture/);
  });

  it('unzips a runtime and refuses one of another Electron version', async () => {
    const dir = tempDir('zip');
    const good = await unzipElectron(zipFolder(buildFixtureRuntime(), dir, 'good.zip'), join(dir, 'good'));
    expect(existsSync(join(good, 'electron.exe'))).toBe(true);
    expect(existsSync(join(good, 'locales/en-US.pak'))).toBe(true);
    const old = zipFolder(buildFixtureRuntime({ version: '21.4.4' }), dir, 'old.zip');
    await expect(unzipElectron(old, join(dir, 'old'))).rejects.toThrow(/Electron 21\.4\.4, expected 22\.3\.27/);
  });
});

describe('npm run package: electron-builder with electronDist, fuses and version resources', () => {
  for (const arch of ['x64', 'ia32'] as const) {
    it(`${arch}: stages release/${arch}/win-unpacked with our bundles, release fuses and package.json's version`, async () => {
      expect(existsSync(join(ROOT, 'dist/main/electron.cjs')), 'run npm run build first').toBe(true);
      const out = tempDir('release');
      const lines: string[] = [];
      const unpacked = await packageRuntime({ electronDir: buildFixtureRuntime({ arch }), arch, outDir: out, log: (l) => lines.push(l), signing: null });
      expect(unpacked).toBe(join(out, arch, 'win-unpacked'));
      const exe = join(unpacked, 'SsprLogon.exe');
      expect(existsSync(join(unpacked, 'electron.exe'))).toBe(false);
      // What the MSI installs: the app only inside the asar, without the dev host, the emulator or maps.
      const files = asar.listPackage(join(unpacked, 'resources/app.asar'), {}).map((f) => f.replace(/\\/g, '/'));
      // The main process with the renderer of its first screen (src/shared/firstScreen.ts), which it loads beside itself.
      expect(files).toEqual(expect.arrayContaining(['/dist/main/electron.cjs', '/dist/main/first-screen.cjs', '/dist/preload/preload.cjs', '/package.json']));
      // The renderer's on-demand scripts travel with it (the password screen's common-password list).
      expect(files).toEqual(expect.arrayContaining(['/dist/renderer/app.js', '/dist/renderer/common-passwords.js']));
      expect(files.filter((f) => /host\.cjs|emulator|\.map$|node_modules|\/src\//.test(f))).toEqual([]);
      // The whole renderer: the page, start.js, app.js and every chunk, the ones loaded after the first screen too.
      const renderer = readdirSync(join(ROOT, 'dist/renderer')).filter((f) => /\.(html|js|css)$/.test(f));
      expect(renderer).toEqual(expect.arrayContaining(['index.html', 'start.js', 'app.js', 'app.css']));
      expect(renderer.some((f) => f.startsWith('chunk-'))).toBe(true);
      expect(files).toEqual(expect.arrayContaining(renderer.map((f) => `/dist/renderer/${f}`)));
      // Fuses as shipped were 101111; the release profile is read back from the bytes.
      expect(fuseWireOf(readFileSync(exe))).toBe('010011');
      expect(await fuses.readFuses(exe)).toMatchObject({ RunAsNode: false, EnableNodeOptionsEnvironmentVariable: false, EnableNodeCliInspectArguments: false, OnlyLoadAppFromAsar: true });
      // Version resources, read back with resedit and, independently, as the UTF-16 strings Explorer shows.
      const v = readVersionResources(exe);
      expect(v).toMatchObject({ fileVersion: `${pkg.version}.0`, productVersion: `${pkg.version}.0` });
      expect(v?.strings).toMatchObject({ ProductName: pkg.productName, OriginalFilename: 'SsprLogon.exe', FileVersion: `${pkg.version}.0` });
      const utf16 = readFileSync(exe).toString('utf16le') + readFileSync(exe).subarray(1).toString('utf16le');
      expect(utf16).toContain('ProductVersion\u0000' + `${pkg.version}.0`);
      expect(utf16).not.toContain('Electron\u0000');
      expect(utf16).not.toContain('22.3.27');
      expect(lines.join('\n')).toContain('fuses read back');
    });
  }

  it('fails the package when the runtime has no fuse wire, rather than ship it unfused', async () => {
    const out = tempDir('release');
    await expect(packageRuntime({ electronDir: buildFixtureRuntime({ wire: null }), arch: 'x64', outDir: out, log: () => {}, signing: null })).rejects.toThrow(/sentinel/);
  });

  it('the read-back names every fuse that is wrong', async () => {
    const exe = buildFixtureExe(join(tempDir('pe'), 'SsprLogon.exe'), { wire: '101111' });
    await expect(fuses.verifyFuses(exe, 'release')).rejects.toThrow(
      /RunAsNode is true, must be false; .*EnableNodeOptionsEnvironmentVariable is true, must be false; EnableNodeCliInspectArguments is true, must be false/,
    );
    await expect(fuses.verifyFuses(buildFixtureExe(join(tempDir('pe'), 'ok.exe'), { wire: '010011' }), 'release')).resolves.toBeTruthy();
  });

  it("version resources replace Electron's own, and a second write replaces the first", () => {
    const exe = buildFixtureExe(join(tempDir('pe'), 'SsprLogon.exe'), { electronResources: true });
    expect(readVersionResources(exe)).toMatchObject({ fileVersion: '22.3.27.0', strings: { ProductName: 'Electron' } });
    writeVersionResources(exe, { FileVersion: '1.2.3.0', ProductVersion: '1.2.3.0', ProductName: 'SSPR Logon' });
    writeVersionResources(exe);
    expect(readVersionResources(exe)).toMatchObject({ fileVersion: `${pkg.version}.0` });
  });
});
