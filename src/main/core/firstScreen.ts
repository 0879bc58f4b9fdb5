/**
 * What the main process makes of the page for this run, so that its first paint is already complete:
 * index.html with the prerendered first screen (src/shared/firstScreen.ts says why) and branding.css with the
 * organisation's accent. The renderer for the screen is a bundle of its own, dist/main/first-screen.cjs,
 * loaded once: when it is missing or fails, the page is served as built and the renderer draws the first
 * screen itself, only later. Used by the app:// protocol of the overlay and by the browser host alike.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { accentStylesheet } from '../../shared/branding';
import { escapeHtml } from '../../shared/html';
import type { AppInfo } from '../../shared/ipc';
import { FIRST_SCREEN_ATTRIBUTE, FIRST_SCREEN_MARKER, type FirstScreen, type FirstScreenRenderer } from '../../shared/firstScreen';

/** Makes index.html as served from the page as built. */
export type IndexPage = (builtHtml: string) => Promise<string>;

/** Where the build puts the first-screen bundle, beside the main bundles. */
export const firstScreenBundle = (distDir: string): string => join(distDir, 'main', 'first-screen.cjs');

/** The bundle's renderer, or null (with the reason) when it cannot be loaded. */
export const loadFirstScreenRenderer = (file: string): { render: FirstScreenRenderer | null; problem?: string } => {
  try {
    const loaded = createRequire(file)(file) as { renderFirstScreen?: unknown };
    if (typeof loaded.renderFirstScreen !== 'function') return { render: null, problem: 'the bundle has no renderFirstScreen' };
    return { render: loaded.renderFirstScreen as FirstScreenRenderer };
  } catch (err) {
    return { render: null, problem: err instanceof Error ? err.message : String(err) };
  }
};

/** index.html with the first screen in it; a page without the marker (or no screen) comes back unchanged. */
export const withFirstScreen = (indexHtml: string, screen: FirstScreen | null): string => {
  if (!screen || !indexHtml.includes(FIRST_SCREEN_MARKER)) return indexHtml;
  // The language is one of our catalogue codes and dir one of two words; checked anyway, as they go into markup.
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(screen.language)) return indexHtml;
  const dir = screen.dir === 'rtl' ? 'rtl' : 'ltr';
  return indexHtml
    .replace(/<html lang="[^"]*" dir="[^"]*">/, `<html lang="${screen.language}" dir="${dir}">`)
    .replace(/<title>[^<]*<\/title>/, () => `<title>${escapeHtml(screen.title)}</title>`)
    // The page's code is fetched when the screen has been painted (src/renderer/main.tsx): fetching it
    // earlier would only hold that first paint back.
    .replace(/[ \t]*<link rel="modulepreload"[^>]*>\r?\n?/g, '')
    .replace(FIRST_SCREEN_MARKER, () => `<div id="root" ${FIRST_SCREEN_ATTRIBUTE}="${screen.language}">${screen.html}</div>`);
};

/**
 * index.html as served: with this overlay's first screen when it can be rendered. A render that throws
 * costs the fast first screen, never the page.
 */
export const indexPageFor =
  (render: FirstScreenRenderer | null, info: () => Promise<AppInfo>, onProblem: (problem: string) => void = () => {}): IndexPage =>
  async (indexHtml) => {
    if (!render) return indexHtml;
    try {
      return withFirstScreen(indexHtml, render(await info()));
    } catch (err) {
      onProblem(err instanceof Error ? err.message : String(err));
      return indexHtml;
    }
  };

/** The two files of the page made for this run instead of being read from disk. */
export interface PageForRun {
  indexPage: IndexPage;
  /** branding.css (linked by index.html): the accent's custom properties, or an empty stylesheet. */
  brandingCss: () => Promise<string>;
}

export const BRANDING_STYLESHEET = 'branding.css';

/** The page as built: nothing put in, no accent. */
export const PAGE_AS_BUILT: PageForRun = { indexPage: async (html) => html, brandingCss: async () => '' };

export const pageForRun = (render: FirstScreenRenderer | null, info: () => Promise<AppInfo>, onProblem?: (problem: string) => void): PageForRun => ({
  indexPage: indexPageFor(render, info, onProblem),
  // Without app:info there is no accent to show; the built-in colours are always valid.
  brandingCss: () => info().then((i) => accentStylesheet(i.accentColor), () => ''),
});
