import { describe, expect, it } from 'vitest';
import { ELECTRON22_PERMISSIONS, portalPolicy } from '../../../../src/main/core/lockdown/policy';
import { configureSession, sessionSslConfig } from '../../../../src/main/core/tls/session';
import { MockEvent, MockSession } from '../../../mocks/electron';

const settings = (over: Partial<{ ProxyMode: 'system' | 'direct' | 'fixed' | 'pac'; ProxyServer: string; ProxyBypass: string; PacUrl: string }> = {}) => ({
  proxy: { ProxyMode: 'system' as const, ProxyServer: '', ProxyBypass: '', PacUrl: '', ...over },
  policy: portalPolicy(['passwordreset.microsoftonline.com']),
});

describe('configureSession on a session', () => {
  it('applies TLS 1.2 as the floor', async () => {
    const s = new MockSession('p');
    await configureSession(s, settings());
    expect(s.sslConfig).toEqual({ minVersion: 'tls1.2' });
    expect(sessionSslConfig()).toEqual({ minVersion: 'tls1.2' });
  });

  it.each([
    [{ ProxyMode: 'direct' as const }, { mode: 'direct' }],
    [{ ProxyMode: 'system' as const }, { mode: 'system' }],
    [{ ProxyMode: 'fixed' as const, ProxyServer: 'p:8080', ProxyBypass: 'a;b' }, { mode: 'fixed_servers', proxyRules: 'p:8080', proxyBypassRules: 'a,b' }],
    [{ ProxyMode: 'pac' as const, PacUrl: 'https://wpad/proxy.pac' }, { mode: 'pac_script', pacScript: 'https://wpad/proxy.pac' }],
  ])('applies the proxy %o', async (proxy, expected) => {
    const s = new MockSession('p');
    await configureSession(s, settings(proxy));
    expect(s.proxyConfig).toEqual(expected);
  });

  it('a proxy Chromium refuses is reported and replaced by the system proxy, not fatal', async () => {
    const s = new MockSession('p');
    const applied: unknown[] = [];
    s.setProxy = async (config: unknown) => {
      applied.push(config);
      if ((config as { mode: string }).mode === 'fixed_servers') throw new Error('Invalid proxy rules');
    };
    const errors: unknown[] = [];
    await configureSession(s, settings({ ProxyMode: 'fixed', ProxyServer: '::::' }), { onProxyError: (e) => errors.push(e) });
    expect(applied).toEqual([{ mode: 'fixed_servers', proxyRules: '::::' }, { mode: 'system' }]);
    expect(errors).toHaveLength(1);
  });

  it('verify proc: expired, unknown-CA and wrong-host verdicts of Chromium stay rejected; good ones keep Chromium verdict', async () => {
    const s = new MockSession('p');
    const rejected: string[] = [];
    await configureSession(s, settings(), { onRejectedCertificate: (host) => rejected.push(host) });
    expect(await s.verify('passwordreset.microsoftonline.com', 0)).toBe(-3);
    expect(await s.verify('passwordreset.microsoftonline.com', -201)).toBe(-2); // ERR_CERT_DATE_INVALID (expired)
    expect(await s.verify('passwordreset.microsoftonline.com', -202)).toBe(-2); // ERR_CERT_AUTHORITY_INVALID (self-signed)
    expect(await s.verify('passwordreset.microsoftonline.com', -200)).toBe(-2); // ERR_CERT_COMMON_NAME_INVALID (wrong host)
    expect(await s.verify('login.evil.example', 0)).toBe(-2);
    expect(rejected).toHaveLength(4);
  });

  it('denies every permission, cancels downloads and device pickers, filters requests', async () => {
    const s = new MockSession('p');
    const blocked: string[] = [];
    await configureSession(s, settings(), { onBlockedRequest: (url) => blocked.push(url) });
    for (const p of ELECTRON22_PERMISSIONS) {
      let granted: boolean | null = null;
      s.permissionRequestHandler?.(null, p, (g) => (granted = g));
      expect(granted).toBe(false);
      expect(s.permissionCheckHandler?.(null, p)).toBe(false);
    }
    const dl = new MockEvent();
    let cancelled = false;
    s.emit('will-download', dl, { cancel: () => (cancelled = true) });
    expect(dl.defaultPrevented && cancelled).toBe(true);
    const hid = new MockEvent();
    let device: unknown = 'none';
    s.emit('select-hid-device', hid, {}, (id: unknown) => (device = id));
    expect(hid.defaultPrevented).toBe(true);
    expect(device).toBeNull();
    expect(await s.request('https://passwordreset.microsoftonline.com/')).toBe(true);
    expect(await s.request('http://passwordreset.microsoftonline.com/')).toBe(false);
    expect(await s.request('wss://passwordreset.microsoftonline.com/')).toBe(false);
    expect(blocked).toEqual(['http://passwordreset.microsoftonline.com/', 'wss://passwordreset.microsoftonline.com/']);
    expect(s.spellChecker).toBe(false);
  });

  it('lets subresources come from AllowedResourceHosts, never the main frame, and refuses telemetry without a warning', async () => {
    const s = new MockSession('p');
    const warned: string[] = [];
    const quiet: string[] = [];
    const policy = portalPolicy(['passwordreset.microsoftonline.com'], ['ajax.aspnetcdn.com']);
    await configureSession(s, { ...settings(), policy }, { onBlockedRequest: (url) => warned.push(url), onQuietlyBlockedRequest: (url) => quiet.push(url) });
    expect(await s.request('https://ajax.aspnetcdn.com/jquery.js', 'script')).toBe(true);
    expect(await s.request('https://ajax.aspnetcdn.com/', 'mainFrame')).toBe(false);
    expect(await s.request('https://browser.events.data.microsoft.com/OneCollector/1.0/', 'ping')).toBe(false);
    expect(warned).toEqual(['https://ajax.aspnetcdn.com/']);
    expect(quiet).toEqual(['https://browser.events.data.microsoft.com/OneCollector/1.0/']);
  });
});
