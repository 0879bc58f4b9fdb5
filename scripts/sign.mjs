#!/usr/bin/env node
// npm run sign -- [--require] <file>...   Authenticode-signs PE files (SsprLogon.exe, SsprLogonCP.dll) and MSIs
// in place with osslsigncode, then verifies them.
//
// Each file gets two signatures: SHA-1 first (the primary one, which Windows 7 without the SHA-2 update
// KB4474419 can verify), then a nested SHA-256 one (what current Windows prefers). Order of a release:
// fuses -> version resources (npm run package) -> sign -> payload hashes -> MSI (npm run build:msi) -> sign the MSI.
// An Electron executable whose fuses are not the release profile is refused: signing would bless it.
//
// The certificate comes from the environment; without one nothing is signed (exit 0, said on stderr) unless
// --require is given (exit 1), which a release build should always pass.
//   SSPR_SIGN_PFX, SSPR_SIGN_PFX_PASSWORD   a PKCS#12 file and its password
//   SSPR_SIGN_PKCS11_MODULE                 or a PKCS#11 module (a token or HSM; osslsigncode drives it
//                                           through OpenSSL's pkcs11 engine, Debian libengine-pkcs11-openssl), with
//     SSPR_SIGN_PKCS11_KEY                  the key's PKCS#11 id or URI,
//     SSPR_SIGN_PKCS11_CERT                 the signer's certificate chain (PEM file), and
//     SSPR_SIGN_PKCS11_PIN                  the token's PIN (optional)
//   SSPR_SIGN_TIMESTAMP_URL                 optional RFC 3161 timestamp server (one URL)
//   SSPR_SIGN_TSA_CERTS, SSPR_SIGN_TSA_KEY  tests only: osslsigncode's built-in TSA, offline
//   SSPR_SIGN_CAFILE                        CA bundle for the verification (default: the system's)
// Secrets never reach a command line (they would show in the process list): osslsigncode reads them on stdin.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const DESCRIPTION = 'SSPR Logon';

export class SignError extends Error {}

/** The signing configuration from the environment, or null when none is set. */
export const signingConfig = (env = process.env) => {
  const timestamp = { url: env.SSPR_SIGN_TIMESTAMP_URL || null, tsaCerts: env.SSPR_SIGN_TSA_CERTS || null, tsaKey: env.SSPR_SIGN_TSA_KEY || null };
  if (Boolean(timestamp.tsaCerts) !== Boolean(timestamp.tsaKey)) throw new SignError('sign: SSPR_SIGN_TSA_CERTS and SSPR_SIGN_TSA_KEY go together');
  const verify = { caFile: env.SSPR_SIGN_CAFILE || null };
  if (env.SSPR_SIGN_PFX && env.SSPR_SIGN_PKCS11_MODULE) throw new SignError('sign: set either SSPR_SIGN_PFX or SSPR_SIGN_PKCS11_MODULE, not both');
  if (env.SSPR_SIGN_PFX) {
    if (!existsSync(env.SSPR_SIGN_PFX)) throw new SignError(`sign: SSPR_SIGN_PFX ${env.SSPR_SIGN_PFX} does not exist`);
    if (env.SSPR_SIGN_PFX_PASSWORD === undefined) throw new SignError('sign: SSPR_SIGN_PFX is set but SSPR_SIGN_PFX_PASSWORD is not (use an empty value for a PFX without one)');
    return { kind: 'pfx', credential: ['-pkcs12', env.SSPR_SIGN_PFX], secret: env.SSPR_SIGN_PFX_PASSWORD, timestamp, verify };
  }
  if (env.SSPR_SIGN_PKCS11_MODULE) {
    for (const name of ['SSPR_SIGN_PKCS11_KEY', 'SSPR_SIGN_PKCS11_CERT']) {
      if (!env[name]) throw new SignError(`sign: SSPR_SIGN_PKCS11_MODULE is set but ${name} is not`);
    }
    return {
      kind: 'pkcs11',
      credential: ['-pkcs11module', env.SSPR_SIGN_PKCS11_MODULE, '-certs', env.SSPR_SIGN_PKCS11_CERT, '-key', env.SSPR_SIGN_PKCS11_KEY],
      secret: env.SSPR_SIGN_PKCS11_PIN ?? null,
      timestamp,
      verify,
    };
  }
  return null;
};

const run = (args, input) => {
  const result = spawnSync('osslsigncode', args, { encoding: 'utf8', input: input ?? undefined });
  if (result.error) {
    throw new SignError(result.error.code === 'ENOENT' ? 'sign: osslsigncode is not installed (npm run setup installs it)' : `sign: ${result.error.message}`);
  }
  return result;
};

const timestampArgs = ({ url, tsaCerts, tsaKey }) => {
  if (tsaCerts) return ['-TSA-certs', tsaCerts, '-TSA-key', tsaKey];
  return url ? ['-ts', url] : [];
};

