/** The CliIo of a real process: stdout/stderr, the Windows registry on Windows, Ctrl+C as the stop signal. */
import { once } from 'node:events';
import { createWindowsRegistrySource } from '../core/registry';
import type { CliIo } from './io';

export const processCliIo = (): CliIo => {
  const stop = new AbortController();
  // Ctrl+C ends `logs --follow` cleanly (exit 0) instead of killing it mid-line.
  process.once('SIGINT', () => stop.abort());
  // `logs ... | more` closed early: stop quietly rather than crash on EPIPE.
  process.stdout.on('error', () => process.exit(process.exitCode ?? 0));
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    platform: process.platform,
    ...(process.platform === 'win32' ? { registry: createWindowsRegistrySource() } : {}),
    now: Date.now,
    errIsTTY: process.stderr.isTTY === true,
    signal: stop.signal,
    drain: () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : Promise.resolve()),
  };
};
