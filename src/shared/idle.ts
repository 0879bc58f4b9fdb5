/**
 * How long the overlay waits for input on each step, and when "Still there?" appears. Shared: the renderer
 * counts down with it, and main's backstop (src/main/electron/overlay.ts) must never end a step sooner.
 */
import { OTP_LIFETIME_SECONDS } from './entraLimits';

/** Long enough to read the warning and reach Continue, even with a screen reader. */
export const IDLE_WARNING_SECONDS = 30;

/**
 * On the code step the person is often fetching the code from another device (a phone, another PC), and
 * the code stays valid for 5 minutes: never close the overlay before that, whatever IdleTimeoutSeconds says.
 */
export const idleTimeoutFor = (configuredSeconds: number, stage: string): number =>
  stage === 'code' ? Math.max(configuredSeconds, OTP_LIFETIME_SECONDS) : configuredSeconds;

/** The last seconds in which the warning shows: 30, or half of a very short timeout. */
export const idleWarningSeconds = (timeoutSeconds: number): number => Math.min(IDLE_WARNING_SECONDS, Math.floor(timeoutSeconds / 2));
