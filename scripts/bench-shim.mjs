#!/usr/bin/env node
// Prints the size figures of the credential-provider shim: what LogonUI loads (SsprLogonCP.dll) and what
// it imports. Builds build/shim first when the DLL is missing. Usage: node scripts/bench-shim.mjs [--json]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build/shim');
const dll = join(out, 'SsprLogonCP.dll');

if (!existsSync(dll)) execFileSync('bash', [join(root, 'scripts/build-shim.sh')], { stdio: 'inherit' });

const imports = execFileSync('x86_64-w64-mingw32-objdump', ['-p', dll], { encoding: 'utf8' })
  .split('\n')
  .map((l) => /DLL Name: (\S+)/.exec(l)?.[1])
  .filter(Boolean)
  .map((n) => n.toLowerCase())
  .sort();

const dll86 = join(out, 'x86/SsprLogonCP.dll');
const figures = {
  dllBytes: statSync(dll).size,
  dll86Bytes: existsSync(dll86) ? statSync(dll86).size : null,
  dllGzipBytes: gzipSync(readFileSync(dll), { level: 9 }).length,
  dllImports: imports,
  standInBytes: existsSync(join(out, 'SsprLogon.exe')) ? statSync(join(out, 'SsprLogon.exe')).size : null,
  harnessBytes: existsSync(join(out, 'cp-harness.exe')) ? statSync(join(out, 'cp-harness.exe')).size : null,
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(figures));
} else {
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const budget = 200 * 1024;
  const verdict = figures.dllBytes <= budget ? 'within' : 'OVER';
  console.log(`shim: SsprLogonCP.dll ${figures.dllBytes} bytes (${kib(figures.dllBytes)}; gzip -9 ${kib(figures.dllGzipBytes)}) — ${verdict} the 200 KiB budget`);
  if (figures.dll86Bytes !== null) console.log(`shim: x86/SsprLogonCP.dll ${figures.dll86Bytes} bytes (${kib(figures.dll86Bytes)})`);
  console.log(`shim: imports ${figures.dllImports.join(', ')}`);
  if (figures.standInBytes !== null) console.log(`shim: stand-in SsprLogon.exe ${kib(figures.standInBytes)} (CI only, not shipped)`);
  if (figures.harnessBytes !== null) console.log(`shim: cp-harness.exe ${kib(figures.harnessBytes)} (tests only, not shipped)`);
}
