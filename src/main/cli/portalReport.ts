/**
 * `report --portal`: turns the pilot captures (PortalCapture) in a folder of overlay logs into suggested
 * AllowedResourceHosts / AllowedHosts entries and PortalMarkers. A suggestion, never an automatic change:
 * the admin reads it and adjusts the GPO (docs/admin.md "Pilot").
 *
 * The folder may hold the log folders of several pilot PCs (copied into sub-folders); every log file below
 * it, up to four folders deep, is found by the `logs` command's own finder (logFiles.ts). Records are already
 * redacted by the overlay's logger.
 */
import { readFileSync } from 'node:fs';
import { BUILT_IN_WILDCARD_SUFFIXES, isSubdomainOf } from '../../shared/hosts';
import { CAPTURE_EVENTS } from '../core/portal/capture';
import { DEFAULT_PORTAL_MARKERS, markerHit } from '../core/portal/markers';
import type { CliIo } from './io';
import { listLogFilesBelow } from './logFiles';

export const PORTAL_REPORT_USAGE = 'report --portal --data-dir <folder> [--json]';

/** Pilot PCs' folders copied side by side, each perhaps as `<pc>\\logs` or `<site>\\<pc>\\logs`. */
const WALK_LIMITS = { maxDepth: 4, maxFiles: 2000 };

interface Attempt {
  source: string;
  routes: Set<string>;
  titles: Set<string>;
  texts: string[];
  blocked: { host: string; resourceType: string; quiet: boolean }[];
  outcome?: string;
  exitCode?: number;
}

export interface PortalReport {
  files: number;
  attempts: number;
  outcomes: Record<string, number>;
  routes: string[];
  titles: string[];
  suggestedResourceHosts: { entry: string; hosts: string[]; requests: number; types: string[] }[];
  refusedPageHosts: { host: string; times: number }[];
  telemetryRefused: string[];
  suggestedMarkers: { entry: string; why: string }[];
  /** SSPR_nnnn codes no built-in marker knows, with a text they appeared in: the admin decides what they mean. */
  unknownErrorCodes: { code: string; seenIn: string }[];
}

/** The entry an admin would add for a host: a documented wildcard when one covers it, else the exact host. */
export const allowListEntryFor = (host: string): string => {
  const suffix = BUILT_IN_WILDCARD_SUFFIXES.find((s) => isSubdomainOf(host.split(':')[0] ?? host, s));
  return suffix ? `*.${suffix}` : host;
};

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A marker text an admin can paste: short, one line, no separator trouble. */
const markerText = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 120);

export const buildPortalReport = (dir: string): PortalReport => {
  const files = listLogFilesBelow(dir, WALK_LIMITS).map((f) => f.path);
  const attempts = new Map<string, Attempt>();
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.includes('portal.capture.')) continue;
      let r: Record<string, unknown>;
      try {
        r = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      const event = str(r.event);
      if (!event.startsWith('portal.capture.')) continue;
      // One overlay run has one correlation id; its attempts are numbered.
      const key = `${file}|${str(r.correlationId)}|${String(r.attempt ?? 1)}`;
      let a = attempts.get(key);
      if (!a) {
        a = { source: file, routes: new Set(), titles: new Set(), texts: [], blocked: [] };
        attempts.set(key, a);
      }
      switch (event) {
        case CAPTURE_EVENTS.page:
          a.routes.add(str(r.url));
          break;
        case CAPTURE_EVENTS.title:
          a.titles.add(str(r.title));
          break;
        case CAPTURE_EVENTS.texts:
          if (Array.isArray(r.texts)) a.texts.push(...r.texts.filter((t): t is string => typeof t === 'string'));
          break;
        case CAPTURE_EVENTS.blocked:
          a.blocked.push({ host: str(r.host), resourceType: str(r.resourceType) || 'unknown', quiet: r.quiet === true });
          break;
        case CAPTURE_EVENTS.outcome:
          if (str(r.state).startsWith('exit:')) {
            a.outcome ??= str(r.state);
            if (typeof r.exitCode === 'number') a.exitCode = r.exitCode;
          } else {
            a.outcome = str(r.state);
          }
          break;
      }
    }
  }

  const list = [...attempts.values()];
  const outcomes: Record<string, number> = {};
  const resource = new Map<string, { hosts: Set<string>; requests: number; types: Set<string> }>();
  const pageHosts = new Map<string, number>();
  const telemetry = new Set<string>();
  const markers = new Map<string, string>();
  const unknownCodes = new Map<string, string>();
  for (const a of list) {
    const outcome = a.outcome ?? 'unknown';
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    for (const b of a.blocked) {
      if (b.quiet) {
        telemetry.add(b.host);
      } else if (b.resourceType === 'mainFrame') {
        pageHosts.set(b.host, (pageHosts.get(b.host) ?? 0) + 1);
      } else {
        // A default entry shows up only when the admin's list replaced the defaults: suggest it back.
        const entry = allowListEntryFor(b.host);
        const s = resource.get(entry) ?? { hosts: new Set(), requests: 0, types: new Set() };
        s.hosts.add(b.host);
        s.requests += 1;
        s.types.add(b.resourceType);
        resource.set(entry, s);
      }
    }
    // Texts the built-in markers do not explain, on attempts that ended without a recognised outcome:
    // the last heading of an attempt the user left with "done"/Finish is a success candidate.
    const unexplained = a.texts.filter((t) => markerHit(DEFAULT_PORTAL_MARKERS, 'text', [t]) === null);
    if ((a.outcome === 'exit:done' || a.exitCode === 0) && !a.texts.some((t) => markerHit(DEFAULT_PORTAL_MARKERS, 'text', [t]) === 'success')) {
      const last = unexplained.at(-1);
      if (last) markers.set(`success:text:${markerText(last)}`, 'last heading of an attempt the user finished, not recognised as a success');
    }
    for (const t of unexplained) {
      const code = /\bSSPR_\d{4}\b/.exec(t)?.[0];
      if (code && !unknownCodes.has(code)) unknownCodes.set(code, markerText(t));
    }
  }
  const sortedBy = <T>(m: Map<string, T>, n: (v: T) => number) => [...m.entries()].sort((x, y) => n(y[1]) - n(x[1]) || x[0].localeCompare(y[0]));
  return {
    files: files.length,
    attempts: list.length,
    outcomes,
    routes: [...new Set(list.flatMap((a) => [...a.routes]))].sort(),
    titles: [...new Set(list.flatMap((a) => [...a.titles]))].sort(),
    suggestedResourceHosts: sortedBy(resource, (v) => v.requests).map(([entry, v]) => ({ entry, hosts: [...v.hosts].sort(), requests: v.requests, types: [...v.types].sort() })),
    refusedPageHosts: sortedBy(pageHosts, (v) => v).map(([host, times]) => ({ host, times })),
    telemetryRefused: [...telemetry].sort(),
    suggestedMarkers: [...markers.entries()].map(([entry, why]) => ({ entry, why })),
    unknownErrorCodes: [...unknownCodes.entries()].sort().map(([code, seenIn]) => ({ code, seenIn })),
  };
};

