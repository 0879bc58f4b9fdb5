/**
 * `npm run screenshots` in real Chromium against the demo emulator, for one language: every row of the screen
 * table gives a picture, taken only once the page showed that screen's heading, and no two pictures are the
 * same (a step that silently did nothing would repeat the screen before it). The command line refuses what it
 * does not know.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import UPNG from 'upng-js';
import { afterAll, describe, expect, it } from 'vitest';
import { SCREENS } from '../../scripts/screenshots/screens';
import { screenFile, VIEWPORT } from '../../scripts/screenshots/files';
import { catalogueText, walkScreens, writeIndex } from '../../scripts/screenshots/walk';

const root = resolve(__dirname, '../..');
const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'sspr-screenshots-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The decoded picture: its size, how many colours it has, and a hash of its pixels. */
const picture = (file: string) => {
  const image = UPNG.decode(new Uint8Array(readFileSync(file)).buffer);
  const rgba = new Uint32Array(UPNG.toRGBA8(image)[0]!);
  return { width: image.width, height: image.height, colours: new Set(rgba).size, pixels: createHash('sha256').update(rgba).digest('hex') };
};

describe('npm run screenshots', () => {
  it('takes every screen of the table in English, each one a picture of the page showing its heading', async () => {
    // A picture of a screen that no longer exists: a full walk of the language removes it.
    mkdirSync(join(out, 'en'), { recursive: true });
    writeFileSync(join(out, 'en', '99-gone.png'), 'old');
    const progress: string[] = [];

    const shots = await walkScreens({ outDir: out, languages: ['en'], onProgress: (line) => progress.push(line) });

    expect(shots.filter((s) => s.error).map((s) => `${s.id}: ${s.error}`)).toEqual([]);
    expect(shots.map((s) => s.file)).toEqual(SCREENS.map((spec) => screenFile('en', spec)));
    expect(progress[0]).toMatch(new RegExp(`^1/${SCREENS.length} en user-id \\(\\d+ KB\\)$`));
    expect(existsSync(join(out, 'en', '99-gone.png'))).toBe(false);

    const pixels = new Map<string, string>();
    for (const [i, spec] of SCREENS.entries()) {
      const shot = shots[i]!;
      expect(shot.heading, spec.id).toBe(catalogueText('en', spec.heading));
      const p = picture(join(out, shot.file));
      expect({ id: spec.id, width: p.width, height: p.height }).toEqual({ id: spec.id, ...VIEWPORT });
      // Text, focus rings and the card on the background: a blank or single-colour page has a handful.
      expect(p.colours, spec.id).toBeGreaterThan(32);
      expect(pixels.get(p.pixels), `${spec.id} looks exactly like an earlier screen`).toBeUndefined();
      pixels.set(p.pixels, spec.id);
    }
  }, 900_000);

  it('writes an index naming every picture of every language', () => {
    const index = readFileSync(writeIndex(out), 'utf8');
    for (const spec of SCREENS) {
      expect(index).toContain(`](${screenFile('en', spec)})`);
      expect(index).toContain(`](${screenFile('ar', spec)})`);
    }
  });

  it('explains itself with --help and refuses an unknown option or language', async () => {
    const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', join(root, 'scripts/screenshots.ts'), ...args], { cwd: root });
    const help = await cli('--help');
    expect(help.stdout).toContain('--out DIR');
    expect(help.stdout).toContain('--lang CODE');
    expect(help.stdout).toContain('--screen ID');
    await expect(cli('--outdir', out)).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--outdir'") });
    await expect(cli('--lang', 'fr')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--lang fr: the pictures are taken in en and ar') });
    await expect(cli('--screen', 'welcome')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--screen welcome: no such screen') });
  }, 60_000);
});
