#!/usr/bin/env node
// The bill of materials and the licence notices of what ships:
//   - the npm packages inside the shipped bundles (dist/main/electron.cjs, dist/preload/preload.cjs,
//     dist/renderer/app.js, and the common-password list made from @zxcvbn-ts/language-common,
//     dist/renderer/common-passwords.js), read from esbuild's metafiles (dist/meta, written by scripts/build.mjs) and
//     joined with package-lock.json for versions, licences and integrity hashes;
//   - Electron with its Chromium and Node.js;
//   - the toolchain runtime statically linked into SsprLogonCP.dll (mingw-w64 CRT, libgcc, libstdc++).
// Writes a CycloneDX 1.5 JSON SBOM and THIRD-PARTY-NOTICES.txt. The bundles are built with
// legalComments: 'none', so the notices file is where the packages' licence texts travel with the product;
// npm run package puts it into the staged folder, and the MSI installs it beside SsprLogon.exe.
//
//   node scripts/sbom.mjs --arch x64|ia32 --out-dir <dir> [--electron-dir <unzipped Electron runtime>]
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The bundles electron-builder.yml ships: app.asar's (the main process, its first-screen renderer, the
 * preload, the renderer), and the helpdesk CLI beside it (resources\cli.cjs). The dev host, the demo entry
 * and the emulator stay out.
 */
export const SHIPPED_BUNDLES = ['main/electron.cjs', 'main/first-screen.cjs', 'preload/preload.cjs', 'renderer/app.js', 'renderer/common-passwords.js', 'main/cli.cjs'];

// Electron's zip does not record these; Electron 22's release notes do, and every 22.x.y kept them.
export const ELECTRON_22_CHROMIUM = '108.0.5359.215';
export const ELECTRON_22_NODE = '16.17.1';

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const metaFile = (distDir, bundle) => join(distDir, 'meta', `${bundle.replace(/[/\\]/g, '_')}.json`);

/** The folder of the npm package a bundled input belongs to (nested node_modules included), or null. */
const packagePathOf = (input) => input.replace(/\\/g, '/').match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//)?.[1] ?? null;

/**
 * Every npm package with at least one file in a shipped bundle: { path, name, version, license, integrity,
 * bundles }. Fails when a bundle's metafile is missing (a stale or partial build would give a short SBOM).
 */