const isMsi = (file) => /\.msi$/i.test(file);

/** True when the file carries Electron's fuse wire (SsprLogon.exe, not the DLL). */
const hasFuseWire = (file) => {
  const fd = openSync(file, 'r');
  try {
    const sentinel = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX');
    const chunk = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    for (let read; (read = readSync(fd, chunk, 0, chunk.length, null)) > 0; ) {
      const window = Buffer.concat([carry, chunk.subarray(0, read)]);
      if (window.includes(sentinel)) return true;
      carry = window.subarray(Math.max(0, window.length - sentinel.length));
    }
    return false;
  } finally {
    closeSync(fd);
  }
};

/** Signs one file in place: SHA-1, then nested SHA-256. The file is only replaced once both succeeded. */
export const signFile = async (file, config) => {
  if (!existsSync(file)) throw new SignError(`sign: ${file} does not exist`);
  if (!isMsi(file) && hasFuseWire(file)) {
    const { verifyFuses } = require('../src/main/electron/packaging/fuses.cjs');
    try {
      await verifyFuses(file, 'release');
    } catch (error) {
      throw new SignError(`sign: refusing to sign ${file}: ${error.message}. Flip the fuses (npm run package) before signing.`);
    }
  }
  const passArgs = config.secret === null ? [] : ['-readpass', '-'];
  const sha1 = join(dirname(file), `.${basename(file)}.sha1.tmp`);
  const both = join(dirname(file), `.${basename(file)}.signed.tmp`);
  try {
    for (const [hash, input, output, extra] of [
      ['sha1', file, sha1, []],
      ['sha256', sha1, both, ['-nest']],
    ]) {
      const args = ['sign', ...config.credential, ...passArgs, '-h', hash, ...extra, '-n', DESCRIPTION, ...timestampArgs(config.timestamp)];
      // No -add-msi-dse for MSIs: with MsiDigitalSignatureEx a nested signature of another digest would void the
      // first one (osslsigncode refuses), and Windows 7 needs the SHA-1 one.
      const r = run([...args, '-in', input, '-out', output], config.secret);
      if (r.status !== 0) throw new SignError(`sign: osslsigncode could not sign ${file} (${hash}):\n${(r.stderr || r.stdout).trim()}`);
    }
    renameSync(both, file);
  } finally {
    rmSync(sha1, { force: true });
    rmSync(both, { force: true });
  }
};

/**
 * osslsigncode verify: both signatures valid, SHA-1 primary and SHA-256 nested. CRL distribution points are
 * not fetched (the build machines are offline); Windows checks revocation on its own (test plan).
 */
export const verifyFile = (file, { caFile = null, tsaCaFile = caFile } = {}) => {
  const args = ['verify', '-ignore-cdp'];
  if (caFile) args.push('-CAfile', caFile);
  if (tsaCaFile) args.push('-TSA-CAfile', tsaCaFile);
  const r = run([...args, '-in', file]);
  const out = `${r.stdout}\n${r.stderr}`;
  const digests = [...out.matchAll(/^Message digest algorithm\s+: (\S+)/gm)].map((m) => m[1]);
  const count = Number(out.match(/Number of verified signatures: (\d+)/)?.[1] ?? 0);
  const timestamped = (out.match(/Timestamp Server Signature verification: ok/g) ?? []).length;
  if (r.status !== 0 || count !== 2 || digests.join(',') !== 'SHA1,SHA256') {
    throw new SignError(`sign: ${file} does not verify as SHA-1 + nested SHA-256 (digests ${digests.join(', ') || 'none'}, ${count} verified):\n${out.trim()}`);
  }
  return { digests, verified: count, timestamped };
};

const main = async () => {
  const args = process.argv.slice(2);
  const require_ = args.includes('--require');
  const files = args.filter((a) => a !== '--require');
  if (files.length === 0 || args.includes('--help') || args.includes('-h')) {
    console.error('usage: npm run sign -- [--require] <SsprLogon.exe | SsprLogonCP.dll | SsprLogon-<arch>.msi>...');
    return 2;
  }
  const config = signingConfig();
  if (!config) {
    const message = 'sign: no certificate configured (SSPR_SIGN_PFX or SSPR_SIGN_PKCS11_MODULE; see scripts/sign.mjs)';
    if (require_) {
      console.error(`${message}: refusing to leave a release unsigned`);
      return 1;
    }
    console.error(`${message}; left unsigned: ${files.join(', ')}`);
    return 0;
  }
  for (const file of files.map((f) => resolve(f))) {
    await signFile(file, config);
    const v = verifyFile(file, { caFile: config.verify.caFile });
    console.log(`sign: ${file}: ${v.digests.join(' + nested ')} (${config.kind}${v.timestamped ? ', timestamped' : ''}), verified`);
  }
  return 0;
};

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof SignError ? error.message : error);
      process.exit(1);
    },
  );
}
