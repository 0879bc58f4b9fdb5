import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../../src/shared/config';
import { webFlowAvailable } from '../../../../src/main/core/portal/webFlow';

const native = { ...defaultConfig, Engine: 'native' as const };

describe('webFlowAvailable: the hosted web flow after a redirect answer', () => {
  it.each([
    ['native engine, default portal address, allowed', native, true],
    ['policy off', { ...native, WebFlowOnRedirect: false }, false],
    ['portal engine (it shows the portal anyway)', { ...native, Engine: 'portal' as const }, false],
    ['address host not in AllowedHosts', { ...native, PortalUrl: 'https://contoso.ciamlogin.com/reset' }, false],
    ['address host listed by the admin', { ...native, PortalUrl: 'https://contoso.ciamlogin.com/reset', AllowedHosts: ['contoso.ciamlogin.com'] }, true],
    ['address only on the resource list (never a page)', { ...native, PortalUrl: 'https://ajax.aspnetcdn.com/', AllowedHosts: [] }, false],
  ])('%s → %s', (_name, config, offered) => {
    expect(webFlowAvailable(config)).toBe(offered);
  });
});
