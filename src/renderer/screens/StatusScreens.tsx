import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppInfo } from '../../shared/ipc';
import { announce } from '../components/LiveRegions';
import { Screen } from '../components/Screen';

/** finishing: the user asked to leave; we go as soon as the service has answered. */
export const SavingScreen = ({ finishing = false }: { finishing?: boolean }) => {
  const { t } = useTranslation();
  // The heading takes focus; the body says how long it can take and not to close the screen.
  useEffect(() => {
    announce(t(finishing ? 'saving.finishingBody' : 'saving.body'));
  }, [finishing, t]);
  return (
    <Screen title={t(finishing ? 'saving.finishingTitle' : 'saving.title')}>
      <p className="screen__lead" role={finishing ? 'status' : undefined}>
        {t(finishing ? 'saving.finishingBody' : 'saving.body')}
      </p>
      <div className="progress" role="progressbar" aria-label={t('saving.progressLabel')} aria-busy="true">
        <div className="progress__bar" />
      </div>
    </Screen>
  );
};

export const DoneScreen = ({ scenario, onExit }: { scenario: AppInfo['scenario']; onExit: () => void }) => {
  const { t } = useTranslation();
  const buttonRef = useRef<HTMLButtonElement>(null);
  return (
    <Screen title={t('done.title')} tone="success" icon="✓" focusRef={buttonRef}>
      <p className="screen__lead" role="status">
        {t(`done.body.${scenario}`)}
      </p>
      <div className="actions">
        <button type="button" ref={buttonRef} className="button button--primary" onClick={onExit}>
          {t('done.button')}
        </button>
      </div>
    </Screen>
  );
};

export const ClosedScreen = () => {
  const { t } = useTranslation();
  return (
    <Screen title={t('closed.title')}>
      <p className="screen__lead">{t('closed.body')}</p>
    </Screen>
  );
};

/** For the portal engine when this build carries no portal view, and for a failed start. */
export const MessageScreen = ({ titleKey, bodyKey }: { titleKey: string; bodyKey: string }) => {
  const { t } = useTranslation();
  return (
    <Screen title={t(titleKey)} tone="problem" icon="!">
      <p className="screen__lead">{t(bodyKey)}</p>
    </Screen>
  );
};
