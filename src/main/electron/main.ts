/**
 * SsprLogon.exe's main-process entry (bundled to dist/main/electron.cjs, the only main bundle that ships).
 * It holds no development wiring: `--demo` needs the development entry, demo.ts.
 */
import { startOverlay } from './start';

startOverlay();
