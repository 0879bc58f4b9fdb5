/**
 * The overlay and the shim agree on every exit code: compile the shim's own ClassifyEnd (src/shim/core,
 * plain C++) into a tiny native program, ask it how it reads each code 0–255, and compare that with
 * src/shared/exitCodes.ts. A code the overlay can return that the shim does not know would land in the
 * Event Log as "unexpected exit code" (151) and count towards self-disable; a code the shim knows that the
 * overlay no longer returns is dead policy.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/shared/exitCodes';

const run = promisify(execFile);
const core = resolve(__dirname, '../../src/shim/core');
const work = mkdtempSync(join(tmpdir(), 'sspr-exitcodes-'));

// Event ids from src/shim/core/event_ids.h (docs/event-ids.md).
const UNEXPECTED_EXIT_CODE = 151;
const CRASHED = 160;
/** Which Event Log entry each of the overlay's exit codes must produce. */
const EXPECTED_EVENT: Record<keyof typeof ExitCode, number> = {
  ResetDone: 110,
  Cancelled: 111,
  IdleTimeout: 112,
  SessionLimit: 113,
  NotEnabledOrRegistered: 120,
  ServiceUnreachable: 130,
  Throttled: 140,
  InternalError: 150,
};

const PROBE = `#include "policy.h"
#include <cstdio>
int main() {
  for (unsigned code = 0; code < 256; ++code)
    std::printf("%u %u\\n", code, static_cast<unsigned>(sspr::ClassifyEnd(sspr::EndKind::Exited, code).eventId));
}
`;

let shimReads: Map<number, number>;

beforeAll(async () => {
  writeFileSync(join(work, 'probe.cpp'), PROBE);
  await run('g++', ['-std=c++17', '-I', core, join(work, 'probe.cpp'), join(core, 'policy.cpp'), '-o', join(work, 'probe')]);
  const { stdout } = await run(join(work, 'probe'), []);
  shimReads = new Map(stdout.trim().split('\n').map((line) => line.split(' ').map(Number) as [number, number]));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the shim's exit-code switch and src/shared/exitCodes.ts", () => {
  it.each(Object.entries(ExitCode))('%s (%i) is read by the shim as its own event', (name, code) => {
    expect(shimReads.get(code)).toBe(EXPECTED_EVENT[name as keyof typeof ExitCode]);
  });

  it('every code the shim knows is one the overlay can return (the CRT abort code 3 aside, which is a crash)', () => {
    const known = [...shimReads].filter(([, event]) => event !== UNEXPECTED_EXIT_CODE && event !== CRASHED).map(([code]) => code);
    expect(known.sort((a, b) => a - b)).toEqual(Object.values(ExitCode).sort((a, b) => a - b));
    expect(shimReads.get(3)).toBe(CRASHED);
  });
});
