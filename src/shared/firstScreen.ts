/**
 * The first screen, rendered to HTML by the main process and sent inside index.html, so that the user-id
 * field is on screen as soon as the page and its stylesheet have arrived; the renderer's JavaScript then
 * takes that markup over (hydrates it) instead of building it again. src/renderer/firstScreen.tsx renders
 * it (bundled on its own as dist/main/first-screen.cjs); src/main/core/firstScreen.ts puts it in the page.
 */
import type { AppInfo } from './ipc';

export interface FirstScreen {
  /** The markup of the renderer's root element. */
  html: string;
  /** The language the markup is in; the renderer hydrates only when it picked the same one. */
  language: string;
  dir: 'ltr' | 'rtl';
  /** The window title (the organisation's name when set). */
  title: string;
}

/** null: this overlay's first screen is not prerendered (the portal engine); the renderer builds it. */
export type FirstScreenRenderer = (info: AppInfo) => FirstScreen | null;

/** The marker in index.html that the first screen replaces; a page without it is served unchanged. */
export const FIRST_SCREEN_MARKER = '<div id="root"><!--first-screen--></div>';

/** The root element's attribute naming the prerendered language. */
export const FIRST_SCREEN_ATTRIBUTE = 'data-first-screen';
