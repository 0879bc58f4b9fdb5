// app.js: the shell and the user-id screen. start.js has already asked app:info (startup.ts); the later
// screens and the portal chrome are chunks fetched after the first paint (later.ts).
import { theStartup } from './startup';
import './styles.css';
// Here rather than in PortalChrome: a stylesheet imported by a lazily loaded chunk would not be loaded.
import './portal/portal.css';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { App, FALLBACK_INFO, PortalChrome } from './App';
import { applyAccent } from './branding';
import { initI18n, pickLanguage } from './i18n';

const { api, appInfo } = theStartup();

const boot = async () => {
  const info = await appInfo;
  applyAccent(info?.accentColor);
  // Only the active language's catalogue is fetched (English is in the bundle and costs no request).
  await initI18n(pickLanguage(info?.locale ?? navigator.language), { ...(info?.upnSuffix ? { domain: info.upnSuffix } : {}) });
  const container = document.getElementById('root');
  if (!container) return;
  // The portal engine's chrome is a whole window of its own around the locked portal view.
  const root = createRoot(container);
  // Rendered at once, in this task: nothing else is waiting, and a scheduled render would cost one more turn.
  flushSync(() => {
    if (info?.engine === 'portal') root.render(<PortalChrome info={info} api={api} />);
    else root.render(<App api={api} info={info ?? FALLBACK_INFO} started={info !== null} />);
  });
};

void boot();