const readDataDir = (args: readonly string[]): { dir?: string; json: boolean } => {
  let dir: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg.startsWith('--data-dir=')) dir = arg.slice('--data-dir='.length);
    else if (arg === '--data-dir') dir = args[i + 1];
  }
  return { ...(dir ? { dir } : {}), json: args.includes('--json') };
};

export const runPortalReport = (args: readonly string[], io: CliIo): number => {
  const { dir, json } = readDataDir(args);
  if (!dir) {
    io.err(`usage: ${PORTAL_REPORT_USAGE}`);
    return 2;
  }
  let report: PortalReport;
  try {
    report = buildPortalReport(dir);
  } catch (err) {
    io.err(`cannot read ${dir}: ${(err as { code?: string }).code ?? String(err)}`);
    return 1;
  }
  if (json) {
    io.out(JSON.stringify(report, null, 2));
    return 0;
  }
  if (report.attempts === 0) {
    io.out(`No portal captures in ${dir} (${report.files} log files). Turn on the "Portal pilot capture" policy on the pilot PCs, run a few resets, then copy their log folders here.`);
    return 0;
  }
  const out = io.out;
  out(`Portal pilot report: ${report.attempts} attempts in ${report.files} log files`);
  out(`Outcomes: ${Object.entries(report.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  out('');
  out('Add to "Allowed resource hosts" (AllowedResourceHosts), keeping the entries you already have:');
  if (report.suggestedResourceHosts.length === 0) out('  nothing: every subresource the portal asked for was allowed');
  for (const s of report.suggestedResourceHosts) out(`  ${s.entry}    (${s.requests} refused: ${s.types.join(', ')}; ${s.hosts.join(', ')})`);
  out('');
  out('Pages the portal tried to open that are not in "Allowed hosts" (add one only if it is part of the reset, not a help or sign-in page):');
  if (report.refusedPageHosts.length === 0) out('  none');
  for (const p of report.refusedPageHosts) out(`  ${p.host}    (${p.times} times)`);
  out('');
  out('Suggested "Portal outcome markers" (PortalMarkers), to check before use:');
  if (report.suggestedMarkers.length === 0) out('  none: the built-in markers explained every attempt');
  for (const m of report.suggestedMarkers) out(`  ${m.entry}    (${m.why})`);
  if (report.unknownErrorCodes.length > 0) {
    out('');
    out('Portal error codes no built-in marker knows (add a marker such as not_enabled:text:<code> if you know what it means):');
    for (const u of report.unknownErrorCodes) out(`  ${u.code}    (seen in "${u.seenIn}")`);
  }
  out('');
  out(`Telemetry refused as expected: ${report.telemetryRefused.join(', ') || 'none'}`);
  out(`Routes seen: ${report.routes.join(' ') || 'none'}`);
  out(`Titles seen: ${report.titles.map((t) => JSON.stringify(t)).join(', ') || 'none'}`);
  return 0;
};
