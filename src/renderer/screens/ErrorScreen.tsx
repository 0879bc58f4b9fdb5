import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowError, ResetAddress } from '../../shared/ipc';
import type { ScreenErrorCode } from '../../shared/errors';
import { announce } from '../components/LiveRegions';
import { QrCode } from '../components/QrCode';
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
  /** redirect_required: where to finish on another device, and its QR code (drawn by main). */
  loadResetAddress: () => Promise<ResetAddress>;
  /** The address to show as text if main's answer does not come (app:info's PortalUrl). */
  fallbackAddress: string;
}

/** Each error's way forward. Every error screen also ends with the one helpdesk line (HelpdeskText). */
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

/**
 * The address as selectable text, and as a QR code once main has drawn it. If main cannot answer, the text
 * alone still tells the person where to go.
 */
const ResetElsewhere = ({ load, fallbackAddress }: { load: () => Promise<ResetAddress>; fallbackAddress: string }) => {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState<ResetAddress | null>(null);
  useEffect(() => {
    let live = true;
    load().then(
      (a) => live && setAnswer(a),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [load]);
  const address = answer?.address ?? fallbackAddress;
  if (!address) return null;
  return (
    <>
      <p className="reset-address" dir="ltr">
        {address}
      </p>
      {answer && (
        <>
          <p className="muted">{t('common.resetAddressScan')}</p>
          <QrCode qr={answer.qr} label={t('common.resetAddressQr', { address: answer.address })} />
        </>
      )}
    </>
  );
};

export const ErrorScreen = ({ error, helpdeskText, language, onRestart, onRetryPassword, onWebFlow, loadResetAddress, fallbackAddress }: Props) => {
  const { t } = useTranslation();
  const restartLabel = RESTART_LABEL[error.code];
  // The heading takes focus and is read; the body says what to do, so it is announced too.
  // The redirect body ends "at this address:": the address belongs to what is read out.
  useEffect(() => {
    const body = t(`errors.screen.${error.code}.body`);
    announce(error.code === 'redirect_required' && fallbackAddress ? `${body} ${fallbackAddress}` : body, 'assertive');
  }, [error.code, t, fallbackAddress]);
  return (
    <Screen title={t(`errors.screen.${error.code}.title`)} tone="problem" icon="!">
      <p className="screen__lead" data-error-code={error.code}>
        {t(`errors.screen.${error.code}.body`)}
      </p>
      {error.code === 'redirect_required' && <ResetElsewhere load={loadResetAddress} fallbackAddress={fallbackAddress} />}
      {error.code === 'throttled' && (
        <p className="screen__lead">
          {/* The service's own Retry-After when it gave one; otherwise Entra's documented 24-hour lockout. */}
          {error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 0
            ? t('common.tryAfter', { time: formatRetryTime(error.retryAfterSeconds, language) })
            : t('common.tryAfterLockout')}
        </p>
      )}
      {/* The one helpdesk line: bodies say what happened and what to do, never "contact your helpdesk" again. */}
      {helpdeskText ? (
        // The admin's text may be in any language: dir="auto" keeps it whole inside an RTL layout.
        <p className="helpdesk" dir="auto">
          {helpdeskText}
        </p>
      ) : (
        <p className="helpdesk">{t('common.helpdeskDefault')}</p>
      )}
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
