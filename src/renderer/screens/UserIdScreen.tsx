import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppInfo, FlowError } from '../../shared/ipc';
import { checkUsername } from '../../shared/validation';
import { Screen, SubmitButton } from '../components/Screen';
import { announce } from '../components/LiveRegions';
import { TextField } from '../components/TextField';

interface Props {
  scenario: AppInfo['scenario'];
  initialValue: string;
  onSubmit: (username: string) => Promise<FlowError | null>;
}

export const UserIdScreen = ({ scenario, initialValue, onSubmit }: Props) => {
  const { t } = useTranslation();
  const [value, setValue] = useState(initialValue);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  const fail = (message: string) => {
    setError(message);
    // Focus stays in the field, so a screen reader would not read the new error by itself.
    announce(message, 'assertive');
    inputRef.current?.focus();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const checked = checkUsername(value);
    if (!checked.ok) return fail(t(`validation.username.${checked.problem}`));
    setBusy(true);
    const problem = await onSubmit(checked.value);
    setBusy(false);
    if (problem) fail(t(`errors.inline.${problem.code}`));
  };

  return (
    <Screen title={t(`userId.title.${scenario}`)} focusRef={inputRef}>
      <p className="screen__lead">{t(`userId.intro.${scenario}`)}</p>
      <form noValidate onSubmit={submit}>
        <TextField
          ref={inputRef}
          id="username"
          label={t('userId.label')}
          hint={t('userId.hint')}
          value={value}
          onValueChange={(v) => {
            setValue(v);
            setError(null);
          }}
          error={error}
          type="text"
          inputMode="email"
          autoComplete="username"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          dir="ltr"
        />
        <div className="actions">
          <SubmitButton busy={busy} busyLabel={t('app.working')}>
            {t('userId.submit')}
          </SubmitButton>
        </div>
      </form>
    </Screen>
  );
};
