import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppFile } from '../../../src/main/electron/appProtocol';
import { onDemandLanguages } from '../../../src/renderer/i18n/languages';
import { COMMON_PASSWORDS_SCRIPT } from '../../../src/shared/passwordHints';

describe('app:// serves the on-demand scripts the renderer loads (language catalogues, common-password list)', () => {
  const root = resolve('/opt/sspr/renderer');

  it.each(onDemandLanguages.map((code) => [code]))('i18n/%s.js resolves to a script inside the renderer folder', (code) => {
    expect(resolveAppFile(`app://overlay/i18n/${code}.js`, root)).toEqual({ path: join(root, 'i18n', `${code}.js`), mimeType: 'text/javascript' });
  });

  it('the common-password list the password screen loads resolves to a script inside the renderer folder', () => {
    expect(resolveAppFile(`app://overlay/${COMMON_PASSWORDS_SCRIPT}`, root)).toEqual({ path: join(root, COMMON_PASSWORDS_SCRIPT), mimeType: 'text/javascript' });
  });

  it('nothing outside the renderer folder or of another type', () => {
    // Dot segments, plain or encoded, are folded by the URL parser: the result stays inside the folder.
    for (const url of ['app://overlay/i18n/../../../etc/secret.js', 'app://overlay/i18n/%2e%2e/%2e%2e/%2e%2e/secret.js']) {
      expect(resolveAppFile(url, root)?.path.startsWith(root + sep), url).toBe(true);
    }
    expect(resolveAppFile('app://overlay/i18n/de.json', root)).not.toBeNull();
    expect(resolveAppFile('app://overlay/i18n/de.exe', root)).toBeNull();
  });
});
