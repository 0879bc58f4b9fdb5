/**
 * JSON-lines logging with one schema: time (UTC ISO), level, event, correlationId, plus fields.
 * A redaction format runs before json() (security.md §4): secrets are dropped by key at any depth,
 * e-mail addresses and phone numbers in strings are masked, user ids are a salted hash unless verbose
 * logging is on, and control characters are escaped so one call is always one line (§7 #10).
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, read, readFileSync, readdirSync, renameSync, unlinkSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import winston from 'winston';
import Transport from 'winston-transport';
import { ACTIVE_LOG_NAME, isOwnLogFile, logRotateAtBytes, nextRotatedLogName, planLogDeletions, SALT_FILE_NAME, type LogFileLimits } from '../../shared/logFiles';

export type LogFields = Record<string, unknown>;
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface Logger {
  error(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  debug(event: string, fields?: LogFields): void;
  /** A logger whose records all carry these fields (typically the correlation id). */
  child(fields: LogFields): Logger;
  /** True when verbose logging is on: debug records and user ids in clear. */
  readonly verbose: boolean;
  /** Flushes and closes the transports. */
  close(): Promise<void>;
}

export interface LoggerOptions {
  /**
   * Folder for the log files (the demo's `<data-dir>/logs`); no file logging when absent. On an install the
   * overlay has none: it logs to stdout and the shim owns the files (docs/shim.md).
   */
  dir?: string;
  /** Verbose logging (EnableLogging): debug level and user ids in clear. */
  verbose: boolean;
  /** Also write the JSON lines to stderr (demo, development). */
  console?: boolean;
  /** Total cap of the log files in MB (LogMaxSizeMB, default 20). */
  maxSizeMB?: number;
  /** Rotated files older than this are deleted (LogRetentionDays, default 14). */
  retentionDays?: number;
  /**
   * Salt of the user-id hash. Default: the log folder's salt file (created on first use), so helpdesk
   * can find a user's records with `logs --user`; a per-run random salt when there is no folder.
   * On an install it is the salt the shim hands over on stdin (readSaltHandshake).
   */
  salt?: string;
  /** Called when a transport fails (e.g. the disk is full); logging never throws. */
  onTransportError?: (err: Error) => void;
}

export const LOG_FILE_BASENAME = 'sspr-logon';
/** The active log file (src/shared/logFiles.ts has the whole contract). */
export const LOG_FILE_NAME = ACTIVE_LOG_NAME;
/** Per-machine salt of the user-id hash, kept beside the logs so `logs --user` can find a user's records. */
export { SALT_FILE_NAME };
const MAX_STRING = 1024;
const MAX_DEPTH = 6;
const MAX_ARRAY = 50;

// ------------------------------------------------------------------------------------------ redaction

const normaliseKey = (key: string): string => key.toLowerCase().replace(/[-_]/g, '');

const SECRET_KEYS = new Set(
  [
    'password', 'newPassword', 'new_password', 'code', 'oob', 'otp', 'token', 'continuation_token',
    'access_token', 'refresh_token', 'id_token', 'authorization', 'cookie', 'set-cookie', 'secret', 'client_secret',
  ].map(normaliseKey),
);
const USER_KEYS = new Set(['user', 'username', 'upn', 'userId', 'userPrincipalName', 'login_hint', 'userHint'].map(normaliseKey));
/** Identifiers we generate ourselves: never mistaken for phone numbers. */
const ID_KEYS = new Set(['time', 'correlationId', 'requestId', 'traceId'].map(normaliseKey));

export const isSecretKey = (key: string): boolean => {
  const k = normaliseKey(key);
  return SECRET_KEYS.has(k) || k.endsWith('password') || k.endsWith('token') || k.endsWith('secret');
};

const EMAIL = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
// 8–15 digits with at most two separators between them; not part of a longer word, hex id or date.
const PHONE = /(?<![\w.-])(?:\+|00)?\d(?:[ .()/-]{0,2}\d){7,14}(?![\w-])/g;
// C0, DEL, C1, line/paragraph separators, bidi controls and zero-width characters.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

