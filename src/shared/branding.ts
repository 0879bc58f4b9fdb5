/**
 * The organisation's look, as pure functions shared by the config schema (which refuses a bad accent
 * colour before the overlay ever shows it) and the renderer (which applies it).
 */

export const HEX_COLOUR = /^#[0-9a-f]{6}$/i;

/** Text on primary buttons, and the card the buttons sit on (see src/renderer/styles.css). */
export const BUTTON_TEXT_COLOUR = '#ffffff';
export const CARD_BACKGROUND = '#ffffff';

/** WCAG 2.x: text (button labels) needs 4.5:1, a control against what surrounds it 3:1. */
export const MIN_TEXT_CONTRAST = 4.5;
export const MIN_CONTROL_CONTRAST = 3;

const rgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

/** WCAG 2.x relative luminance of a #rrggbb colour. */
export const relativeLuminance = (hex: string): number => {
  const [r, g, b] = rgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

/** WCAG 2.x contrast ratio, 1 to 21. */
export const contrastRatio = (a: string, b: string): number => {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

/**
 * Why an accent colour cannot be used, or null when it can: button text on it must reach 4.5:1 and the
 * accent must stand out 3:1 from the card behind it, so no brand colour can make a button unreadable.
 */
export const accentProblem = (accent: string, text = BUTTON_TEXT_COLOUR, background = CARD_BACKGROUND): string | null => {
  if (!HEX_COLOUR.test(accent)) return 'accent colour must be #RRGGBB';
  const onButton = contrastRatio(accent, text);
  if (onButton < MIN_TEXT_CONTRAST) return `button text on ${accent} has contrast ${onButton.toFixed(2)}:1, needs ${MIN_TEXT_CONTRAST}:1`;
  const againstCard = contrastRatio(accent, background);
  if (againstCard < MIN_CONTROL_CONTRAST) return `${accent} against the background has contrast ${againstCard.toFixed(2)}:1, needs ${MIN_CONTROL_CONTRAST}:1`;
  return null;
};

/** The hover shade of an accent: 15% darker, so its contrast with white text only grows. */
export const hoverShade = (accent: string): string =>
  `#${rgb(accent)
    .map((c) => Math.round(c * 0.85).toString(16).padStart(2, '0'))
    .join('')}`;

/**
 * The page's branding.css: the organisation's accent as the two custom properties app.css uses, or nothing
 * when there is none or it is refused. A stylesheet of our own origin because the CSP allows no inline
 * style, and one the page links from the start, so the first paint already has the accent.
 */
export const accentStylesheet = (accent: string | undefined): string =>
  accent && accentProblem(accent) === null ? `:root{--primary:${accent};--primary-hover:${hoverShade(accent)}}\n` : '';
