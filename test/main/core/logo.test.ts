import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLogo, loadLogo, MAX_LOGO_BYTES } from '../../../src/main/core/logo';

/** A real 1×1 PNG. */
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const svg = (body: string) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">${body}</svg>`);

describe('logo checks', () => {
  it('a PNG becomes a data: URL', () => {
    expect(checkLogo('logo.png', TINY_PNG)).toEqual({ dataUrl: `data:image/png;base64,${TINY_PNG.toString('base64')}` });
  });

  it('a plain SVG with an internal gradient becomes a data: URL', () => {
    const plain = svg('<defs><linearGradient id="g"><stop offset="0" stop-color="#6b2c91"/></linearGradient></defs><rect width="10" height="10" fill="url(#g)"/>');
    expect(checkLogo('logo.svg', plain)).toEqual({ dataUrl: `data:image/svg+xml;base64,${plain.toString('base64')}` });
  });

  it.each([
    ['a script', svg('<script>alert(1)</script>')],
    ['an event handler attribute', svg('<rect width="10" height="10" onload="alert(1)"/>')],
    ['an embedded, linked or referenced element', svg('<image href="https://evil.example/x.png"/>')],
    ['an embedded, linked or referenced element', svg('<foreignObject><div>hi</div></foreignObject>')],
    ['a reference to something outside the file', svg('<rect width="10" height="10" xlink:href="http://evil.example/"/>')],
    ['a url() outside the file', svg('<rect width="10" height="10" style="fill:url(https://evil.example/x)"/>')],
    ['a style sheet import', svg('<style>@import "https://evil.example/x.css";</style>')],
    ['a DOCTYPE or entity', Buffer.from('<!DOCTYPE svg [<!ENTITY x "y">]><svg></svg>')],
  ])('an SVG with %s is refused', (what, bytes) => {
    expect(checkLogo('logo.svg', bytes)).toEqual({ problem: `the SVG logo contains ${what}` });
  });

  it.each([
    ['logo.png', Buffer.from('GIF89a not a png at all')],
    ['logo.svg', Buffer.from('<html><body>hello</body></html>')],
    ['logo.gif', TINY_PNG],
    ['logo.png', Buffer.alloc(0)],
    ['logo.png', Buffer.concat([TINY_PNG, Buffer.alloc(MAX_LOGO_BYTES)])],
  ])('%s with the wrong content, type or size is refused', (name, bytes) => {
    expect(checkLogo(name, bytes)).toHaveProperty('problem');
  });

  it('is read only from the data folder, by plain file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sspr-logo-'));
    writeFileSync(join(dir, 'logo.png'), TINY_PNG);
    expect(loadLogo(dir, 'logo.png')).toHaveProperty('dataUrl');
    expect(loadLogo(dir, '')).toBeNull();
    expect(loadLogo(dir, '../logo.png')).toEqual({ problem: 'LogoFile must be a file name in the data folder, not a path' });
    expect(loadLogo(dir, 'missing.png')).toEqual({ problem: 'the logo file could not be read' });
    expect(loadLogo(undefined, 'logo.png')).toEqual({ problem: 'no data folder to read the logo from' });
  });
});
