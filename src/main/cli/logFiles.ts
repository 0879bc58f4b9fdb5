/**
 * Finding and reading the log files of a data folder, with bounded memory. Files are read in 4 MiB
 * chunks into one reused buffer; when the caller knows a string every wanted line must contain (a user's hash, a correlation
 * id), the chunk is searched for it with Buffer.indexOf and only the lines around the hits are decoded
 * and parsed. That keeps `logs --user` on a gigabyte of records within a small multiple of `grep -c`,
 * which a line-by-line JSON parse of every record cannot.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { ACTIVE_LOG_NAME, LOG_FILE_PATTERN, SALT_FILE_NAME } from '../../shared/logFiles';

/** The contract's names (`sspr-logon.jsonl`, `sspr-logon.<UTC stamp>.jsonl`) and older installs' names. */
const LOG_FILE = LOG_FILE_PATTERN;
/** The active file of the contract: followed by `--follow`. */
export const ACTIVE_LOG_FILE = ACTIVE_LOG_NAME;
export const LOGS_SUBFOLDER = 'logs';
export const SALT_FILE = SALT_FILE_NAME;

const CHUNK_BYTES = 4 << 20;
/** A "line" longer than this is not a record of ours: it is skipped and counted as unreadable. */
export const MAX_LINE_BYTES = 4 << 20;
const NEWLINE = 0x0a;

/**
 * The log folder of a data folder: `<dir>/logs`. A folder that holds log files itself (someone pointed
 * at the logs folder, or copied only it) is taken as it is, so nothing is lost on a near-miss.
 */
export const logFolderOf = (dir: string): string => {
  const sub = join(dir, LOGS_SUBFOLDER);
  if (existsSync(sub)) return sub;
  try {
    if (readdirSync(dir).some((n) => LOG_FILE.test(n))) return dir;
  } catch {
    // Reported by listLogFiles.
  }
  return sub;
};

export interface LogFile {
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
}

/**
 * Every log file of the folder, oldest first (rotated files were last written before the active one).
 * names: the folder's listing, when the caller has read it already.
 */
export const listLogFiles = (folder: string, names: readonly string[] = readdirSync(folder)): LogFile[] =>
  names
    .filter((name) => LOG_FILE.test(name))
    .flatMap((name) => {
      const path = join(folder, name);
      try {
        const st = statSync(path);
        return st.isFile() ? [{ path, name, size: st.size, mtimeMs: st.mtimeMs }] : [];
      } catch {
        return [];
      }
    })
    .sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name === ACTIVE_LOG_FILE ? 1 : b.name === ACTIVE_LOG_FILE ? -1 : a.name.localeCompare(b.name)));

/** How far `listLogFilesBelow` looks: a few PCs' copied folders, not a whole disk. */
export interface WalkLimits {
  /** Folder levels below the starting folder (0: only the folder itself). */
  maxDepth: number;
  maxFiles: number;
}

/**
 * Every log file in a folder and the folders below it, folder by folder (each oldest first, sub-folders by
 * name): the log folders of several PCs copied side by side. Walks with readdirSync/statSync only, because
 * `readdirSync(…, { recursive })` does not exist on the Node 16.17 the CLI ships on.
 */
export const listLogFilesBelow = (folder: string, limits: WalkLimits): LogFile[] => {
  const found: LogFile[] = [];
  const visit = (dir: string, depth: number): void => {
    // One listing per folder, for its log files and its sub-folders alike.
    const names = readdirSync(dir).sort();
    const here = listLogFiles(dir, names);
    found.push(...here.slice(0, limits.maxFiles - found.length));
    if (depth >= limits.maxDepth) return;
    // Those are files, already looked at: no need to ask again whether they are folders.
    const files = new Set(here.map((f) => f.name));
    for (const name of names) {
      if (found.length >= limits.maxFiles) return;
      if (files.has(name)) continue;
      const path = join(dir, name);
      let isFolder = false;
      try {
        isFolder = statSync(path).isDirectory();
      } catch {
        // Gone or unreadable since the listing: nothing of it to read.
      }
      if (isFolder) visit(path, depth + 1);
    }
  };
  visit(folder, 0);
  return found;
};

