// `npm run lint:electron`: Doyensec's Electronegativity over src/, as a gate. Every finding fails the run
// unless the line (or the file's first line) suppresses that check by name with an `eng-disable` comment,
// and every suppression is explained in docs/security.md ("Electronegativity"). A file it cannot parse
// fails the run too: an unscanned file is not a clean one.
//
// It runs offline: the one check that downloads Electron's release list (AVAILABLE_SECURITY_FIXES, which
// can only say "Electron 22 is old", a choice made on purpose for Windows 7) is left out, and the
// tool's attempt to fetch fresh translations falls back to its bundled English.
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ELECTRON_VERSION = require('electron/package.json').version;
/** Needs the network; see above and docs/security.md. */
const EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];

// The tool announces its translation fallback on stdout; keep the gate's output to what matters.
const log = console.log;
console.log = (...args) => {
  if (!String(args[0]).startsWith('Could not retrieve updated translations')) log(...args);
};
const run = require('@doyensec/electronegativity');
const input = join(root, 'src');
const { issues, errors } = await run({
  input,
  isRelative: true,
  customScan: [],
  excludeFromScan: EXCLUDED.map((c) => c.toLowerCase()),
  electronVersionOverride: ELECTRON_VERSION,
  parserPlugins: [],
});
console.log = log;

const unparsed = errors.filter((e) => !e.tolerable);
for (const e of unparsed) console.error(`electronegativity could not scan ${relative(root, e.file)}: ${e.message}`);
for (const i of issues) {
  console.error(`${i.id} ${join('src', i.file)}:${i.location.line}:${i.location.column} (${i.severity.name}, ${i.confidence.name})${i.manualReview ? ' review required' : ''} ${i.shortenedURL}`);
}
if (issues.length > 0 || unparsed.length > 0) {
  console.error(`\nelectronegativity: ${issues.length} finding(s), ${unparsed.length} unscanned file(s). Fix each, or suppress it by name on its line with an explained eng-disable comment (docs/security.md).`);
  process.exit(1);
}
console.log(`electronegativity: no findings in src/ (Electron ${ELECTRON_VERSION}; excluded: ${EXCLUDED.join(', ')})`);
