/**
 * The record filters shared by `logs` and `report`: time window, minimum level, event prefix,
 * correlation id and user (by the folder's salted hash). Also the strings a matching line must contain,
 * so the reader can skip every other line without parsing it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashUserId } from '../core/logging';
import { LOG_LEVELS, levelRank, type LogRecord } from '../../shared/logRecord';
import { SALT_FILE } from './logFiles';

export interface RecordFilter {
  sinceMs: number;
  untilMs: number;
  minLevel: number;
  event?: string;
  correlationId?: string;
  /** Forms a record's `user` may take for the wanted user: the salted hash, or the id in clear (verbose logging). */
  userForms?: ReadonlySet<string>;
  /** The user id as typed on the command line (a verbose record keeps the case the user typed). */
  userAsGiven?: string;
}

export interface FilterInput {
  since?: string | undefined;
  until?: string | undefined;
  level?: string | undefined;
  event?: string | undefined;
  correlationId?: string | undefined;
  user?: string | undefined;
}

/** The folder's per-machine salt (hex text), or undefined when there is none to read. */
export const readSalt = (logFolder: string): string | undefined => {
  try {
    const text = readFileSync(join(logFolder, SALT_FILE), 'utf8').trim();
    return /^[0-9a-f]{32,128}$/i.test(text) ? text.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
};

const parseTime = (name: string, value: string | undefined, fallback: number): number | string => {
  if (value === undefined) return fallback;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? `--${name} takes an ISO time, e.g. 2026-11-25T09:00:00Z (got ${JSON.stringify(value.slice(0, 40))})` : ms;
};

/** Builds the filter, or says in one line what is wrong with the options. */
export const buildFilter = (input: FilterInput, logFolder: string): { filter: RecordFilter } | { problem: string } => {
  const sinceMs = parseTime('since', input.since, -Infinity);
  if (typeof sinceMs === 'string') return { problem: sinceMs };
  const untilMs = parseTime('until', input.until, Infinity);
  if (typeof untilMs === 'string') return { problem: untilMs };
  if (sinceMs > untilMs) return { problem: '--since is after --until' };
  const minLevel = input.level === undefined ? 0 : levelRank(input.level.toLowerCase());
  if (minLevel < 0) return { problem: `--level is one of ${LOG_LEVELS.join(', ')}` };
  const filter: RecordFilter = { sinceMs, untilMs, minLevel };
  if (input.event !== undefined) filter.event = input.event;
  if (input.correlationId !== undefined) filter.correlationId = input.correlationId.trim().toLowerCase();
  if (input.user !== undefined) {
    const salt = readSalt(logFolder);
    if (!salt) {
      return {
        problem: `--user needs the folder's salt, and ${join(logFolder, SALT_FILE)} is missing or unreadable. Copy it with the logs (it is in the same folder), or search by --correlation-id.`,
      };
    }
    const clear = input.user.trim();
    filter.userForms = new Set([hashUserId(salt, clear), clear.toLowerCase()]);
    filter.userAsGiven = clear;
  }
  return { filter };
};

/** Strings every matching line contains: the most selective filter's value. */
export const needlesFor = (filter: RecordFilter): string[] | undefined => {
  // Ours are lower-case GUIDs; the upper-case form costs one more search and finds other writers' ids.
  if (filter.correlationId) return [filter.correlationId, filter.correlationId.toUpperCase()];
  // Each needle is one more pass over every chunk: no duplicates.
  if (filter.userForms) return [...new Set([...filter.userForms, ...(filter.userAsGiven ? [filter.userAsGiven] : [])])];
  if (filter.event) return [filter.event];
  return undefined;
};

export const matches = (r: LogRecord, f: RecordFilter): boolean => {
  const t = Date.parse(r.time);
  if (!(t >= f.sinceMs && t <= f.untilMs)) return false;
  if (levelRank(r.level) < f.minLevel) return false;
  if (f.event !== undefined && !r.event.startsWith(f.event)) return false;
  if (f.correlationId !== undefined && (r.correlationId ?? '').toLowerCase() !== f.correlationId) return false;
  if (f.userForms && !(typeof r.user === 'string' && f.userForms.has(r.user.toLowerCase()))) return false;
  return true;
};
