// `npm start`: run the overlay in Electron when its runtime is installed; otherwise run the same core and
// renderer in the browser host (the Electron binary cannot be downloaded on this project's machines).
// Arguments after `npm start --` are passed on (e.g. --port=8080, --no-open, --scenario=unlock).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

/** The electron package exports the binary's path, and throws when its postinstall never fetched it. */
const electronBinary = () => {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
};

const run = (command, commandArgs) => {
  const child = spawn(command, commandArgs, { stdio: 'inherit', cwd: root });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
};

const electron = electronBinary();
// The development entry: the release bundle (dist/main/electron.cjs) has no emulator to run --demo against.
const electronMain = join(root, 'dist/main/demo.cjs');
if (electron && existsSync(electronMain)) {
  console.log('Starting the overlay in Electron (demo mode, embedded emulator).');
  run(electron, [electronMain, '--demo', ...args]);
} else {
  console.log('Electron runtime not installed (it cannot be downloaded here) — running the overlay in the browser host instead.');
  const host = join(root, 'dist/main/host.cjs');
  if (!existsSync(host)) {
    console.error(`Missing ${host}: run "npm run build" first.`);
    process.exit(1);
  }
  run(process.execPath, [host, '--reason=no-electron', ...args]);
}
