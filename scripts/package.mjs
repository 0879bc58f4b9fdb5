#!/usr/bin/env node
// npm run package -- --electron-zip <electron-v22.3.27-win32-<arch>.zip> [--arch x64|ia32]
//
// Puts the real Electron runtime around our bundles, offline, in the order a signed release needs:
//   1. the zip's SHA-256 must equal node_modules/electron/checksums.json (the values Electron published);
//   2. unzip it and run electron-builder with `electronDist` (its afterPack flips the fuses and reads them back);
//   3. write SsprLogon.exe's version resources from package.json with resedit (electron-builder's own
//      resource editing downloads winCodeSign, so signAndEditExecutable is off in electron-builder.yml);
//   4. read the fuses back again, since step 3 rewrote the file;
//   5. write the CycloneDX SBOM (release/<arch>/SsprLogon-<version>-<arch>.cdx.json) and the staged
//      THIRD-PARTY-NOTICES.txt, with Chromium's licences from the zip (scripts/sbom.mjs);
//   6. sign SsprLogon.exe when a certificate is configured (scripts/sign.mjs).
// The result, release/<arch>/win-unpacked, is what `npm run build:msi` stages. Without a zip it says what to
// download and where to put it, and exits non-zero.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeReleaseDocs } from './sbom.mjs';
import { signFile, signingConfig, verifyFile } from './sign.mjs';

/** A path as the reader should type it: relative when it lies inside the current folder, else absolute. */
const shownPath = (path) => {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : resolve(path);
};

const require = createRequire(import.meta.url);
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ARCHES = ['x64', 'ia32'];

/** The Electron version we ship, from the installed electron package (package.json pins it). */
export const electronVersion = () => JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version;

/** File name, official download address and published SHA-256 of the Windows runtime for one architecture. */
export const electronRuntime = (arch) => {
  if (!ARCHES.includes(arch)) throw new Error(`unknown architecture '${arch}' (use ${ARCHES.join(' or ')})`);
  const version = electronVersion();
  const file = `electron-v${version}-win32-${arch}.zip`;
  const checksums = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/checksums.json'), 'utf8'));
  const sha256 = checksums[file];
  if (!sha256) throw new Error(`node_modules/electron/checksums.json has no entry for ${file}`);
  return { version, arch, file, sha256, url: `https://github.com/electron/electron/releases/download/v${version}/${file}` };
};

/** Where the zip is looked for when --electron-zip is not given (SSPR_ELECTRON_DOWNLOADS moves the folder). */
export const defaultZipPath = (arch) => join(process.env.SSPR_ELECTRON_DOWNLOADS || join(ROOT, 'release', 'downloads'), electronRuntime(arch).file);

export const sha256File = (file) =>
  new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(file).on('error', reject).on('data', (chunk) => hash.update(chunk)).on('end', () => resolvePromise(hash.digest('hex')));
  });

export class PackageError extends Error {}

export const downloadInstructions = (arch) => {
  const r = electronRuntime(arch);
  return [
    `package: no Electron runtime zip for ${arch}.`,
    `  1. Download ${r.file}`,
    `     from ${r.url}`,
    `     (the official release; the address pattern is https://github.com/electron/electron/releases/download/v<version>/electron-v<version>-win32-<arch>.zip).`,
    `  2. Its SHA-256 must be ${r.sha256}`,
    `     (node_modules/electron/checksums.json); check with: sha256sum ${r.file}`,
    `  3. Put it at ${shownPath(defaultZipPath(arch))}`,
    `     or pass its path: npm run package -- --electron-zip <path to ${r.file}> --arch ${arch}`,
  ].join('\n');
};

/**
 * Refuses a zip whose SHA-256 differs from the one Electron published for this architecture. The checksum is
 * the only thing standing between a tampered download and a binary the logon screen starts, so it decides,
 * not the file name (a browser may have renamed the download).
 */
export const verifyElectronZip = async (zipPath, arch) => {
  const r = electronRuntime(arch);
  if (!existsSync(zipPath)) throw new PackageError(`package: ${zipPath} does not exist.\n${downloadInstructions(arch)}`);
  const actual = await sha256File(zipPath);
  if (actual === r.sha256) return r;
  const other = ARCHES.filter((a) => a !== arch).map(electronRuntime).find((o) => o.sha256 === actual);
  if (other) {
    throw new PackageError(`package: ${zipPath} is the ${other.arch} runtime (${other.file}), not ${arch}: pass --arch ${other.arch}, or download ${r.file}.`);
  }
  throw new PackageError(
    [
      `package: refusing ${zipPath}: its SHA-256 does not match the one Electron published for ${r.file}.`,
      `  expected ${r.sha256} (node_modules/electron/checksums.json)`,
      `  actual   ${actual}`,
      `  The download is damaged, another version, or not the official file. Download it again from ${r.url}`,
    ].join('\n'),
  );
};

