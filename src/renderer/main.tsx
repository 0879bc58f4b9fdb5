// app.js: asks app:info at once (unless start.js already did, startup.ts), then starts the overlay (boot.tsx).
import { theStartup } from './startup';
import './styles.css';
// Here rather than in PortalChrome: a stylesheet imported by a lazily loaded chunk would not be loaded.
import './portal/portal.css';
import { FIRST_SCREEN_ATTRIBUTE } from '../shared/firstScreen';
import { holdEarlySubmit } from './earlySubmit';

const startup = theStartup();

/**
 * A first screen sent inside the page (src/shared/firstScreen.ts) is usable once the page and its stylesheet
 * are in. The code that takes it over starts when the page is idle after its first paint, so neither that
 * paint nor the first click or key waits for it. A window that is not painting (hidden) gets no frames,
 * hence the timers.
 */
const afterFirstPaint = (): Promise<void> =>
  new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(() => requestIdleCallback(() => resolve(), { timeout: 200 }), 0));
    setTimeout(resolve, 300);
  });

const prerendered = document.getElementById('root')?.hasAttribute(FIRST_SCREEN_ATTRIBUTE) ?? false;
if (prerendered) holdEarlySubmit();
void (prerendered ? afterFirstPaint() : Promise.resolve()).then(() => import('./boot')).then(({ boot }) => boot(startup));
