/** Shared set-up for the helpdesk command-line tests: scratch folders, and an io that records what a command printed. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { CliIo } from '../../../src/main/cli/io';

/** A maker of scratch folders named `<prefix>…`, all removed after the calling file's (or describe's) tests. */
export const scratchFolders = (prefix: string): (() => string) => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
};

/** An io for runCli that keeps every line printed to stdout and stderr; `extra` replaces any part of it. */
export const captureIo = (extra: Partial<CliIo> = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, platform: 'linux', now: Date.now, ...extra };
  return { io, out, err };
};