export interface ScanOptions {
  /** Only lines containing at least one of these are decoded; all lines when absent. */
  needles?: readonly string[];
  /** Byte offset to start at (`--follow` resumes where it stopped). */
  start?: number;
  /** A last line without a newline is left for later (`--follow`: the writer may be mid-line). */
  holdPartialLine?: boolean;
  onLine(line: string): void;
  /** Bytes read so far in this file, after each chunk. */
  onBytes?(bytes: number): void;
  /** Awaited after each chunk: the place to wait for a slow stdout, so output never piles up in memory. */
  afterChunk?(): Promise<void> | void;
  /** A line too long to be a record. */
  onOversizedLine?(): void;
}

/** Reads one file; resolves with the offset just past the last complete line handled. */
export const scanFile = async (path: string, opts: ScanOptions): Promise<number> => {
  const needles = opts.needles?.filter((n) => n.length > 0).map((n) => Buffer.from(n, 'utf8'));
  const emit = (buf: Buffer, from: number, to: number): void => {
    if (to > from) opts.onLine(buf.toString('utf8', from, to));
  };
  /** The complete lines of buf[from, end], where buf[end] is a newline. */
  const handleLines = (buf: Buffer, from: number, end: number): void => {
    if (!needles || needles.length === 0) {
      for (let pos = from; pos <= end; ) {
        const nl = buf.indexOf(NEWLINE, pos);
        emit(buf, pos, nl);
        pos = nl + 1;
      }
      return;
    }
    const starts: number[] = [];
    for (const needle of needles) {
      let hit = buf.indexOf(needle, from);
      while (hit >= 0 && hit < end) {
        starts.push(hit === from ? from : Math.max(from, buf.lastIndexOf(NEWLINE, hit - 1) + 1));
        hit = buf.indexOf(needle, buf.indexOf(NEWLINE, hit) + 1);
      }
    }
    if (needles.length > 1) starts.sort((a, b) => a - b);
    let last = -1;
    for (const s of starts) {
      if (s === last) continue;
      last = s;
      emit(buf, s, buf.indexOf(NEWLINE, s));
    }
  };

  // One buffer, reused: a read fills it after the partial line left from the previous read.
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let filled = 0;
  let pos = opts.start ?? 0;
  let read = 0;
  let skipping = false;
  const fh = await open(path, 'r');
  try {
    for (;;) {
      if (filled === buf.length) {
        if (buf.length < MAX_LINE_BYTES) {
          const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, MAX_LINE_BYTES));
          buf.copy(bigger, 0, 0, filled);
          buf = bigger;
        } else {
          // Not a record of ours: drop it up to its newline.
          opts.onOversizedLine?.();
          skipping = true;
          filled = 0;
        }
      }
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      read += bytesRead;
      const size = filled + bytesRead;
      let from = 0;
      if (skipping) {
        const nl = buf.indexOf(NEWLINE, 0);
        if (nl < 0 || nl >= size) {
          filled = 0;
          continue;
        }
        skipping = false;
        from = nl + 1;
      }
      const view = buf.subarray(0, size);
      const lastNl = view.lastIndexOf(NEWLINE);
      const restStart = lastNl >= from ? lastNl + 1 : from;
      if (lastNl >= from) handleLines(view, from, lastNl);
      buf.copy(buf, 0, restStart, size);
      filled = size - restStart;
      opts.onBytes?.(read);
      await opts.afterChunk?.();
    }
  } finally {
    await fh.close();
  }
  if (filled > 0 && !skipping && !opts.holdPartialLine) {
    emit(buf, 0, filled);
    return pos;
  }
  return skipping ? pos : pos - filled;
};
