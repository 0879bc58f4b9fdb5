/**
 * The portal engine's chrome: the whole overlay window around the locked portal view. It holds the header
 * (product, language, "Back to sign-in"), our own error screen when the portal cannot be shown, and the
 * idle warning. The portal page itself is a separate, sandboxed BrowserView placed by main just below
 * this header; the chrome tells main where (portal:layout) and hides the view whenever it shows a screen
 * of its own, because a native view always paints above the page.
 *
 * Render it INSTEAD of the native flow's layout when app:info.engine === 'portal': main measures idle
 * activity inside the view, so the native flow's own idle timer must not run alongside.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { PortalOutcomeReasons, type AppInfo, type IpcHandlers, type PortalHandlers, type PortalState } from '../../shared/ipc';
import { isRtl, PORTAL_LANGUAGES, usePortalStrings } from './strings';
import { displayName } from '../branding';
// The same warning time as our own screens: 30 s, enough to read it and reach Continue.
import { idleWarningSeconds } from '../../shared/idle';

/** The same contract as the native screens: app:exit always, the portal channels where main offers them. */
export type PortalChromeApi = Pick<IpcHandlers, 'app:exit'> & Partial<PortalHandlers>;

export interface PortalChromeProps {
  info: AppInfo;
  /** Defaults to the preload's window.sspr. */
  api?: PortalChromeApi;
  pollMs?: number;
}

const languageOption = (language: string): string => {
  const lower = language.toLowerCase();
  const base = lower.split('-')[0] ?? lower;
  return PORTAL_LANGUAGES.find((l) => l.code === lower)?.code ?? PORTAL_LANGUAGES.find((l) => l.code === base)?.code ?? 'en';
};

export const PortalChrome = ({ info, api, pollMs = 1000 }: PortalChromeProps) => {
  const bridge: PortalChromeApi | undefined = api ?? window.sspr;
  const supported = typeof bridge?.['portal:state'] === 'function' && typeof bridge['portal:layout'] === 'function';
  const [state, setState] = useState<PortalState | null>(null);
  const [leaving, setLeaving] = useState(false);
  const [headerHeight, setHeaderHeight] = useState(0);
  const headerRef = useRef<HTMLElement>(null);

  const language = state?.language ?? info.locale;
  const s = usePortalStrings(language);
  const warnAt = idleWarningSeconds(info.idleTimeoutSeconds);
  const warning = state !== null && state.phase !== 'error' && state.idleRemainingSeconds <= warnAt;
  const error = state?.phase === 'error' ? state.error : undefined;
  // The portal reached an answer (not registered, throttled, ...): loading it again cannot change that.
  const retryable = error !== undefined && !(PortalOutcomeReasons as readonly string[]).includes(error.reason);
  const viewVisible = supported && !leaving && !warning && !error;

  const accept = useCallback((next: PortalState) => setState(next), []);

  useEffect(() => {
    if (!supported) return undefined;
    let live = true;
    const tick = (): void => {
      bridge['portal:state']?.({})
        .then((next) => live && accept(next))
        .catch(() => undefined);
    };
    tick();
    const handle = setInterval(tick, pollMs);
    return () => {
      live = false;
      clearInterval(handle);
    };
  }, [supported, bridge, pollMs, accept]);

  useLayoutEffect(() => {
    const el = headerRef.current;
    if (!el) return undefined;
    const measure = (): void => setHeaderHeight(Math.ceil(el.getBoundingClientRect().bottom));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, []);

  useEffect(() => {
    if (!supported || headerHeight === 0) return;
    bridge['portal:layout']?.({ top: headerHeight, visible: viewVisible })
      .then(accept)
      .catch(() => undefined);
  }, [supported, bridge, headerHeight, viewVisible, accept]);

  const leave = (): void => {
    setLeaving(true);
    void bridge?.['app:exit']({ reason: state?.phase === 'done' ? 'done' : 'cancelled' }).catch(() => undefined);
  };
  const retry = (): void => {
    bridge?.['portal:retry']?.({}).then(accept).catch(() => undefined);
  };
  const chooseLanguage = (code: string): void => {
    bridge?.['portal:setLanguage']?.({ language: code }).then(accept).catch(() => undefined);
  };
  const done = state?.phase === 'done';

  return (
    <div className="portal-chrome" lang={language} dir={isRtl(language) ? 'rtl' : 'ltr'}>
      <header className="topbar portal-chrome__header" ref={headerRef}>
        <div className="topbar__brand">
          {info.logoDataUrl?.startsWith('data:image/') && <img className="topbar__logo" src={info.logoDataUrl} alt="" />}
          <span className="topbar__product">{displayName(info)}</span>
        </div>
        {supported && (
          <div className="topbar__language">
            <label htmlFor="portal-language">{s.language}</label>
            <select id="portal-language" value={languageOption(language)} onChange={(e) => chooseLanguage(e.target.value)} disabled={leaving}>
              {PORTAL_LANGUAGES.map((l) => (
                <option key={l.code} value={l.code} lang={l.code}>
                  {l.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="button" className={`button ${done ? 'button--primary' : 'button--quiet'} portal-chrome__back`} onClick={leave} disabled={leaving}>
          {done ? s.finish : s.backToSignIn}
        </button>
      </header>
      <main className="portal-chrome__body" aria-label={s.portalRegion}>
        {!supported && (
          <div className="card portal-chrome__card" role="alert">
            <h1 className="screen__title">{s.unavailableTitle}</h1>
            <p className="screen__lead">{s.unavailableBody}</p>
            {info.helpdeskText && <p className="helpdesk" dir="auto">{info.helpdeskText}</p>}
          </div>
        )}
        {supported && error && (
          <div className="card portal-chrome__card screen--problem" role="alert" data-reason={error.reason}>
            <div className="screen__icon" aria-hidden="true">
              !
            </div>
            <h1 className="screen__title">{s.errorTitle[error.reason]}</h1>
            <p className="screen__lead">{s.errorBody[error.reason]}</p>
            {info.helpdeskText && <p className="helpdesk" dir="auto">{info.helpdeskText}</p>}
            {error.blockedHost && <p className="small-print">{s.blockedHost(error.blockedHost)}</p>}
            <div className="actions">
              {retryable && (
                <button type="button" className="button button--primary" onClick={retry}>
                  {s.retry}
                </button>
              )}
              <button type="button" className={`button ${retryable ? 'button--secondary' : 'button--primary'}`} onClick={leave} disabled={leaving}>
                {s.backToSignIn}
              </button>
            </div>
            {error.correlationId && <p className="small-print">{s.reference(error.correlationId)}</p>}
          </div>
        )}
        {supported && !error && (state === null || state.phase === 'loading') && (
          <p className="portal-chrome__status" role="status">
            {s.loading}
          </p>
        )}
      </main>
      {warning && state && (
        <div className="modal-backdrop">
          <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="portal-idle-title" aria-describedby="portal-idle-body">
            <h2 id="portal-idle-title" className="modal__title">
              {s.idleTitle}
            </h2>
            <p id="portal-idle-body">{s.idleBody(state.idleRemainingSeconds)}</p>
            <div className="actions">
              {/* The click itself is the activity main counts; the next state ends the warning. */}
              <button type="button" className="button button--primary" autoFocus onClick={() => bridge?.['portal:state']?.({}).then(accept).catch(() => undefined)}>
                {s.idleContinue}
              </button>
            </div>
          </div>
        </div>
      )}
    </div>
  );
};
