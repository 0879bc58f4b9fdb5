// The overlay's exit codes (src/shared/exitCodes.ts) and the shim's exit-code switch (ClassifyEnd in
// src/shim/core/policy.cpp) must name the same codes: a code only one side knows would end up on the tile as
// "unexpected exit code" and count toward self-disable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { ExitCode } from '../../src/shared/exitCodes';
import { ROOT } from './support';

const policy = readFileSync(join(ROOT, 'src/shim/core/policy.cpp'), 'utf8');

/** The `case N:` labels of the exit-code switch inside ClassifyEnd's helper. */
const shimCodes = (): number[] => {
  const start = policy.indexOf('switch (exitCode)');
  expect(start).toBeGreaterThan(0);
  const body = policy.slice(start, policy.indexOf('default:', start));
  return [...body.matchAll(/case (\d+):/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
};

describe('exit codes', () => {
  it('the shim classifies exactly the codes the overlay can exit with', () => {
    const overlay = Object.values(ExitCode).sort((a, b) => a - b);
    expect(shimCodes()).toEqual(overlay);
  });

  it('the session-limit code is the same number on both sides', () => {
    const constant = /kExitSessionLimit = (\d+);/.exec(readFileSync(join(ROOT, 'src/shim/core/policy.h'), 'utf8'));
    expect(Number(constant?.[1])).toBe(ExitCode.SessionLimit);
  });
});
