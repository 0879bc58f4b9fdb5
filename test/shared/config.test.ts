import { describe, expect, it } from 'vitest';
import { defaultConfig, mergeLayers } from '../../src/shared/config';

describe('layered configuration', () => {
  it('later layers win key by key', () => {
    const { config, problems } = mergeLayers([
      { name: 'config.json', raw: { Engine: 'native', LinkText: 'Reset password' } },
      { name: 'HKLM\\SOFTWARE\\SsprLogon', raw: { LinkText: 'Locked out?' } },
      { name: 'policy', raw: { IdleTimeoutSeconds: 300 } },
    ]);
    expect(problems).toEqual([]);
    expect(config.Engine).toBe('native');
    expect(config.LinkText).toBe('Locked out?');
    expect(config.IdleTimeoutSeconds).toBe(300);
    expect(config.PortalUrl).toBe(defaultConfig.PortalUrl);
  });

  it('an invalid value is reported and falls back to the lower layer', () => {
    const { config, problems } = mergeLayers([
      { name: 'config.json', raw: { IdleTimeoutSeconds: 120 } },
      { name: 'policy', raw: { IdleTimeoutSeconds: 5, PortalUrl: 'http://evil.example/', Engine: 'shell', Bogus: 1 } },
    ]);
    expect(config.IdleTimeoutSeconds).toBe(120);
    expect(config.PortalUrl).toBe(defaultConfig.PortalUrl);
    expect(config.Engine).toBe('portal');
    expect(problems.map((p) => `${p.layer}:${p.key}`).sort()).toEqual(['policy:Bogus', 'policy:Engine', 'policy:IdleTimeoutSeconds', 'policy:PortalUrl']);
  });
});