export const bundledPackages = ({ root = ROOT, distDir = join(root, 'dist'), bundles = SHIPPED_BUNDLES } = {}) => {
  const lock = readJson(join(root, 'package-lock.json')).packages;
  const found = new Map();
  for (const bundle of bundles) {
    const file = metaFile(distDir, bundle);
    if (!existsSync(file)) throw new Error(`sbom: ${file} is missing; run npm run build first`);
    const { inputs } = readJson(file);
    for (const input of Object.keys(inputs)) {
      const path = packagePathOf(input);
      if (!path) continue;
      const entry = found.get(path) ?? { path, bundles: new Set() };
      entry.bundles.add(`dist/${bundle}`);
      found.set(path, entry);
    }
  }
  return [...found.values()]
    .map(({ path, bundles: inBundles }) => {
      const locked = lock[path];
      if (!locked) throw new Error(`sbom: ${path} is bundled but not in package-lock.json`);
      const manifest = readJson(join(root, path, 'package.json'));
      return {
        path,
        name: manifest.name,
        version: locked.version,
        license: locked.license ?? manifest.license ?? null,
        integrity: locked.integrity ?? null,
        bundles: [...inBundles].sort(),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
};

const TRIPLES = { x64: 'x86_64-w64-mingw32', ia32: 'i686-w64-mingw32' };

/** x.y.z of an installed Debian package, or null (not Debian, or not installed). */
const debianUpstreamVersion = (name) => {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', name], { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout.match(/^(?:\d+:)?(\d+\.\d+\.\d+)/)?.[1] ?? null) : null;
};

/** The mingw-w64 toolchain that builds SsprLogonCP.dll for `arch`: GCC and mingw-w64 versions, thread model. */
export const toolchain = (arch) => {
  const triple = TRIPLES[arch];
  if (!triple) throw new Error(`sbom: unknown architecture ${arch}`);
  const cxx = `${triple}-g++`;
  let macros;
  let verbose;
  try {
    macros = execFileSync(cxx, ['-dM', '-E', '-include', '_mingw.h', '-x', 'c++', '-'], { input: '', encoding: 'utf8' });
    verbose = spawnSync(cxx, ['-v'], { encoding: 'utf8' }).stderr; // g++ -v writes to stderr
  } catch (error) {
    throw new Error(`sbom: cannot query ${cxx} (${error.message}); the DLL's runtime cannot be described without it`);
  }
  const macro = (name) => macros.match(new RegExp(`#define ${name} (\\d+)`))?.[1];
  const gcc = [macro('__GNUC__'), macro('__GNUC_MINOR__'), macro('__GNUC_PATCHLEVEL__')].join('.');
  const mingw = [macro('__MINGW64_VERSION_MAJOR'), macro('__MINGW64_VERSION_MINOR'), macro('__MINGW64_VERSION_BUGFIX')].join('.');
  const threads = verbose?.match(/Thread model: (\S+)/)?.[1] ?? 'unknown';
  // Debian's mingw-w64 GCC reports 12.0.0 in its macros; its package knows the real release (12.2.0).
  const debArch = arch === 'x64' ? 'x86-64' : 'i686';
  const gccPackaged = debianUpstreamVersion(`g++-mingw-w64-${debArch}-${threads}`);
  if (gccPackaged) return { triple, gcc: gccPackaged, mingw: debianUpstreamVersion(`mingw-w64-${debArch}-dev`) ?? mingw, threads };
  return { triple, gcc, mingw, threads };
};

/** npm licence string -> CycloneDX licence choice (a known SPDX id, an expression, or a name). */
const licenceChoice = (license, isSpdxId) => {
  if (!license) return [];
  if (/\s(OR|AND|WITH)\s|[()]/.test(license)) return [{ expression: license }];
  return isSpdxId(license) ? [{ license: { id: license } }] : [{ license: { name: license } }];
};

const npmPurl = (name, version) => `pkg:npm/${name.startsWith('@') ? `%40${name.slice(1)}` : name}@${version}`;

const integrityHash = (integrity) => {
  const [alg, b64] = integrity?.split('-') ?? [];
  const algs = { sha512: 'SHA-512', sha384: 'SHA-384', sha256: 'SHA-256', sha1: 'SHA-1' };
  return algs[alg] && b64 ? [{ alg: algs[alg], content: Buffer.from(b64, 'base64').toString('hex') }] : [];
};

/**
 * The CycloneDX 1.5 document. `runtime` is scripts/package.mjs's electronRuntime(arch) (file, url, sha256);
 * `isSpdxId` decides which licence strings are SPDX identifiers.
 */
export const buildSbom = ({ arch, packages, runtime, tools, isSpdxId = () => false, root = ROOT, now = new Date() }) => {
  const pkg = readJson(join(root, 'package.json'));
  const electronVersion = readJson(join(root, 'node_modules/electron/package.json')).version;
  const appRef = `pkg:generic/sspr-logon@${pkg.version}?arch=${arch}`;
  const electronRef = `pkg:github/electron/electron@v${electronVersion}`;
  const dllRef = `sspr-logon-credential-provider@${pkg.version}`;
  const npm = packages.map((p) => ({
    type: 'library',
    'bom-ref': npmPurl(p.name, p.version),
    name: p.name,
    version: p.version,
    scope: 'required',
    ...(integrityHash(p.integrity).length ? { hashes: integrityHash(p.integrity) } : {}),
    licenses: licenceChoice(p.license, isSpdxId),
    purl: npmPurl(p.name, p.version),
    properties: p.bundles.map((b) => ({ name: 'sspr-logon:bundle', value: b })),
  }));
  const electron = {
    type: 'framework',
    'bom-ref': electronRef,
    name: 'electron',
    version: electronVersion,
    description: `Electron runtime for win32-${arch} (SsprLogon.exe is its electron.exe, renamed and fused)`,
    scope: 'required',
    licenses: [{ license: { id: 'MIT' } }],
    purl: electronRef,
    externalReferences: runtime
      ? [{ type: 'distribution', url: runtime.url, hashes: [{ alg: 'SHA-256', content: runtime.sha256 }], comment: runtime.file }]
      : [],
    components: [
      {
        type: 'framework',
        'bom-ref': `pkg:generic/chromium@${ELECTRON_22_CHROMIUM}`,
        name: 'chromium',
        version: ELECTRON_22_CHROMIUM,
        licenses: [{ license: { id: 'BSD-3-Clause' } }],
        purl: `pkg:generic/chromium@${ELECTRON_22_CHROMIUM}`,
        description: 'Chromium and its third-party libraries; their licences are in LICENSES.chromium.html beside SsprLogon.exe',
      },
      {
        type: 'framework',
        'bom-ref': `pkg:generic/node@${ELECTRON_22_NODE}`,
        name: 'node',
        version: ELECTRON_22_NODE,
        licenses: [{ license: { id: 'MIT' } }],
        purl: `pkg:generic/node@${ELECTRON_22_NODE}`,
      },
    ],
  };
  const staticRuntime = (name, version, licences, description) => ({
    type: 'library',
    'bom-ref': `pkg:generic/${name}@${version}?target=${tools.triple}`,
    name,
    version,
    description,
    scope: 'required',
    licenses: licences,
    purl: `pkg:generic/${name}@${version}?target=${tools.triple}`,
    properties: [{ name: 'sspr-logon:linkage', value: 'static' }],
  });
  const gccRuntime = [{ expression: 'GPL-3.0-or-later WITH GCC-exception-3.1' }];
  const dll = {
    type: 'library',
    'bom-ref': dllRef,
    name: 'SsprLogonCP.dll',
    version: pkg.version,
    description: `SSPR Logon credential provider, built with ${tools.triple}-g++ ${tools.gcc} (thread model ${tools.threads})`,
    scope: 'required',
    licenses: licenceChoice(pkg.license, isSpdxId),
    components: [
      staticRuntime('mingw-w64-crt', tools.mingw, [{ license: { name: 'mingw-w64 runtime licence (ZPL-2.1, public domain and permissive notices)' } }], 'mingw-w64 C runtime start-up and import libraries'),
      staticRuntime('libgcc', tools.gcc, gccRuntime, 'GCC low-level runtime (-static-libgcc)'),
      staticRuntime('libstdc++', tools.gcc, gccRuntime, 'GNU C++ library (-static-libstdc++)'),
      ...(tools.threads === 'posix'
        ? [staticRuntime('winpthreads', tools.mingw, [{ expression: 'MIT AND BSD-3-Clause' }], 'POSIX threads for the posix thread model')]
        : []),
    ],
  };
  const timestamp = process.env.SOURCE_DATE_EPOCH ? new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000) : now;
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      tools: { components: [{ type: 'application', name: 'sspr-logon scripts/sbom.mjs', version: pkg.version }] },
      component: {
        type: 'application',
        'bom-ref': appRef,
        name: pkg.productName,
        version: pkg.version,
        description: pkg.description,
        licenses: licenceChoice(pkg.license, isSpdxId),
        purl: appRef,
      },
      properties: [{ name: 'sspr-logon:arch', value: arch }],
    },
    components: [electron, dll, ...npm],
    dependencies: [
      { ref: appRef, dependsOn: [electronRef, dllRef, ...npm.map((c) => c['bom-ref'])] },
      { ref: electronRef, dependsOn: electron.components.map((c) => c['bom-ref']) },
      { ref: dllRef, dependsOn: dll.components.map((c) => c['bom-ref']) },
    ],
  };
};

