/**
 * One timeline from Entra's audit records and this PC's records, oldest first, each line marked with its
 * source. Native-engine attempts share one correlation id on both sides (it is sent as client-request-id);
 * the portal engine's requests carry Microsoft's own ids, so those meet only by user and time.
 */
import type { DirectoryAudit } from './graph';
import type { LocalRecord } from './localRecords';

export interface TimelineLine {
  time: string;
  source: 'entra' | 'local';
  activity: string;
  result: string;
  correlationId: string;
  detail: string;
}

export const fromEntra = (a: DirectoryAudit): TimelineLine => ({
  time: new Date(Date.parse(a.activityDateTime)).toISOString(),
  source: 'entra',
  activity: a.activityDisplayName,
  result: a.result,
  correlationId: a.correlationId,
  detail: a.resultReason ?? '',
});

export const fromLocal = (r: LocalRecord): TimelineLine => ({
  time: new Date(Date.parse(r.time)).toISOString(),
  source: 'local',
  activity: [r.event, r.step].filter((p) => typeof p === 'string' && p !== '').join(' ') || '(record)',
  result: typeof r.outcome === 'string' ? r.outcome : (r.level ?? ''),
  correlationId: r.correlationId ?? '',
  detail: [r.errorCode ? `error ${String(r.errorCode)}` : '', r.engine ? `engine ${String(r.engine)}` : ''].filter(Boolean).join(', '),
});

/** Oldest first. Graph lists newest first, so its records are reversed before a stable sort by time keeps
 * Entra's own order for events of the same millisecond. */
export const mergeTimeline = (entra: DirectoryAudit[], local: LocalRecord[]): TimelineLine[] =>
  [...[...entra].reverse().map(fromEntra), ...local.map(fromLocal)].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));

/** Keeps control characters out of the console (records come from files and a service). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const clean = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

export const HEADER = ['time (UTC)', 'source', 'activity', 'result', 'correlation id', 'detail'];

export const formatTable = (lines: TimelineLine[]): string[] => {
  const rows = lines.map((l) => [l.time, l.source, l.activity, l.result, l.correlationId, l.detail].map(clean));
  const widths = HEADER.slice(0, 5).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => (i < 5 ? c.padEnd(widths[i]!) : c)).join('  ').trimEnd();
  return [format(HEADER), ...rows.map(format)];
};
