/**
 * A stand-in for Microsoft's reset portal, built to the shape Microsoft documents and public links show
 * (portal-facts §1): a hash-routed single-page app (`/passwordreset#!/…`) on one https origin whose title
 * never changes, its script from a second origin (in the role of ajax.aspnetcdn.com), a CAPTCHA image from a
 * third (*.hip.live.com), a telemetry beacon to a fourth, "Back to sign in" to a fifth, plus a file input, a
 * window.print() button, a target=_blank help link, a script from a host on no list, and the SSPR error
 * views. The wording is ours; only its shape follows the portal.
 *
 * All hosts are served by one loopback HTTPS server, routed by Host header; Chromium reaches it through
 * `--host-resolver-rules` and trusts only its one leaf key (an SPKI pin), never "any certificate".
 */
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';

export const HOSTS = {
  portal: 'passwordreset.microsoftonline.com',
  scripts: 'ajax.aspnetcdn.com',
  captcha: 'client.hip.live.com',
  telemetry: 'browser.events.data.microsoft.com',
  signIn: 'login.microsoftonline.com',
  help: 'go.microsoft.com',
  offList: 'cdn.thirdparty.example',
} as const;

export const TITLE = 'Microsoft Online Password Reset';
export const USERS = {
  ok: 'adele.vance@contoso.com',
  notRegistered: 'no.methods@contoso.com',
  writeback: 'writeback.fails@contoso.com',
  throttled: 'too.many@contoso.com',
} as const;
export const CAPTCHA_ANSWER = 'K7QXW2';
export const CODE = '482913';

const leafFor = (hosts: readonly string[]): { key: string; cert: string; spki: string } => {
  const rsa = () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const key = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
    return { pem, key, pub: forge.pki.setRsaPublicKey(key.n, key.e) };
  };
  const now = Date.now();
  const ca = rsa();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.pub;
  caCert.serialNumber = '01';
  caCert.validity.notBefore = new Date(now - 86_400_000);
  caCert.validity.notAfter = new Date(now + 7 * 86_400_000);
  const caName = [{ name: 'commonName', value: 'SSPR Logon stand-in portal test CA' }];
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }]);
  caCert.sign(ca.key, forge.md.sha256.create());
  const leaf = rsa();
  const cert = forge.pki.createCertificate();
  cert.publicKey = leaf.pub;
  cert.serialNumber = '02';
  cert.validity.notBefore = caCert.validity.notBefore;
  cert.validity.notAfter = caCert.validity.notAfter;
  cert.setSubject([{ name: 'commonName', value: hosts[0] ?? 'localhost' }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hosts.map((value) => ({ type: 2, value })) },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert) + forge.pki.certificateToPem(caCert);
  const spki = createHash('sha256').update(createPublicKey(leaf.pem).export({ type: 'spki', format: 'der' })).digest('base64');
  return { key: leaf.pem, cert: certPem, spki };
};

