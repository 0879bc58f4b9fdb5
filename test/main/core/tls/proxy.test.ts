import { describe, expect, it } from 'vitest';
import {
  bypassesProxy,
  httpsProxyFromServer,
  parseProxyEndpoint,
  proxyModeWarning,
  routeFromPacResult,
  sessionProxyConfig,
  staticRoute,
  type ProxySettings,
} from '../../../../src/main/core/tls/proxy';

const settings = (over: Partial<ProxySettings>): ProxySettings => ({ ProxyMode: 'system', ProxyServer: '', ProxyBypass: '', PacUrl: '', ...over });

describe('sessionProxyConfig: what every Electron session gets', () => {
  it('direct', () => {
    expect(sessionProxyConfig(settings({ ProxyMode: 'direct', ProxyServer: 'ignored:1' }))).toEqual({ mode: 'direct' });
  });
  it('system (WPAD and the machine settings: only when an admin chose it)', () => {
    expect(sessionProxyConfig(settings({}))).toEqual({ mode: 'system' });
  });
  it('winhttp that was never resolved goes direct, never to the system settings', () => {
    expect(sessionProxyConfig(settings({ ProxyMode: 'winhttp', ProxyServer: 'ignored:1' }))).toEqual({ mode: 'direct' });
  });
  it('fixed with Windows-style bypass list turned into Chromium rules', () => {
    expect(sessionProxyConfig(settings({ ProxyMode: 'fixed', ProxyServer: 'proxy.contoso.com:8080', ProxyBypass: '*.contoso.com;<local>; 10.*' }))).toEqual({
      mode: 'fixed_servers',
      proxyRules: 'proxy.contoso.com:8080',
      proxyBypassRules: '*.contoso.com,<local>,10.*',
    });
  });
  it('fixed without bypass', () => {
    expect(sessionProxyConfig(settings({ ProxyMode: 'fixed', ProxyServer: 'https=p:3128;http=p:3128' }))).toEqual({ mode: 'fixed_servers', proxyRules: 'https=p:3128;http=p:3128' });
  });
  it('fixed without a server goes direct instead of guessing', () => {
    expect(sessionProxyConfig(settings({ ProxyMode: 'fixed' }))).toEqual({ mode: 'direct' });
  });
  it('pac', () => {
    expect(sessionProxyConfig(settings({ ProxyMode: 'pac', PacUrl: 'https://wpad.contoso.com/proxy.pac' }))).toEqual({ mode: 'pac_script', pacScript: 'https://wpad.contoso.com/proxy.pac' });
  });
  it('pac without a URL goes direct, never to the system settings (WPAD)', () => {
    expect(sessionProxyConfig(settings({ ProxyMode: 'pac' }))).toEqual({ mode: 'direct' });
  });
});

describe('doctor\'s proxy-mode warning', () => {
  it('warns about system (WPAD) and pac, which let something else pick the proxy', () => {
    expect(proxyModeWarning(settings({ ProxyMode: 'system' }))).toMatch(/WPAD/);
    expect(proxyModeWarning(settings({ ProxyMode: 'pac', PacUrl: 'https://wpad.contoso.com/p.pac' }))).toMatch(/https:\/\/wpad\.contoso\.com\/p\.pac/);
    expect(proxyModeWarning(settings({ ProxyMode: 'pac' }))).toMatch(/without a PacUrl/);
  });
  it.each([['winhttp' as const], ['direct' as const], ['fixed' as const]])('is silent for %s', (mode) => {
    expect(proxyModeWarning(settings({ ProxyMode: mode, ProxyServer: 'p:8080' }))).toBeNull();
  });
});

describe('proxy server values', () => {
  it.each([
    ['proxy:8080', { host: 'proxy', port: 8080 }],
    ['http://proxy.contoso.com:3128', { host: 'proxy.contoso.com', port: 3128 }],
    ['proxy.contoso.com', { host: 'proxy.contoso.com', port: 80 }],
    ['[::1]:3128', { host: '::1', port: 3128 }],
    ['socks5://proxy:1080', null],
    ['https://proxy:443', null],
    ['http://user:secret@proxy:8080', null],
    ['', null],
  ])('parseProxyEndpoint(%s)', (value, expected) => {
    expect(parseProxyEndpoint(value)).toEqual(expected);
  });
  it('picks the https= rule from Chromium per-scheme rules', () => {
    expect(httpsProxyFromServer('http=a:1;https=b:2')).toEqual({ host: 'b', port: 2 });
    expect(httpsProxyFromServer('http=a:1')).toBeNull();
    expect(httpsProxyFromServer('c:3')).toEqual({ host: 'c', port: 3 });
  });
});

describe('bypass matching', () => {
  it.each([
    ['login.contoso.com', '*.contoso.com', true],
    ['contoso.com', '*.contoso.com', false],
    ['evilcontoso.com', '*.contoso.com', false],
    ['a.contoso.com', '.contoso.com', true],
    ['contoso.com', '.contoso.com', true],
    ['intranet', '<local>', true],
    ['localhost', '<local>', true],
    ['127.0.0.1', '<local>', true],
    ['passwordreset.microsoftonline.com', '<local>', false],
    ['10.1.2.3', '10.*', true],
    ['110.1.2.3', '10.*', false],
    ['PasswordReset.MicrosoftOnline.com', 'passwordreset.microsoftonline.com', true],
    ['passwordreset.microsoftonline.com', 'https://passwordreset.microsoftonline.com:443', true],
    ['passwordreset.microsoftonline.com', 'a.com; b.com, passwordreset.microsoftonline.com', true],
    ['passwordreset.microsoftonline.com', '', false],
  ])('%s against "%s" → %s', (host, bypass, expected) => {
    expect(bypassesProxy(host, bypass)).toBe(expected);
  });
});

describe('main-process routes', () => {
  it('fixed mode tunnels unless bypassed', () => {
    const s = settings({ ProxyMode: 'fixed', ProxyServer: 'proxy:8080', ProxyBypass: '*.corp' });
    expect(staticRoute(s, 'passwordreset.microsoftonline.com')).toEqual({ kind: 'http', host: 'proxy', port: 8080 });
    expect(staticRoute(s, 'x.corp')).toEqual({ kind: 'direct' });
  });
  it('direct, system and pac are direct without a resolver', () => {
    for (const mode of ['direct', 'system', 'pac'] as const) expect(staticRoute(settings({ ProxyMode: mode, ProxyServer: 'p:1' }), 'h')).toEqual({ kind: 'direct' });
  });
  it.each([
    ['DIRECT', { kind: 'direct' }],
    ['PROXY p:8080; DIRECT', { kind: 'http', host: 'p', port: 8080 }],
    ['SOCKS5 s:1080; PROXY p:3128', { kind: 'http', host: 'p', port: 3128 }],
    ['HTTPS h:443; DIRECT', { kind: 'direct' }],
    ['SOCKS s:1080', null],
    ['', null],
  ])('PAC answer "%s"', (answer, expected) => {
    expect(routeFromPacResult(answer)).toEqual(expected);
  });
});