const escapeControl = (ch: string): string => {
  const named: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\t': '\\t' };
  return named[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
};

export const maskEmail = (email: string): string => {
  const at = email.indexOf('@');
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  return `${email.slice(0, 1)}***@${domain.slice(0, 1)}***${domain.slice(dot)}`;
};

const maskPhone = (phone: string): string => {
  const digits = phone.replace(/\D/g, '');
  return `***${digits.slice(-2)}`;
};

const cap = (s: string): string => (s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…[${s.length - MAX_STRING} more]` : s);

/** Escapes control characters visibly and caps the length; masks e-mail and phone numbers unless told not to. */
export const sanitiseString = (value: string, mask = { email: true, phone: true }): string => {
  let s = cap(value).replace(CONTROL, escapeControl);
  if (mask.email) s = s.replace(EMAIL, maskEmail);
  if (mask.phone) s = s.replace(PHONE, maskPhone);
  return s;
};

export const hashUserId = (salt: string, userId: string): string =>
  `h:${createHash('sha256').update(`${salt}\n${userId.trim().toLowerCase()}`, 'utf8').digest('hex').slice(0, 16)}`;

export interface RedactOptions {
  verbose: boolean;
  salt: string;
}

const redactValue = (value: unknown, key: string, opts: RedactOptions, depth: number): unknown => {
  const k = normaliseKey(key);
  if (USER_KEYS.has(k) && typeof value === 'string') {
    return opts.verbose ? sanitiseString(value, { email: false, phone: false }) : hashUserId(opts.salt, value);
  }
  if (typeof value === 'string') return sanitiseString(value, { email: true, phone: !ID_KEYS.has(k) });
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined; // functions, symbols, undefined
  if (depth >= MAX_DEPTH) return '[depth]';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown };
    // "errorCode", not "code": a field named code is dropped as a possible verification code.
    return redactObject({ name: e.name, message: e.message, ...(e.code !== undefined ? { errorCode: e.code } : {}) }, opts, depth + 1);
  }
  if (Array.isArray(value)) return value.slice(0, MAX_ARRAY).map((item) => redactValue(item, key, opts, depth + 1));
  return redactObject(value as Record<string, unknown>, opts, depth + 1);
};

export const redactObject = (obj: Record<string, unknown>, opts: RedactOptions, depth = 0): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (isSecretKey(key)) continue;
    const clean = redactValue(value, key, opts, depth);
    if (clean !== undefined) out[sanitiseString(key)] = clean;
  }
  return out;
};

/** The winston format: rebuilds the record from its redacted fields, in the one schema. */
const redactFormat = winston.format((info, formatOptions) => {
  const opts = formatOptions as RedactOptions;
  const { level, event, correlationId, ...rest } = info as Record<string, unknown>;
  for (const key of Object.keys(info)) delete (info as Record<string, unknown>)[key];
  const fields = redactObject(rest, opts);
  delete fields.message;
  delete fields.time;
  Object.assign(info, {
    time: new Date().toISOString(),
    level,
    event: sanitiseString(typeof event === 'string' ? event : 'log'),
    ...(typeof correlationId === 'string' ? { correlationId: sanitiseString(correlationId, { email: true, phone: false }) } : {}),
    ...fields,
  });
  return info;
});

// ------------------------------------------------------------------------------------------ files

const ownLogFiles = (dir: string): { name: string; size: number }[] => {
  const files: { name: string; size: number }[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return files;
  }
  for (const name of names) {
    if (!isOwnLogFile(name)) continue;
    try {
      const st = lstatSync(join(dir, name));
      if (st.isFile()) files.push({ name, size: st.size });
    } catch {
      // Gone meanwhile.
    }
  }
  return files;
};

/**
 * Applies LogRetentionDays and LogMaxSizeMB to the folder's rotated files, as the shim does on an install;
 * never follows links, never touches other names. Returns what was deleted.
 */
export const pruneLogFiles = (dir: string, limits: LogFileLimits, nowMs = Date.now()): string[] => {
  const removed: string[] = [];
  for (const name of planLogDeletions(ownLogFiles(dir), nowMs, limits)) {
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // A file we cannot remove is left for the next rotation.
    }
  }
  return removed;
};

/**
 * The demo's file transport, with the shim's rules (src/shared/logFiles.ts): appends to sspr-logon.jsonl,
 * renames it to sspr-logon.<UTC time>.jsonl before a write would take it past its share of LogMaxSizeMB,
 * and prunes at start and at every rotation. Writes are synchronous: a record is on disk when log() returns,
 * and nothing is lost when the demo is stopped with Ctrl+C.
 */
class LogFileTransport extends Transport {
  private fd: number | undefined;
  private size = 0;

  constructor(
    private readonly dir: string,
    private readonly limits: LogFileLimits,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.once('finish', () => this.close());
    mkdirSync(dir, { recursive: true });
    pruneLogFiles(dir, limits, now());
    this.open();
  }

  private open(): void {
    // 'a' never truncates; a planted link in place of the file is refused by the lstat check below.
    const path = join(this.dir, ACTIVE_LOG_NAME);
    try {
      if (!lstatSync(path).isFile()) throw new Error(`${path} is not a plain file`);
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') throw err;
    }
    this.fd = openSync(path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  private rotate(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    const existing = ownLogFiles(this.dir).map((f) => f.name);
    renameSync(join(this.dir, ACTIVE_LOG_NAME), join(this.dir, nextRotatedLogName(this.now(), existing)));
    pruneLogFiles(this.dir, this.limits, this.now());
    this.open();
  }

  override log(info: Record<string | symbol, unknown>, callback: () => void): void {
    try {
      const line = Buffer.from(`${String(info[Symbol.for('message')])}\n`, 'utf8');
      if (this.size > 0 && this.size + line.length > logRotateAtBytes(this.limits)) this.rotate();
      if (this.fd !== undefined) this.size += writeSync(this.fd, line);
    } catch (err) {
      this.emit('error', err);
    }
    callback();
  }

  override close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * The log folder's salt: read, or created once (never overwritten). Undefined when the folder cannot
 * hold it; the caller then falls back to a per-run salt.
 */
export const logSaltFor = (dir: string, opts: { create?: boolean } = {}): string | undefined => {
  const path = join(dir, SALT_FILE_NAME);
  const read = (): string | undefined => {
    try {
      const st = lstatSync(path);
      if (!st.isFile()) return undefined;
      const text = readFileSync(path, 'utf8').trim();
      return /^[0-9a-f]{32,128}$/.test(text) ? text : undefined;
    } catch {
      return undefined;
    }
  };
  const existing = read();
  if (existing || opts.create === false) return existing;
  try {
    mkdirSync(dir, { recursive: true });
    // 'wx': never replace a salt another process just wrote, never follow a planted link.
    writeFileSync(path, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch {
    // Someone else created it first, or the folder is not writable: read what is there.
  }
  return read();
};

/** Gives the next chunk of a byte source, or null at its end (or on an error). */
export type ChunkReader = () => Promise<Buffer | null>;

/**
 * Reads file descriptor 0 one chunk per call, never ahead: once the handshake line is in, no read is left
 * pending (one would keep the process from exiting while the other end stays open). Not process.stdin: on
 * Windows, Electron replaces process.stdin with a stream that only reports its end, while descriptor 0 is
 * still the pipe the shim passed in the process's startup information.
 */
export const fdChunkReader =
  (fd = 0): ChunkReader =>
  () =>
    new Promise((resolve) => {
      const buffer = Buffer.alloc(4096);
      read(fd, buffer, 0, buffer.length, null, (err, n) => resolve(err || n === 0 ? null : buffer.subarray(0, n)));
    });

/**
 * On an install the overlay cannot read logs\ (Administrators and SYSTEM only), and a salt on the command
 * line would be readable by other processes: the shim writes one line to the overlay's stdin before it runs,
 * {"salt":"<hex>"}, and closes its end (docs/shim.md). Resolves to the salt, or undefined when none arrives
 * within `timeoutMs`, the line is not that JSON, or the source ends first; the caller then uses a per-run
 * salt and logs a warning.
 */
export const readSaltHandshake = async (next: ChunkReader, timeoutMs = 2000): Promise<string | undefined> => {
  const parse = (line: string): string | undefined => {
    try {
      const value = JSON.parse(line) as { salt?: unknown };
      return typeof value.salt === 'string' && /^[0-9a-f]{32,128}$/.test(value.salt) ? value.salt : undefined;
    } catch {
      return undefined;
    }
  };
  const readLine = async (): Promise<string | undefined> => {
    let text = '';
    while (text.length <= 4096) {
      const chunk = await next();
      if (chunk === null) return text.length > 0 ? parse(text) : undefined;
      text += chunk.toString('utf8');
      const newline = text.indexOf('\n');
      if (newline >= 0) return parse(text.slice(0, newline));
    }
    return undefined;
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    return await Promise.race([readLine().catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
};

// ------------------------------------------------------------------------------------------ logger

const wrap = (base: winston.Logger, verbose: boolean, bound: LogFields, close: () => Promise<void>): Logger => {
  const write = (level: LogLevel) => (event: string, fields?: LogFields) => {
    try {
      base.log({ ...fields, ...bound, level, event, message: '' });
    } catch {
      // Logging must never break the flow.
    }
  };
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: (fields) => wrap(base, verbose, { ...bound, ...fields }, close),
    verbose,
    close,
  };
};

export const createLogger = (opts: LoggerOptions): Logger => {
  const salt = opts.salt ?? (opts.dir !== undefined ? logSaltFor(opts.dir) : undefined) ?? randomBytes(16).toString('hex');
  const transports: Transport[] = [];
  let file: LogFileTransport | undefined;
  const onError = (err: Error): void => opts.onTransportError?.(err);
  if (opts.dir !== undefined) {
    try {
      file = new LogFileTransport(opts.dir, { retentionDays: opts.retentionDays ?? 14, maxSizeMB: opts.maxSizeMB ?? 20 });
      file.on('error', onError);
      transports.push(file);
    } catch (err) {
      // The folder cannot be created (or is a file): carry on without file logging, and say so.
      onError(err instanceof Error ? err : new Error(String(err)));
    }
  }
  if (opts.console) {
    const consoleTransport = new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] });
    consoleTransport.on('error', onError);
    transports.push(consoleTransport);
  }
  const base = winston.createLogger({
    level: opts.verbose ? 'debug' : 'info',
    levels: { error: 0, warn: 1, info: 2, debug: 3 },
    format: winston.format.combine(redactFormat({ verbose: opts.verbose, salt }), winston.format.json()),
    transports,
    exitOnError: false,
    // With no transport (tests, or logging off) winston would complain on every write.
    silent: transports.length === 0,
  });
  base.on('error', onError);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      const done = (): void => resolve();
      if (file) file.once('finish', done);
      else base.once('finish', done);
      // A transport that cannot finish (broken disk) must not hold the exit.
      setTimeout(done, 3000).unref();
      base.end();
    });
    return closing;
  };
  return wrap(base, opts.verbose, {}, close);
};

/** A logger that drops everything: for callers that were given none. */
export const nullLogger = (): Logger => createLogger({ verbose: false });
