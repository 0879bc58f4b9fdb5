import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppInfo, ExitReason, FlowError, FlowResult, FlowView } from '../shared/ipc';
import type { RendererApi } from './api';
import { isScreenError, type ScreenErrorCode } from '../shared/errors';
import { checkUsername } from '../shared/validation';
import { displayName } from './branding';
import { Header } from './components/Header';
import { LiveRegions } from './components/LiveRegions';
import { loopFocus } from './focusLoop';
import { useIdleTimer } from './hooks';
import { idleTimeoutFor, idleWarningSeconds } from '../shared/idle';
import { changeLanguage, pickLanguage, type Language } from './i18n';
import { later, preloadLater } from './later';
import type { CodeView } from './screens/CodeScreen';
import { UserIdScreen } from './screens/UserIdScreen';

// Only the user-id screen is in the first load; the rest arrives right after the first paint (later.ts).
const laterParts = () => import('./laterParts');
const CodeScreen = later(() => laterParts().then((m) => m.CodeScreen));
const PasswordScreen = later(() => laterParts().then((m) => m.PasswordScreen));
const ErrorScreen = later(() => laterParts().then((m) => m.ErrorScreen));
const SavingScreen = later(() => laterParts().then((m) => m.SavingScreen));
const DoneScreen = later(() => laterParts().then((m) => m.DoneScreen));
const ClosedScreen = later(() => laterParts().then((m) => m.ClosedScreen));
const MessageScreen = later(() => laterParts().then((m) => m.MessageScreen));
const IdleWarning = later(() => laterParts().then((m) => m.IdleWarning));
export const PortalChrome = later(() => laterParts().then((m) => m.PortalChrome));

type Stage =
  | { kind: 'userId' }
  | { kind: 'code'; view: CodeView; receivedAt: number }
  | { kind: 'password'; serviceError: FlowError | null }
  | { kind: 'saving' }
  /** The user chose to leave while the password was being saved: main waits for the answer first. */
  | { kind: 'finishing' }
  | { kind: 'done' }
  | { kind: 'error'; error: FlowError & { code: ScreenErrorCode } }
  | { kind: 'closed' }
  /** The tenant's hosted web flow in main's locked view, after a `redirect` answer. */
  | { kind: 'webFlow' }
  | { kind: 'startupFailed' };

/** Used when app:info itself could not be read: enough to show a message and a way out. */
export const FALLBACK_INFO: AppInfo = {
  productName: 'SSPR Logon',
  scenario: 'logon',
  engine: 'native',
  userHint: '',
  locale: 'en',
  helpdeskText: '',
  idleTimeoutSeconds: 180,
  demo: false,
  portalUrl: '',
};

// The portal engine never reaches App: boot.tsx renders its own chrome (src/renderer/portal) instead.
const initialStage = (started: boolean): Stage => (started ? { kind: 'userId' } : { kind: 'startupFailed' });

/**
 * initialUserId: what the user-id field starts with when it is not the tile's user id (app:info's userHint):
 * the text typed into a prerendered first screen that could not be taken over (boot.tsx).
 */
