/**
 * Every failure the user can meet, as one closed set. The renderer maps each to a localised message;
 * the main process maps service responses onto it. Keep in step with the i18n catalogues.
 */
export const InlineErrorCodes = [
  'invalid_username',
  'invalid_code',
  'code_incorrect',
  'code_expired',
  'resend_too_soon',
  'password_too_short',
  'password_too_long',
  'password_invalid_characters',
  'password_too_weak',
  'password_banned',
  'password_recently_used',
  'service_busy',
  /** A second new password while (or after) the first was sent in this attempt: refused, never sent. */
  'password_already_submitted',
] as const;

export const ScreenErrorCodes = [
  'user_not_found',
  'not_enabled',
  'not_registered',
  'throttled',
  'session_expired',
  'unreachable',
  'redirect_required',
  'password_may_have_changed',
  'reset_failed',
  'internal',
] as const;

export type InlineErrorCode = (typeof InlineErrorCodes)[number];
export type ScreenErrorCode = (typeof ScreenErrorCodes)[number];
export type ErrorCode = InlineErrorCode | ScreenErrorCode;

export const isScreenError = (code: ErrorCode): code is ScreenErrorCode =>
  (ScreenErrorCodes as readonly string[]).includes(code);
