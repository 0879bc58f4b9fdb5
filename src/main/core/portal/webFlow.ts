/**
 * The native engine's way out when the service answers `{"challenge_type":"redirect"}` (a documented
 * success answer meaning "use a browser"): the tenant's hosted web flow, shown in the same locked view as
 * the portal engine. Offered only when the policy allows it (WebFlowOnRedirect) and PortalUrl's host is in
 * AllowedHosts, so this never opens anything the portal engine would not.
 */
import type { Config } from '../../../shared/config';
import { isNavigationAllowed, portalPolicy } from '../lockdown/policy';
import { portalUrl } from './url';

export const webFlowAvailable = (config: Pick<Config, 'Engine' | 'WebFlowOnRedirect' | 'PortalUrl' | 'AllowedHosts'>): boolean =>
  config.Engine === 'native' && config.WebFlowOnRedirect && isNavigationAllowed(portalUrl(config, 'en'), portalPolicy(config.AllowedHosts));
