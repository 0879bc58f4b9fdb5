// The shell and the user-id screen, started by app.js (main.tsx); the later screens and the portal chrome are
// chunks fetched after the first paint (later.ts).
import i18next from 'i18next';
import { flushSync } from 'react-dom';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { FIRST_SCREEN_ATTRIBUTE } from '../shared/firstScreen';
import { App, FALLBACK_INFO, PortalChrome } from './App';
import { initI18n, pickLanguage } from './i18n';
import type { Startup } from './startup';

export const boot = async ({ api, appInfo }: Startup): Promise<void> => {
  const info = await appInfo;
  // Only the active language's catalogue is fetched (English is in the bundle and costs no request).
  await initI18n(pickLanguage(info?.locale ?? navigator.language), { ...(info?.upnSuffix ? { domain: info.upnSuffix } : {}) });
  const container = document.getElementById('root');
  if (!container) return;
  // The main process sent the first screen inside the page (src/shared/firstScreen.ts): take that markup
  // over rather than build it again, when it is the same screen in the same language. (Should React still
  // find a difference, it renders afresh and says so in the console; the screen stays correct.)
  if (info && info.engine !== 'portal' && container.getAttribute(FIRST_SCREEN_ATTRIBUTE) === i18next.language) {
    hydrateRoot(container, <App api={api} info={info} />);
    return;
  }
  // Not taken over (another language, no app:info): drawn afresh, with what was typed into the field kept.
  const typed = container.querySelector<HTMLInputElement>('#username')?.value || undefined;
  container.replaceChildren();
  // The portal engine's chrome is a whole window of its own around the locked portal view.
  const root = createRoot(container);
  // Rendered at once, in this task: nothing else is waiting, and a scheduled render would cost one more turn.
  flushSync(() => {
    if (info?.engine === 'portal') root.render(<PortalChrome info={info} api={api} />);
    else root.render(<App api={api} info={info ?? FALLBACK_INFO} started={info !== null} initialUserId={typed} />);
  });
};
