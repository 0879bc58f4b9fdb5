import { describe, expect, it } from 'vitest';
import { defaultConfig, overlayLanguage, validateLayer } from '../../src/shared/config';

describe('which language the overlay starts in', () => {
  it('Locale set by policy or the MSI wins over the Windows display language', () => {
    expect(overlayLanguage({ Locale: 'fr' }, 'de-DE')).toBe('fr');
  });

  it('without Locale, the Windows display language the shim passes', () => {
    expect(overlayLanguage({ Locale: defaultConfig.Locale }, 'de-DE')).toBe('de-DE');
  });

  it('with neither, English', () => {
    expect(overlayLanguage({ Locale: defaultConfig.Locale }, undefined)).toBe('en');
  });

  it('Locale may be cleared (empty) or a BCP 47 tag with script and region; anything else is reported', () => {
    expect(validateLayer('policy', { Locale: '' }).values).toEqual({ Locale: '' });
    expect(validateLayer('policy', { Locale: 'zh-Hant-TW' }).values).toEqual({ Locale: 'zh-Hant-TW' });
    const bad = validateLayer('policy', { Locale: 'de DE' });
    expect(bad.values).toEqual({});
    expect(bad.problems).toHaveLength(1);
  });
});
