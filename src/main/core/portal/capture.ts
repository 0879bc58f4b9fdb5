/**
 * Pilot capture (PortalCapture): what the portal showed and loaded in one attempt, written to the overlay
 * log so `report --portal` can suggest allow-list entries and markers for a tenant's own portal.
 *
 * What is recorded and what never is: page addresses keep scheme, host, path and route names but lose every
 * query and fragment value (a `username=` or a token); titles and the visible heading/alert texts go
 * through the log's redaction like every record (a heading may echo the user id or a masked phone);
 * blocked hosts are kept with their resource type, never their full URL. Nothing the user types is read:
 * texts come from headings and alerts only (pageTexts.ts), never from form fields.
 */
import type { Logger } from '../logging';

/** Path segments that look like identifiers (long runs with digits) are replaced, route words are kept. */
const ID_SEGMENT = /^(?=.*\d)[A-Za-z0-9_~.=+-]{16,}$/;

const keysOnly = (query: string): string => {
  if (query === '') return '';
  const keys = query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const key = pair.split('=', 1)[0] ?? '';
      return /^[A-Za-z0-9_.-]{1,40}$/.test(key) ? `${key}=` : '?=';
    });
  return keys.join('&');
};

const cleanPath = (path: string): string =>
  path
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? ':id' : segment))
    .join('/');

/**
 * The address as the capture keeps it: query values and fragment values dropped, route names kept.
 * `https://h/passwordreset?mkt=de&username=a@b#!/verify?x=1` → `https://h/passwordreset?mkt=&username=#!/verify?x=`
 */
export const captureUrl = (raw: string): string => {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return '<unparsable>';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `${u.protocol}<dropped>`;
  const query = keysOnly(u.search.replace(/^\?/, ''));
  let out = `${u.protocol}//${u.host}${cleanPath(u.pathname)}${query ? `?${query}` : ''}`;
  const fragment = u.hash.replace(/^#/, '');
  if (fragment !== '') {
    // A hash route (`#!/step` or `#/step`) keeps its path; anything else keeps only its keys.
    const route = /^(!?\/[^?]*)(?:\?(.*))?$/.exec(fragment);
    if (route) {
      const routeQuery = keysOnly(route[2] ?? '');
      out += `#${cleanPath(route[1] ?? '')}${routeQuery ? `?${routeQuery}` : ''}`;
    } else {
      out += `#${keysOnly(fragment)}`;
    }
  }
  return out.slice(0, 500);
};

export type CaptureEvent =
  | { type: 'page'; url: string; inPage: boolean }
  | { type: 'title'; title: string }
  | { type: 'texts'; texts: readonly string[] }
  | { type: 'blocked'; url: string; resourceType: string; quiet: boolean }
  | { type: 'outcome'; state: string; exitCode?: number };

/** Log events of the capture; `report --portal` reads these names. */
export const CAPTURE_EVENTS = {
  page: 'portal.capture.page',
  title: 'portal.capture.title',
  texts: 'portal.capture.texts',
  blocked: 'portal.capture.blocked',
  outcome: 'portal.capture.outcome',
} as const;

export interface PortalCapture {
  /** A new attempt (first load, retry, language change). */
  nextAttempt(): void;
  note(event: CaptureEvent): void;
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return '<unparsable>';
  }
};

/** Writes capture records through the logger (and so through its redaction); a no-op when capture is off. */
export const createPortalCapture = (logger: Logger, enabled: boolean): PortalCapture => {
  let attempt = 0;
  const seenBlocked = new Set<string>();
  return {
    nextAttempt() {
      attempt += 1;
      seenBlocked.clear();
    },
    note(event) {
      if (!enabled) return;
      const base = { attempt: Math.max(1, attempt) };
      switch (event.type) {
        case 'page':
          logger.info(CAPTURE_EVENTS.page, { ...base, url: captureUrl(event.url), inPage: event.inPage });
          break;
        case 'title':
          logger.info(CAPTURE_EVENTS.title, { ...base, title: event.title.slice(0, 300) });
          break;
        case 'texts':
          logger.info(CAPTURE_EVENTS.texts, { ...base, texts: event.texts.slice(0, 20) });
          break;
        case 'blocked': {
          const host = hostOf(event.url);
          const scheme = event.url.split(':', 1)[0]?.toLowerCase().slice(0, 20) ?? '';
          const key = `${scheme}|${host}|${event.resourceType}`;
          // One line per host and type and attempt: a page retrying a beacon must not flood the log.
          if (seenBlocked.has(key)) return;
          seenBlocked.add(key);
          logger.info(CAPTURE_EVENTS.blocked, { ...base, scheme, host, resourceType: event.resourceType, quiet: event.quiet });
          break;
        }
        case 'outcome':
          logger.info(CAPTURE_EVENTS.outcome, { ...base, state: event.state, ...(event.exitCode !== undefined ? { exitCode: event.exitCode } : {}) });
          break;
      }
    },
  };
};
