import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowError, FlowView } from '../../shared/ipc';
import { checkCode } from '../../shared/validation';
import { Screen, SubmitButton } from '../components/Screen';
import { announce } from '../components/LiveRegions';
import { TextField } from '../components/TextField';
import { formatClock, useSecondsUntil } from '../hooks';

export type CodeView = Extract<FlowView, { step: 'code' }>;

interface Props {
  view: CodeView;
  /** When this view arrived (ms since epoch): the resend countdown runs from here. */
  receivedAt: number;
  onSubmit: (code: string) => Promise<FlowError | null>;
  onResend: () => Promise<FlowError | null>;
  onDifferentUser: () => void;
}

export const CodeScreen = ({ view, receivedAt, onSubmit, onResend, onDifferentUser }: Props) => {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [resendError, setResendError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The service never says how many tries are left: after a wrong code, state Entra's documented limit.
  const [wrongCode, setWrongCode] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const resendIn = useSecondsUntil(receivedAt + view.resendAvailableInSeconds * 1000);

  const fail = (message: string) => {
    setError(message);
    announce(message, 'assertive');
    inputRef.current?.focus();
  };

  // Focus lands in the code field, so say where the code went (or that a new one was sent).
  useEffect(() => {
    announce(view.resent ? t('code.resent') : t('code.sentTo', { target: view.target }));
  }, [view, t]);

  const canResend = resendIn === 0;
  const wasWaiting = useRef(!canResend);
  useEffect(() => {
    if (canResend && wasWaiting.current) announce(t('code.resendAvailable'));
    wasWaiting.current = !canResend;
  }, [canResend, t]);

  const lengthMessage = () =>
    view.codeLength > 0 ? t('validation.code.wrong_length', { digits: view.codeLength }) : t('validation.code.wrong_length_unknown');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const checked = checkCode(code, view.codeLength);
    if (!checked.ok) return fail(checked.problem === 'wrong_length' ? lengthMessage() : t(`validation.code.${checked.problem}`));
    setBusy(true);
    const problem = await onSubmit(checked.value);
    setBusy(false);
    if (problem) {
      setCode('');
      fail(t(`errors.inline.${problem.code}`));
      if (problem.code === 'code_incorrect') {
        setWrongCode(true);
        announce(t('code.attemptLimit'));
      }
    }
  };

  const resend = async () => {
    if (busy) return;
    setBusy(true);
    const problem = await onResend();
    setBusy(false);
    if (problem) {
      setResendError(t(`errors.inline.${problem.code}`));
      announce(t(`errors.inline.${problem.code}`), 'assertive');
    }
  };

  return (
    <Screen title={t('code.title')} focusRef={inputRef}>
      {view.resent && (
        <>
          <p className="notice notice--success" role="status">
            {t('code.resent')}
          </p>
          <p className="muted" id="resend-limits">
            {t('code.resendLimit')}
          </p>
        </>
      )}
      <p className="screen__lead">
        {t('code.sentTo', { target: '\u2068' + view.target + '\u2069' })}
      </p>
      <form noValidate onSubmit={submit}>
        <TextField
          ref={inputRef}
          id="code"
          label={t('code.label')}
          hint={view.codeLength > 0 ? t('code.hint', { digits: view.codeLength }) : t('code.hintAnyLength')}
          value={code}
          onValueChange={(v) => {
            setCode(v);
            setError(null);
          }}
          error={error}
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          autoCorrect="off"
          spellCheck={false}
          dir="ltr"
        />
        {wrongCode && (
          <p className="notice notice--info" id="code-limits">
            {t('code.attemptLimit')}
          </p>
        )}
        <div className="actions">
          <SubmitButton busy={busy} busyLabel={t('app.working')}>
            {t('code.submit')}
          </SubmitButton>
        </div>
      </form>
      <div className="secondary-actions">
        {resendIn > 0 ? (
          <p className="muted" id="resend-countdown">
            {t('code.resendIn', { time: formatClock(resendIn) })}
          </p>
        ) : (
          <button type="button" className="button button--secondary" onClick={resend} aria-disabled={busy || undefined}>
            {t('code.resend')}
          </button>
        )}
        {resendError && (
          <p className="field__error" role="alert">
            {resendError}
          </p>
        )}
        <button type="button" className="button button--link" onClick={onDifferentUser}>
          {t('code.differentUser')}
        </button>
      </div>
    </Screen>
  );
};
