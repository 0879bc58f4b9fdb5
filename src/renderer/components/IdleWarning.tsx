import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { announce } from './LiveRegions';

/** "Still there?" in the last seconds before the idle timeout closes the overlay. */
export const IdleWarning = ({ secondsLeft, onContinue }: { secondsLeft: number; onContinue: () => void }) => {
  const { t } = useTranslation();
  const buttonRef = useRef<HTMLButtonElement>(null);
  // Said when the warning opens and again with 10 seconds left; not every second, which would drown everything.
  const announced = useRef(false);
  useEffect(() => {
    if (!announced.current || secondsLeft === 10) announce(t('idle.body', { seconds: secondsLeft }), 'assertive');
    announced.current = true;
  }, [secondsLeft, t]);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    buttonRef.current?.focus();
    return () => previous?.focus?.();
  }, []);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-body">
        <h2 id="idle-title" className="modal__title">
          {t('idle.title')}
        </h2>
        <p id="idle-body">{t('idle.body', { seconds: secondsLeft })}</p>
        <div className="actions">
          <button type="button" ref={buttonRef} className="button button--primary" onClick={onContinue}>
            {t('idle.continue')}
          </button>
        </div>
      </div>
    </div>
  );
};
