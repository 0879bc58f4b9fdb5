/**
 * `logs`: the helpdesk's view of the overlay's JSON-lines logs — "what happened when Alice tried at 9:14?".
 * Filters by correlation id (shown on the user's error screen), user (hashed with the folder's salt),
 * time window, level and event; prints the matching records oldest first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_FILE_PATTERN } from '../../shared/logFiles';
import { hashUserId, logSaltFor } from '../core/logging';
import { defaultLogDir, option, parseOptions, type CliIo } from './io';

const LEVELS = ['debug', 'info', 'warn', 'error'];

export const LOGS_USAGE = 'logs [--data-dir=<data folder> | --dir=<log folder>] [--correlation-id=<id>] [--user=<upn>] [--since=<ISO time>] [--until=<ISO time>] [--level=info|warn|error] [--event=<prefix>]';

export const runLogs = (args: readonly string[], io: CliIo): number => {
  const { options } = parseOptions(args);
  // --data-dir is the folder that plays %ProgramData%\SsprLogon; the logs are in its logs\.
  const dataDir = option(options, 'data-dir');
  const dir = option(options, 'dir') ?? (dataDir !== undefined ? join(dataDir, 'logs') : defaultLogDir(io));
  if (!dir) {
    io.err(`usage: ${LOGS_USAGE}`);
    return 2;
  }
  const since = option(options, 'since');
  const until = option(options, 'until');
  const sinceMs = since ? Date.parse(since) : -Infinity;
  const untilMs = until ? Date.parse(until) : Infinity;
  if (Number.isNaN(sinceMs) || Number.isNaN(untilMs)) {
    io.err('--since and --until take an ISO time, e.g. 2026-11-25T09:00:00Z');
    return 2;
  }
  const level = option(options, 'level');
  if (level !== undefined && !LEVELS.includes(level)) {
    io.err(`--level is one of ${LEVELS.join(', ')}`);
    return 2;
  }
  const minLevel = level ? LEVELS.indexOf(level) : 0;
  const correlationId = option(options, 'correlation-id')?.toLowerCase();
  const event = option(options, 'event');
  const user = option(options, 'user');
  // Records hold the salted hash (or, with verbose logging, the UPN itself).
  const salt = user ? logSaltFor(dir, { create: false }) : undefined;
  const userForms = user ? new Set([user.trim().toLowerCase(), ...(salt ? [hashUserId(salt, user)] : [])]) : undefined;
  if (user && !salt) io.err('note: no salt file in the log folder, so only verbose (clear-text) records can match --user');

  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => LOG_FILE_PATTERN.test(n));
  } catch (err) {
    io.err(`cannot read ${dir}: ${(err as { code?: string }).code ?? String(err)}`);
    return 1;
  }
  const matches: { time: number; line: string }[] = [];
  let unreadable = 0;
  // Records of one attempt share the correlation id; a user filter pulls in the whole attempt.
  const attemptsOfUser = new Set<string>();
  const records: { time: number; line: string; record: Record<string, unknown> }[] = [];
  for (const name of names) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        unreadable += 1;
        continue;
      }
      const time = typeof record.time === 'string' ? Date.parse(record.time) : NaN;
      records.push({ time, line, record });
      if (userForms && typeof record.user === 'string' && userForms.has(record.user.toLowerCase()) && typeof record.correlationId === 'string') {
        attemptsOfUser.add(record.correlationId);
      }
    }
  }
  for (const { time, line, record } of records) {
    if (!(time >= sinceMs && time <= untilMs)) continue;
    if (LEVELS.indexOf(String(record.level)) < minLevel) continue;
    const id = typeof record.correlationId === 'string' ? record.correlationId : '';
    if (correlationId && id.toLowerCase() !== correlationId) continue;
    if (userForms && !attemptsOfUser.has(id)) continue;
    if (event && !String(record.event).startsWith(event)) continue;
    matches.push({ time, line });
  }
  matches.sort((a, b) => a.time - b.time);
  for (const m of matches) io.out(m.line);
  io.err(`${matches.length} record(s) from ${names.length} file(s)${unreadable ? `, ${unreadable} unreadable line(s) skipped` : ''}`);
  return 0;
};
