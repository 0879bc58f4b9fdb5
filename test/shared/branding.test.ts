import { describe, expect, it } from 'vitest';
import { accentProblem, accentStylesheet, contrastRatio, hoverShade } from '../../src/shared/branding';
import { brandingInfo, defaultConfig, validateLayer } from '../../src/shared/config';

describe('contrast ratio (WCAG 2.x)', () => {
  it.each([
    ['#000000', '#ffffff', 21],
    ['#ffffff', '#ffffff', 1],
    ['#767676', '#ffffff', 4.54],
    ['#777777', '#ffffff', 4.48],
    ['#0a58ca', '#ffffff', 6.44],
  ])('%s on %s is %s:1', (a, b, ratio) => {
    expect(contrastRatio(a, b)).toBeCloseTo(ratio, 2);
    expect(contrastRatio(b, a)).toBeCloseTo(ratio, 2);
  });
});

describe('accent colour', () => {
  it.each([
    ['#0a58ca', null],
    ['#6b2c91', null],
    ['#767676', null],
    ['#1d6b35', null],
  ])('%s keeps white button text readable: accepted', (accent, problem) => {
    expect(accentProblem(accent)).toBe(problem);
  });

  it.each([
    ['#777777', /button text .* 4\.48:1, needs 4\.5:1/],
    ['#ffcc00', /button text/],
    ['#00a4ef', /button text/],
    ['#ffffff', /button text/],
    ['blue', /#RRGGBB/],
    ['#0a58c', /#RRGGBB/],
  ])('%s is refused', (accent, why) => {
    expect(accentProblem(accent)).toMatch(why);
  });

  it('is refused when it does not stand out 3:1 from the background, even with readable text on it', () => {
    // Dark text on a light accent reads well, but the light button vanishes on a light card.
    expect(accentProblem('#e0e0e0', '#000000', '#ffffff')).toMatch(/against the background .* needs 3:1/);
    expect(accentProblem('#e0e0e0', '#000000', '#1b1f24')).toBeNull();
  });

  it('a refused colour never reaches the overlay: the setting falls back and the problem is reported', () => {
    const refused = validateLayer('policy', { AccentColor: '#ffcc00' });
    expect(refused.values).toEqual({});
    expect(refused.problems[0]?.message).toMatch(/button text on #ffcc00/);
    expect(validateLayer('policy', { AccentColor: '#6b2c91' }).values).toEqual({ AccentColor: '#6b2c91' });
  });

  it('the hover shade is darker, so white text on it stays readable', () => {
    expect(hoverShade('#6b2c91')).toBe('#5b257b');
    expect(contrastRatio(hoverShade('#6b2c91'), '#ffffff')).toBeGreaterThan(contrastRatio('#6b2c91', '#ffffff'));
  });
});

describe('UpnSuffix and BrandName', () => {
  it.each(['fabrikam.com', 'corp.fabrikam.co.uk', 'contoso.onmicrosoft.com'])('accepts %s', (suffix) => {
    expect(validateLayer('policy', { UpnSuffix: suffix }).values).toEqual({ UpnSuffix: suffix });
  });

  it.each(['@fabrikam.com', 'fabrikam', 'fab rikam.com', 'fabrikam..com', `${'a'.repeat(45)}.com`])('refuses %s', (suffix) => {
    const { problems } = validateLayer('policy', { UpnSuffix: suffix });
    expect(problems).toHaveLength(1);
  });

  it('a refused UpnSuffix or LogoFile is reported in words an admin understands', () => {
    expect(validateLayer('policy', { UpnSuffix: '@fabrikam.com' }).problems[0]?.message).toMatch(/a domain such as fabrikam\.com/);
    expect(validateLayer('policy', { LogoFile: '..\\logo.png' }).problems[0]?.message).toMatch(/\.png or \.svg file in the data folder, not a path/);
    expect(validateLayer('policy', { LogoFile: 'logo.svg' }).values).toEqual({ LogoFile: 'logo.svg' });
  });

  it('the overlay is told only what an admin set', () => {
    expect(brandingInfo(defaultConfig)).toEqual({});
    expect(brandingInfo({ BrandName: ' Fabrikam ', AccentColor: '#6b2c91', UpnSuffix: 'Fabrikam.com' })).toEqual({
      brandName: 'Fabrikam',
      accentColor: '#6b2c91',
      upnSuffix: 'fabrikam.com',
    });
  });
});

describe('branding.css', () => {
  it('sets the two accent properties app.css uses, and nothing for no accent or a refused one', () => {
    expect(accentStylesheet('#6b2c91')).toBe(`:root{--primary:#6b2c91;--primary-hover:${hoverShade('#6b2c91')}}\n`);
    expect(accentStylesheet(undefined)).toBe('');
    expect(accentStylesheet('#ffff99')).toBe('');
    // Only a checked #RRGGBB reaches the stylesheet: nothing else can be smuggled into it.
    expect(accentStylesheet('#6b2c91;}body{display:none')).toBe('');
  });
});
