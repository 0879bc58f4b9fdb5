/**
 * The SBOM and THIRD-PARTY-NOTICES.txt that npm run package writes, read as an admin's tooling and a user
 * would: the SBOM against the official CycloneDX 1.5 schema, the notices as the file the MSI installs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRuntime } from '../../scripts/package.mjs';
import { bundledPackages, htmlToText } from '../../scripts/sbom.mjs';
import { ROOT, buildFixtureRuntime, tempDir } from './support';

const require = createRequire(__filename);
const CDX = require('@cyclonedx/cyclonedx-library') as {
  Validation: { JsonStrictValidator: new (version: string) => { validate(json: string): Promise<unknown> } };
  Spec: { Version: { v1dot5: string } };
};
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
const checksums = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/checksums.json'), 'utf8')) as Record<string, string>;

interface Component {
  name: string;
  version: string;
  purl?: string;
  licenses?: { license?: { id?: string; name?: string }; expression?: string }[];
  hashes?: { alg: string; content: string }[];
  properties?: { name: string; value: string }[];
  externalReferences?: { url: string; hashes?: { alg: string; content: string }[] }[];
  components?: Component[];
}
interface Bom { specVersion: string; metadata: { component: Component }; components: Component[]; dependencies: { ref: string; dependsOn: string[] }[] }

let unpacked: string;
let sbom: Bom;
let sbomText: string;
let notices: string;

beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist/meta/main_electron.cjs.json')), 'run npm run build first').toBe(true);
  unpacked = await packageRuntime({ electronDir: buildFixtureRuntime(), arch: 'x64', outDir: tempDir('release'), log: () => {}, signing: null });
  sbomText = readFileSync(join(unpacked, '..', `SsprLogon-${pkg.version}-x64.cdx.json`), 'utf8');
  sbom = JSON.parse(sbomText) as Bom;
  notices = readFileSync(join(unpacked, 'THIRD-PARTY-NOTICES.txt'), 'utf8');
});

const byName = (name: string) => sbom.components.find((c) => c.name === name);

describe('SBOM of what ships (CycloneDX 1.5)', () => {
  it('validates against the official CycloneDX 1.5 JSON schema', async () => {
    expect(sbom.specVersion).toBe('1.5');
    expect(await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot5).validate(sbomText)).toBeNull();
    expect(sbom.metadata.component).toMatchObject({ name: 'SSPR Logon', version: pkg.version });
  });

  it('lists the npm packages inside the shipped bundles, with the lock file versions, and nothing that stays behind', () => {
    for (const [name, bundle] of [['react', 'dist/renderer/app.js'], ['react-dom', 'dist/renderer/app.js'], ['i18next', 'dist/renderer/app.js'],
      ['axios', 'dist/main/electron.cjs'], ['winston', 'dist/main/electron.cjs'], ['valibot', 'dist/main/electron.cjs'],
      ['@azure/msal-node', 'dist/main/cli.cjs'], ['react-dom', 'dist/main/first-screen.cjs'], ['@zxcvbn-ts/language-common', 'dist/renderer/common-passwords.js']] as const) {
      const c = byName(name);
      expect(c, name).toBeDefined();
      expect(c?.version).toBe(lock.packages[`node_modules/${name}`]?.version);
      // purl encodes a scope's @ as %40.
      expect(c?.purl).toBe(`pkg:npm/${name.replace(/^@/, '%40')}@${c?.version}`);
      expect(c?.properties).toContainEqual({ name: 'sspr-logon:bundle', value: bundle });
      expect(c?.hashes?.[0]).toMatchObject({ alg: 'SHA-512', content: expect.stringMatching(/^[0-9a-f]{128}$/) });
      expect(c?.licenses?.length).toBeGreaterThan(0);
    }
    // A nested copy is named by its own package.json and version.
    expect(byName('@colors/colors')?.purl).toMatch(/^pkg:npm\/%40colors\/colors@/);
    // The dev tools and the emulator are not in the package (the helpdesk CLI, with msal-node, is).
    for (const absent of ['node-forge', 'vitest', 'electron-builder', 'esbuild', 'playwright-core']) expect(byName(absent), absent).toBeUndefined();
    const npmCount = sbom.components.filter((c) => c.purl?.startsWith('pkg:npm/')).length;
    expect(npmCount).toBe(bundledPackages().length);
  });

  it('names Electron with its Chromium and Node.js, and the official zip with its SHA-256', () => {
    const electron = byName('electron');
    expect(electron).toMatchObject({ version: '22.3.27', purl: 'pkg:github/electron/electron@v22.3.27' });
    expect(electron?.externalReferences?.[0]).toMatchObject({
      url: 'https://github.com/electron/electron/releases/download/v22.3.27/electron-v22.3.27-win32-x64.zip',
      hashes: [{ alg: 'SHA-256', content: checksums['electron-v22.3.27-win32-x64.zip'] }],
    });
    expect(electron?.components?.map((c) => `${c.name}@${c.version}`)).toEqual(['chromium@108.0.5359.215', 'node@16.17.1']);
  });

  it("names the toolchain runtime statically linked into the credential provider DLL", () => {
    const dll = byName('SsprLogonCP.dll');
    const runtime = Object.fromEntries((dll?.components ?? []).map((c) => [c.name, c]));
    expect(Object.keys(runtime)).toEqual(expect.arrayContaining(['mingw-w64-crt', 'libgcc', 'libstdc++']));
    expect(runtime['libstdc++']?.licenses).toEqual([{ expression: 'GPL-3.0-or-later WITH GCC-exception-3.1' }]);
    expect(runtime['libgcc']?.properties).toContainEqual({ name: 'sspr-logon:linkage', value: 'static' });
    const gcc = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'g++-mingw-w64-x86-64-win32'], { encoding: 'utf8' });
    expect(gcc.startsWith(runtime['libstdc++']!.version)).toBe(true);
    expect(runtime['mingw-w64-crt']?.purl).toContain('target=x86_64-w64-mingw32');
  });

  it('refuses to describe a build whose bundle metafile is missing', () => {
    expect(() => bundledPackages({ distDir: tempDir('empty-dist') })).toThrow(/meta.*missing; run npm run build/);
  });
});

describe('THIRD-PARTY-NOTICES.txt (installed beside SsprLogon.exe)', () => {
  it('carries the licence texts of the bundled packages, which the minified bundles strip', () => {
    expect(readFileSync(join(ROOT, 'dist/renderer/app.js'), 'utf8')).not.toContain('Permission is hereby granted');
    const react = readFileSync(join(ROOT, 'node_modules/react/LICENSE'), 'utf8').trim().replace(/\r?\n/g, '\r\n');
    expect(notices).toContain(react);
    for (const name of ['axios', 'winston', 'i18next', 'valibot']) {
      expect(notices).toMatch(new RegExp(`^${name} ${lock.packages[`node_modules/${name}`]?.version} \\(MIT\\)\\r$`, 'm'));
    }
    expect(notices).toContain('@azure/msal-node');
    // The common-password list is the package's data compiled into a filter: its MIT notice travels too.
    expect(notices).toMatch(/^@zxcvbn-ts\/language-common [\d.]+ \(MIT\)\r$/m);
    expect(notices).toContain('Copyright (c) 2021 @zxcvbn-ts');
    expect(notices).not.toContain('node-forge');
  });

  it("includes Electron's licence and Chromium's licences from the zip, as plain text", () => {
    expect(notices).toContain('Copyright (c) Electron contributors');
    expect(notices).toContain('From LICENSES.chromium.html of the Electron runtime');
    expect(notices).toContain('Fixture licence text & terms <chromium>');
    expect(notices).not.toContain('<pre>');
    expect(existsSync(join(unpacked, 'LICENSES.chromium.html'))).toBe(true);
  });

  it('names the DLL runtime and uses Windows line endings (Notepad on Windows 7 shows LF-only files as one line)', () => {
    expect(notices).toMatch(/mingw-w64 [\d.]+ runtime, libgcc and libstdc\+\+ \(GCC [\d.]+\), statically linked into SsprLogonCP\.dll/);
    expect(notices).toContain('GCC Runtime Library Exception');
    expect(notices.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('turns licence HTML into readable text', () => {
    expect(htmlToText('<div><span class="title">zlib</span><pre>a &lt;b&gt; &amp;amp; &#169;</pre></div><script>x()</script>')).toBe('zlib\na <b> &amp; ©');
  });
});
