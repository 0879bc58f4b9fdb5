import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../../src/shared/exitCodes';
import { DEFAULT_PORTAL_MARKERS, markerHit, parseMarkerEntries, portalMarkers } from '../../../../src/main/core/portal/markers';
import { portalExitCode, portalOutcome, portalPhase, type NavigationEvent } from '../../../../src/main/core/portal/outcome';

const PORTAL = 'https://passwordreset.microsoftonline.com/passwordreset?mkt=en';
const shown: NavigationEvent[] = [
  { type: 'did-start-navigation', url: PORTAL, isMainFrame: true },
  { type: 'did-navigate', url: PORTAL, httpResponseCode: 200 },
  { type: 'page-title-updated', title: 'Microsoft Online Password Reset' },
];
const texts = (...t: string[]): NavigationEvent => ({ type: 'page-texts', texts: t });

describe('built-in markers: the documented error codes', () => {
  it.each([
    ['SSPR_0014', 'not_registered'],
    ['SSPR_0029', 'not_saved'],
    ['SSPR_0030', 'not_saved'],
    ['SSPR_0009', 'not_enabled'],
    ['SSPR_0013', 'not_enabled'],
  ])('%s in a heading or alert → %s', (code, kind) => {
    expect(markerHit(DEFAULT_PORTAL_MARKERS, 'text', [`Something went wrong. Error code: ${code}`])).toBe(kind);
    expect(markerHit(DEFAULT_PORTAL_MARKERS, 'title', [`Error ${code}`])).toBe(kind);
  });

  it('SSPR_0014 means "register more security info", never "not enabled"', () => {
    expect(portalOutcome([...shown, texts('You need to register more security info. SSPR_0014')])).toEqual({ state: 'not_registered' });
    expect(portalExitCode([...shown, texts('SSPR_0014')], 'cancelled')).toBe(ExitCode.NotEnabledOrRegistered);
  });

  it('writeback failures get "could not be saved" and claim nothing', () => {
    const events = [...shown, texts('Your password could not be saved. SSPR_0029')];
    expect(portalPhase(portalOutcome(events))).toEqual({ phase: 'error', error: { code: 'reset_failed', reason: 'not_saved' } });
    expect(portalExitCode(events, 'done')).toBe(ExitCode.Cancelled);
  });

  it('a code-like number that is not a documented code matches nothing', () => {
    expect(markerHit(DEFAULT_PORTAL_MARKERS, 'text', ['SSPR_00145', 'XSSPR_0014', 'SSPR_0015'])).toBeNull();
  });
});

describe('built-in markers: success and throttling in the portal\'s top languages', () => {
  it.each([
    ['en', 'Your password has been reset'],
    ['de', 'Ihr Kennwort wurde zurückgesetzt'],
    ['fr', 'Votre mot de passe a été réinitialisé'],
    ['es', 'Su contraseña se ha restablecido'],
    ['pt', 'Sua senha foi redefinida'],
    ['it', 'La password è stata reimpostata'],
    ['nl', 'Uw wachtwoord is opnieuw ingesteld'],
    ['ja', 'パスワードがリセットされました'],
    ['zh', '您的密码已重置'],
  ])('success (%s): "%s" on an unchanged title', (_lang, heading) => {
    const events = [...shown, texts('Get back into your account', heading)];
    expect(portalOutcome(events)).toEqual({ state: 'success' });
    expect(portalExitCode(events, 'done')).toBe(ExitCode.ResetDone);
  });

  it.each([
    ['en', 'You have made too many attempts. Try again later.'],
    ['de', 'Zu viele Versuche'],
    ['fr', 'Trop de tentatives'],
    ['es', 'Demasiados intentos'],
    ['ja', '試行回数が多すぎます'],
  ])('throttled (%s)', (_lang, text) => {
    const events = [...shown, texts(text)];
    expect(portalOutcome(events)).toEqual({ state: 'throttled' });
    expect(portalPhase(portalOutcome(events))).toEqual({ phase: 'error', error: { code: 'throttled', reason: 'throttled' } });
    expect(portalExitCode(events, 'cancelled')).toBe(ExitCode.Throttled);
  });

  it('an ordinary step heading is no outcome', () => {
    expect(portalOutcome([...shown, texts('Get back into your account', 'Who are you?', 'Enter the characters in the picture')])).toEqual({ state: 'in-progress', loaded: true });
  });

  it('a hash route named like a final step counts (convention), other routes do not', () => {
    expect(portalOutcome([...shown, { type: 'did-navigate-in-page', url: `${PORTAL}#!/success`, isMainFrame: true }])).toEqual({ state: 'success' });
    expect(portalOutcome([...shown, { type: 'did-navigate-in-page', url: `${PORTAL}#!/verify`, isMainFrame: true }])).toEqual({ state: 'in-progress', loaded: true });
  });

  it('success is final: a later error view or network drop does not undo it', () => {
    expect(portalOutcome([...shown, texts('Your password has been reset'), texts('SSPR_0029'), { type: 'did-fail-load', errorCode: -106, validatedURL: PORTAL, isMainFrame: true }])).toEqual({ state: 'success' });
  });
});

