/**
 * Configures one Electron session — the default session, the chrome window's partition and the portal
 * view's partition alike: TLS 1.2 floor, the configured proxy, certificate verification that can only get
 * stricter, every permission denied, downloads cancelled, and every request outside the allow-list
 * cancelled. Structural types only, so this runs (and is tested) in plain Node; the adapter passes the
 * real `Session`.
 */
import {
  certificateVerifyResult,
  downloadPolicy,
  permissionPolicy,
  requestVerdict,
  type LockdownPolicy,
} from '../lockdown/policy';
import { sessionProxyConfig, type ProxySettings, type SessionProxyConfig } from './proxy';

/** Chromium's TLS floor for every session; Electron 22 defaults to tls1 (security.md §5). */
export const sessionSslConfig = (): { minVersion: 'tls1.2' } => ({ minVersion: 'tls1.2' });

/** What configureSession needs from an Electron 22 `Session` (method syntax keeps Electron's types assignable). */
export interface SessionLike {
  setSSLConfig(config: { minVersion?: string }): void;
  setProxy(config: SessionProxyConfig): Promise<void>;
  setCertificateVerifyProc(proc: (request: { hostname: string; errorCode: number; verificationResult?: string }, callback: (result: number) => void) => void): void;
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  setSpellCheckerEnabled(enable: boolean): void;
  on(event: 'will-download', listener: (event: { preventDefault(): void }, item: { cancel(): void; getURL?(): string }) => void): unknown;
  on(event: 'select-hid-device', listener: (event: { preventDefault(): void }, details: unknown, callback: (deviceId?: string | null) => void) => void): unknown;
  on(event: 'select-serial-port', listener: (event: { preventDefault(): void }, portList: unknown, webContents: unknown, callback: (portId: string) => void) => void): unknown;
  webRequest: {
    onBeforeRequest(listener: (details: { url: string; resourceType?: string }, callback: (response: { cancel?: boolean }) => void) => void): void;
  };
}

export interface SessionEvents {
  /** A request the allow-list cancelled (URL already reduced to origin by the caller's logger). */
  onBlockedRequest?: (url: string, resourceType: string | undefined) => void;
  /** A telemetry request cancelled as expected: for the pilot capture, not a warning. */
  onQuietlyBlockedRequest?: (url: string, resourceType: string | undefined) => void;
  /** A certificate Chromium or the allow-list rejected. */
  onRejectedCertificate?: (hostname: string, verificationResult: string | undefined) => void;
  onCancelledDownload?: (url: string | undefined) => void;
  /** The configured proxy was refused by Chromium; the session fell back to the system proxy. */
  onProxyError?: (error: unknown) => void;
}

export interface SessionSettings {
  proxy: ProxySettings;
  policy: LockdownPolicy;
}

export const configureSession = async (session: SessionLike, settings: SessionSettings, events: SessionEvents = {}): Promise<void> => {
  const { policy } = settings;
  session.setSSLConfig(sessionSslConfig());
  session.setCertificateVerifyProc((request, callback) => {
    const result = certificateVerifyResult(request, policy);
    if (result === -2) events.onRejectedCertificate?.(request.hostname, request.verificationResult);
    callback(result);
  });
  session.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionPolicy(permission)));
  session.setPermissionCheckHandler((_wc, permission) => permissionPolicy(permission));
  session.setDevicePermissionHandler(() => false);
  session.setSpellCheckerEnabled(false);
  session.on('will-download', (event, item) => {
    if (downloadPolicy() === 'cancel') {
      event.preventDefault();
      item.cancel();
      events.onCancelledDownload?.(item.getURL?.());
    }
  });
  // Device pickers: without preventDefault Electron picks the first device itself.
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback(null);
  });
  session.on('select-serial-port', (event, _ports, _wc, callback) => {
    event.preventDefault();
    callback('');
  });
  session.webRequest.onBeforeRequest((details, callback) => {
    const verdict = requestVerdict(details.url, policy, details.resourceType);
    if (verdict === 'block') events.onBlockedRequest?.(details.url, details.resourceType);
    if (verdict === 'block-quiet') events.onQuietlyBlockedRequest?.(details.url, details.resourceType);
    callback({ cancel: verdict !== 'allow' });
  });
  try {
    await session.setProxy(sessionProxyConfig(settings.proxy));
  } catch (error) {
    // A bad proxy value must not stop the overlay (DESIGN.md: invalid values fall back): report it and
    // use the machine's proxy settings, as if ProxyMode were "system".
    events.onProxyError?.(error);
    await session.setProxy({ mode: 'system' });
  }
};
