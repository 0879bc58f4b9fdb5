import { useRef, type ReactNode, type RefObject } from 'react';
import { useFocusOnMount } from '../hooks';

interface ScreenProps {
  title: string;
  children: ReactNode;
  /** What gets focus when the screen appears; the heading when omitted. */
  focusRef?: RefObject<HTMLElement | null>;
  tone?: 'normal' | 'problem' | 'success';
  icon?: ReactNode;
  /** Leave the focus where it is when something already has it (the prerendered first screen, see hooks.ts). */
  keepFocus?: boolean;
}

/** One task per screen: a heading that takes focus (so the step change is announced), then content. */
export const Screen = ({ title, children, focusRef, tone = 'normal', icon, keepFocus = false }: ScreenProps) => {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useFocusOnMount(focusRef ?? headingRef, keepFocus);
  return (
    <section className={`screen screen--${tone}`} aria-labelledby="screen-title">
      {icon && (
        <div className="screen__icon" aria-hidden="true">
          {icon}
        </div>
      )}
      <h1 id="screen-title" className="screen__title" tabIndex={-1} ref={headingRef}>
        {title}
      </h1>
      {children}
    </section>
  );
};

export const SubmitButton = ({ busy, children, busyLabel }: { busy: boolean; children: ReactNode; busyLabel: string }) => (
  // aria-disabled instead of disabled keeps the button focusable; the handler ignores presses while busy.
  <button type="submit" className="button button--primary" aria-disabled={busy || undefined} aria-busy={busy || undefined}>
    {busy ? busyLabel : children}
  </button>
);
