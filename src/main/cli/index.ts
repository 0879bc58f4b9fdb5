/** Entry of dist/main/cli.cjs (`npm run cli -- doctor`). Runs on Node 16.17 and later. */
import { createWindowsRegistrySource } from '../core/registry';
import { runCli } from './run';

void runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  platform: process.platform,
  ...(process.platform === 'win32' ? { registry: createWindowsRegistrySource() } : {}),
  now: Date.now,
}).then((code) => {
  process.exitCode = code;
});
