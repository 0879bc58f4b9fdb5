import { useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppInfo, FlowError } from '../../shared/ipc';
import { checkUsername } from '../../shared/validation';
import { Screen, SubmitButton } from '../components/Screen';
import { announce } from '../components/LiveRegions';
import { TextField } from '../components/TextField';
import { takeEarlySubmit } from '../earlySubmit';

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

  const sending = useRef(false);
  const send = async (typed: string) => {
    // A ref, not the busy state: two presses in one frame must not both see "not busy".
    if (sending.current) return;
    const checked = checkUsername(typed);
    if (!checked.ok) return fail(t(`validation.username.${checked.problem}`));
    sending.current = true;
    setBusy(true);
    const problem = await onSubmit(checked.value);
    sending.current = false;
    setBusy(false);
    if (problem) fail(t(`errors.inline.${problem.code}`));
  };

  // The field, not the state: on the prerendered first screen they can differ for a moment (below).
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(inputRef.current?.value ?? value);
  };

  // The first screen arrives as markup (src/shared/firstScreen.ts): whatever was typed into it before this
  // code took it over is in the field but not in React's state, and is what Next sends; a Next pressed
  // meanwhile (earlySubmit.ts) is sent now. A layout effect, so that this happens in the same task as the
  // takeover, before any further key or click reaches the screen's handlers.
  useLayoutEffect(() => {
    const typed = inputRef.current?.value ?? initialValue;
    if (typed !== initialValue) setValue(typed);
    if (takeEarlySubmit()) void send(typed);
    // Once, when the screen mounts: later changes reach the state through the field's own onChange.
  }, []);

  return (
    <Screen title={t(`userId.title.${scenario}`)} focusRef={inputRef} keepFocus>
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
          // Focused as soon as the page is parsed, so keys typed before the takeover land in it.
          autoFocus
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
