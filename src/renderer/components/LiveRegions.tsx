/**
 * The overlay's two live regions, present from the first render (a region added together with its text is
 * often not read). Screens call announce() for what a screen reader user would otherwise miss: field errors
 * after Enter (focus stays in the field), a code sent or resent, "you can ask for a new code now", saving,
 * the idle warning and error screens. Text is cleared first, so the same message said twice is read twice.
 */
import { useEffect, useState } from 'react';

export type Politeness = 'polite' | 'assertive';

type Sink = (politeness: Politeness, text: string) => void;
let sink: Sink | null = null;

export const announce = (text: string, politeness: Politeness = 'polite'): void => sink?.(politeness, text);

/** How long a region stays empty before the new text goes in: long enough for screen readers to see a change. */
const RESET_MS = 100;

export const LiveRegions = () => {
  const [polite, setPolite] = useState('');
  const [assertive, setAssertive] = useState('');
  useEffect(() => {
    const timers = new Set<number>();
    sink = (politeness, text) => {
      const set = politeness === 'polite' ? setPolite : setAssertive;
      set('');
      const timer = window.setTimeout(() => {
        timers.delete(timer);
        set(text);
      }, RESET_MS);
      timers.add(timer);
    };
    return () => {
      sink = null;
      for (const timer of timers) window.clearTimeout(timer);
    };
  }, []);
  return (
    <div className="visually-hidden">
      <div id="live-polite" role="status" aria-live="polite" aria-atomic="true">
        {polite}
      </div>
      <div id="live-assertive" role="alert" aria-live="assertive" aria-atomic="true">
        {assertive}
      </div>
    </div>
  );
};
