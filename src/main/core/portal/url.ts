/**
 * The URL the locked portal view opens (sspr-protocol.md §2.1–2.2): the configured PortalUrl (default
 * https://passwordreset.microsoftonline.com/) with `mkt=<language>` from the UI language — the documented
 * way to force the portal's language — keeping any query parameters the admin configured.
 */
import { DEFAULT_PORTAL_URL } from '../../../shared/config';
import { checkUsername } from '../../../shared/validation';

const LANGUAGE = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;

export interface PortalUrlOptions {
  /**
   * Prefill the portal's User ID with `username=` (a third-party convention, not documented by Microsoft).
   * Off unless the deployment asks for it; only a well-formed UPN is ever put in the URL.
   */
  prefillUsername?: string;
}

export const portalUrl = (config: { PortalUrl?: string }, uiLanguage: string, opts: PortalUrlOptions = {}): string => {
  let url: URL;
  try {
    url = new URL(config.PortalUrl || DEFAULT_PORTAL_URL);
  } catch {
    url = new URL(DEFAULT_PORTAL_URL);
  }
  if (url.protocol !== 'https:') url = new URL(DEFAULT_PORTAL_URL);
  const language = uiLanguage.trim();
  if (LANGUAGE.test(language)) url.searchParams.set('mkt', language.toLowerCase());
  if (opts.prefillUsername !== undefined) {
    const checked = checkUsername(opts.prefillUsername);
    if (checked.ok) url.searchParams.set('username', checked.value);
  }
  return url.toString();
};
