/**
 * Where each picture goes and the index page that lists them: shared by the walk, which writes them, and the
 * repository test, which checks that the committed pictures and docs/screenshots/README.md match the table.
 */
import { SCREENS, SCREENSHOT_LANGUAGES, type ScreenSpec } from './screens';

/** One sensible size: the common 4:3 logon screen, at 100 % (small files, sharp text). */
export const VIEWPORT = { width: 1024, height: 768 } as const;

/** `<lang>/<nn>-<id>.png`, numbered by the row's place in SCREENS. */
export const screenFile = (lang: string, spec: ScreenSpec): string => {
  const index = SCREENS.indexOf(spec);
  if (index < 0) throw new Error(`screen ${spec.id} is not a row of SCREENS`);
  return `${lang}/${String(index + 1).padStart(2, '0')}-${spec.id}.png`;
};

/** docs/screenshots/README.md: every row of the table, the languages side by side. */
export const indexMarkdown = (): string => {
  const header = ['#', 'Screen', ...SCREENSHOT_LANGUAGES.map((l) => l.name)];
  const rows = SCREENS.map((spec, i) => {
    const pictures = SCREENSHOT_LANGUAGES.map((l) => `![${spec.caption} (${l.name})](${screenFile(l.code, spec)})`);
    return `| ${String(i + 1).padStart(2, '0')} | ${spec.caption.replace(/\|/g, '\\|')} | ${pictures.join(' | ')} |`;
  });
  const languages = SCREENSHOT_LANGUAGES.map((l) => `${l.name} (${l.dir === 'rtl' ? 'right to left' : 'left to right'})`).join(' and ');
  return [
    '# Screenshots',
    '',
    `Every screen of the overlay's native flow and of the portal engine's chrome, in ${languages}, at`,
    `${VIEWPORT.width}×${VIEWPORT.height}. They are taken in Chromium from the browser host running against the demo emulator, so the`,
    'header carries the "Demo" badge and the footer the demo note. The portal engine\'s screens show our chrome',
    "for the state main reports about the locked portal view (that view is Electron's own and is not pictured).",
    '`npm run screenshots` takes them all again and rewrites this page; the screens, and how each one is reached,',
    'are one table: `scripts/screenshots/screens.ts`.',
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows,
    '',
  ].join('\n');
};
