/**
 * GET routes of the authority that msal-node reads, and the emulator's stand-in for the device-login page:
 *  - `GET /{tenant}/v2.0/.well-known/openid-configuration` (OpenID discovery);
 *  - `POST /devicelogin` with `user_code` [and `username`]: approves a device code as that account
 *    (default: the helpdesk technician). Convention: there is no browser sign-in page to drive.
 */
import { ApiError } from './errors';
import type { OAuthService } from './oauth';
import type { TenantInfo } from './resetFlow';
import type { RouteHandler } from './server';

const DISCOVERY = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;

export function oauthRoutes(oauth: OAuthService, tenant: TenantInfo): RouteHandler {
  return async (req, res, url, ctx) => {
    const discovery = DISCOVERY.exec(url.pathname);
    if (discovery && req.method === 'GET') {
      let segment = discovery[1]!;
      try {
        segment = decodeURIComponent(segment);
      } catch {
        /* an undecodable segment cannot name our tenant */
      }
      if (segment.toLowerCase() !== tenant.name.toLowerCase() && segment.toLowerCase() !== tenant.id) {
        return ctx.send(res, 400, { error: 'invalid_tenant', error_description: `AADSTS90002: Tenant '${segment.slice(0, 80)}' not found.`, error_codes: [90002] });
      }
      return ctx.send(res, 200, oauth.openIdConfiguration());
    }
    if (url.pathname === '/devicelogin' && req.method === 'POST') {
      const body = await ctx.readBody(req);
      const form = new URLSearchParams(body ?? '');
      const userCode = form.get('user_code') ?? '';
      try {
        const account = oauth.approve(userCode, form.get('username') ?? undefined);
        return ctx.send(res, 200, { approved: true, username: account.username });
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        return ctx.send(res, 400, { error: err.error, error_description: `AADSTS${err.code}: ${err.text}`, error_codes: [err.code] });
      }
    }
    return undefined;
  };
}
