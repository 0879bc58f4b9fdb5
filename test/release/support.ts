/**
 * Fixtures for the release tests: a stand-in Electron runtime folder (and zip) whose electron.exe is a real,
 * tiny PE built with mingw-w64 that carries Electron 22's fuse wire as shipped (sentinel, wire version 1, six
 * fuses: cookie encryption off, everything else on). The packaging, fuse, resource and signing code then
 * runs on the same kind of bytes as with the real runtime, without the 100 MB download.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../..');
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `sspr-${prefix}-`));

const TOOLCHAINS = { x64: 'x86_64-w64-mingw32', ia32: 'i686-w64-mingw32' } as const;

// electron.exe ships with Electron's own version resource; the fixture carries one too, so the tests show ours
// replaces it.
const ELECTRON_VERSION_RC = `1 VERSIONINFO
FILEVERSION 22,3,27,0
PRODUCTVERSION 22,3,27,0
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904B0"
    BEGIN
      VALUE "CompanyName", "GitHub, Inc."
      VALUE "FileDescription", "Electron"
      VALUE "ProductName", "Electron"
      VALUE "FileVersion", "22.3.27"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
`;

/**
 * Builds a small Windows executable; `wire` is the fuse wire (six '0'/'1'), or null for none; `electronResources`
 * adds Electron's version resource.
 */
export const buildFixtureExe = (file: string, { arch = 'x64', wire = '101111' as string | null, electronResources = false } = {}) => {
  const dir = tempDir('pe');
  const toolchain = TOOLCHAINS[arch as keyof typeof TOOLCHAINS];
  const source = join(dir, 'fixture.c');
  const wireLiteral = wire === null ? '"no fuse wire here"' : `"${FUSE_SENTINEL}\\x01\\x06" "${wire}"`;
  writeFileSync(source, `__attribute__((used)) static const char fuse_wire[] = ${wireLiteral};\nint main(void) { return fuse_wire[0] == 0; }\n`);
  const inputs = [source];
  if (electronResources) {
    writeFileSync(join(dir, 'version.rc'), ELECTRON_VERSION_RC);
    execFileSync(`${toolchain}-windres`, [join(dir, 'version.rc'), '-O', 'coff', '-o', join(dir, 'version.o')]);
    inputs.push(join(dir, 'version.o'));
  }
  execFileSync(`${toolchain}-gcc`, ['-Os', '-s', '-o', file, ...inputs]);
  return file;
};

/** A folder shaped like an unzipped electron-v22.3.27-win32-<arch>.zip. */
export const buildFixtureRuntime = ({ arch = 'x64', wire = '101111' as string | null, version = '22.3.27' } = {}) => {
  const dir = tempDir('electron-dist');
  mkdirSync(join(dir, 'locales'));
  buildFixtureExe(join(dir, 'electron.exe'), { arch, wire, electronResources: true });
  writeFileSync(join(dir, 'version'), version);
  writeFileSync(join(dir, 'LICENSE'), 'Copyright (c) Electron contributors\nCopyright (c) 2013-2020 GitHub Inc.\n\nPermission is hereby granted (MIT fixture)\n');
  writeFileSync(
    join(dir, 'LICENSES.chromium.html'),
    '<!DOCTYPE html><html><body><div class="product"><span class="title">fixture-lib</span>' +
      '<div class="licence"><pre>Fixture licence text &amp; terms &lt;chromium&gt;</pre></div></div></body></html>',
  );
  writeFileSync(join(dir, 'locales', 'en-US.pak'), 'pak');
  return dir;
};

/** Zips a folder's contents with Debian's zip into `<into>/<name>`. */
export const zipFolder = (folder: string, into: string, name: string) => {
  const file = join(into, name);
  execFileSync('zip', ['-q', '-r', file, '.'], { cwd: folder });
  return file;
};

/** The six fuse bytes after the sentinel. */
export const fuseWireOf = (bytes: Buffer) => {
  const at = bytes.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length + 2;
  return bytes.subarray(at, at + 6).toString();
};
