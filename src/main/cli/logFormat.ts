/**
 * How `logs` prints a record: a table for a person at a console, JSON lines for tools, CSV for a
 * spreadsheet. A log file is not trusted input (anyone who can write it can plant text), so the table
 * escapes control characters (no terminal escape sequences reach the console) and CSV cells that a
 * spreadsheet would run as a formula are defused with a leading quote.
 */
import type { LogRecord } from '../../shared/logRecord';

export const FORMATS = ['table', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** The columns of table and CSV; every other field goes into the last column as JSON. */
export const COLUMNS = ['time', 'level', 'event', 'correlationId', 'scenario', 'engine', 'step', 'outcome', 'errorCode', 'durationMs', 'user'] as const;

// C0, DEL, C1, line/paragraph separators, bidi controls and zero-width characters.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const escapeUnsafe = (s: string): string => s.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);

const text = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
};

const others = (r: LogRecord): string => {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (!(COLUMNS as readonly string[]).includes(k)) rest[k] = v;
  return Object.keys(rest).length > 0 ? JSON.stringify(rest) : '';
};

/** A cell a spreadsheet would read as a formula (= + - @, or a leading tab or CR) gets a leading quote. */
export const csvCell = (value: string): string => {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const csvHeader = (): string => [...COLUMNS, 'fields'].join(',');
export const csvRow = (r: LogRecord): string => [...COLUMNS.map((c) => text(r[c])), others(r)].map(csvCell).join(',');

/** JSON.stringify escapes C0 but not C1 or bidi controls; escaping those too keeps the line valid JSON. */
export const jsonRow = (r: LogRecord): string => escapeUnsafe(JSON.stringify(r));

const WIDTHS: Partial<Record<(typeof COLUMNS)[number], number>> = { time: 24, level: 5, event: 18, step: 9, outcome: 16, errorCode: 24, durationMs: 6, user: 18, correlationId: 36 };
const TABLE_COLUMNS = ['time', 'level', 'event', 'step', 'outcome', 'errorCode', 'durationMs', 'user', 'correlationId'] as const;
const pad = (s: string, width: number): string => (s.length >= width ? s : s + ' '.repeat(width - s.length));

export const tableHeader = (): string => TABLE_COLUMNS.map((c) => pad(c === 'durationMs' ? 'ms' : c, WIDTHS[c] ?? 0)).join(' ').trimEnd();
export const tableRow = (r: LogRecord): string => {
  const cells = TABLE_COLUMNS.map((c) => pad(escapeUnsafe(text(r[c])), WIDTHS[c] ?? 0)).join(' ');
  // Fields outside the columns (the service's error, the exit code, ...) follow on the same line.
  const rest = others(r);
  return (rest ? `${cells} ${escapeUnsafe(rest)}` : cells).trimEnd();
};
