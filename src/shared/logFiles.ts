/**
 * The log-file contract, the same rules as the shim's src/shim/core/log_files.cpp (one fixture checks both,
 * test/shim/log-contract.test.ts):
 * - active file `sspr-logon.jsonl`; rotated files `sspr-logon.<UTC yyyyMMddTHHmmssZ>.jsonl`, named after the
 *   time they were closed, so names sort by time;
 * - `LogRetentionDays` deletes rotated files whose name time is older than that;
 * - `LogMaxSizeMB` caps the total of every `sspr-logon*.jsonl` file, deleting the oldest rotated files first
 *   (the active file counts as at least its rotation size, the room it may grow into);
 * - the active file is never deleted; files with other names are never touched.
 * On an install the shim owns the files; the TypeScript logger applies the same rules in the demo.
 */
export const ACTIVE_LOG_NAME = 'sspr-logon.jsonl';
export const SALT_FILE_NAME = 'sspr-logon.salt';
/**
 * Every file a reader should read: the contract's names, plus the names older installs wrote. Any letter case:
 * Windows file names are case-insensitive, and a copied folder may have been renamed.
 */
export const LOG_FILE_PATTERN = /^(?:sspr-logon.*\.jsonl|sspr-logon.*\.log|overlay.*\.jsonl)$/i;

const ROTATED = /^sspr-logon\.(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.jsonl$/;
const DAY_MS = 86_400_000;

export interface LogFileLimits {
  retentionDays: number;
  maxSizeMB: number;
}

export interface LogFileInfo {
  name: string;
  size: number;
}

export const logMaxTotalBytes = (limits: LogFileLimits): number => limits.maxSizeMB * 1024 * 1024;

/** The active file is rotated before a write would take it past a fifth of the total cap (at least 64 KiB). */
export const logRotateAtBytes = (limits: LogFileLimits): number => Math.max(Math.floor(logMaxTotalBytes(limits) / 5), 64 * 1024);

const two = (n: number): string => String(n).padStart(2, '0');

export const rotatedLogName = (timeMs: number): string => {
  const d = new Date(Math.floor(timeMs / 1000) * 1000);
  return `sspr-logon.${String(d.getUTCFullYear()).padStart(4, '0')}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}T${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z.jsonl`;
};

/** The time in a rotated file's name (ms), or undefined for any other name. */
export const rotatedLogTime = (name: string): number | undefined => {
  const m = ROTATED.exec(name);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s);
};

export const isOwnLogFile = (name: string): boolean => name === ACTIVE_LOG_NAME || rotatedLogTime(name) !== undefined;

/**
 * The name to rotate the active file to: the current second, or one second after the newest rotated file when
 * that is not earlier (two rotations in one second, a clock set back), so names stay unique and sort in the
 * order the files were written.
 */
export const nextRotatedLogName = (nowMs: number, existing: readonly string[]): string => {
  let t = Math.floor(nowMs / 1000) * 1000;
  for (const name of existing) {
    const time = rotatedLogTime(name);
    if (time !== undefined && time >= t) t = time + 1000;
  }
  return rotatedLogName(t);
};

/** Which rotated files to delete now, oldest first. */
export const planLogDeletions = (files: readonly LogFileInfo[], nowMs: number, limits: LogFileLimits): string[] => {
  // The active file counts with the room it may still grow into before the next rotation, so the total stays
  // under the cap between rotations too.
  let total = logRotateAtBytes(limits);
  const rotated: { name: string; time: number; size: number }[] = [];
  for (const f of files) {
    if (f.name === ACTIVE_LOG_NAME) total = Math.max(total, f.size);
    else {
      const time = rotatedLogTime(f.name);
      if (time !== undefined) rotated.push({ name: f.name, time, size: f.size });
    }
  }
  rotated.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const oldestKept = Math.floor(nowMs / 1000) * 1000 - limits.retentionDays * DAY_MS;
  const deletions: string[] = [];
  const kept = rotated.filter((r) => {
    if (r.time < oldestKept) {
      deletions.push(r.name);
      return false;
    }
    total += r.size;
    return true;
  });
  const cap = logMaxTotalBytes(limits);
  for (const r of kept) {
    if (total <= cap) break;
    deletions.push(r.name);
    total -= r.size;
  }
  return deletions;
};