const LICENCE_FILE = /^(licen[cs]e|copying|notice)([.-].*)?$/i;

/** The licence texts a package ships (LICENSE, LICENCE, COPYING, NOTICE...), in name order. */
const licenceTexts = (dir) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && LICENCE_FILE.test(e.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((e) => readFileSync(join(dir, e.name), 'utf8').trim());

/** Chromium's licence page as plain text (the notices file is read in Notepad, not a browser). */
export const htmlToText = (html) =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|pre|h\d|li|tr|span)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

const RULE = '='.repeat(100);

/** THIRD-PARTY-NOTICES.txt: every shipped package with its licence text, Electron, Chromium and the DLL's runtime. */
export const buildNotices = ({ packages, tools, electronDir = null, root = ROOT }) => {
  const pkg = readJson(join(root, 'package.json'));
  const sections = [];
  const section = (title, body) => sections.push(`${RULE}\n${title}\n${RULE}\n\n${body.trim()}\n`);
  for (const p of packages) {
    const texts = licenceTexts(join(root, p.path));
    section(
      `${p.name} ${p.version} (${p.license ?? 'licence not stated'})`,
      texts.length ? texts.join('\n\n') : `This package ships no licence file; its package.json states the licence "${p.license}".`,
    );
  }
  const electronLicence = electronDir && existsSync(join(electronDir, 'LICENSE')) ? join(electronDir, 'LICENSE') : join(root, 'node_modules/electron/LICENSE');
  section(`Electron ${readJson(join(root, 'node_modules/electron/package.json')).version} (MIT), SsprLogon.exe`, readFileSync(electronLicence, 'utf8'));
  const chromium = electronDir ? join(electronDir, 'LICENSES.chromium.html') : null;
  section(
    `Chromium ${ELECTRON_22_CHROMIUM}, Node.js ${ELECTRON_22_NODE} and their third-party libraries, inside SsprLogon.exe`,
    chromium && existsSync(chromium)
      ? `From LICENSES.chromium.html of the Electron runtime (installed beside SsprLogon.exe):\n\n${htmlToText(readFileSync(chromium, 'utf8'))}`
      : 'Their licences are in LICENSES.chromium.html, installed beside SsprLogon.exe.',
  );
  const mingwCopyright = `/usr/share/doc/mingw-w64-${tools.triple.startsWith('x86_64') ? 'x86-64' : 'i686'}-dev/copyright`;
  section(
    `mingw-w64 ${tools.mingw} runtime, libgcc and libstdc++ (GCC ${tools.gcc}), statically linked into SsprLogonCP.dll`,
    [
      'libgcc and libstdc++ are GPL-3.0-or-later WITH the GCC Runtime Library Exception 3.1, which allows',
      'combining them with independent modules such as SsprLogonCP.dll under terms of our choice.',
      'The mingw-w64 runtime is in the public domain or under the Zope Public License 2.1 and other permissive',
      'licences; its notices follow.',
      '',
      existsSync(mingwCopyright) ? readFileSync(mingwCopyright, 'utf8') : 'See https://www.mingw-w64.org for the mingw-w64 runtime licences.',
    ].join('\n'),
  );
  const header = [
    `${pkg.productName} ${pkg.version}: third-party software notices`,
    '',
    `${pkg.productName} is ${pkg.license}-licensed. It includes the third-party software listed below, each under its`,
    'own licence, reproduced here as its authors ship it.',
    '',
    ...packages.map((p) => `  - ${p.name} ${p.version} (${p.license ?? 'see below'})`),
    `  - Electron, Chromium ${ELECTRON_22_CHROMIUM} and Node.js ${ELECTRON_22_NODE}`,
    `  - mingw-w64 ${tools.mingw} runtime, libgcc and libstdc++ ${tools.gcc}`,
    '',
  ].join('\n');
  return `${header}\n${sections.join('\n')}`.replace(/\r?\n/g, '\r\n');
};

