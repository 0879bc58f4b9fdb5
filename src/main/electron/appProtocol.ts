/**
 * Serves dist/renderer over app://overlay/ (a privileged standard scheme) instead of file://, with our CSP
 * on every response. Only plain file names inside the renderer folder resolve; everything else is 404.
 */
import { readFile } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { CustomScheme, ProtocolRequest, ProtocolResponse } from 'electron';
import { BRANDING_STYLESHEET, PAGE_AS_BUILT, type PageForRun } from '../core/firstScreen';
import { APP_CONTENT_SECURITY_POLICY, APP_HOST, APP_SCHEME } from '../core/lockdown/policy';

export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, bypassCSP: false, allowServiceWorkers: false, stream: false },
};

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** net::ERR_FILE_NOT_FOUND */
const NOT_FOUND = -6;

export const resolveAppFile = (url: string, rootDir: string): { path: string; mimeType: string } | null => {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host.toLowerCase() !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  if (!/^\/[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/.test(pathname)) return null;
  const mimeType = MIME[extname(pathname).toLowerCase()];
  if (!mimeType) return null;
  const root = resolve(rootDir);
  const path = resolve(join(root, pathname));
  if (!path.startsWith(root + sep)) return null;
  return { path, mimeType };
};

export const appResponseHeaders = (): Record<string, string> => ({
  'Content-Security-Policy': APP_CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
});

/** page: index.html and branding.css as made for this run (src/main/core/firstScreen.ts). */
export const appProtocolHandler =
  (rootDir: string, page: PageForRun = PAGE_AS_BUILT) =>
  (request: ProtocolRequest, callback: (response: Buffer | ProtocolResponse) => void): void => {
    const file = request.method === 'GET' ? resolveAppFile(request.url, rootDir) : null;
    if (!file) {
      callback({ error: NOT_FOUND });
      return;
    }
    const respond = (data: Buffer) => callback({ statusCode: 200, mimeType: file.mimeType, charset: 'utf-8', data, headers: appResponseHeaders() });
    const root = resolve(rootDir);
    // Made, never read: a file of that name in the folder is ignored. Neither promise rejects (both fall
    // back to the page as built); the catches are for a wiring mistake.
    if (file.path === join(root, BRANDING_STYLESHEET)) {
      page.brandingCss().then((css) => respond(Buffer.from(css, 'utf8')), () => respond(Buffer.alloc(0)));
      return;
    }
    readFile(file.path, (err, data) => {
      if (err) callback({ error: NOT_FOUND });
      else if (file.path !== join(root, 'index.html')) respond(data);
      else page.indexPage(data.toString('utf8')).then((html) => respond(Buffer.from(html, 'utf8')), () => respond(data));
    });
  };
