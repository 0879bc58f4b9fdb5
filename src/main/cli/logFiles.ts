/**
 * Finding and reading the log files of a data folder, with bounded memory. Files are read in 1 MiB
 * chunks; when the caller knows a string every wanted line must contain (a user's hash, a correlation
 * id), the chunk is searched for it with Buffer.indexOf and only the lines around the hits are decoded
 * and parsed. That keeps `logs --user` on a gigabyte of records within a small multiple of `grep -c`,
 * which a line-by-line JSON parse of every record cannot.
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The contract's names (`sspr-logon.jsonl`, `sspr-logon.<UTC stamp>.jsonl`) and older installs' names. */
const LOG_FILE = /^(sspr-logon.*\.(jsonl|log)|overlay.*\.jsonl)$/i;
/** The active file of the contract: followed by `--follow`. */
export const ACTIVE_LOG_FILE = 'sspr-logon.jsonl';
export const LOGS_SUBFOLDER = 'logs';
export const SALT_FILE = 'sspr-logon.salt';

const CHUNK_BYTES = 1 << 20;
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

/** Every log file of the folder, oldest first (rotated files were last written before the active one). */
export const listLogFiles = (folder: string): LogFile[] =>
  readdirSync(folder)
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
  const start = opts.start ?? 0;
  let carry: Buffer = Buffer.alloc(0);
  let carryStart = start; // file offset of carry[0]
  let skippingOversized = false;
  let read = 0;

  const emitRange = (buf: Buffer, from: number, to: number): void => {
    if (to > from) opts.onLine(buf.toString('utf8', from, to));
  };
  const handleLines = (buf: Buffer, end: number): void => {
    // Lines in buf[0, end): every line ends with '\n' at or before end.
    if (!needles || needles.length === 0) {
      let pos = 0;
      while (pos < end) {
        const nl = buf.indexOf(NEWLINE, pos);
        const lineEnd = nl < 0 || nl > end ? end : nl;
        emitRange(buf, pos, lineEnd);
        pos = lineEnd + 1;
      }
      return;
    }
    const starts: number[] = [];
    for (const needle of needles) {
      let hit = buf.indexOf(needle, 0);
      while (hit >= 0 && hit < end) {
        const lineStart = hit === 0 ? 0 : buf.lastIndexOf(NEWLINE, hit - 1) + 1;
        starts.push(lineStart);
        const nl = buf.indexOf(NEWLINE, hit);
        if (nl < 0) break;
        hit = buf.indexOf(needle, nl + 1);
      }
    }
    if (needles.length > 1) starts.sort((a, b) => a - b);
    let last = -1;
    for (const s of starts) {
      if (s === last) continue;
      last = s;
      const nl = buf.indexOf(NEWLINE, s);
      emitRange(buf, s, nl < 0 || nl > end ? end : nl);
    }
  };

  const stream = createReadStream(path, { start, highWaterMark: CHUNK_BYTES });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    read += chunk.length;
    let buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let bufStart = carryStart;
    if (skippingOversized) {
      const nl = buf.indexOf(NEWLINE);
      if (nl < 0) {
        carry = Buffer.alloc(0);
        carryStart = bufStart + buf.length;
        opts.onBytes?.(read);
        continue;
      }
      skippingOversized = false;
      buf = buf.subarray(nl + 1);
      bufStart += nl + 1;
    }
    const lastNl = buf.lastIndexOf(NEWLINE);
    if (lastNl >= 0) handleLines(buf, lastNl);
    const rest = buf.subarray(lastNl + 1);
    if (rest.length > MAX_LINE_BYTES) {
      opts.onOversizedLine?.();
      skippingOversized = true;
      carry = Buffer.alloc(0);
      carryStart = bufStart + buf.length;
    } else {
      // Copy: the rest must not pin the whole chunk it came from.
      carry = Buffer.from(rest);
      carryStart = bufStart + lastNl + 1;
    }
    opts.onBytes?.(read);
    await opts.afterChunk?.();
  }
  if (carry.length > 0 && !skippingOversized && !opts.holdPartialLine) {
    handleLines(Buffer.concat([carry, Buffer.from('\n')]), carry.length);
    return carryStart + carry.length;
  }
  return carryStart;
};
