// First, so that app:info is on its way before the rest of the bundle runs (see startupCall.ts).
import { api, appInfo } from './startupCall';
import './styles.css';
import { createRoot } from 'react-dom/client';
import { App, FALLBACK_INFO } from './App';
import { applyAccent } from './branding';
import { initI18n, pickLanguage } from './i18n';
import { PortalChrome } from './portal/PortalChrome';

const boot = async () => {
  const info = await appInfo;
  applyAccent(info?.accentColor);
  // Only the active language's catalogue is fetched (English is in the bundle and costs no request).
  await initI18n(pickLanguage(info?.locale ?? navigator.language), { ...(info?.upnSuffix ? { domain: info.upnSuffix } : {}) });
  const container = document.getElementById('root');
  if (!container) return;
  // The portal engine's chrome is a whole window of its own around the locked portal view.
  const root = createRoot(container);
  if (info?.engine === 'portal') root.render(<PortalChrome info={info} api={api} />);
  else root.render(<App api={api} info={info ?? FALLBACK_INFO} started={info !== null} />);
};

void boot();
