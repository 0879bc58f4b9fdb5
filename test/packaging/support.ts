/**
 * Fixtures for the release tests: a stand-in Electron runtime folder (and zip) whose electron.exe is a real,
 * tiny PE built with mingw-w64 that carries Electron 22's fuse wire as shipped (sentinel, wire version 1, six
 * fuses: cookie encryption off, everything else on). The packaging, fuse, resource and signing code then
 * runs on the same kind of bytes as with the real runtime, without the 100 MB download.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

/**
 * A throwaway PKI made at test time with openssl: a CA, a code-signing certificate in a password-protected
 * PFX, and a timestamping certificate for osslsigncode's built-in (offline) TSA. Nothing here is ever trusted
 * outside the test's temp folder.
 */
export const makeThrowawayPki = () => {
  const dir = tempDir('pki');
  const p = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  writeFileSync(
    p('ext.cnf'),
    [
      '[signer]',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=codeSigning',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
      '[tsa]',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=critical,timeStamping',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
      '',
    ].join('\n'),
  );
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '2', '-subj', '/CN=SSPR Logon throwaway test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  for (const [name, cn, ext] of [['signer', 'SSPR Logon test publisher', 'signer'], ['tsa', 'SSPR Logon throwaway TSA', 'tsa']] as const) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', `/CN=${cn}`);
    openssl('x509', '-req', '-in', p(`${name}.csr`), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p(`${name}.pem`), '-days', '2',
      '-extfile', p('ext.cnf'), '-extensions', ext);
  }
  writeFileSync(p('tsa-chain.pem'), Buffer.concat([readFileSync(p('tsa.pem')), readFileSync(p('ca.pem'))]));
  const password = 'pfx-Passw0rd-never-logged';
  openssl('pkcs12', '-export', '-out', p('signer.pfx'), '-inkey', p('signer.key'), '-in', p('signer.pem'), '-certfile', p('ca.pem'), '-passout', `pass:${password}`);
  return {
    dir,
    caFile: p('ca.pem'),
    password,
    env: {
      SSPR_SIGN_PFX: p('signer.pfx'),
      SSPR_SIGN_PFX_PASSWORD: password,
      SSPR_SIGN_TSA_CERTS: p('tsa-chain.pem'),
      SSPR_SIGN_TSA_KEY: p('tsa.key'),
      SSPR_SIGN_CAFILE: p('ca.pem'),
    },
  };
};

/** A minimal per-machine MSI built with wixl around one file. */
export const buildFixtureMsi = (file: string, payload: string) => {
  const dir = tempDir('msi');
  writeFileSync(
    join(dir, 'fixture.wxs'),
    `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="SSPR Logon fixture" Language="1033" Version="0.1.0" Manufacturer="SSPR Logon" UpgradeCode="{7D3B9A52-1C4E-4F0B-9E7A-2B6C8D1E0F31}">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine" />
    <Media Id="1" Cabinet="payload.cab" EmbedCab="yes" />
    <Directory Id="TARGETDIR" Name="SourceDir"><Directory Id="ProgramFilesFolder"><Directory Id="INSTALLDIR" Name="SsprLogonFixture">
      <Component Id="Payload" Guid="{5A0C2E7D-8B14-4C3A-9F62-1D7E4B8A3C90}"><File Id="Payload" Name="SsprLogon.exe" Source="SsprLogon.exe" KeyPath="yes" /></Component>
    </Directory></Directory></Directory>
    <Feature Id="Main" Level="1"><ComponentRef Id="Payload" /></Feature>
  </Product>
</Wix>
`,
  );
  copyFileSync(payload, join(dir, 'SsprLogon.exe'));
  execFileSync('wixl', ['-o', file, 'fixture.wxs'], { cwd: dir, stdio: 'pipe' });
  return file;
};

/**
 * A SoftHSM2 token (a software PKCS#11 module) in a temp folder holding the throwaway signer's private key,
 * as a hardware token or HSM would hold the real one. Returns the environment npm run sign reads.
 */
export const makeSoftHsmToken = (pki: ReturnType<typeof makeThrowawayPki>) => {
  const dir = tempDir('softhsm');
  mkdirSync(join(dir, 'tokens'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const module = '/usr/lib/softhsm/libsofthsm2.so';
  const pin = '246810';
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', 'sspr-release', '--pin', pin, '--so-pin', '97531'], { env, stdio: 'pipe' });
  execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', join(pki.dir, 'signer.key'), '-outform', 'DER', '-out', join(dir, 'signer.p8')], { stdio: 'pipe' });
  execFileSync('pkcs11-tool', ['--module', module, '--token-label', 'sspr-release', '--login', '--pin', pin, '--write-object', join(dir, 'signer.p8'),
    '--type', 'privkey', '--id', '01', '--label', 'sspr-signer'], { env, stdio: 'pipe' });
  writeFileSync(join(dir, 'chain.pem'), Buffer.concat([readFileSync(join(pki.dir, 'signer.pem')), readFileSync(pki.caFile)]));
  return {
    pin,
    env: {
      SOFTHSM2_CONF: conf,
      SSPR_SIGN_PKCS11_MODULE: module,
      SSPR_SIGN_PKCS11_KEY: 'pkcs11:token=sspr-release;object=sspr-signer;type=private',
      SSPR_SIGN_PKCS11_CERT: join(dir, 'chain.pem'),
      SSPR_SIGN_PKCS11_PIN: pin,
      SSPR_SIGN_TSA_CERTS: pki.env.SSPR_SIGN_TSA_CERTS,
      SSPR_SIGN_TSA_KEY: pki.env.SSPR_SIGN_TSA_KEY,
      SSPR_SIGN_CAFILE: pki.caFile,
    },
  };
};