/** Writes both files; returns their paths. The notices go where the MSI picks up the payload. */
export const writeReleaseDocs = async ({ arch, stagedDir, sbomDir, electronDir = null, runtime = null, root = ROOT }) => {
  const CDX = await import('@cyclonedx/cyclonedx-library');
  const packages = bundledPackages({ root });
  const tools = toolchain(arch);
  const sbom = buildSbom({ arch, packages, runtime, tools, isSpdxId: CDX.SPDX.isSupportedSpdxId, root });
  const pkg = readJson(join(root, 'package.json'));
  const sbomFile = join(sbomDir, `SsprLogon-${pkg.version}-${arch}.cdx.json`);
  const noticesFile = join(stagedDir, 'THIRD-PARTY-NOTICES.txt');
  const json = JSON.stringify(sbom, null, 2);
  // Validated against the official schema before it is written: a release never carries an invalid SBOM.
  const errors = await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot5).validate(json);
  if (errors) throw new Error(`sbom: the SBOM does not validate against CycloneDX 1.5: ${JSON.stringify(errors).slice(0, 2000)}`);
  writeFileSync(sbomFile, `${json}\n`);
  writeFileSync(noticesFile, buildNotices({ packages, tools, electronDir, root }));
  return { sbomFile, noticesFile, packages };
};

const main = async () => {
  const args = process.argv.slice(2);
  const value = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const arch = value('--arch') ?? 'x64';
  const outDir = value('--out-dir');
  if (!outDir) {
    console.error('usage: node scripts/sbom.mjs --arch x64|ia32 --out-dir <dir> [--electron-dir <unzipped Electron runtime>]');
    return 2;
  }
  const { electronRuntime } = await import('./package.mjs');
  mkdirSync(resolve(outDir), { recursive: true });
  const out = await writeReleaseDocs({ arch, stagedDir: resolve(outDir), sbomDir: resolve(outDir), electronDir: value('--electron-dir') ?? null, runtime: electronRuntime(arch) });
  console.log(`sbom: ${out.sbomFile} (${out.packages.length} npm packages), ${out.noticesFile}`);
  return 0;
};

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error.message ?? error);
      process.exit(1);
    },
  );
}
