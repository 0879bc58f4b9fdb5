import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowError } from '../../shared/ipc';
import { checkPassword, type PasswordRule } from '../../shared/passwordPolicy';
import { PasswordField } from '../components/PasswordField';
import { announce } from '../components/LiveRegions';
import { Screen } from '../components/Screen';

interface Props {
  /** An error the service gave for the previous attempt (e.g. password_banned). */
  serviceError: FlowError | null;
  /** Called at most once per screen: the App switches to the saving screen while it runs. */
  onSubmit: (password: string) => void;
}

const RULES: PasswordRule[] = ['length', 'characters', 'classes'];

export const PasswordScreen = ({ serviceError, onSubmit }: Props) => {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [passwordError, setPasswordError] = useState<string | null>(
    serviceError && serviceError.code !== 'service_busy' ? t(`errors.inline.${serviceError.code}`) : null,
  );
  const [formError] = useState<string | null>(serviceError?.code === 'service_busy' ? t('errors.inline.service_busy') : null);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [capsLock, setCapsLock] = useState(false);
  const submitted = useRef(false);
  const [inFlight, setInFlight] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const check = useMemo(() => checkPassword(password), [password]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (submitted.current) return;
    if (check.problem) {
      setPasswordError(t(`validation.password.${check.problem}`));
      announce(t(`validation.password.${check.problem}`), 'assertive');
      passwordRef.current?.focus();
      return;
    }
    if (confirm !== password) {
      setConfirmError(confirm === '' ? t('password.confirmEmpty') : t('password.mismatch'));
      announce(confirm === '' ? t('password.confirmEmpty') : t('password.mismatch'), 'assertive');
      confirmRef.current?.focus();
      return;
    }
    // Single flight: a double click or a second Enter never sends the password twice.
    submitted.current = true;
    setInFlight(true);
    onSubmit(password);
  };

  return (
    <Screen title={t('password.title')} focusRef={passwordRef}>
      <p className="screen__lead">{t('password.intro')}</p>
      {formError && (
        <p className="notice notice--problem" role="alert">
          {formError}
        </p>
      )}
      <form noValidate onSubmit={submit}>
        <PasswordField
          ref={passwordRef}
          id="new-password"
          label={t('password.newLabel')}
          value={password}
          onValueChange={(v) => {
            setPassword(v);
            setPasswordError(null);
          }}
          error={passwordError}
          describedBy="password-rules"
          autoComplete="new-password"
          onCapsLock={setCapsLock}
        />
        <div className="checklist" id="password-rules">
          <p className="checklist__title">{t('password.rulesTitle')}</p>
          <ul>
            {RULES.map((rule) => {
              const met = password.length > 0 && check.rules[rule];
              return (
                <li key={rule} className={met ? 'checklist__item checklist__item--met' : 'checklist__item'} data-rule={rule} data-met={met}>
                  <span className="checklist__mark" aria-hidden="true">
                    {met ? '✓' : '•'}
                  </span>
                  <span>{t(`password.rule.${rule}`)}</span>
                  <span className="visually-hidden"> ({met ? t('password.ruleMet') : t('password.ruleNotMet')})</span>
                </li>
              );
            })}
          </ul>
        </div>
        <PasswordField
          ref={confirmRef}
          id="confirm-password"
          label={t('password.confirmLabel')}
          value={confirm}
          onValueChange={(v) => {
            setConfirm(v);
            setConfirmError(null);
          }}
          error={confirmError}
          autoComplete="new-password"
          onCapsLock={setCapsLock}
        />
        <div className="caps" role="status">
          {capsLock && (
            <p className="notice notice--warning">
              <span aria-hidden="true">⇪ </span>
              {t('password.capsLock')}
            </p>
          )}
        </div>
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={inFlight}>
            {t('password.submit')}
          </button>
        </div>
      </form>
    </Screen>
  );
};
