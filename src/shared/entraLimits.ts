/**
 * Microsoft Entra ID's documented self-service password reset limits (the passwords FAQ). The service never
 * says how many attempts are left, so the screens state these limits in plain words, and the idle timer
 * leaves the code step at least a code's lifetime. The emulator's own numbers may differ (its policy knobs):
 * nothing on screen depends on them.
 */

/** An e-mailed or texted verification code is valid for 5 minutes. */
export const OTP_LIFETIME_SECONDS = 5 * 60;

/** Five failed identity checks within 24 hours lock password reset for the account... */
export const FAILED_VERIFICATIONS_BEFORE_LOCKOUT = 5;
export const FAILED_VERIFICATIONS_WINDOW_HOURS = 24;

/** ...as do more than ten code e-mails within ten minutes... */
export const MAX_CODE_EMAILS = 10;
export const CODE_EMAILS_WINDOW_MINUTES = 10;

/** ...and a lockout lasts 24 hours. */
export const LOCKOUT_HOURS = 24;
