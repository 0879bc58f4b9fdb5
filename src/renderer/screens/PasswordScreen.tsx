import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BloomFilter } from '../../shared/bloomFilter';
import type { FlowError } from '../../shared/ipc';
import { looksCommon, mentionsUserId } from '../../shared/passwordHints';
import { checkPassword, PASSWORD_MIN, type PasswordRule } from '../../shared/passwordPolicy';
import { loadCommonPasswords } from '../commonPasswords';
import { PasswordField } from '../components/PasswordField';
import { announce } from '../components/LiveRegions';
import { Screen } from '../components/Screen';

interface Props {
  /** The user id the reset is for: the checklist warns when the password contains it or parts of it. */
  userId: string;
  /** An error the service gave for the previous attempt (e.g. password_banned). */
  serviceError: FlowError | null;
  /** Called at most once per screen: the App switches to the saving screen while it runs. */
  onSubmit: (password: string) => void;
}

const RULES: PasswordRule[] = ['length', 'characters', 'classes'];

type PasswordWarning = 'userId' | 'common';

/** How long typing must pause before a new warning is read out, so a screen reader does not talk over every key. */
const ANNOUNCE_AFTER_MS = 700;

/**
 * Warnings, never blocks: the service decides what it refuses, and the common-password list is a Bloom filter
 * whose rare false positives must not stop a valid password. Shown from the minimum length on, so they do not
 * flicker while the first characters are typed.
 */
const passwordWarnings = (password: string, userId: string, common: BloomFilter | null): PasswordWarning[] => {
  if ([...password].length < PASSWORD_MIN) return [];
  const warnings: PasswordWarning[] = [];
  if (userId && mentionsUserId(password, userId)) warnings.push('userId');
  if (common && looksCommon(password, common)) warnings.push('common');
  return warnings;
};

export const PasswordScreen = ({ userId, serviceError, onSubmit }: Props) => {
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
  const [commonList, setCommonList] = useState<BloomFilter | null>(null);
  useEffect(() => {
    let mounted = true;
    void loadCommonPasswords().then((list) => {
      if (mounted) setCommonList(list);
    });
    return () => {
      mounted = false;
    };
  }, []);
  const warnings = useMemo(() => passwordWarnings(password, userId, commonList), [password, userId, commonList]);
  const warningKey = warnings.join(' ');
  const announced = useRef('');
  useEffect(() => {
    // Say each new set of warnings once, after typing pauses; what is already said is not repeated.
    if (warningKey === announced.current) return;
    const timer = window.setTimeout(() => {
      announced.current = warningKey;
      if (warningKey) announce(warningKey.split(' ').map((w) => t(`password.warning.${w}`)).join(' '));
    }, ANNOUNCE_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [warningKey, t]);

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
          {warnings.length > 0 && (
            <ul className="checklist__warnings">
              {warnings.map((warning) => (
                <li key={warning} className="checklist__item checklist__item--warning" data-warning={warning}>
                  <span className="checklist__mark" aria-hidden="true">
                    ⚠
                  </span>
                  <span>
                    <span className="visually-hidden">{t('password.warningLabel')} </span>
                    {t(`password.warning.${warning}`)}
                  </span>
                </li>
              ))}
            </ul>
          )}
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
