/**
 * Nothing for development ships: the release main bundle (src/main/electron/main.ts, bundled with the same
 * esbuild options as scripts/build.mjs) holds no emulator module, no node-forge and no demo user, while the
 * development entry (demo.ts) holds all three, which shows the checks would see them if they leaked.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainBundleOptions } from '../../../scripts/bundle-options.mjs';
import { DEMO_CLIENT_ID, DEMO_USERS } from '../../../src/emulator';

const root = resolve(__dirname, '../../..');
const out = mkdtempSync(join(tmpdir(), 'sspr-release-bundle-'));

interface Bundle {
  inputs: string[];
  text: string;
}

const bundle = async (entry: string, name: string): Promise<Bundle> => {
  const outfile = join(out, name);
  const result = await build({ ...mainBundleOptions(join(root, entry), outfile), metafile: true, absWorkingDir: root });
  return { inputs: Object.keys((result.metafile as Metafile).inputs), text: readFileSync(outfile, 'utf8') };
};

let release: Bundle;
let demo: Bundle;

beforeAll(async () => {
  [release, demo] = await Promise.all([bundle('src/main/electron/main.ts', 'electron.cjs'), bundle('src/main/electron/demo.ts', 'demo.cjs')]);
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

const leaks = (b: Bundle) => ({
  emulatorModules: b.inputs.filter((i) => i.startsWith('src/emulator/')),
  forge: b.inputs.filter((i) => i.includes('node_modules/node-forge/')),
  demoUsers: DEMO_USERS.map((u) => u.username).filter((name) => b.text.includes(name)),
  demoClientId: b.text.includes(DEMO_CLIENT_ID),
});

describe('the release main bundle (dist/main/electron.cjs)', () => {
  it('holds no emulator module, no node-forge and no demo user name', () => {
    expect(leaks(release)).toEqual({ emulatorModules: [], forge: [], demoUsers: [], demoClientId: false });
  });

  it('still carries the overlay itself', () => {
    expect(release.inputs).toEqual(expect.arrayContaining(['src/main/electron/overlay.ts', 'src/main/core/index.ts']));
  });

  it('the development entry (dist/main/demo.cjs) is where the emulator, node-forge and the demo users live', () => {
    const found = leaks(demo);
    expect(found.emulatorModules).toEqual(expect.arrayContaining(['src/emulator/index.ts', 'src/emulator/certs.ts']));
    expect(found.forge.length).toBeGreaterThan(0);
    expect(found.demoUsers).toEqual(DEMO_USERS.map((u) => u.username));
    expect(found.demoClientId).toBe(true);
  });
});
