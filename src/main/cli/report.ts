/**
 * `report`: one self-contained HTML page of the attempts in a data folder's logs for a time range — a
 * timeline, how the attempts ended and which error codes users saw. Reads the logs as a stream, like `logs`.
 */
import { writeFileSync } from 'node:fs';
import { parseLogLine } from '../../shared/logRecord';
import { defaultDataDir, parseCommand, type CliIo } from './io';
import { listLogFiles, logFolderOf, scanFile } from './logFiles';
import { buildFilter, matches, needlesFor } from './logFilter';
import { renderReport } from './reportHtml';
import { createReportCollector } from './reportModel';

export const REPORT_USAGE = `report [--data-dir <folder>] [--since <ISO time>] [--until <ISO time>] [--user <user id>] [--out <file.html>]
    One HTML file (no script, nothing loaded from the network) with a timeline of the attempts, how they
    ended and the error codes users saw. Written to --out, or to stdout (report ... > report.html).
    --data-dir, --dir <folder>   the data folder, or a copy of it (default on Windows: %ProgramData%\\SsprLogon)
    --since, --until <ISO time>  the range, e.g. --since 2026-11-25T00:00:00Z
    --user <user id>             one user's attempts (through the folder's salt)`;

export const runReport = async (args: readonly string[], io: CliIo): Promise<number> => {
  const parsed = parseCommand(
    'report',
    REPORT_USAGE,
    { 'data-dir': { type: 'string' }, dir: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, user: { type: 'string' }, out: { type: 'string' } },
    args,
    io,
  );
  if (!parsed.ok) return parsed.exitCode;
  const o = parsed.values;
  const dataDir = o['data-dir'] ?? o.dir ?? defaultDataDir(io);
  if (!dataDir) {
    io.err('report: --data-dir <folder> is needed (the copied or shared SsprLogon data folder)');
    return 2;
  }
  const folder = logFolderOf(dataDir);
  const built = buildFilter({ since: o.since, until: o.until, user: o.user }, folder);
  if ('problem' in built) {
    io.err(`report: ${built.problem}`);
    return 2;
  }
  let files;
  try {
    files = listLogFiles(folder);
  } catch (err) {
    io.err(`report: cannot read ${folder}: ${(err as { code?: string }).code ?? String(err)}`);
    return 1;
  }
  const collector = createReportCollector();
  let unreadable = 0;
  const needles = needlesFor(built.filter);
  for (const file of files) {
    await scanFile(file.path, {
      ...(needles ? { needles } : {}),
      onLine: (line) => {
        if (line.trim() === '') return;
        const r = parseLogLine(line);
        if (!r) unreadable += 1;
        else if (matches(r, built.filter)) collector.add(r);
      },
      onOversizedLine: () => (unreadable += 1),
    });
  }
  const model = collector.finish();
  const range = `${o.since ?? model.from ?? '—'} to ${o.until ?? model.to ?? '—'}`;
  const html = renderReport(model, {
    title: 'SSPR Logon — password reset attempts',
    range,
    source: `${dataDir}${o.user ? ` (one user)` : ''}`,
    generated: new Date(io.now()).toISOString(),
  });
  if (o.out) {
    writeFileSync(o.out, html, 'utf8');
    io.err(`report: ${o.out} written`);
  } else io.out(html);
  const total = model.ends.succeeded + model.ends.failed + model.ends.unfinished;
  io.err(`report: ${total} attempt(s) from ${model.records} record(s) in ${files.length} file(s)${unreadable ? `; ${unreadable} unreadable line(s) skipped` : ''}`);
  return 0;
};
