/**
 * SsprLogon.exe's main-process entry (bundled to dist/main/electron.cjs, the only main bundle that ships).
 * It holds no development wiring: `--demo` needs the development entry, demo.ts.
 * `SsprLogon.exe --helpdesk <command>` runs a helpdesk command instead, before any window exists.
 */
import { processCliIo } from '../cli/processIo';
import { helpdeskRequest, runHelpdesk } from './helpdesk';
import { startOverlay } from './start';

// `electron dist/main/electron.cjs ...` (development) puts the script path before our arguments.
const helpdesk = helpdeskRequest(process.argv, (process as { defaultApp?: boolean }).defaultApp ? 2 : 1);

if (helpdesk.kind !== 'none') void runHelpdesk(helpdesk, processCliIo());
else startOverlay();
