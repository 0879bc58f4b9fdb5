/**
 * Applies the organisation's accent colour. The main process only ever passes a colour the config schema
 * accepted (src/shared/branding.ts checks its contrast); this re-checks it so a bad value can never reach
 * the screen, and otherwise keeps the built-in colours.
 */
import { accentProblem, hoverShade } from '../shared/branding';

export const applyAccent = (accent: string | undefined, root: HTMLElement = document.documentElement): boolean => {
  if (!accent || accentProblem(accent) !== null) return false;
  root.style.setProperty('--primary', accent);
  root.style.setProperty('--primary-hover', hoverShade(accent));
  return true;
};

/** The name in the header and the window title: the organisation's when set, else the product's. */
export const displayName = (info: { brandName?: string | undefined; productName: string }): string => info.brandName?.trim() || info.productName;