/** Unzips the runtime into a fresh folder and checks it is the version we expect. */
export const unzipElectron = async (zipPath, destination, version = electronVersion()) => {
  const extract = require('extract-zip');
  rmSync(destination, { recursive: true, force: true });
  mkdirSync(destination, { recursive: true });
  await extract(resolve(zipPath), { dir: resolve(destination) });
  if (!existsSync(join(destination, 'electron.exe'))) throw new PackageError(`package: ${zipPath} holds no electron.exe`);
  const found = existsSync(join(destination, 'version')) ? readFileSync(join(destination, 'version'), 'utf8').trim() : '(no version file)';
  if (found !== version) throw new PackageError(`package: ${zipPath} is Electron ${found}, expected ${version}`);
  return destination;
};

const projectPackage = () => JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** The version resource strings SsprLogon.exe carries; the DLL's version.rc uses the same names. */
export const versionStrings = (pkg = projectPackage()) => ({
  CompanyName: pkg.productName,
  FileDescription: `${pkg.productName} overlay`,
  FileVersion: `${pkg.version}.0`,
  InternalName: 'SsprLogon',
  LegalCopyright: `${pkg.license} licence; third-party notices in THIRD-PARTY-NOTICES.txt`,
  OriginalFilename: 'SsprLogon.exe',
  ProductName: pkg.productName,
  ProductVersion: `${pkg.version}.0`,
});

const RT_VERSION = 16;
const EN_US = 1033;
const UNICODE_CODEPAGE = 1200;

/** Replaces the executable's version resource (Electron's own says "Electron") with ours. */
export const writeVersionResources = (exe, strings = versionStrings()) => {
  const ResEdit = require('resedit');
  // Resources come before signing: rewriting a signed file would silently void its signature, so
  // resedit's refusal of signed input is kept and explained.
  let executable;
  try {
    executable = ResEdit.NtExecutable.from(readFileSync(exe));
  } catch (error) {
    throw new PackageError(`package: cannot write version resources into ${exe} (${error.message}); they must be written before signing`);
  }
  const resources = ResEdit.NtExecutableResource.from(executable);
  resources.entries = resources.entries.filter((e) => e.type !== RT_VERSION);
  const info = ResEdit.Resource.VersionInfo.create({
    lang: EN_US,
    fixedInfo: {},
    strings: [{ lang: EN_US, codepage: UNICODE_CODEPAGE, values: strings }],
  });
  info.setFileVersion(strings.FileVersion, EN_US);
  info.setProductVersion(strings.ProductVersion, EN_US);
  info.outputToResourceEntries(resources.entries);
  resources.outputResource(executable);
  writeFileSync(exe, Buffer.from(executable.generate()));
};

/** Reads the version resource back: { fileVersion, productVersion, strings }. */
export const readVersionResources = (exe) => {
  const ResEdit = require('resedit');
  const executable = ResEdit.NtExecutable.from(readFileSync(exe), { ignoreCert: true });
  const resources = ResEdit.NtExecutableResource.from(executable);
  const [info] = ResEdit.Resource.VersionInfo.fromEntries(resources.entries);
  if (!info) return null;
  const f = info.fixedInfo;
  const dotted = (ms, ls) => [ms >>> 16, ms & 0xffff, ls >>> 16, ls & 0xffff].join('.');
  const [language] = info.getAllLanguagesForStringValues();
  return {
    fileVersion: dotted(f.fileVersionMS, f.fileVersionLS),
    productVersion: dotted(f.productVersionMS, f.productVersionLS),
    strings: language ? info.getStringValues(language) : {},
  };
};

/**
 * electron-builder with the unzipped runtime as electronDist; returns release/<arch>/win-unpacked.
 * electron-builder names the ia32 folder win-ia32-unpacked; it is renamed so both arches stage alike.
 */
