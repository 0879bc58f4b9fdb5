import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowError } from '../../shared/ipc';
import type { ScreenErrorCode } from '../../shared/errors';
import { announce } from '../components/LiveRegions';
import { Screen } from '../components/Screen';

interface Props {
  error: FlowError & { code: ScreenErrorCode };
  helpdeskText: string;
  language: string;
  onRestart: () => void;
  /** reset_failed only: the service allows another submit, so the user may go straight back to the password. */
  onRetryPassword: () => void;
  /** redirect_required only, when main can show the tenant's hosted web flow in the locked view. */
  onWebFlow?: () => void;
}

/** Which errors show the configured helpdesk text, and what the way forward is for each. */
const HELPDESK: ReadonlySet<ScreenErrorCode> = new Set([
  'user_not_found',
  'not_enabled',
  'not_registered',
  'throttled',
  'unreachable',
  'redirect_required',
  'reset_failed',
  'internal',
]);
const RESTART_LABEL: Partial<Record<ScreenErrorCode, string>> = {
  user_not_found: 'common.differentUser',
  not_enabled: 'common.differentUser',
  not_registered: 'common.differentUser',
  // An admin account may have been typed by mistake; the helpdesk text covers the real case.
  redirect_required: 'common.differentUser',
  session_expired: 'common.startAgain',
  unreachable: 'common.tryAgain',
  password_may_have_changed: 'common.startAgain',
  internal: 'common.startAgain',
};

const formatRetryTime = (seconds: number, language: string): string => {
  const when = new Date(Date.now() + seconds * 1000);
  const sameDay = seconds < 12 * 3600;
  return new Intl.DateTimeFormat(language, sameDay ? { hour: 'numeric', minute: '2-digit' } : { dateStyle: 'medium', timeStyle: 'short' }).format(when);
};

export const ErrorScreen = ({ error, helpdeskText, language, onRestart, onRetryPassword, onWebFlow }: Props) => {
  const { t } = useTranslation();
  const restartLabel = RESTART_LABEL[error.code];
  // The heading takes focus and is read; the body says what to do, so it is announced too.
  useEffect(() => {
    announce(t(`errors.screen.${error.code}.body`), 'assertive');
  }, [error.code, t]);
  return (
    <Screen title={t(`errors.screen.${error.code}.title`)} tone="problem" icon="!">
      <p className="screen__lead" data-error-code={error.code}>
        {t(`errors.screen.${error.code}.body`)}
      </p>
      {error.code === 'throttled' && (
        <p className="screen__lead">
          {error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 0
            ? t('common.tryAfter', { time: formatRetryTime(error.retryAfterSeconds, language) })
            : t('common.tryLater')}
        </p>
      )}
      {HELPDESK.has(error.code) &&
        (helpdeskText ? (
          // The admin's text may be in any language: dir="auto" keeps it whole inside an RTL layout.
          <p className="helpdesk" dir="auto">
            {helpdeskText}
          </p>
        ) : (
          <p className="helpdesk">{t('common.helpdeskDefault')}</p>
        ))}
      {error.code === 'reset_failed' && (
        <div className="actions">
          <button type="button" className="button button--primary" onClick={onRetryPassword}>
            {t('common.tryAgain')}
          </button>
          <button type="button" className="button button--secondary" onClick={onRestart}>
            {t('common.startAgain')}
          </button>
        </div>
      )}
      {error.code === 'redirect_required' && onWebFlow && (
        <div className="actions">
          <button type="button" className="button button--primary" onClick={onWebFlow}>
            {t('common.continueOnWeb')}
          </button>
        </div>
      )}
      {restartLabel && (
        <div className="actions">
          <button type="button" className="button button--secondary" onClick={onRestart}>
            {t(restartLabel)}
          </button>
        </div>
      )}
      {error.correlationId && (
        <p className="small-print">
          {t('common.helpdeskReference', { id: error.correlationId })}
        </p>
      )}
    </Screen>
  );
};
