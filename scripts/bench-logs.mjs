#!/usr/bin/env node
// `logs --user X` against `grep -c <X's hash>` on the same files: ~1 GB of records in the real schema
// (src/shared/logRecord.ts) in the contract's file names, with the folder's salt. Prints the time ratio
// (budget <= 3x) and the command's peak RSS (budget <= 256 MB). Prints figures; asserts nothing.
// Needs dist/main/cli.cjs (npm run build). Smaller run: SSPR_BENCH_LOGS_MB=100 node scripts/bench-logs.mjs
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/main/cli.cjs');
if (!existsSync(cli)) {
  console.error('bench-logs: dist/main/cli.cjs is missing; run npm run build first');
  process.exit(1);
}
const totalMb = Math.max(1, Number(process.env.SSPR_BENCH_LOGS_MB ?? 1024) || 1024);
const FILE_MB = 100;
const RUNS = 3;

// Same hash as hashUserId in src/main/core/logging.ts.
const salt = createHash('sha256').update('bench-salt').digest('hex');
const hash = (user) => `h:${createHash('sha256').update(`${salt}\n${user.trim().toLowerCase()}`, 'utf8').digest('hex').slice(0, 16)}`;
const WANTED = 'alice@contoso.com';
const wantedHash = hash(WANTED);
const others = Array.from({ length: 5000 }, (_, i) => hash(`user${i}@contoso.com`));

const tmp = mkdtempSync(join(tmpdir(), 'sspr-bench-logs-'));
const logs = join(tmp, 'logs');
mkdirSync(logs);
writeFileSync(join(logs, 'sspr-logon.salt'), salt);

// One attempt: the step records the overlay writes, with service fields as in a real run.
const STEPS = [
  ['info', 'start', 'ok', undefined],
  ['info', 'challenge', 'ok', undefined],
  ['warn', 'continue', 'invalid_oob_value', 'code_incorrect'],
  ['info', 'continue', 'ok', undefined],
  ['info', 'submit', 'succeeded', undefined],
];
const ENDPOINTS = { start: 'start', challenge: 'challenge', continue: 'continue', submit: 'submit' };
let t = Date.parse('2026-01-01T00:00:00Z');
let attempts = 0;
let wantedRecords = 0;
const attemptLines = () => {
  attempts += 1;
  const user = attempts % 1000 === 0 ? wantedHash : others[attempts % others.length];
  const correlationId = randomUUID();
  const scenario = attempts % 3 === 0 ? 'unlock' : 'logon';
  let out = '';
  for (const [level, step, outcome, errorCode] of STEPS) {
    t += 1500;
    if (user === wantedHash) wantedRecords += 1;
    out += `${JSON.stringify({
      time: new Date(t).toISOString(), level, event: 'flow.step', correlationId, scenario, engine: 'native', step, outcome,
      ...(errorCode ? { errorCode } : {}), attemptMs: 1500, user, endpoint: ENDPOINTS[step], httpStatus: errorCode ? 400 : 200,
      requestId: randomUUID(), durationMs: 180 + (attempts % 50),
    })}\n`;
  }
  return out;
};

const genStart = process.hrtime.bigint();
const files = [];
let written = 0;
const target = totalMb * 1024 * 1024;
for (let n = 0; written < target; n++) {
  const stamp = new Date(Date.parse('2026-01-01T00:00:00Z') + n * 3600_000).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const last = written + FILE_MB * 1024 * 1024 >= target;
  const name = last ? 'sspr-logon.jsonl' : `sspr-logon.${stamp}.jsonl`;
  const fd = openSync(join(logs, name), 'w');
  let fileBytes = 0;
  const fileTarget = Math.min(FILE_MB * 1024 * 1024, target - written);
  while (fileBytes < fileTarget) {
    let chunk = '';
    while (chunk.length < 1 << 20) chunk += attemptLines();
    fileBytes += writeSync(fd, chunk);
  }
  closeSync(fd);
  written += fileBytes;
  files.push(join(logs, name));
}
const genMs = Number(process.hrtime.bigint() - genStart) / 1e6;

const timed = (cmd, args) => {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { maxBuffer: 1 << 30, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The command's own peak resident memory, written by a preload when it exits.
const probe = join(tmp, 'rss-probe.cjs');
const rssFile = join(tmp, 'rss.txt');
writeFileSync(probe, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`);

// Warm the page cache once so both tools read from memory (grep exits 1: nothing matches).
spawnSync('grep', ['-c', '-F', 'warm-up-never-found', ...files]);
const grepRuns = [];
let grepCount = 0;
for (let i = 0; i < RUNS; i++) {
  const start = process.hrtime.bigint();
  const r = spawnSync('grep', ['-c', '-F', wantedHash, ...files], { encoding: 'utf8' });
  grepRuns.push(Number(process.hrtime.bigint() - start) / 1e6);
  grepCount = r.stdout.split('\n').filter(Boolean).reduce((n, l) => n + Number(l.split(':').pop()), 0);
}
const logsRuns = [];
let peakKb = 0;
let printed = 0;
for (let i = 0; i < RUNS; i++) {
  const r = timed(process.execPath, ['--require', probe, cli, 'logs', '--data-dir', tmp, '--user', WANTED, '--format', 'json']);
  logsRuns.push(r.ms);
  printed = r.stdout.split('\n').filter(Boolean).length;
  peakKb = Math.max(peakKb, Number(readFileSync(rssFile, 'utf8')));
}
rmSync(tmp, { recursive: true, force: true });

const grepMs = median(grepRuns);
const logsMs = median(logsRuns);
const ratio = logsMs / grepMs;
const peakMb = peakKb / 1024;
console.log(`logs benchmark: ${(written / 1024 / 1024).toFixed(0)} MB in ${files.length} file(s), ${attempts * STEPS.length} records (generated in ${(genMs / 1000).toFixed(1)} s)`);
console.log(`  grep -c <hash>        ${grepMs.toFixed(0)} ms (median of ${RUNS}), ${grepCount} line(s)`);
console.log(`  logs --user <upn>     ${logsMs.toFixed(0)} ms (median of ${RUNS}), ${printed} record(s) printed (expected ${wantedRecords}), Node ${process.version}`);
console.log(`  ratio                 ${ratio.toFixed(2)}x   (budget <= 3x: ${ratio <= 3 ? 'within' : 'OVER'})`);
console.log(`  peak RSS of logs      ${peakMb.toFixed(0)} MB (budget <= 256 MB: ${peakMb <= 256 ? 'within' : 'OVER'})`);
if (printed !== wantedRecords || grepCount !== wantedRecords) console.log('  WARNING: the counts disagree; the figures above do not compare like with like');
