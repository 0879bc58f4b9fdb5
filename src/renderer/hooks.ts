import { useEffect, useRef, useState, type RefObject } from 'react';

/**
 * Moves keyboard focus to the element when the screen appears, so screen readers announce the new step.
 * keepFocus: not when something already has the focus. The prerendered first screen had its field focused
 * by the browser (autofocus), and someone may have tabbed on before the page's code took it over.
 */
export const useFocusOnMount = (ref: RefObject<HTMLElement | null>, keepFocus = false): void => {
  useEffect(() => {
    if (keepFocus && document.activeElement !== null && document.activeElement !== document.body) return;
    ref.current?.focus();
  }, [ref, keepFocus]);
};

/** Whole seconds left until `deadline` (ms since epoch), ticking once a second; never negative. */
export const useSecondsUntil = (deadline: number): number => {
  const compute = () => Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  const [left, setLeft] = useState(compute);
  useEffect(() => {
    setLeft(compute());
    const timer = window.setInterval(() => setLeft(compute()), 1000);
    return () => window.clearInterval(timer);
  }, [deadline]);
  return left;
};

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'input', 'wheel', 'touchstart'] as const;

/**
 * Counts down from the last user activity. While `paused` (a request in flight) the clock is held at
 * full time so nobody is timed out waiting for the service. Calls `onTimeout` once when time runs out.
 */
export const useIdleTimer = (timeoutSeconds: number, paused: boolean, onTimeout: () => void) => {
  const last = useRef(Date.now());
  const fired = useRef(false);
  const timeoutRef = useRef(onTimeout);
  timeoutRef.current = onTimeout;
  const [left, setLeft] = useState(timeoutSeconds);

  useEffect(() => {
    const touch = () => {
      last.current = Date.now();
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, touch, { capture: true, passive: true });
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, touch, { capture: true });
    };
  }, []);

  useEffect(() => {
    if (timeoutSeconds <= 0) return;
    const tick = () => {
      if (paused) last.current = Date.now();
      const remaining = Math.max(0, Math.ceil(timeoutSeconds - (Date.now() - last.current) / 1000));
      setLeft(remaining);
      if (remaining === 0 && !fired.current) {
        fired.current = true;
        timeoutRef.current();
      }
    };
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => window.clearInterval(timer);
  }, [timeoutSeconds, paused]);

  const reset = () => {
    last.current = Date.now();
    setLeft(timeoutSeconds);
  };
  return { secondsLeft: left, reset };
};

/** m:ss for countdowns. */
export const formatClock = (seconds: number): string =>
  `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
