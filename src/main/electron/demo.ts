/**
 * The development entry (bundled to dist/main/demo.cjs, never packaged): the overlay with the emulator
 * embedded for `--demo`. Kept apart from main.ts so the release bundle carries no emulator, no
 * node-forge and no demo user; the build test checks dist/main/electron.cjs for all three.
 */
import { startEmulator } from '../../emulator';
import { startOverlay } from './start';

startOverlay({ startDemoService: () => startEmulator({}) });
