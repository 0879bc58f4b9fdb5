/**
 * `logs`: the helpdesk's view of the overlay's JSON-lines logs — "what happened when Alice tried at 9:14?".
 * Streams every log file of a data folder (oldest first) with bounded memory, keeps the records that pass
 * the filters and prints them as they are found.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { parseLogLine, type LogRecord } from '../../shared/logRecord';
import { defaultDataDir, parseCommand, type CliIo } from './io';
import { ACTIVE_LOG_FILE, listLogFiles, logFolderOf, scanFile, type LogFile } from './logFiles';
import { buildFilter, matches, needlesFor, type RecordFilter } from './logFilter';
import { csvHeader, csvRow, FORMATS, jsonRow, tableHeader, tableRow, type Format } from './logFormat';

export const LOGS_USAGE = `logs [--data-dir <folder>] [filters] [--format table|json|csv] [--follow] [--progress]
    Prints the records of <folder>\\logs (default on Windows: %ProgramData%\\SsprLogon), oldest first.
    --data-dir, --dir <folder>   the data folder, or a copy of it (\\\\PC\\C$\\ProgramData\\SsprLogon)
    --since, --until <ISO time>  time window, e.g. 2026-11-25T09:00:00Z
    --level debug|info|warn|error  minimum level
    --event <prefix>             e.g. flow.step
    --correlation-id <id>        the id on the user's error screen
    --user <user id>             matched through the folder's salt (logs\\sspr-logon.salt)
    --format table|json|csv      default table; csv is safe to open in a spreadsheet
    --follow                     keep printing new records until Ctrl+C
    --progress                   show progress on stderr (on by default when stderr is a console)`;

const PROGRESS_EVERY_BYTES = 64 * 1024 * 1024;
const FOLLOW_POLL_MS = 500;

const spec = {
  'data-dir': { type: 'string' },
  dir: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  level: { type: 'string' },
  event: { type: 'string' },
  'correlation-id': { type: 'string' },
  user: { type: 'string' },
  format: { type: 'string' },
  follow: { type: 'boolean' },
  progress: { type: 'boolean' },
} as const;

interface Counts {
  printed: number;
  unreadable: number;
}

export const runLogs = async (args: readonly string[], io: CliIo): Promise<number> => {
  const parsed = parseCommand('logs', LOGS_USAGE, spec, args, io);
  if (!parsed.ok) return parsed.exitCode;
  const o = parsed.values;
  const dataDir = o['data-dir'] ?? o.dir ?? defaultDataDir(io);
  if (!dataDir) {
    io.err('logs: --data-dir <folder> is needed (the copied or shared SsprLogon data folder)');
    io.err(LOGS_USAGE);
    return 2;
  }
  const format = (o.format ?? 'table') as Format;
  if (!FORMATS.includes(format)) {
    io.err(`logs: --format is one of ${FORMATS.join(', ')}`);
    return 2;
  }
  const folder = logFolderOf(dataDir);
  const built = buildFilter({ since: o.since, until: o.until, level: o.level, event: o.event, correlationId: o['correlation-id'], user: o.user }, folder);
  if ('problem' in built) {
    io.err(`logs: ${built.problem}`);
    return 2;
  }
  const filter = built.filter;

  let files: LogFile[];
  try {
    files = listLogFiles(folder);
  } catch (err) {
    io.err(`logs: cannot read ${folder}: ${(err as { code?: string }).code ?? String(err)}`);
    return 1;
  }

  if (files.length === 0 && !o.follow) {
    io.err(`logs: no log files (sspr-logon*.jsonl) in ${folder}`);
    return 1;
  }
  const counts: Counts = { printed: 0, unreadable: 0 };
  if (format === 'table') io.out(tableHeader());
  if (format === 'csv') io.out(csvHeader());
  const print = (r: LogRecord): void => {
    counts.printed += 1;
    io.out(format === 'json' ? jsonRow(r) : format === 'csv' ? csvRow(r) : tableRow(r));
  };
  const onLine = (line: string): void => {
    if (line.trim() === '') return;
    const record = parseLogLine(line);
    if (!record) counts.unreadable += 1;
    else if (matches(record, filter)) print(record);
  };

  const showProgress = o.progress ?? io.errIsTTY ?? false;
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  let doneBytes = 0;
  let nextReport = PROGRESS_EVERY_BYTES;
  const needles = needlesFor(filter);
  const offsets = new Map<string, number>();
  for (const file of files) {
    if (showProgress) io.err(`logs: reading ${file.name} (${mb(file.size)} of ${mb(totalBytes)} MB)`);
    try {
      const end = await scanFile(file.path, {
        ...(needles ? { needles } : {}),
        holdPartialLine: o.follow ?? false,
        onLine,
        onOversizedLine: () => (counts.unreadable += 1),
        ...(io.drain ? { afterChunk: io.drain } : {}),
        onBytes: (bytes) => {
          if (showProgress && doneBytes + bytes >= nextReport) {
            io.err(`logs: ${mb(doneBytes + bytes)} of ${mb(totalBytes)} MB read, ${counts.printed} record(s) so far`);
            nextReport = doneBytes + bytes + PROGRESS_EVERY_BYTES;
          }
        },
      });
      offsets.set(file.path, end);
    } catch (err) {
      io.err(`logs: cannot read ${file.name}: ${(err as { code?: string }).code ?? String(err)}`);
    }
    doneBytes += file.size;
  }
  io.err(summary(counts, files.length, needles !== undefined));

  if (o.follow) await follow(folder, files, offsets, { needles, onLine, filter, io });
  return 0;
};

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);

const summary = (c: Counts, files: number, prefiltered: boolean): string =>
  `${c.printed} record(s) from ${files} file(s)` +
  (c.unreadable > 0 ? `; ${c.unreadable} unreadable line(s) skipped${prefiltered ? ' (among the lines that could match)' : ''}` : '');

/**
 * `--follow`: polls the active file (the contract's sspr-logon.jsonl, else the newest) and prints what is
 * appended. When it shrinks or is replaced (rotation), it is read again from its start.
 */
const follow = async (
  folder: string,
  files: LogFile[],
  offsets: Map<string, number>,
  ctx: { needles: string[] | undefined; onLine: (line: string) => void; filter: RecordFilter; io: CliIo },
): Promise<void> => {
  const { io } = ctx;
  io.err('logs: following new records; Ctrl+C to stop');
  const activeName = (): string | undefined => {
    try {
      const now = listLogFiles(folder);
      return now.find((f) => f.name === ACTIVE_LOG_FILE)?.name ?? now[now.length - 1]?.name;
    } catch {
      return undefined;
    }
  };
  let name = files.find((f) => f.name === ACTIVE_LOG_FILE)?.name ?? files[files.length - 1]?.name;
  let ino = name ? statSync(join(folder, name), { throwIfNoEntry: false })?.ino : undefined;
  while (!io.signal?.aborted) {
    await sleep(FOLLOW_POLL_MS, undefined, io.signal ? { signal: io.signal } : undefined).catch(() => undefined);
    if (io.signal?.aborted) break;
    const current = activeName();
    if (!current) continue;
    const path = join(folder, current);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) continue;
    let offset = offsets.get(path) ?? 0;
    if (current !== name || st.ino !== ino || st.size < offset) offset = 0; // rotated or truncated
    name = current;
    ino = st.ino;
    if (st.size === offset) continue;
    const end = await scanFile(path, { ...(ctx.needles ? { needles: ctx.needles } : {}), start: offset, holdPartialLine: true, onLine: ctx.onLine }).catch(() => offset);
    offsets.set(path, end);
  }
};
