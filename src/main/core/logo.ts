/**
 * The organisation's logo (LogoFile): a PNG or SVG in the data folder, read once at start, size-capped,
 * checked, and handed to the renderer as a data: URL shown in an <img>, so the overlay never fetches it and
 * an image can run no script. Anything doubtful is refused (no logo) and logged, never shown.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';

export const MAX_LOGO_BYTES = 64 * 1024;

export type LogoResult = { dataUrl: string } | { problem: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** What an SVG logo may not contain: scripts, event handlers, embedded documents, or any outside reference. */
const SVG_REFUSED: readonly [RegExp, string][] = [
  [/<!DOCTYPE|<!ENTITY/i, 'a DOCTYPE or entity'],
  [/<\s*script/i, 'a script'],
  [/\son[a-z]+\s*=/i, 'an event handler attribute'],
  [/<\s*(foreignObject|iframe|embed|object|image|use|a)[\s>/]/i, 'an embedded, linked or referenced element'],
  [/javascript:/i, 'a javascript: address'],
  [/\bhref\s*=\s*["']?\s*(?!#)/i, 'a reference to something outside the file'],
  [/url\(\s*["']?\s*(?!#)/i, 'a url() outside the file'],
  [/@import/i, 'a style sheet import'],
];

export const checkLogo = (fileName: string, bytes: Buffer): LogoResult => {
  if (bytes.length === 0) return { problem: 'the logo file is empty' };
  if (bytes.length > MAX_LOGO_BYTES) return { problem: `the logo file is ${bytes.length} bytes; at most ${MAX_LOGO_BYTES} are allowed` };
  const ext = extname(fileName).toLowerCase();
  if (ext === '.png') {
    if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.toString('latin1', 12, 16) !== 'IHDR') return { problem: 'the logo file is not a PNG image' };
    return { dataUrl: `data:image/png;base64,${bytes.toString('base64')}` };
  }
  if (ext === '.svg') {
    const text = bytes.toString('utf8');
    if (!/<svg[\s>]/i.test(text)) return { problem: 'the logo file is not an SVG image' };
    for (const [pattern, what] of SVG_REFUSED) if (pattern.test(text)) return { problem: `the SVG logo contains ${what}` };
    return { dataUrl: `data:image/svg+xml;base64,${bytes.toString('base64')}` };
  }
  return { problem: 'the logo must be a .png or .svg file' };
};

/** Reads LogoFile from the data folder (a plain file name, never a path). */
export const loadLogo = (dataDir: string | undefined, fileName: string): LogoResult | null => {
  if (!fileName) return null;
  if (dataDir === undefined) return { problem: 'no data folder to read the logo from' };
  if (basename(fileName) !== fileName) return { problem: 'LogoFile must be a file name in the data folder, not a path' };
  const path = join(dataDir, fileName);
  try {
    const size = statSync(path).size;
    if (size > MAX_LOGO_BYTES) return { problem: `the logo file is ${size} bytes; at most ${MAX_LOGO_BYTES} are allowed` };
    return checkLogo(fileName, readFileSync(path));
  } catch {
    return { problem: 'the logo file could not be read' };
  }
};
