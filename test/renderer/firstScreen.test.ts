/**
 * The first screen as the main process renders it (src/renderer/firstScreen.tsx): the App's own user-id
 * screen in the overlay's language, with everything from app:info escaped by React.
 */
import { describe, expect, it } from 'vitest';
import { renderFirstScreen } from '../../src/renderer/firstScreen';
import type { AppInfo } from '../../src/shared/ipc';
import de from '../../src/renderer/i18n/de.json';
import he from '../../src/renderer/i18n/he.json';

const info: AppInfo = { productName: 'SSPR Logon', scenario: 'logon', engine: 'native', userHint: '', locale: 'en', helpdeskText: '', idleTimeoutSeconds: 180, demo: false, portalUrl: '' };

describe('renderFirstScreen', () => {
  it('renders the user-id screen in the overlay language, with the user id from the shim in the field', () => {
    const screen = renderFirstScreen({ ...info, locale: 'de-AT', scenario: 'unlock', userHint: 'erin@contoso.com' });
    expect(screen).toMatchObject({ language: 'de', dir: 'ltr', title: 'SSPR Logon' });
    expect(screen?.html).toContain(`>${de.userId.title.unlock}</h1>`);
    expect(screen?.html).toContain(`>${de.userId.label}</label>`);
    expect(screen?.html).toMatch(/<input[^>]*id="username"[^>]*value="erin@contoso.com"/);
  });

  it('is right to left for Hebrew and Arabic, and falls back to English for a language we do not ship', () => {
    const hebrew = renderFirstScreen({ ...info, locale: 'he-IL' });
    expect(hebrew).toMatchObject({ language: 'he', dir: 'rtl' });
    expect(hebrew?.html).toContain(`>${he.userId.label}</label>`);
    expect(renderFirstScreen({ ...info, locale: 'kl-GL' })).toMatchObject({ language: 'en', dir: 'ltr' });
  });

  it('escapes what comes from the configuration and the command line', () => {
    const screen = renderFirstScreen({ ...info, userHint: '"><img src=x onerror=alert(1)>', brandName: '<b>Contoso</b>' });
    expect(screen?.html).not.toMatch(/<img|<b>/);
    expect(screen?.title).toBe('<b>Contoso</b>');
  });

  it('uses the organisation domain in the hint, as the page does', () => {
    expect(renderFirstScreen({ ...info, upnSuffix: 'fabrikam.com' })?.html).toContain('fabrikam.com');
  });

  it('renders nothing for the portal engine, whose window is a later part of its own', () => {
    expect(renderFirstScreen({ ...info, engine: 'portal' })).toBeNull();
  });
});