const page = (body: string, scripts = ''): string => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${TITLE}</title>
<style>body{font-family:sans-serif;margin:24px}.hidden{display:none}</style></head><body>${body}${scripts}</body></html>`;

/** The SPA, served from the "CDN" origin. Every step is an in-page route; the title is never touched. */
const APP_JS = `
(function () {
  var api = 'https://${HOSTS.portal}/api/';
  var view = document.getElementById('view');
  var user = '';
  function beacon(name) {
    try { navigator.sendBeacon('https://${HOSTS.telemetry}/OneCollector/1.0/', JSON.stringify({ event: name })); } catch (e) {}
    try { fetch('https://${HOSTS.telemetry}/OneCollector/1.0/?e=' + name, { method: 'POST', mode: 'no-cors' }).catch(function () {}); } catch (e) {}
  }
  function post(path, body) {
    return fetch(api + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(function (r) { return r.json(); });
  }
  function show(html) { view.innerHTML = html; }
  function errorView(code, text) {
    show('<h1>We can\\'t reset your password</h1><div role="alert" class="alert"><p>' + text + '</p><p>Error code: ' + code + '</p></div>');
  }
  var routes = {
    '': function () {
      show('<h1>Get back into your account</h1><h2>Who are you?</h2>' +
        '<label>Email or Username <input id="userId" autocomplete="username"></label><br>' +
        '<img id="captcha" alt="CAPTCHA" src="https://${HOSTS.captcha}/GetHIP/captcha.png"><br>' +
        '<label>Enter the characters in the picture <input id="captchaAnswer"></label><br>' +
        '<button id="next">Next</button>');
      document.getElementById('next').onclick = function () {
        user = document.getElementById('userId').value;
        var hip = document.getElementById('captchaAnswer').value;
        post('start', { user: user, hip: hip }).then(function (r) {
          if (r.error) { errorView(r.error, r.text); return; }
          location.hash = '#!/verify';
        });
      };
    },
    '/verify': function () {
      show('<h1>Get back into your account</h1><h2>verification step 1</h2><p>We sent a code to your phone.</p>' +
        '<label>Enter your verification code <input id="code" inputmode="numeric"></label> <button id="verify">Next</button>');
      document.getElementById('verify').onclick = function () {
        post('verify', { code: document.getElementById('code').value }).then(function (r) {
          if (r.error) { errorView(r.error, r.text); return; }
          location.hash = '#!/newpassword';
        });
      };
    },
    '/newpassword': function () {
      show('<h1>Get back into your account</h1><h2>choose a new password</h2>' +
        '<label>Enter new password <input id="pw" type="password"></label> <label>Confirm new password <input id="pw2" type="password"></label> <button id="finish">Finish</button>');
      document.getElementById('finish').onclick = function () {
        post('reset', { user: user, password: document.getElementById('pw').value }).then(function (r) {
          if (r.error) { errorView(r.error, r.text); return; }
          // A neutral route name: only the visible heading says the reset is done, and the title stays.
          location.hash = '#!/step4';
        });
      };
    },
    '/step4': function () {
      show('<h1>Get back into your account</h1><div role="status"><h2>Your password has been reset</h2><p>You can now sign in with your new password.</p></div>');
      beacon('done');
    },
  };
  function route() {
    var name = location.hash.replace(/^#!/, '').replace(/^#/, '');
    (routes[name] || routes[''])();
    beacon('route');
  }
  window.addEventListener('hashchange', route);
  document.getElementById('print').onclick = function () { window.print(); document.getElementById('printed').textContent = 'print asked'; };
  route();
})();
`;

const SHELL = page(
  `<header><a id="backToSignIn" href="https://${HOSTS.signIn}/">Back to sign in</a>
   <a id="help" href="https://${HOSTS.help}/fwlink/?LinkID=sspr-help" target="_blank">Help</a>
   <button id="print">Print</button> <span id="printed"></span>
   <label>Attach a file <input id="attach" type="file"></label></header>
   <main id="view"></main>`,
  `<script src="https://${HOSTS.offList}/tracker.js"></script><script src="https://${HOSTS.scripts}/ajax/standin/app.js"></script>`,
);

/** A 1×1 PNG: enough for an <img> to load (naturalWidth 1). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==', 'base64');

export interface StandInPortal {
  port: number;
  spki: string;
  /** Chromium's --host-resolver-rules value mapping every stand-in host to the server. */
  resolverRules: string;
  /** Requests each host received: what was blocked never arrives. */
  hits: Record<string, string[]>;
  close(): Promise<void>;
}

const readJson = (req: import('node:http').IncomingMessage): Promise<Record<string, string>> =>
  new Promise((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      try {
        resolve(JSON.parse(body) as Record<string, string>);
      } catch {
        resolve({});
      }
    });
  });

export const startStandInPortal = async (): Promise<StandInPortal> => {
  const allHosts = Object.values(HOSTS);
  const tls = leafFor(allHosts);
  const hits: Record<string, string[]> = Object.fromEntries(allHosts.map((h) => [h, []]));
  const server = https.createServer({ key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2' }, (req, res) => {
    const host = (req.headers.host ?? '').split(':')[0] ?? '';
    const path = req.url ?? '/';
    hits[host]?.push(path);
    const send = (type: string, body: string | Buffer, status = 200) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (host === HOSTS.portal) {
      if (path.startsWith('/api/')) {
        void readJson(req).then((body) => {
          if (path === '/api/start') {
            if (body.hip !== CAPTCHA_ANSWER) return send('application/json', JSON.stringify({ error: 'SSPR_0003', text: 'The characters did not match the picture.' }));
            if (body.user === USERS.notRegistered) return send('application/json', JSON.stringify({ error: 'SSPR_0014', text: 'Additional security information is needed to reset your password.' }));
            if (body.user === USERS.throttled) return send('application/json', JSON.stringify({ error: 'SSPR_0032', text: 'You have made too many attempts. Try again in 24 hours.' }));
            return send('application/json', JSON.stringify({ ok: true }));
          }
          if (path === '/api/verify') return send('application/json', JSON.stringify(body.code === CODE ? { ok: true } : { error: 'SSPR_0005', text: 'That code did not work.' }));
          if (path === '/api/reset') {
            if (body.user === USERS.writeback) return send('application/json', JSON.stringify({ error: 'SSPR_0029', text: 'We could not save your new password in your organisation\u2019s directory.' }));
            return send('application/json', JSON.stringify({ ok: true }));
          }
          return send('application/json', '{}', 404);
        });
        return;
      }
      return send('text/html; charset=utf-8', SHELL);
    }
    if (host === HOSTS.scripts) return send('text/javascript', APP_JS);
    if (host === HOSTS.captcha) return send('image/png', PNG);
    if (host === HOSTS.offList) return send('text/javascript', 'document.title = "hijacked by a third-party script";');
    if (host === HOSTS.signIn) return send('text/html', page('<h1>Sign in</h1>'));
    if (host === HOSTS.help) return send('text/html', page('<h1>Help</h1>'));
    if (host === HOSTS.telemetry) return send('text/plain', 'ok');
    return send('text/plain', 'unknown host', 404);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    spki: tls.spki,
    resolverRules: [...allHosts.map((h) => `MAP ${h} 127.0.0.1:${port}`), 'EXCLUDE localhost'].join(', '),
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
};
