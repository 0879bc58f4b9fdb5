import { forwardRef, type InputHTMLAttributes, type ReactNode } from 'react';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value'> {
  id: string;
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  hint?: string;
  /** Localised message shown under the field; marks the field invalid for assistive technology. */
  error?: string | null;
  /** Extra ids that describe the field (e.g. a checklist). */
  describedBy?: string;
  /** Rendered beside the input, e.g. a reveal toggle. */
  adornment?: ReactNode;
}

/** Label, hint, input and error wired together with ids so a screen reader reads them as one. */
export const TextField = forwardRef<HTMLInputElement, TextFieldProps>(function TextField(
  { id, label, value, onValueChange, hint, error, describedBy, adornment, ...input },
  ref,
) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const described = [errorId, hintId, describedBy].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={errorId}>
          <span aria-hidden="true" className="field__error-icon">!</span> {error}
        </p>
      )}
      <div className="field__control">
        <input
          {...input}
          ref={ref}
          id={id}
          className="field__input"
          value={value}
          onChange={(e) => onValueChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={described}
        />
        {adornment}
      </div>
    </div>
  );
});
