/**
 * Reading the portal's visible heading and alert texts, for the outcome markers and the pilot capture.
 *
 * The script runs in an isolated world (Electron's executeJavaScriptInIsolatedWorld): it shares the DOM but
 * none of the page's JavaScript, so the page cannot see or tamper with it, and it only reads. It never
 * reads form fields: input values, textareas and contenteditable regions are skipped, so a typed user id,
 * code or password cannot end up in a marker match or a capture.
 */

/** Our world id (Electron reserves 0 for the page and 999 for the preload's context bridge). */
export const PAGE_TEXTS_WORLD_ID = 1207;

export const MAX_PAGE_TEXTS = 20;
export const MAX_PAGE_TEXT_LENGTH = 300;

/**
 * Headings, alerts and live regions that are rendered (not display:none, not hidden), as trimmed single-line
 * texts. An expression: its value is what executeJavaScriptInIsolatedWorld resolves to.
 */
export const PAGE_TEXTS_SCRIPT = `(() => {
  const selector = 'h1, h2, h3, [role="heading"], [role="alert"], [role="status"], [aria-live="assertive"], [aria-live="polite"], .alert, .error, .errorText';
  const out = [];
  for (const el of Array.from(document.querySelectorAll(selector))) {
    if (out.length >= ${MAX_PAGE_TEXTS}) break;
    if (el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], [aria-hidden="true"], [hidden]')) continue;
    if (el.getClientRects().length === 0) continue;
    let text = '';
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (parent && parent.closest('input, textarea, select, script, style, [contenteditable=""], [contenteditable="true"]')) continue;
      text += n.nodeValue;
    }
    text = text.replace(/\\s+/g, ' ').trim().slice(0, ${MAX_PAGE_TEXT_LENGTH});
    if (text && !out.includes(text)) out.push(text);
  }
  return out;
})()`;

/** What came back from the page, checked: only strings, capped, so a hostile page cannot flood the log. */
export const pageTextsFrom = (result: unknown): string[] => {
  if (!Array.isArray(result)) return [];
  const texts: string[] = [];
  for (const item of result.slice(0, MAX_PAGE_TEXTS)) {
    if (typeof item !== 'string') continue;
    const text = item.replace(/\s+/g, ' ').trim().slice(0, MAX_PAGE_TEXT_LENGTH);
    if (text && !texts.includes(text)) texts.push(text);
  }
  return texts;
};

export const sameTexts = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((t, i) => t === b[i]);
