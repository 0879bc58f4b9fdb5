/**
 * The machine's WinHTTP proxy as `netsh winhttp set proxy` stores it (WinHttpSettings, REG_BINARY), and
 * what the overlay makes of it. The byte strings are the layout netsh writes: version, counter, flags,
 * then length-prefixed proxy and bypass strings.
 */
import { describe, expect, it } from 'vitest';
import { binaryValueFromRegQuery, effectiveProxySettings, parseWinHttpSettings, readWinHttpProxy, WINHTTP_CONNECTIONS_KEY } from '../../../../src/main/core/tls/winhttp';
import type { ProxySettings } from '../../../../src/main/core/tls/proxy';

const dword = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const str = (s: string): Buffer => Buffer.concat([dword(s.length), Buffer.from(s, 'latin1')]);
/** A value as netsh writes it. */
const blob = (flags: number, proxy: string, bypass: string, version = 0x28): Buffer => Buffer.concat([dword(version), dword(7), dword(flags), str(proxy), str(bypass)]);

describe('parseWinHttpSettings', () => {
  it.each([
    ['netsh winhttp set proxy proxy.contoso.com:8080', blob(3, 'proxy.contoso.com:8080', ''), { kind: 'proxy', server: 'proxy.contoso.com:8080', bypass: '' }],
    ['… with a bypass list', blob(3, 'proxy.contoso.com:8080', '<local>;*.contoso.com'), { kind: 'proxy', server: 'proxy.contoso.com:8080', bypass: '<local>;*.contoso.com' }],
    ['per-scheme proxies', blob(3, 'http=p1:80;https=p2:3128', '<local>'), { kind: 'proxy', server: 'http=p1:80;https=p2:3128', bypass: '<local>' }],
    ['flag 2 alone', blob(2, 'p:8080', ''), { kind: 'proxy', server: 'p:8080', bypass: '' }],
    ['netsh winhttp reset proxy (direct)', blob(1, '', '', 0x18), { kind: 'direct' }],
    ['a server left behind with the proxy flag off', blob(1, 'stale:8080', ''), { kind: 'direct' }],
    ['auto-detect flag only: never followed from here', blob(9, '', ''), { kind: 'direct' }],
    ['proxy flag with an empty server', blob(3, '', '<local>'), { kind: 'direct' }],
    ['strings with a trailing NUL', blob(3, 'p:8080\u0000', '<local>\u0000'), { kind: 'proxy', server: 'p:8080', bypass: '<local>' }],
    ['a value that ends after the server', Buffer.concat([dword(0x28), dword(1), dword(3), str('p:8080')]), { kind: 'proxy', server: 'p:8080', bypass: '' }],
  ])('%s', (_name, value, expected) => {
    expect(parseWinHttpSettings(value)).toEqual(expected);
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['shorter than the header', Buffer.from([0x28, 0, 0, 0, 1, 0, 0, 0])],
    ['no proxy length', Buffer.concat([dword(0x28), dword(1), dword(3)])],
    ['a proxy length past the end', Buffer.concat([dword(0x28), dword(1), dword(3), dword(400), Buffer.from('p:8080')])],
    ['a bypass length past the end', Buffer.concat([dword(0x28), dword(1), dword(3), str('p:8080'), dword(99)])],
    ['a huge length', Buffer.concat([dword(0x28), dword(1), dword(3), dword(0xffffffff)])],
    ['control characters', blob(3, 'p:8080\r\nX-Evil: 1', '')],
    ['credentials in the proxy address (never sent, never logged)', blob(3, 'http://user:secret@p:8080', '')],
  ])('a damaged value is unreadable, not a proxy: %s', (_name, value) => {
    expect(parseWinHttpSettings(value).kind).toBe('unreadable');
  });
});

describe('reading it with reg.exe', () => {
  const hex = blob(3, 'proxy.contoso.com:8080', '<local>').toString('hex').toUpperCase();
  const output = `\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Connections\r\n    WinHttpSettings    REG_BINARY    ${hex}\r\n\r\n`;

  it('finds the binary value in reg.exe output', () => {
    expect(binaryValueFromRegQuery(output, 'WinHttpSettings')?.toString('hex').toUpperCase()).toBe(hex);
    expect(binaryValueFromRegQuery(output, 'Other')).toBeNull();
  });

  it('asks reg.exe by absolute path for exactly that value, in the 64-bit view from a 32-bit process', async () => {
    const calls: { file: string; args: string[] }[] = [];
    const proxy = await readWinHttpProxy({
      run: async (file, args) => {
        calls.push({ file, args });
        return { stdout: output, code: 0 };
      },
      env: { SystemRoot: 'C:\\Windows', PROCESSOR_ARCHITEW6432: 'AMD64' },
    });
    expect(proxy).toEqual({ kind: 'proxy', server: 'proxy.contoso.com:8080', bypass: '<local>' });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.file.replace(/\\/g, '/')).toMatch(/^C:\/Windows\/System32\/reg\.exe$/);
    expect(calls[0]?.args).toEqual(['query', WINHTTP_CONNECTIONS_KEY, '/v', 'WinHttpSettings', '/reg:64']);
  });

  it('no value (reg.exe exits 1) means direct', async () => {
    expect(await readWinHttpProxy({ run: async () => ({ stdout: '', code: 1 }), env: {} })).toEqual({ kind: 'direct' });
  });
});

describe('effectiveProxySettings', () => {
  const base: ProxySettings = { ProxyMode: 'winhttp', ProxyServer: 'from-config:1', ProxyBypass: 'x', PacUrl: '' };
  it('winhttp with a machine proxy becomes fixed with its server and bypass list', () => {
    expect(effectiveProxySettings(base, { kind: 'proxy', server: 'p:8080', bypass: '<local>' })).toEqual({ ...base, ProxyMode: 'fixed', ProxyServer: 'p:8080', ProxyBypass: '<local>' });
  });
  it.each([[{ kind: 'direct' as const }], [{ kind: 'unreadable' as const, reason: 'x' }]])('winhttp without a usable machine proxy is direct: %o', (winhttp) => {
    expect(effectiveProxySettings(base, winhttp)).toEqual({ ...base, ProxyMode: 'direct', ProxyServer: '', ProxyBypass: '' });
  });
  it('every other mode is kept as configured', () => {
    const fixed: ProxySettings = { ...base, ProxyMode: 'fixed' };
    expect(effectiveProxySettings(fixed, { kind: 'proxy', server: 'p:8080', bypass: '' })).toBe(fixed);
  });
});
