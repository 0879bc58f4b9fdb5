import { describe, expect, it } from 'vitest';
import {
  APP_CONTENT_SECURITY_POLICY,
  APP_ENTRY_URL,
  BLOCKED_SHORTCUTS,
  DANGEROUS_SWITCHES,
  ELECTRON22_PERMISSIONS,
  blockedShortcutName,
  certificateErrorPolicy,
  certificateVerifyResult,
  chromePolicy,
  contextMenuPolicy,
  dangerousEnvironment,
  dangerousSwitches,
  downloadPolicy,
  isBlockedShortcut,
  isNavigationAllowed,
  isRequestAllowed,
  permissionPolicy,
  portalPolicy,
  requestVerdict,
  windowOpenPolicy,
  type KeyInput,
} from '../../../../src/main/core/lockdown/policy';

const portal = portalPolicy(['passwordreset.microsoftonline.com', 'login.contoso.com:8443', '*.msftauth.net']);

describe('portal view navigation allow-list', () => {
  const allowed: string[] = [
    'https://passwordreset.microsoftonline.com/',
    'https://passwordreset.microsoftonline.com/?mkt=de-de',
    'https://PASSWORDRESET.microsoftonline.com/n/passwordreset',
    'https://passwordreset.microsoftonline.com:443/',
    'https://passwordreset.microsoftonline.com/path#frag',
    'https://login.contoso.com:8443/reset',
    'https://aadcdn.msftauth.net/script.js',
    'https://a.b.msftauth.net/x',
  ];
  const blocked: [string, unknown][] = [
    ['plain http', 'http://passwordreset.microsoftonline.com/'],
    ['other host', 'https://evil.example/'],
    ['look-alike suffix', 'https://passwordreset.microsoftonline.com.evil.example/'],
    ['look-alike prefix', 'https://evilpasswordreset.microsoftonline.com/'],
    ['parent domain', 'https://microsoftonline.com/'],
    ['sub-domain of an exact host', 'https://x.passwordreset.microsoftonline.com/'],
    ['trailing dot host', 'https://passwordreset.microsoftonline.com./'],
    ['non-default port', 'https://passwordreset.microsoftonline.com:8443/'],
    ['listed host on the wrong port', 'https://login.contoso.com/'],
    ['listed host on another port', 'https://login.contoso.com:9443/'],
    ['userinfo', 'https://user:pass@passwordreset.microsoftonline.com/'],
    ['userinfo disguising the host', 'https://passwordreset.microsoftonline.com@evil.example/'],
    ['username only', 'https://admin@passwordreset.microsoftonline.com/'],
    ['IDN homoglyph (Cyrillic а)', 'https://pаsswordreset.microsoftonline.com/'],
    ['punycode look-alike', 'https://xn--psswordreset-8bb.microsoftonline.com/'],
    ['IPv4 literal', 'https://1.2.3.4/'],
    ['loopback literal', 'https://127.0.0.1/'],
    ['hex IPv4 literal', 'https://0x7f.0.0.1/'],
    ['decimal IPv4 literal', 'https://2130706433/'],
    ['IPv6 literal', 'https://[::1]/'],
    ['wildcard apex', 'https://msftauth.net/'],
    ['wildcard look-alike', 'https://evilmsftauth.net/'],
    ['javascript:', 'javascript:alert(1)'],
    ['JaVaScRiPt: with whitespace', ' JaVaScRiPt:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['blob:', 'blob:https://passwordreset.microsoftonline.com/1234-5678'],
    ['file:', 'file:///C:/Windows/System32/cmd.exe'],
    ['file UNC', 'file://1.2.3.4/share/x.exe'],
    ['UNC backslashes', '\\\\1.2.3.4\\share\\x'],
    ['UNC slashes', '//1.2.3.4/share/x'],
    ['ms-settings:', 'ms-settings:network'],
    ['search-ms:', 'search-ms:query=cmd'],
    ['shell:', 'shell:System'],
    ['mailto:', 'mailto:helpdesk@contoso.com'],
    ['ms-msdt:', 'ms-msdt:/id PCWDiagnostic'],
    ['ms-officecmd:', 'ms-officecmd:{}'],
    ['microsoft-edge:', 'microsoft-edge:https://evil.example/'],
    ['about:blank', 'about:blank'],
    ['about:config', 'about:config'],
    ['view-source:', 'view-source:https://passwordreset.microsoftonline.com/'],
    ['chrome:', 'chrome://gpu'],
    ['devtools:', 'devtools://devtools/bundled/inspector.html'],
    ['ws:', 'ws://passwordreset.microsoftonline.com/'],
    ['wss:', 'wss://passwordreset.microsoftonline.com/'],
    ['ftp:', 'ftp://passwordreset.microsoftonline.com/'],
    ['our app scheme in the portal view', APP_ENTRY_URL],
    ['relative URL', '/index.html'],
    ['empty', ''],
    ['not a string', 42],
    ['null', null],
    ['overlong', `https://passwordreset.microsoftonline.com/${'a'.repeat(9000)}`],
  ];

  it.each(allowed)('allows %s', (url) => {
    expect(isNavigationAllowed(url, portal)).toBe(true);
    expect(isRequestAllowed(url, portal)).toBe(true);
  });

  it.each(blocked)('blocks %s', (_name, url) => {
    expect(isNavigationAllowed(url, portal)).toBe(false);
    expect(isRequestAllowed(url, portal)).toBe(false);
  });

  it('covers at least 40 URLs', () => {
    expect(allowed.length + blocked.length).toBeGreaterThanOrEqual(40);
  });

  it('the default allow-list opens the Microsoft portal and nothing else', () => {
    const p = portalPolicy(['passwordreset.microsoftonline.com']);
    expect(isNavigationAllowed('https://passwordreset.microsoftonline.com/?mkt=fr', p)).toBe(true);
    expect(isNavigationAllowed('https://login.microsoftonline.com/', p)).toBe(false);
    expect(isNavigationAllowed('https://contoso.ciamlogin.com/', p)).toBe(false);
  });

  it('an IP literal passes only when the admin listed it exactly', () => {
    expect(isNavigationAllowed('https://10.0.0.5/', portalPolicy(['10.0.0.5']))).toBe(true);
    expect(isNavigationAllowed('https://10.0.0.6/', portalPolicy(['10.0.0.5']))).toBe(false);
  });
});

describe('host-name rule shared by both allow-lists', () => {
  // [entry, URL, allowed]
  const table: [string, string, boolean][] = [
    ['passwordreset.microsoftonline.com', 'https://passwordreset.microsoftonline.com/', true],
    ['*.msftauth.net', 'https://aadcdn.msftauth.net/x.js', true],
    ['*.msauth.net', 'https://logincdn.msauth.net/x.js', true],
    ['*.msauthimages.net', 'https://aadcdn.msauthimages.net/logo.png', true],
    ['*.msftauthimages.net', 'https://a.msftauthimages.net/logo.png', true],
    ['*.hip.live.com', 'https://client.hip.live.com/GetHIP', true],
    ['*.phonefactor.net', 'https://x.phonefactor.net/', true],
    ['*.MSFTAUTH.NET', 'https://aadcdn.msftauth.net/', true],
    ['*.msftauth.net:443', 'https://aadcdn.msftauth.net/', true],
    // Suffixes where anyone can host content: refused however written.
    ['*.windows.net', 'https://evil.blob.core.windows.net/', false],
    ['*.core.windows.net', 'https://evil.blob.core.windows.net/', false],
    ['*.azurewebsites.net', 'https://evil.azurewebsites.net/', false],
    ['*.cloudapp.net', 'https://evil.cloudapp.net/', false],
    ['*.microsoftonline.com', 'https://passwordreset.microsoftonline.com/', false],
    ['*.contoso.com', 'https://login.contoso.com/', false],
    ['*', 'https://anything.example/', false],
    ['*.net', 'https://msftauth.net/', false],
    ['a*.msftauth.net', 'https://aadcdn.msftauth.net/', false],
    ['*msftauth.net', 'https://evilmsftauth.net/', false],
    ['**.msftauth.net', 'https://aadcdn.msftauth.net/', false],
    // The apex of a documented wildcard is not a sub-domain.
    ['*.msftauth.net', 'https://msftauth.net/', false],
    ['*.hip.live.com', 'https://live.com/', false],
    ['*.hip.live.com', 'https://evil.live.com/', false],
  ];
  it.each(table)('%s for %s → %s', (entry, url, allowed) => {
    expect(isNavigationAllowed(url, portalPolicy([entry]))).toBe(allowed);
    expect(isRequestAllowed(url, portalPolicy([], [entry]), 'script')).toBe(allowed);
  });
});

describe('two allow-lists: main frame and subresources', () => {
  const p = portalPolicy(['passwordreset.microsoftonline.com'], ['ajax.aspnetcdn.com', '*.hip.live.com', 'api.passwordreset.microsoftonline.com']);

  it.each(['script', 'stylesheet', 'image', 'font', 'xhr', 'subFrame', 'media', 'other'])('a %s may come from a resource host', (resourceType) => {
    expect(isRequestAllowed('https://ajax.aspnetcdn.com/ajax/jQuery/jquery.min.js', p, resourceType)).toBe(true);
    expect(requestVerdict('https://client.hip.live.com/captcha.png', p, resourceType)).toBe('allow');
  });

  it('the main frame never goes to a resource host', () => {
    expect(isNavigationAllowed('https://ajax.aspnetcdn.com/', p)).toBe(false);
    expect(isRequestAllowed('https://ajax.aspnetcdn.com/', p, 'mainFrame')).toBe(false);
    // A request of unknown type gets the stricter list.
    expect(isRequestAllowed('https://ajax.aspnetcdn.com/', p)).toBe(false);
  });

  it('the main-frame hosts also serve subresources (an admin who listed the CDN in AllowedHosts keeps working)', () => {
    const old = portalPolicy(['passwordreset.microsoftonline.com', 'ajax.aspnetcdn.com'], []);
    expect(isRequestAllowed('https://ajax.aspnetcdn.com/x.js', old, 'script')).toBe(true);
    expect(isRequestAllowed('https://passwordreset.microsoftonline.com/app.js', p, 'script')).toBe(true);
  });

  it('a host on neither list is blocked with a warning; telemetry is blocked quietly', () => {
    expect(requestVerdict('https://evil.example/x.js', p, 'script')).toBe('block');
    expect(requestVerdict('https://browser.events.data.microsoft.com/OneCollector/1.0/', p, 'ping')).toBe('block-quiet');
    expect(requestVerdict('https://mobile.events.data.microsoft.com/', p, 'xhr')).toBe('block-quiet');
    expect(requestVerdict('https://x.aria.microsoft.com/', p, 'xhr')).toBe('block-quiet');
    // Even an admin cannot turn a look-alike into telemetry.
    expect(requestVerdict('https://events.data.microsoft.com.evil.example/', p, 'xhr')).toBe('block');
  });

  it('certificates are accepted for hosts on either list', () => {
    expect(certificateVerifyResult({ hostname: 'ajax.aspnetcdn.com', errorCode: 0 }, p)).toBe(-3);
    expect(certificateVerifyResult({ hostname: 'a.hip.live.com', errorCode: 0 }, p)).toBe(-3);
    expect(certificateVerifyResult({ hostname: 'evil.example', errorCode: 0 }, p)).toBe(-2);
  });

  it('non-https and userinfo stay refused for subresources too', () => {
    expect(isRequestAllowed('http://ajax.aspnetcdn.com/x.js', p, 'script')).toBe(false);
    expect(isRequestAllowed('wss://ajax.aspnetcdn.com/', p, 'webSocket')).toBe(false);
    expect(isRequestAllowed('https://u:p@ajax.aspnetcdn.com/x.js', p, 'script')).toBe(false);
  });
});

describe('chrome window navigation allow-list', () => {
  it.each([APP_ENTRY_URL, 'app://overlay/', 'app://overlay/app.js', 'APP://OVERLAY/index.html'])('allows our bundle %s', (url) => {
    expect(isNavigationAllowed(url, chromePolicy)).toBe(true);
  });
  it.each([
    'app://other/index.html',
    'app://user@overlay/index.html',
    'https://passwordreset.microsoftonline.com/',
    'file:///C:/app/dist/renderer/index.html',
    'http://localhost:3000/',
    'about:blank',
  ])('blocks %s', (url) => {
    expect(isNavigationAllowed(url, chromePolicy)).toBe(false);
    expect(isRequestAllowed(url, chromePolicy)).toBe(false);
  });
});

describe('windows, downloads, permissions, context menu, certificates', () => {
  it('denies every window.open / target=_blank', () => {
    expect(windowOpenPolicy()).toEqual({ action: 'deny' });
  });
  it('cancels every download', () => {
    expect(downloadPolicy()).toBe('cancel');
  });
  it.each([...ELECTRON22_PERMISSIONS, 'some-future-permission'])('denies permission %s', (permission) => {
    expect(permissionPolicy(permission)).toBe(false);
  });
  it('lists every permission type of Electron 22 request handler', () => {
    for (const p of ['clipboard-read', 'clipboard-sanitized-write', 'media', 'display-capture', 'mediaKeySystem', 'geolocation', 'notifications', 'midi', 'midiSysex', 'pointerLock', 'fullscreen', 'openExternal', 'window-placement', 'unknown', 'hid', 'serial', 'usb']) {
      expect(ELECTRON22_PERMISSIONS).toContain(p);
    }
  });
  it('has no context menu', () => {
    expect(contextMenuPolicy()).toBe('none');
  });
  it('never trusts a certificate error', () => {
    expect(certificateErrorPolicy()).toEqual({ trust: false });
  });
  it('verify proc keeps Chromium verdict for allowed hosts and rejects everything else', () => {
    const p = portalPolicy(['passwordreset.microsoftonline.com']);
    expect(certificateVerifyResult({ hostname: 'passwordreset.microsoftonline.com', errorCode: 0 }, p)).toBe(-3);
    // net::ERR_CERT_AUTHORITY_INVALID (-202), ERR_CERT_DATE_INVALID (-201), ERR_CERT_COMMON_NAME_INVALID (-200)
    for (const errorCode of [-200, -201, -202]) {
      expect(certificateVerifyResult({ hostname: 'passwordreset.microsoftonline.com', errorCode }, p)).toBe(-2);
    }
    expect(certificateVerifyResult({ hostname: 'evil.example', errorCode: 0 }, p)).toBe(-2);
    expect(certificateVerifyResult({ hostname: '1.2.3.4', errorCode: 0 }, p)).toBe(-2);
  });
  it('the app CSP allows our own scripts only and no network or frames', () => {
    expect(APP_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(APP_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(APP_CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");
    expect(APP_CONTENT_SECURITY_POLICY).toContain("frame-src 'none'");
    expect(APP_CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(APP_CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });
});

const key = (k: string, mods: Partial<KeyInput> = {}, code?: string): KeyInput => ({ type: 'keyDown', key: k, code: code ?? '', ...mods });
const ctrl = { control: true };
const ctrlShift = { control: true, shift: true };
const meta = { meta: true };
const alt = { alt: true };

describe('blocked shortcuts', () => {
  const blocked: [string, KeyInput][] = [
    ['print Ctrl+P', key('p', ctrl, 'KeyP')],
    ['print Meta+P', key('p', meta, 'KeyP')],
    ['print preview Ctrl+Shift+P', key('P', ctrlShift, 'KeyP')],
    ['browser menu Alt+E', key('e', alt, 'KeyE')],
    ['save Ctrl+S', key('s', ctrl, 'KeyS')],
    ['save-as Ctrl+Shift+S', key('S', ctrlShift, 'KeyS')],
    ['open Ctrl+O', key('o', ctrl, 'KeyO')],
    ['find Ctrl+F', key('f', ctrl, 'KeyF')],
    ['find next Ctrl+G', key('g', ctrl, 'KeyG')],
    ['find next F3', key('F3', {}, 'F3')],
    ['zoom in Ctrl+=', key('=', ctrl, 'Equal')],
    ['zoom in Ctrl+Shift+= (Ctrl+plus)', key('+', ctrlShift, 'Equal')],
    ['zoom in Ctrl+NumpadAdd', key('+', ctrl, 'NumpadAdd')],
    ['zoom out Ctrl+-', key('-', ctrl, 'Minus')],
    ['zoom out Ctrl+NumpadSubtract', key('-', ctrl, 'NumpadSubtract')],
    ['zoom reset Ctrl+0', key('0', ctrl, 'Digit0')],
    ['zoom reset Ctrl+Numpad0', key('0', ctrl, 'Numpad0')],
    ['reload F5', key('F5', {}, 'F5')],
    ['reload Ctrl+R', key('r', ctrl, 'KeyR')],
    ['reload Meta+R', key('r', meta, 'KeyR')],
    ['force reload Ctrl+Shift+R', key('R', ctrlShift, 'KeyR')],
    ['force reload Ctrl+F5', key('F5', ctrl, 'F5')],
    ['force reload Shift+F5', key('F5', { shift: true }, 'F5')],
    ['devtools F12', key('F12', {}, 'F12')],
    ['devtools Ctrl+Shift+I', key('I', ctrlShift, 'KeyI')],
    ['devtools Ctrl+Shift+J', key('J', ctrlShift, 'KeyJ')],
    ['devtools Ctrl+Shift+C', key('C', ctrlShift, 'KeyC')],
    ['devtools Meta+Shift+I', key('I', { meta: true, shift: true }, 'KeyI')],
    ['view-source Ctrl+U', key('u', ctrl, 'KeyU')],
    ['full screen F11', key('F11', {}, 'F11')],
    ['close Ctrl+W', key('w', ctrl, 'KeyW')],
    ['close Meta+W', key('w', meta, 'KeyW')],
    ['close Ctrl+F4', key('F4', ctrl, 'F4')],
    ['close Alt+F4', key('F4', alt, 'F4')],
    ['new window Ctrl+N', key('n', ctrl, 'KeyN')],
    ['new tab Ctrl+T', key('t', ctrl, 'KeyT')],
    ['incognito Ctrl+Shift+N', key('N', ctrlShift, 'KeyN')],
    ['reopen tab Ctrl+Shift+T', key('T', ctrlShift, 'KeyT')],
    ['history Ctrl+H', key('h', ctrl, 'KeyH')],
    ['downloads Ctrl+J', key('j', ctrl, 'KeyJ')],
    ['bookmark Ctrl+D', key('d', ctrl, 'KeyD')],
    ['bookmarks bar Ctrl+B', key('b', ctrl, 'KeyB')],
    ['bookmark manager Ctrl+Shift+O', key('O', ctrlShift, 'KeyO')],
    ['address bar Ctrl+L', key('l', ctrl, 'KeyL')],
    ['address bar Alt+D', key('d', alt, 'KeyD')],
    ['address bar F6', key('F6', {}, 'F6')],
    ['search Ctrl+E', key('e', ctrl, 'KeyE')],
    ['home Alt+Home', key('Home', alt, 'Home')],
    ['back Alt+Left', key('ArrowLeft', alt, 'ArrowLeft')],
    ['forward Alt+Right', key('ArrowRight', alt, 'ArrowRight')],
    ['menu F10', key('F10', {}, 'F10')],
    ['context menu Shift+F10', key('F10', { shift: true }, 'F10')],
    ['context menu key', key('ContextMenu', {}, 'ContextMenu')],
    ['bare Alt (menu bar)', key('Alt', alt, 'AltLeft')],
    ['system menu Alt+Space', key(' ', alt, 'Space')],
    ['help F1', key('F1', {}, 'F1')],
    ['caret browsing F7', key('F7', {}, 'F7')],
    ['tab switch Ctrl+Tab', key('Tab', ctrl, 'Tab')],
    ['tab switch Ctrl+Shift+Tab', key('Tab', ctrlShift, 'Tab')],
    ['tab switch Ctrl+PageDown', key('PageDown', ctrl, 'PageDown')],
    ['tab select Ctrl+1', key('1', ctrl, 'Digit1')],
    ['clear data Ctrl+Shift+Delete', key('Delete', ctrlShift, 'Delete')],
    ['browser back key', key('BrowserBack', {}, 'BrowserBack')],
    ['browser refresh key', key('BrowserRefresh', {}, 'BrowserRefresh')],
    ['Cyrillic layout Ctrl+R (к on KeyR)', key('к', ctrl, 'KeyR')],
    ['unlisted Ctrl+M', key('m', ctrl, 'KeyM')],
    ['Alt+F browser menu', key('f', alt, 'KeyF')],
  ];

  it.each(blocked)('blocks %s', (_name, input) => {
    expect(isBlockedShortcut(input)).toBe(true);
  });

  it('every named rule is exercised by a test case', () => {
    const hit = new Set(blocked.map(([, input]) => blockedShortcutName(input)));
    for (const rule of BLOCKED_SHORTCUTS) {
      if (['browser-keys', 'tab-switch-back', 'new-incognito-window'].includes(rule.name)) continue;
      expect(hit, rule.name).toContain(rule.name);
    }
  });

  const allowed: [string, KeyInput][] = [
    ['letter a', key('a', {}, 'KeyA')],
    ['capital A', key('A', { shift: true }, 'KeyA')],
    ['digit 5', key('5', {}, 'Digit5')],
    ['@ (Shift+2)', key('@', { shift: true }, 'Digit2')],
    ['@ via AltGr on a German layout', key('@', { control: true, alt: true }, 'KeyQ')],
    ['€ via AltGr', key('€', { control: true, alt: true }, 'KeyE')],
    ['Tab', key('Tab', {}, 'Tab')],
    ['Shift+Tab', key('Tab', { shift: true }, 'Tab')],
    ['Enter', key('Enter', {}, 'Enter')],
    ['Escape', key('Escape', {}, 'Escape')],
    ['Backspace', key('Backspace', {}, 'Backspace')],
    ['Delete', key('Delete', {}, 'Delete')],
    ['Space', key(' ', {}, 'Space')],
    ['arrows', key('ArrowLeft', {}, 'ArrowLeft')],
    ['Shift+arrow selection', key('ArrowRight', { shift: true }, 'ArrowRight')],
    ['Ctrl+arrow word jump', key('ArrowLeft', ctrl, 'ArrowLeft')],
    ['Home', key('Home', {}, 'Home')],
    ['End', key('End', {}, 'End')],
    ['copy Ctrl+C', key('c', ctrl, 'KeyC')],
    ['paste Ctrl+V', key('v', ctrl, 'KeyV')],
    ['cut Ctrl+X', key('x', ctrl, 'KeyX')],
    ['select all Ctrl+A', key('a', ctrl, 'KeyA')],
    ['undo Ctrl+Z', key('z', ctrl, 'KeyZ')],
    ['redo Ctrl+Y', key('y', ctrl, 'KeyY')],
    ['redo Ctrl+Shift+Z', key('Z', ctrlShift, 'KeyZ')],
    ['paste plain Ctrl+Shift+V', key('V', ctrlShift, 'KeyV')],
    ['paste Shift+Insert', key('Insert', { shift: true }, 'Insert')],
    ['undo Ctrl+Z on AZERTY (physical KeyW)', key('z', ctrl, 'KeyW')],
    ['select all Ctrl+A on AZERTY (physical KeyQ)', key('a', ctrl, 'KeyQ')],
    ['Cyrillic paste Ctrl+V (м on KeyV)', key('м', ctrl, 'KeyV')],
    ['Caps Lock', key('CapsLock', {}, 'CapsLock')],
    ['Shift alone', key('Shift', { shift: true }, 'ShiftLeft')],
    ['Control alone', key('Control', ctrl, 'ControlLeft')],
  ];

  it.each(allowed)('lets %s through', (_name, input) => {
    expect(blockedShortcutName(input)).toBeNull();
  });
});

describe('start-up refuses dangerous switches', () => {
  const none = { hasSwitch: () => false };
  it.each([
    ['--remote-debugging-port=9222'],
    ['--inspect'],
    ['--inspect=9229'],
    ['--inspect-brk'],
    ['--ignore-certificate-errors'],
    ['--no-sandbox'],
    ['--proxy-server=evil:8080'],
    ['--enable-logging'],
    ['--log-net-log=C:\\x.json'],
    ['--js-flags=--allow-natives-syntax'],
    ['--disable-web-security'],
    ['--host-resolver-rules=MAP * 1.2.3.4'],
    ['-inspect'],
    ['/no-sandbox'],
    ['--INSPECT-BRK=0'],
  ])('argv %s', (arg) => {
    expect(dangerousSwitches(none, ['SsprLogon.exe', '--scenario=logon', arg]).length).toBe(1);
  });

  it('reads Chromium parsed switches too', () => {
    const cl = { hasSwitch: (name: string) => name === 'remote-debugging-port' || name === 'no-sandbox' };
    expect(dangerousSwitches(cl, ['SsprLogon.exe'])).toEqual(['no-sandbox', 'remote-debugging-port']);
  });

  it('accepts the shim launch arguments', () => {
    expect(dangerousSwitches(none, ['C:\\Program Files\\SSPR Logon\\SsprLogon.exe', '--scenario=unlock', '--user=alice@contoso.com', '--lang=de-DE'])).toEqual([]);
  });

  it('lists the switches security.md §3.1 names', () => {
    for (const s of ['remote-debugging-port', 'inspect', 'inspect-brk', 'ignore-certificate-errors', 'no-sandbox', 'proxy-server', 'enable-logging', 'log-net-log', 'js-flags']) {
      expect(DANGEROUS_SWITCHES).toContain(s);
    }
  });

  it('flags ELECTRON_RUN_AS_NODE and NODE_OPTIONS', () => {
    expect(dangerousEnvironment({ ELECTRON_RUN_AS_NODE: '1', NODE_OPTIONS: '--inspect', PATH: 'x' })).toEqual(['ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS']);
    expect(dangerousEnvironment({ PATH: 'x', NODE_OPTIONS: '' })).toEqual([]);
  });
});
