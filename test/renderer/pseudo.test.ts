import { describe, expect, it } from 'vitest';
import en from '../../src/renderer/i18n/en.json';
import { checkCatalogue, flatten, type Catalogue } from '../../src/renderer/i18n/catalogue';
import { pseudoCatalogue, pseudoText } from '../../src/renderer/i18n/pseudo';

describe('pseudo-locale en-XA', () => {
  it('brackets, accents and lengthens a message by about 40%', () => {
    const text = 'Enter the code we sent you';
    const pseudo = pseudoText(text);
    expect(pseudo.startsWith('[') && pseudo.endsWith(']')).toBe(true);
    expect(pseudo).not.toMatch(/[aeiou]/);
    expect(pseudo.length).toBeGreaterThanOrEqual(Math.round(text.length * 1.4));
  });

  it('keeps placeholders so values still appear', () => {
    expect(pseudoText('Wait {{seconds}} seconds')).toContain('{{seconds}}');
  });

  it('covers the whole English catalogue and passes the catalogue check', () => {
    const pseudo = pseudoCatalogue(en as Catalogue);
    expect(checkCatalogue(en as Catalogue, pseudo)).toEqual([]);
    for (const [key, value] of flatten(pseudo)) expect(value, key).toMatch(/^\[.*\]$/s);
  });
});
