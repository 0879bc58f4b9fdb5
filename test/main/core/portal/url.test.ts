import { describe, expect, it } from 'vitest';
import { portalUrl } from '../../../../src/main/core/portal/url';

describe('portalUrl', () => {
  it('defaults to the Microsoft portal with the UI language as mkt', () => {
    expect(portalUrl({}, 'de-DE')).toBe('https://passwordreset.microsoftonline.com/?mkt=de-de');
  });
  it('keeps the admin query parameters and replaces an old mkt', () => {
    expect(portalUrl({ PortalUrl: 'https://passwordreset.microsoftonline.com/n/passwordreset?hosted=0&mkt=en-us' }, 'fr')).toBe(
      'https://passwordreset.microsoftonline.com/n/passwordreset?hosted=0&mkt=fr',
    );
  });
  it('leaves out a malformed language rather than passing it on', () => {
    expect(portalUrl({}, 'x"><script>')).toBe('https://passwordreset.microsoftonline.com/');
    expect(portalUrl({}, '')).toBe('https://passwordreset.microsoftonline.com/');
  });
  it('never opens a non-https or broken PortalUrl', () => {
    expect(portalUrl({ PortalUrl: 'http://passwordreset.microsoftonline.com/' }, 'en')).toBe('https://passwordreset.microsoftonline.com/?mkt=en');
    expect(portalUrl({ PortalUrl: 'not a url' }, 'en')).toBe('https://passwordreset.microsoftonline.com/?mkt=en');
  });
  it('prefills the user id only when asked, and only a valid UPN', () => {
    expect(portalUrl({}, 'en')).not.toContain('username');
    expect(portalUrl({}, 'en', { prefillUsername: 'alice@contoso.com' })).toBe('https://passwordreset.microsoftonline.com/?mkt=en&username=alice%40contoso.com');
    expect(portalUrl({}, 'en', { prefillUsername: 'CONTOSO\\alice' })).not.toContain('username');
    expect(portalUrl({}, 'en', { prefillUsername: 'a&mkt=xx@contoso.com' })).not.toContain('username');
  });
});
