import { forwardRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from './TextField';

interface PasswordFieldProps {
  id: string;
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  error?: string | null;
  describedBy?: string;
  autoComplete: 'new-password';
  onCapsLock: (on: boolean) => void;
}

/** A password input with its own reveal toggle. No maxlength: a paste is never silently cut (ASVS 2.1.3). */
export const PasswordField = forwardRef<HTMLInputElement, PasswordFieldProps>(function PasswordField(
  { id, label, value, onValueChange, error, describedBy, autoComplete, onCapsLock },
  ref,
) {
  const { t } = useTranslation();
  const [revealed, setRevealed] = useState(false);
  const caps = (e: KeyboardEvent<HTMLInputElement>) => {
    if (typeof e.getModifierState === 'function') onCapsLock(e.getModifierState('CapsLock'));
  };
  return (
    <TextField
      ref={ref}
      id={id}
      label={label}
      value={value}
      onValueChange={onValueChange}
      error={error ?? null}
      describedBy={describedBy}
      type={revealed ? 'text' : 'password'}
      autoComplete={autoComplete}
      autoCapitalize="none"
      autoCorrect="off"
      spellCheck={false}
      dir="ltr"
      onKeyDown={caps}
      onKeyUp={caps}
      adornment={
        <button
          type="button"
          className="reveal"
          aria-pressed={revealed}
          aria-controls={id}
          onClick={() => setRevealed((r) => !r)}
        >
          {revealed ? t('password.hide') : t('password.show')}
        </button>
      }
    />
  );
});