export const runElectronBuilder = async ({ electronDir, arch, outDir }) => {
  const { build, Platform, Arch } = require('electron-builder');
  const output = resolve(outDir, arch);
  rmSync(output, { recursive: true, force: true });
  await build({
    projectDir: ROOT,
    targets: Platform.WINDOWS.createTarget('dir', Arch[arch]),
    config: {
      extends: join(ROOT, 'electron-builder.yml'),
      electronDist: resolve(electronDir),
      directories: { output },
    },
    publish: 'never',
  });
  const unpacked = join(output, 'win-unpacked');
  const ia32 = join(output, 'win-ia32-unpacked');
  if (arch === 'ia32' && existsSync(ia32)) renameSync(ia32, unpacked);
  if (!existsSync(join(unpacked, 'SsprLogon.exe'))) throw new PackageError(`package: electron-builder left no SsprLogon.exe in ${unpacked}`);
  return unpacked;
};

/**
 * Steps 2–6 on an already verified and unzipped runtime (the tests call this with a fixture runtime).
 * Returns the staged folder.
 */
export const packageRuntime = async ({ electronDir, arch, outDir = join(ROOT, 'release'), log = console.log, signing = signingConfig() }) => {
  const { verifyFuses } = require('../src/main/electron/packaging/fuses.cjs');
  log(`package: electron-builder (${arch}, electronDist ${relative(ROOT, resolve(electronDir))})`);
  const unpacked = await runElectronBuilder({ electronDir, arch, outDir });
  const exe = join(unpacked, 'SsprLogon.exe');
  const strings = versionStrings();
  writeVersionResources(exe, strings);
  const back = readVersionResources(exe);
  if (back?.fileVersion !== strings.FileVersion || back.strings.ProductVersion !== strings.ProductVersion) {
    throw new PackageError(`package: version resources of ${exe} read back as ${JSON.stringify(back)}, expected ${strings.FileVersion}`);
  }
  log(`package: version resources ${back.fileVersion} (${back.strings.ProductName})`);
  await verifyFuses(exe, 'release');
  log('package: fuses read back: RunAsNode, NODE_OPTIONS and --inspect off, app only from asar');
  const docs = await writeReleaseDocs({ arch, stagedDir: unpacked, sbomDir: dirname(unpacked), electronDir, runtime: electronRuntime(arch) });
  log(`package: SBOM ${relative(process.cwd(), docs.sbomFile)} (${docs.packages.length} bundled npm packages), THIRD-PARTY-NOTICES.txt staged`);
  if (signing) {
    await signFile(exe, signing);
    const v = verifyFile(exe, { caFile: signing.verify.caFile });
    log(`package: SsprLogon.exe signed, ${v.digests.join(' + nested ')}`);
  } else {
    log('package: SsprLogon.exe left unsigned (no certificate configured; see scripts/sign.mjs)');
  }
  return unpacked;
};

const parseArgs = (argv) => {
  const options = { zip: undefined, arch: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--electron-zip') options.zip = argv[++i];
    else if (a === '--arch') options.arch = argv[++i];
    else if (a === '-h' || a === '--help') options.help = true;
    else throw new PackageError(`package: unknown argument ${a}\nusage: npm run package -- --electron-zip <electron-v<version>-win32-<arch>.zip> [--arch x64|ia32]`);
  }
  if (options.zip === '' || (options.zip === undefined && argv.includes('--electron-zip'))) throw new PackageError('package: --electron-zip needs a path');
  return options;
};

const main = async () => {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 14).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
    return 0;
  }
  // The architecture follows the zip's name unless given.
  const fromName = options.zip?.match(/win32-(x64|ia32)\.zip$/)?.[1];
  const arch = options.arch ?? fromName ?? 'x64';
  if (!ARCHES.includes(arch)) throw new PackageError(`package: unknown --arch ${arch} (use x64 or ia32)`);
  const zip = options.zip ? resolve(options.zip) : defaultZipPath(arch);
  if (!options.zip && !existsSync(zip)) {
    console.error(downloadInstructions(arch));
    return 1;
  }
  const runtime = await verifyElectronZip(zip, arch);
  console.log(`package: ${runtime.file} matches the published SHA-256 ${runtime.sha256}`);
  const electronDir = await unzipElectron(zip, join(ROOT, 'build', 'electron', arch), runtime.version);
  console.log('package: bundling (scripts/build.mjs)');
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new PackageError('package: scripts/build.mjs failed');
  const unpacked = await packageRuntime({ electronDir, arch });
  console.log(`package: ${relative(ROOT, unpacked)} is ready; next: npm run build:msi -- ${relative(ROOT, unpacked)}`);
  return 0;
};

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof PackageError ? error.message : error);
      process.exit(1);
    },
  );
}
