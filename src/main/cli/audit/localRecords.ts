/**
 * This PC's own records of an attempt, from a data folder (`%ProgramData%\SsprLogon` or a copy of it):
 * its log files read with the `logs` command's own reader (logFiles.ts), bounded in memory. A user is
 * found through the folder's salt (`logs/sspr-logon.salt`), as the records hold only the salted hash; the
 * user's attempts are then listed whole, by correlation id.
 */
import { hashUserId } from '../../core/logging';
import { listLogFiles, logFolderOf, scanFile, type LogFile } from '../logFiles';
import { readSalt } from '../logFilter';

export interface LocalRecord {
  time: string;
  level?: string;
  event?: string;
  correlationId?: string;
  step?: string;
  outcome?: string;
  errorCode?: string;
  engine?: string;
  [field: string]: unknown;
}

export interface LocalResult {
  records: LocalRecord[];
  files: number;
  unreadable: number;
  /** Set when --user was asked but the folder has no salt: only clear-text (verbose) records can match. */
  noSalt: boolean;
}

/** More ids than this are found by parsing every line rather than by one search pass per id. */
const MAX_NEEDLES = 16;

/** Reads the files with the `logs` command's reader; only lines holding one of the needles are parsed. */
async function eachRecord(files: LogFile[], needles: string[] | undefined, visit: (r: LocalRecord) => void): Promise<number> {
  let unreadable = 0;
  const onLine = (line: string): void => {
    if (line.trim() === '') return;
    try {
      const r = JSON.parse(line) as unknown;
      if (typeof r === 'object' && r !== null && typeof (r as LocalRecord).time === 'string') visit(r as LocalRecord);
      else unreadable += 1;
    } catch {
      unreadable += 1;
    }
  };
  const search = needles && needles.length <= MAX_NEEDLES ? needles : undefined;
  for (const file of files) {
    await scanFile(file.path, { ...(search ? { needles: search } : {}), onLine, onOversizedLine: () => (unreadable += 1) });
  }
  return unreadable;
}

export async function readLocalRecords(dataDir: string, q: { user?: string; correlationId?: string; since?: Date }): Promise<LocalResult> {
  const dir = logFolderOf(dataDir);
  const files = listLogFiles(dir);
  const sinceMs = q.since?.getTime() ?? -Infinity;
  const inWindow = (r: LocalRecord) => Date.parse(r.time) >= sinceMs;
  const sameId = (r: LocalRecord, ids: Set<string>) => typeof r.correlationId === 'string' && ids.has(r.correlationId.toLowerCase());

  if (q.correlationId) {
    const ids = new Set([q.correlationId.toLowerCase()]);
    const records: LocalRecord[] = [];
    const unreadable = await eachRecord(files, [q.correlationId, q.correlationId.toLowerCase()], (r) => {
      if (sameId(r, ids) && inWindow(r)) records.push(r);
    });
    return { records, files: files.length, unreadable, noSalt: false };
  }

  const salt = readSalt(dir);
  const user = q.user!;
  const forms = new Set([user.trim().toLowerCase(), ...(salt ? [hashUserId(salt, user)] : [])]);
  // Pass 1: the user's attempts. Pass 2: every record of those attempts (most records carry no user field).
  const ids = new Set<string>();
  await eachRecord(files, [...new Set([...forms, user.trim()])], (r) => {
    if (typeof r.user === 'string' && forms.has(r.user.toLowerCase()) && typeof r.correlationId === 'string') ids.add(r.correlationId.toLowerCase());
  });
  const records: LocalRecord[] = [];
  const unreadable = await eachRecord(files, [...ids], (r) => {
    if (sameId(r, ids) && inWindow(r)) records.push(r);
  });
  return { records, files: files.length, unreadable, noSalt: salt === undefined };
}