export const App = ({ api, info, started = true, initialUserId }: { api: RendererApi; info: AppInfo; started?: boolean; initialUserId?: string | undefined }) => {
  const { t } = useTranslation();
  const [language, setLanguage] = useState<Language>(pickLanguage(info.locale));
  // Each stage change gets a new key, so a screen mounts afresh and moves focus (also code → new code).
  const [stage, setStageState] = useState<{ id: number; stage: Stage }>({ id: 0, stage: initialStage(started) });
  const [username, setUsername] = useState(() => initialUserId ?? (checkUsername(info.userHint).ok ? info.userHint.trim() : ''));
  const [busy, setBusy] = useState(false);
  const exiting = useRef(false);
  const current = stage.stage;

  const go = (next: Stage) => setStageState((s) => ({ id: s.id + 1, stage: next }));

  useEffect(() => {
    document.title = displayName(info);
  }, [info]);

  // The first screen is on show: fetch the later ones now, well before anyone can reach them.
  useEffect(preloadLater, []);

  const exit = async (reason: ExitReason) => {
    if (exiting.current) return;
    exiting.current = true;
    // The answer decides the outcome (and the exit code): say so rather than pretend we left already.
    if (current.kind === 'saving') go({ kind: 'finishing' });
    try {
      await api['app:exit']({ reason });
    } catch {
      // The host may already be gone; the closing screen is still the right thing to show.
    }
    go({ kind: 'closed' });
  };

  // In the web flow main measures activity inside the locked view and owns the idle exit.
  const idleTimeout = idleTimeoutFor(info.idleTimeoutSeconds, current.kind);
  const idle = useIdleTimer(idleTimeout, busy || current.kind === 'closed' || current.kind === 'finishing' || current.kind === 'webFlow', () => {
    void exit(current.kind === 'done' ? 'done' : 'idle');
  });

  const show = (view: FlowView) => {
    if (view.step === 'code') go({ kind: 'code', view, receivedAt: Date.now() });
    else if (view.step === 'password') go({ kind: 'password', serviceError: null });
    else if (view.step === 'done') go({ kind: 'done' });
    else go({ kind: 'userId' });
  };

  /**
   * Runs one flow call. A screen-level error replaces the screen; an inline error is handed back to the
   * screen that asked. If the transport fails the answer is unknown, so `unknownOutcome` decides the screen.
   */
  const run = async (request: () => Promise<FlowResult>, unknownOutcome: ScreenErrorCode): Promise<FlowError | null> => {
    setBusy(true);
    let result: FlowResult;
    try {
      result = await request();
    } catch {
      result = { ok: false, error: { code: unknownOutcome } };
    } finally {
      setBusy(false);
    }
    if (exiting.current) return null;
    if (result.ok) {
      show(result.view);
      return null;
    }
    const { error } = result;
    if (isScreenError(error.code)) {
      go({ kind: 'error', error: error as FlowError & { code: ScreenErrorCode } });
      return null;
    }
    return error;
  };

  const restart = async () => {
    const problem = await run(() => api['flow:restart']({}), 'internal');
    if (problem) go({ kind: 'userId' });
  };

  const submitPassword = async (password: string) => {
    go({ kind: 'saving' });
    // A lost answer to this call may mean the password did change: never resend it blindly.
    const problem = await run(() => api['flow:submitPassword']({ password }), 'password_may_have_changed');
    if (problem) go({ kind: 'password', serviceError: problem });
  };

  const openWebFlow = async () => {
    let opened = false;
    try {
      opened = (await api['app:openWebFlow']({})).ok;
    } catch {
      opened = false;
    }
    if (opened) go({ kind: 'webFlow' });
  };

  const loadResetAddress = useCallback(() => api['app:resetAddress']({}), [api]);

  const onLanguage = (lng: Language) => {
    setLanguage(lng);
    void changeLanguage(lng);
  };

  const renderStage = () => {
    switch (current.kind) {
      case 'userId':
        return (
          <UserIdScreen
            scenario={info.scenario}
            initialValue={username}
            onSubmit={(name) => {
              setUsername(name);
              return run(() => api['flow:start']({ username: name }), 'internal');
            }}
          />
        );
      case 'code':
        return (
          <CodeScreen
            view={current.view}
            receivedAt={current.receivedAt}
            onSubmit={(code) => run(() => api['flow:submitCode']({ code }), 'internal')}
            onResend={() => run(() => api['flow:resendCode']({}), 'internal')}
            onDifferentUser={() => void restart()}
          />
        );
      case 'password':
        return <PasswordScreen userId={username} serviceError={current.serviceError} onSubmit={(pw) => void submitPassword(pw)} />;
      case 'saving':
        return <SavingScreen />;
      case 'finishing':
        return <SavingScreen finishing />;
      case 'done':
        return <DoneScreen scenario={info.scenario} onExit={() => void exit('done')} />;
      case 'error':
        return (
          <ErrorScreen
            error={current.error}
            helpdeskText={info.helpdeskText}
            language={language}
            onRestart={() => void restart()}
            onRetryPassword={() => go({ kind: 'password', serviceError: null })}
            {...(info.webFlowOnRedirect ? { onWebFlow: () => void openWebFlow() } : {})}
            loadResetAddress={loadResetAddress}
            fallbackAddress={info.portalUrl}
          />
        );
      case 'closed':
        return <ClosedScreen />;
      case 'startupFailed':
        return <MessageScreen titleKey="startup.title" bodyKey="startup.body" />;
      case 'webFlow':
        return null;
    }
  };

  // The portal chrome is a whole window of its own around the locked view.
  if (current.kind === 'webFlow') return <PortalChrome info={{ ...info, engine: 'portal', locale: language }} api={api} />;

  const closed = current.kind === 'closed';
  const warnAt = idleWarningSeconds(idleTimeout);
  return (
    <div className="overlay" data-stage={current.kind} onKeyDown={loopFocus}>
      <Header productName={displayName(info)} logo={info.logoDataUrl} demo={info.demo} language={language} onLanguage={onLanguage} />
      <main className="content">
        <div className="card" key={stage.id}>
          {renderStage()}
        </div>
      </main>
      <footer className="bottombar">
        {info.demo && <p className="bottombar__note">{t('app.demoNote')}</p>}
        {!closed && current.kind !== 'done' && current.kind !== 'finishing' && (
          <button type="button" className="button button--quiet" onClick={() => void exit('cancelled')}>
            {t('app.backToSignIn')}
          </button>
        )}
      </footer>
      {!closed && warnAt > 0 && idle.secondsLeft <= warnAt && <IdleWarning secondsLeft={idle.secondsLeft} onContinue={idle.reset} />}
      <LiveRegions />
    </div>
  );
};
