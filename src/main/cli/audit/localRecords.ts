/**
 * This PC's own records of an attempt, from a data folder (`%ProgramData%\SsprLogon` or a copy of it):
 * `logs/sspr-logon*.jsonl` read line by line (older installs: `sspr-logon*.log`, `overlay*.jsonl`). A user is
 * found through the folder's salt (`logs/sspr-logon.salt`), as the records hold only the salted hash; the
 * user's attempts are then listed whole, by correlation id.
 */
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hashUserId } from '../../core/logging';

export const LOG_NAME = /^(?:sspr-logon.*\.jsonl|sspr-logon.*\.log|overlay.*\.jsonl)$/;
export const SALT_FILE = 'sspr-logon.salt';

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

async function eachRecord(dir: string, names: string[], visit: (r: LocalRecord) => void): Promise<number> {
  let unreadable = 0;
  for (const name of names) {
    const lines = createInterface({ input: createReadStream(join(dir, name), { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      try {
        const r = JSON.parse(line) as unknown;
        if (typeof r === 'object' && r !== null && typeof (r as LocalRecord).time === 'string') visit(r as LocalRecord);
        else unreadable += 1;
      } catch {
        unreadable += 1;
      }
    }
  }
  return unreadable;
}

export async function readLocalRecords(dataDir: string, q: { user?: string; correlationId?: string; since?: Date }): Promise<LocalResult> {
  const dir = join(dataDir, 'logs');
  const names = readdirSync(dir).filter((n) => LOG_NAME.test(n)).sort();
  const sinceMs = q.since?.getTime() ?? -Infinity;
  const inWindow = (r: LocalRecord) => Date.parse(r.time) >= sinceMs;
  const sameId = (r: LocalRecord, ids: Set<string>) => typeof r.correlationId === 'string' && ids.has(r.correlationId.toLowerCase());

  if (q.correlationId) {
    const ids = new Set([q.correlationId.toLowerCase()]);
    const records: LocalRecord[] = [];
    const unreadable = await eachRecord(dir, names, (r) => {
      if (sameId(r, ids) && inWindow(r)) records.push(r);
    });
    return { records, files: names.length, unreadable, noSalt: false };
  }

  let salt: string | undefined;
  try {
    salt = readFileSync(join(dir, SALT_FILE), 'utf8').trim() || undefined;
  } catch {
    salt = undefined;
  }
  const user = q.user!;
  const forms = new Set([user.trim().toLowerCase(), ...(salt ? [hashUserId(salt, user)] : [])]);
  // Pass 1: the user's attempts. Pass 2: every record of those attempts (most records carry no user field).
  const ids = new Set<string>();
  await eachRecord(dir, names, (r) => {
    if (typeof r.user === 'string' && forms.has(r.user.toLowerCase()) && typeof r.correlationId === 'string') ids.add(r.correlationId.toLowerCase());
  });
  const records: LocalRecord[] = [];
  const unreadable = await eachRecord(dir, names, (r) => {
    if (sameId(r, ids) && inWindow(r)) records.push(r);
  });
  return { records, files: names.length, unreadable, noSalt: salt === undefined };
}
