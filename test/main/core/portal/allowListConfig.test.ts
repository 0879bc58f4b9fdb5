import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RESOURCE_HOSTS, defaultConfig } from '../../../../src/shared/config';
import { loadConfig } from '../../../../src/main/core/config';
import { POLICY_KEY, SETTINGS_KEY, type RegistrySource, type RegistryValue } from '../../../../src/main/core/registry';
import { isNavigationAllowed, isRequestAllowed, portalPolicy } from '../../../../src/main/core/lockdown/policy';

const registry = (keys: Record<string, Record<string, RegistryValue>>): RegistrySource => ({ readValues: async (key) => keys[key] ?? null });

describe('AllowedHosts and AllowedResourceHosts as an admin configures them', () => {
  it('out of the box the portal page and its documented script, image and CAPTCHA hosts load, and only the page is a page', () => {
    expect(defaultConfig.AllowedHosts).toEqual(['passwordreset.microsoftonline.com']);
    expect(defaultConfig.AllowedResourceHosts).toEqual([
      'api.passwordreset.microsoftonline.com',
      'ajax.aspnetcdn.com',
      '*.msftauth.net',
      '*.msauth.net',
      '*.msauthimages.net',
      '*.msftauthimages.net',
      '*.hip.live.com',
    ]);
    const p = portalPolicy(defaultConfig.AllowedHosts, defaultConfig.AllowedResourceHosts);
    expect(isRequestAllowed('https://ajax.aspnetcdn.com/ajax/4.0/1/MicrosoftAjax.js', p, 'script')).toBe(true);
    expect(isRequestAllowed('https://api.passwordreset.microsoftonline.com/api/x', p, 'xhr')).toBe(true);
    expect(isRequestAllowed('https://client.hip.live.com/GetHIPData', p, 'image')).toBe(true);
    expect(isNavigationAllowed('https://ajax.aspnetcdn.com/', p)).toBe(false);
    expect(isNavigationAllowed('https://passwordreset.microsoftonline.com/passwordreset#!/', p)).toBe(true);
  });

  it('reads AllowedResourceHosts as a REG_MULTI_SZ from the policy key, replacing the default list', async () => {
    const { config, problems } = await loadConfig({ registry: registry({ [POLICY_KEY]: { AllowedResourceHosts: ['ajax.aspnetcdn.com', '*.msftauth.net'] } }) });
    expect(problems).toEqual([]);
    expect(config.AllowedResourceHosts).toEqual(['ajax.aspnetcdn.com', '*.msftauth.net']);
  });

  it('refuses a wildcard on a suffix anyone can host under, says why, and keeps the lower layer', async () => {
    const { config, problems } = await loadConfig({
      registry: registry({ [POLICY_KEY]: { AllowedResourceHosts: ['ajax.aspnetcdn.com', '*.blob.core.windows.net'], AllowedHosts: ['*.azurewebsites.net'] } }),
    });
    expect(config.AllowedResourceHosts).toEqual([...DEFAULT_RESOURCE_HOSTS]);
    expect(config.AllowedHosts).toEqual(['passwordreset.microsoftonline.com']);
    expect(problems.map((p) => p.key).sort()).toEqual(['AllowedHosts', 'AllowedResourceHosts']);
    expect(problems.find((p) => p.key === 'AllowedResourceHosts')?.message).toContain('*.blob.core.windows.net');
    expect(problems.find((p) => p.key === 'AllowedResourceHosts')?.message).toContain('*.msftauth.net');
  });

  it('a command-line flag value is split like a multi-string', async () => {
    const { config } = await loadConfig({ flags: { AllowedResourceHosts: 'ajax.aspnetcdn.com;*.hip.live.com' } });
    expect(config.AllowedResourceHosts).toEqual(['ajax.aspnetcdn.com', '*.hip.live.com']);
  });

  it('an upgrade keeps the AllowedHosts an admin set: the MSI never writes either list', async () => {
    const wxs = readFileSync(join(__dirname, '../../../../installer/SsprLogon.wxs'), 'utf8');
    expect(wxs).not.toMatch(/Name="Allowed(Resource)?Hosts"/);
    // What an admin wrote under the MSI's key before the upgrade is read as it was; the new list adds its default.
    const { config, problems } = await loadConfig({
      registry: registry({ [SETTINGS_KEY]: { Engine: 'portal', AllowedHosts: ['passwordreset.microsoftonline.com', 'ajax.aspnetcdn.com'] } }),
    });
    expect(problems).toEqual([]);
    expect(config.AllowedHosts).toEqual(['passwordreset.microsoftonline.com', 'ajax.aspnetcdn.com']);
    expect(config.AllowedResourceHosts).toEqual([...DEFAULT_RESOURCE_HOSTS]);
  });
});

describe('PortalMarkers and PortalCapture settings', () => {
  it('reads markers from a multi-string and capture from a DWORD', async () => {
    const { config, problems } = await loadConfig({
      registry: registry({ [POLICY_KEY]: { PortalMarkers: ['success:text:Kennwort wurde geändert', 'cancel:url:/signin'], PortalCapture: 1 } }),
    });
    expect(problems).toEqual([]);
    expect(config.PortalMarkers).toEqual(['success:text:Kennwort wurde geändert', 'cancel:url:/signin']);
    expect(config.PortalCapture).toBe(true);
  });

  it('a malformed marker is reported with the expected shape, and the built-in markers stay', async () => {
    const { config, problems } = await loadConfig({ registry: registry({ [POLICY_KEY]: { PortalMarkers: ['done: password reset'] } }) });
    expect(config.PortalMarkers).toEqual([]);
    expect(problems[0]?.message).toContain('outcome:where:text');
  });

  it('capture is off unless asked for', () => {
    expect(defaultConfig.PortalCapture).toBe(false);
  });
});
