// One file-name pattern and one rotation/retention rule set for the shim (which owns the log files on an
// install) and the TypeScript logger (which writes the same files in the demo): the same fixture is run
// through the shim's C++ rules (natively, build/shim/native/log-plan) and through src/shared/logFiles.ts
// and src/main/core/config.ts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/main/core/config';
import { isOwnLogFile, logRotateAtBytes, nextRotatedLogName, planLogDeletions } from '../../src/shared/logFiles';
import { ensureShimBuilt, run, SHIM_OUT } from './support';

interface Fixture {
  plans: { title: string; now: string; retentionDays: number; maxSizeMB: number; files: [string, number][]; delete: string[] }[];
  rotations: { now: string; existing: string[]; name: string }[];
  limits: { maxSizeMB: number; rotateAtBytes: number }[];
  configJson: { text: string; retentionDays: number; maxSizeMB: number }[];
  names: { name: string; own: boolean }[];
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures/log-contract.json'), 'utf8')) as Fixture;
const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
const inRange = (value: number, min: number, max: number, fallback: number): number => (value >= min && value <= max ? value : fallback);

/** Runs the C++ rules over a script of log-plan commands and returns its output lines. */
const native = async (script: string[]): Promise<string[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'sspr-log-plan-'));
  const input = join(dir, 'in.txt');
  writeFileSync(input, script.join('\n') + '\n');
  const r = await run('bash', ['-c', `"${join(SHIM_OUT, 'native/log-plan')}" < "${input}"`]);
  rmSync(dir, { recursive: true, force: true });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
};

let work: string;
beforeAll(async () => {
  await ensureShimBuilt();
  work = mkdtempSync(join(tmpdir(), 'sspr-log-contract-'));
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('log files: the shim and the TypeScript logger follow one contract', () => {
  it.each(fixture.plans)('deletes the same files: $title', async (plan) => {
    const limits = { retentionDays: inRange(plan.retentionDays, 1, 365, 14), maxSizeMB: inRange(plan.maxSizeMB, 1, 1024, 20) };
    const ts = planLogDeletions(plan.files.map(([name, size]) => ({ name, size })), Date.parse(plan.now), limits);
    const cpp = await native([
      `settings ${plan.retentionDays} ${plan.maxSizeMB}`,
      `now ${seconds(plan.now)}`,
      ...plan.files.map(([name, size]) => `file ${name} ${size}`),
      'plan',
    ]);
    expect(ts).toEqual(plan.delete);
    expect(cpp).toEqual([...plan.delete.map((n) => `delete ${n}`), 'end']);
  });

  it.each(fixture.rotations)('names a rotated file the same way ($name)', async (rotation) => {
    expect(nextRotatedLogName(Date.parse(rotation.now), rotation.existing)).toBe(rotation.name);
    const cpp = await native(['settings - -', `now ${seconds(rotation.now)}`, ...rotation.existing.map((n) => `file ${n} 1`), 'rotate']);
    expect(cpp).toEqual([`rotated ${rotation.name}`]);
  });

  it.each(fixture.limits)('rotates the active file at the same size for LogMaxSizeMB=$maxSizeMB', async (limit) => {
    expect(logRotateAtBytes({ retentionDays: 14, maxSizeMB: limit.maxSizeMB })).toBe(limit.rotateAtBytes);
    expect(await native([`settings - ${limit.maxSizeMB}`, 'limits'])).toEqual([`limits 14 ${limit.maxSizeMB} ${limit.rotateAtBytes}`]);
  });

  it.each(fixture.configJson.map((c, i) => ({ ...c, i })))('reads LogRetentionDays and LogMaxSizeMB from config.json the same way (#$i)', async (c) => {
    const dir = join(work, `config-${c.i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), c.text);
    const { config } = await loadConfig({ dataDir: dir });
    expect([config.LogRetentionDays, config.LogMaxSizeMB]).toEqual([c.retentionDays, c.maxSizeMB]);
    const hex = Buffer.from(c.text, 'utf8').toString('hex');
    const cpp = await native(['settings - -', `json LogRetentionDays ${hex}`, `json LogMaxSizeMB ${hex}`, 'limits']);
    expect(cpp[0]?.split(' ').slice(1, 3)).toEqual([String(c.retentionDays), String(c.maxSizeMB)]);
  });

  it('agrees on which names are its own files', async () => {
    const cpp = await native(fixture.names.map((n) => `name ${n.name}`));
    expect(cpp).toEqual(fixture.names.map((n) => `own ${n.own ? 1 : 0}`));
    expect(fixture.names.map((n) => isOwnLogFile(n.name))).toEqual(fixture.names.map((n) => n.own));
  });
});
