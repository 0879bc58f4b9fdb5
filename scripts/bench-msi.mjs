#!/usr/bin/env node
// MSI figures: package size without the Electron runtime (the CI stand-in payload from build/shim), and silent
// install and uninstall times under wine msiexec in a fresh prefix. Prints figures; asserts nothing.
// Usage: node scripts/bench-msi.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 3) : 3;

const tmp = mkdtempSync(join(tmpdir(), 'sspr-bench-msi-'));
const msi = join(tmp, 'SsprLogon.msi');
const env = { ...process.env, WINEPREFIX: join(tmp, 'prefix'), WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
delete env.DISPLAY;
delete env.WAYLAND_DISPLAY;

// Output goes nowhere rather than to a pipe: services started by the first wine command keep pipes open.
const sh = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: opts.inherit ? 'inherit' : 'ignore', timeout: 600_000 });
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return r.status;
};
const timed = (fn) => {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

try {
  const buildMs = timed(() => sh('bash', ['scripts/build-msi.sh', '--out', msi], { inherit: true }));
  const dll = statSync(join(root, 'build/shim/SsprLogonCP.dll')).size;
  const exe = statSync(join(root, 'build/shim/SsprLogon.exe')).size;
  const size = statSync(msi).size;

  const bootMs = timed(() => {
    sh('wineboot', ['--init']);
    sh('wineserver', ['-w']);
  });
  sh('wineserver', ['-p']);
  // The first msiexec in a prefix also starts wine's services; time it apart from the steady state.
  const firstInstallMs = timed(() => sh('wine', ['msiexec', '/i', msi, '/qn', 'ENGINE=native', 'LINKTEXT=Forgot password?']));
  sh('wine', ['msiexec', '/x', msi, '/qn']);
  const install = [];
  const uninstall = [];
  for (let i = 0; i < runs; i++) {
    install.push(timed(() => sh('wine', ['msiexec', '/i', msi, '/qn', 'ENGINE=native', 'LINKTEXT=Forgot password?'])));
    uninstall.push(timed(() => sh('wine', ['msiexec', '/x', msi, '/qn'])));
  }
  sh('wineserver', ['-k'], { allowFail: true });

  const rows = [
    ['MSI size (stand-in overlay, no Electron runtime)', kb(size)],
    ['  of which SsprLogonCP.dll / stand-in SsprLogon.exe (uncompressed)', `${kb(dll)} / ${kb(exe)}`],
    ['MSI build (harvest + wixl + patches)', `${buildMs.toFixed(0)} ms`],
    ['wine prefix boot (not part of an install)', `${bootMs.toFixed(0)} ms`],
    ['first silent install in a fresh prefix', `${firstInstallMs.toFixed(0)} ms`],
    [`silent install, median of ${runs}`, `${median(install).toFixed(0)} ms`],
    [`silent uninstall, median of ${runs}`, `${median(uninstall).toFixed(0)} ms`],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log('\nbench-msi (wine msiexec; Windows timings differ)');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
} finally {
  spawnSync('wineserver', ['-k'], { env, stdio: 'ignore' });
  rmSync(tmp, { recursive: true, force: true });
}
