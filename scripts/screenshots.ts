// `npm run screenshots`: a picture of every screen a person can see, in English and Arabic, into
// docs/screenshots/<lang>/<nn>-<screen>.png plus docs/screenshots/README.md (the index). The screens are one
// table (scripts/screenshots/screens.ts); the walk builds the renderer itself (scripts/screenshots/walk.ts).
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SCREENS, SCREENSHOT_LANGUAGES, type ScreenSpec, type ScreenshotLanguage } from './screenshots/screens';
import { walkScreens, writeIndex } from './screenshots/walk';

const root = resolve(__dirname, '..');
const codes = SCREENSHOT_LANGUAGES.map((l) => l.code);

const USAGE = `Usage: npm run screenshots -- [--out DIR] [--lang CODE]... [--screen ID]... [--help]

Takes a screenshot of every screen of the overlay (${SCREENS.length} screens) in real Chromium, against the demo emulator,
and writes <DIR>/<lang>/<nn>-<screen>.png and the index <DIR>/README.md.
  --out DIR     where to write (default: docs/screenshots)
  --lang CODE   only this language (${codes.join(' or ')}); repeatable. Default: all
  --screen ID   only this screen (e.g. error-redirect-required); repeatable. Default: all, and the
                language's folder is emptied first so no picture of a renamed screen is left
  --help, -h    show this text`;

const usageError = (message: string): never => {
  console.error(`screenshots: ${message}\n\n${USAGE}`);
  process.exit(2);
};

const readArgs = (): { outDir: string; languages: ScreenshotLanguage[]; screens?: ScreenSpec[] } => {
  let values: { out?: string; lang?: string[]; screen?: string[]; help?: boolean } = {};
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        out: { type: 'string' },
        lang: { type: 'string', multiple: true },
        screen: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    usageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.out !== undefined && values.out.trim() === '') usageError('--out needs a folder');
  const unknown = (values.lang ?? []).filter((l) => !(codes as readonly string[]).includes(l));
  if (unknown.length) usageError(`--lang ${unknown.join(', ')}: the pictures are taken in ${codes.join(' and ')}`);
  const unknownScreens = (values.screen ?? []).filter((id) => !SCREENS.some((spec) => spec.id === id));
  if (unknownScreens.length) usageError(`--screen ${unknownScreens.join(', ')}: no such screen; the screens are ${SCREENS.map((spec) => spec.id).join(', ')}`);
  return {
    outDir: resolve(process.cwd(), values.out ?? resolve(root, 'docs/screenshots')),
    languages: values.lang?.length ? (values.lang as ScreenshotLanguage[]) : [...codes],
    ...(values.screen?.length ? { screens: SCREENS.filter((spec) => values.screen!.includes(spec.id)) } : {}),
  };
};

const main = async () => {
  const { outDir, languages, screens } = readArgs();
  console.log(`Taking ${(screens ?? SCREENS).length} screen(s) × ${languages.length} language(s) in Chromium (building the renderer first)…`);
  const shots = await walkScreens({ outDir, languages, ...(screens ? { screens } : {}), onProgress: (line) => console.log(line) });
  const index = writeIndex(outDir);
  const failed = shots.filter((s) => s.error);
  const where = relative(process.cwd(), outDir) || '.';
  const kb = shots.reduce((sum, s) => sum + s.bytes, 0) / 1024;
  console.log(`\n${shots.length - failed.length} of ${shots.length} screenshots in ${where}/ (${kb.toFixed(0)} KB), index: ${relative(process.cwd(), index)}`);
  if (failed.length) {
    console.error(`${failed.length} screen(s) could not be taken:`);
    for (const s of failed) console.error(`  ${s.lang} ${s.id}: ${s.error}`);
    process.exit(1);
  }
};

main().catch((err: unknown) => {
  console.error(`screenshots: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