describe('cancel and off-list navigation', () => {
  it("the portal's own Back to sign in (to Microsoft's sign-in page) is a cancel by the portal", () => {
    const events: NavigationEvent[] = [...shown, { type: 'blocked', url: 'https://login.microsoftonline.com/', kind: 'navigation' }];
    expect(portalOutcome(events)).toEqual({ state: 'cancelled', reason: 'cancelled', byPortal: true });
    expect(portalExitCode(events, 'cancelled')).toBe(ExitCode.Cancelled);
  });

  it('an allowed navigation matching a cancel marker is also a cancel', () => {
    const markers = portalMarkers({ PortalMarkers: ['cancel:url:/passwordreset/cancel'] });
    const events: NavigationEvent[] = [...shown, { type: 'did-start-navigation', url: 'https://passwordreset.microsoftonline.com/passwordreset/cancel', isMainFrame: true }];
    expect(portalOutcome(events, markers)).toMatchObject({ state: 'cancelled', byPortal: true });
  });

  it('a refused click elsewhere keeps the page', () => {
    expect(portalOutcome([...shown, { type: 'blocked', url: 'https://go.microsoft.com/fwlink/?LinkId=1', kind: 'navigation' }])).toEqual({ state: 'in-progress', loaded: true });
  });

  it('a refused server redirect (even to the sign-in page) is an error naming the host, not a cancel', () => {
    expect(portalOutcome([...shown, { type: 'blocked', url: 'https://login.microsoftonline.com/common/oauth2', kind: 'redirect' }])).toMatchObject({
      state: 'error',
      reason: 'blocked',
      blockedHost: 'login.microsoftonline.com',
    });
  });
});

describe('admin markers (PortalMarkers)', () => {
  it('parses outcome:where:text as a case-insensitive plain substring', () => {
    const [m] = parseMarkerEntries(['success:text:Kennwort (neu) gesetzt']);
    expect(m?.kind).toBe('success');
    expect(m?.text?.test('IHR KENNWORT (NEU) GESETZT.')).toBe(true);
    // Not a regular expression: the parentheses are literal.
    expect(m?.text?.test('Kennwort neu gesetzt')).toBe(false);
  });

  it('skips malformed entries', () => {
    expect(parseMarkerEntries(['nonsense', 'success:body:x y', 'done:text:ok'])).toEqual([]);
  });

  it("the admin's markers come before the built-in ones", () => {
    const markers = portalMarkers({ PortalMarkers: ['throttled:text:password has been reset later'] });
    expect(markerHit(markers, 'text', ['Your password has been reset later'])).toBe('throttled');
    expect(markers.length).toBe(DEFAULT_PORTAL_MARKERS.length + 1);
  });
});
