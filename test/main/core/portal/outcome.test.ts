import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../../src/shared/exitCodes';
import {
  classifyNetError,
  idleRemainingSeconds,
  portalExitCode,
  portalOutcome,
  portalPhase,
  type NavigationEvent,
  type PortalMarkers,
} from '../../../../src/main/core/portal/outcome';

const PORTAL = 'https://passwordreset.microsoftonline.com/?mkt=en';
const start: NavigationEvent = { type: 'did-start-navigation', url: PORTAL, isMainFrame: true };
const loaded: NavigationEvent[] = [start, { type: 'did-navigate', url: PORTAL, httpResponseCode: 200 }, { type: 'page-title-updated', title: 'Microsoft Online Password Reset' }];
const failLoad = (errorCode: number, isMainFrame = true): NavigationEvent => ({ type: 'did-fail-load', errorCode, validatedURL: PORTAL, isMainFrame });

describe('portalOutcome from recorded navigation sequences', () => {
  it('nothing yet: loading', () => {
    expect(portalOutcome([])).toEqual({ state: 'in-progress', loaded: false });
    expect(portalOutcome([start])).toEqual({ state: 'in-progress', loaded: false });
  });

  it('portal shown: in progress', () => {
    expect(portalOutcome(loaded)).toEqual({ state: 'in-progress', loaded: true });
  });

  it('success page reached (title marker), then the user leaves', () => {
    const events: NavigationEvent[] = [
      ...loaded,
      { type: 'did-navigate-in-page', url: `${PORTAL}#verify`, isMainFrame: true },
      { type: 'page-title-updated', title: 'Your password has been reset' },
      { type: 'user-exit', reason: 'cancelled' },
      failLoad(-106),
    ];
    expect(portalOutcome(events)).toEqual({ state: 'success' });
    expect(portalExitCode(events, 'cancelled')).toBe(ExitCode.ResetDone);
  });

  it('success stays success even if the network drops afterwards', () => {
    expect(portalOutcome([...loaded, { type: 'page-title-updated', title: 'Your password was changed' }, failLoad(-106)])).toEqual({ state: 'success' });
  });

  it('success markers are configurable (URL marker)', () => {
    const markers: PortalMarkers = [{ kind: 'success', url: /\/done$/ }];
    const events: NavigationEvent[] = [...loaded, { type: 'did-navigate', url: 'https://passwordreset.microsoftonline.com/done', httpResponseCode: 200 }];
    expect(portalOutcome(events, markers)).toEqual({ state: 'success' });
    expect(portalOutcome(events)).toEqual({ state: 'in-progress', loaded: true });
  });

  it('cancelled by "Back to sign-in"', () => {
    const events: NavigationEvent[] = [...loaded, { type: 'user-exit', reason: 'cancelled' }];
    expect(portalOutcome(events)).toEqual({ state: 'cancelled', reason: 'cancelled' });
    expect(portalExitCode(loaded, 'cancelled')).toBe(ExitCode.Cancelled);
  });

  it('a "done" press without a recognised success does not claim a reset', () => {
    expect(portalExitCode(loaded, 'done')).toBe(ExitCode.Cancelled);
  });

  it('idle timeout', () => {
    expect(portalExitCode(loaded, 'idle')).toBe(ExitCode.IdleTimeout);
  });

  it.each([
    [-106, 'offline'],
    [-105, 'dns'],
    [-102, 'offline'],
    [-109, 'offline'],
    [-118, 'timeout'],
    [-7, 'timeout'],
  ])('offline class: net error %i → %s, unreachable, exit 30', (code, reason) => {
    const events = [start, failLoad(code)];
    expect(portalOutcome(events)).toEqual({ state: 'error', code: 'unreachable', reason, netError: code });
    expect(portalExitCode(events, 'cancelled')).toBe(ExitCode.ServiceUnreachable);
  });

  it.each([
    [-200, 'certificate'],
    [-201, 'certificate'],
    [-202, 'certificate'],
    [-207, 'certificate'],
    [-107, 'tls'],
    [-113, 'tls'],
    [-218, 'tls'],
  ])('TLS class: net error %i → %s', (code, reason) => {
    expect(portalOutcome([start, failLoad(code)])).toMatchObject({ state: 'error', code: 'unreachable', reason });
  });

  it.each([[-130], [-111], [-115], [-128], [-131], [-136]])('proxy class: net error %i', (code) => {
    expect(portalOutcome([start, failLoad(code)])).toMatchObject({ state: 'error', code: 'unreachable', reason: 'proxy' });
  });

  it('a blocked host (our webRequest cancel, ERR_BLOCKED_BY_CLIENT) on the main frame', () => {
    const events = [start, failLoad(-20)];
    expect(portalOutcome(events)).toMatchObject({ state: 'error', code: 'redirect_required', reason: 'blocked' });
    expect(portalExitCode(events, 'cancelled')).toBe(ExitCode.Cancelled);
  });

  it('a refused redirect to another host is an error; a refused link click is not', () => {
    expect(portalOutcome([...loaded, { type: 'blocked', url: 'https://evil.example/', kind: 'redirect' }])).toMatchObject({ state: 'error', reason: 'blocked' });
    expect(portalOutcome([...loaded, { type: 'blocked', url: 'https://go.microsoft.com/fwlink/help', kind: 'navigation' }])).toEqual({ state: 'in-progress', loaded: true });
  });

  it('the first failure is the cause: a later load failure does not replace it', () => {
    const events: NavigationEvent[] = [...loaded, { type: 'blocked', url: 'https://login.evil.example/', kind: 'redirect' }, failLoad(-105)];
    expect(portalOutcome(events)).toMatchObject({ state: 'error', reason: 'blocked' });
  });

  it('sub-frame failures and aborted loads leave the page usable', () => {
    expect(portalOutcome([...loaded, failLoad(-20, false), failLoad(-106, false)])).toEqual({ state: 'in-progress', loaded: true });
    expect(portalOutcome([...loaded, failLoad(-3)])).toEqual({ state: 'in-progress', loaded: true });
  });

  it('HTTP errors: 5xx unreachable, 4xx internal', () => {
    expect(portalOutcome([start, { type: 'did-navigate', url: PORTAL, httpResponseCode: 503 }])).toMatchObject({ state: 'error', code: 'unreachable', reason: 'http', httpStatus: 503 });
    expect(portalOutcome([start, { type: 'did-navigate', url: PORTAL, httpResponseCode: 404 }])).toMatchObject({ state: 'error', code: 'internal', reason: 'http', httpStatus: 404 });
  });

  it('a renderer crash is an internal error, exit 1', () => {
    const events: NavigationEvent[] = [...loaded, { type: 'render-process-gone', reason: 'crashed' }];
    expect(portalOutcome(events)).toMatchObject({ state: 'error', code: 'internal', reason: 'crashed' });
    expect(portalExitCode(events, 'cancelled')).toBe(ExitCode.InternalError);
  });

  it('retry after an error starts over; a later success counts', () => {
    const events: NavigationEvent[] = [start, failLoad(-106), { type: 'retry' }, ...loaded];
    expect(portalOutcome(events)).toEqual({ state: 'in-progress', loaded: true });
    expect(portalOutcome([...events, { type: 'page-title-updated', title: 'Your password has been reset' }])).toEqual({ state: 'success' });
  });

  it('not enabled and throttled markers give exit 20 and 40', () => {
    const notEnabled: NavigationEvent[] = [...loaded, { type: 'page-title-updated', title: 'Error SSPR_0011' }];
    expect(portalExitCode(notEnabled, 'cancelled')).toBe(ExitCode.NotEnabledOrRegistered);
    const throttled: NavigationEvent[] = [...loaded, { type: 'page-title-updated', title: 'Too many attempts' }];
    expect(portalExitCode(throttled, 'cancelled')).toBe(ExitCode.Throttled);
  });
});

describe('net error classes and chrome phases', () => {
  it('classifies unknown codes as other', () => {
    expect(classifyNetError(-999)).toBe('other');
    expect(classifyNetError(-324)).toBe('http');
  });
  it('maps outcomes to the chrome phase', () => {
    expect(portalPhase({ state: 'in-progress', loaded: false })).toEqual({ phase: 'loading' });
    expect(portalPhase({ state: 'in-progress', loaded: true })).toEqual({ phase: 'showing' });
    expect(portalPhase({ state: 'success' })).toEqual({ phase: 'done' });
    expect(portalPhase({ state: 'error', code: 'unreachable', reason: 'tls', netError: -113 })).toEqual({ phase: 'error', error: { code: 'unreachable', reason: 'tls' } });
  });
  it('idle countdown', () => {
    expect(idleRemainingSeconds(10_000, 0, 180)).toBe(170);
    expect(idleRemainingSeconds(200_000, 0, 180)).toBe(0);
  });
});
