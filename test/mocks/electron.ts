/**
 * The ONE Electron 22 mock, shared by every adapter test (test/main/electron/**) and bundled as CJS in
 * place of 'electron' for the Node 16.17.1 bundle test. It records what the adapter asks of Electron and
 * lets tests fire the events Electron would. Only the API surface the adapter uses is modelled; anything
 * else is absent, so a call to it fails loudly.
 */
import { EventEmitter } from 'node:events';

export interface Recorded {
  /** Every call of interest, in order: "app.exit(10)", "session[sspr-portal].setSSLConfig" … */
  calls: string[];
  exitCode: number | null;
  quitCalled: boolean;
  applicationMenu: unknown;
  privilegedSchemes: unknown[];
  sandboxEnabled: boolean;
  appendedSwitches: [string, string | undefined][];
  exposed: Map<string, unknown>;
  /** app.setPath calls: name → path. */
  paths: Map<string, string>;
}

export const recorded: Recorded = {
  calls: [],
  exitCode: null,
  quitCalled: false,
  applicationMenu: 'default',
  privilegedSchemes: [],
  sandboxEnabled: false,
  appendedSwitches: [],
  exposed: new Map(),
  paths: new Map(),
};

const note = (call: string): void => {
  recorded.calls.push(call);
};

/** An Electron-style event: preventDefault() is observable. */
export class MockEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

// ------------------------------------------------------------------------------------------ session

type BufferProtocolHandler = (request: { url: string; method: string; headers: Record<string, string>; referrer: string }, callback: (response: unknown) => void) => void;

class MockProtocol {
  readonly buffer = new Map<string, BufferProtocolHandler>();
  registerBufferProtocol(scheme: string, handler: BufferProtocolHandler): boolean {
    note(`protocol.registerBufferProtocol(${scheme})`);
    this.buffer.set(scheme, handler);
    return true;
  }
  isProtocolRegistered(scheme: string): boolean {
    return this.buffer.has(scheme);
  }
  /** Test helper: what the handler answers for a URL. */
  request(url: string): Promise<{ statusCode?: number; mimeType?: string; data?: Buffer; headers?: Record<string, string | string[]>; error?: number }> {
    const scheme = url.split(':')[0] ?? '';
    const handler = this.buffer.get(scheme);
    if (!handler) return Promise.reject(new Error(`no protocol ${scheme}`));
    return new Promise((resolve) => handler({ url, method: 'GET', headers: {}, referrer: '' }, (r) => resolve(r as never)));
  }
}

export class MockSession extends EventEmitter {
  sslConfig: unknown = null;
  proxyConfig: unknown = null;
  verifyProc: ((request: { hostname: string; errorCode: number; verificationResult?: string }, cb: (r: number) => void) => void) | null = null;
  permissionRequestHandler: ((wc: unknown, permission: string, cb: (granted: boolean) => void, details?: unknown) => void) | null = null;
  permissionCheckHandler: ((wc: unknown, permission: string, origin?: string, details?: unknown) => boolean) | null = null;
  devicePermissionHandler: ((details: unknown) => boolean) | null = null;
  spellChecker: boolean | null = null;
  beforeRequest: ((details: { url: string; resourceType?: string }, cb: (r: { cancel?: boolean }) => void) => void) | null = null;
  storageCleared = 0;
  resolveProxyAnswer = 'DIRECT';
  readonly protocol = new MockProtocol();
  readonly webRequest = {
    onBeforeRequest: (listener: MockSession['beforeRequest']): void => {
      note(`session[${this.partition}].webRequest.onBeforeRequest`);
      this.beforeRequest = listener;
    },
  };

  constructor(readonly partition: string) {
    super();
  }
  setSSLConfig(config: unknown): void {
    note(`session[${this.partition}].setSSLConfig`);
    this.sslConfig = config;
  }
  async setProxy(config: unknown): Promise<void> {
    note(`session[${this.partition}].setProxy`);
    this.proxyConfig = config;
  }
  async resolveProxy(_url: string): Promise<string> {
    return this.resolveProxyAnswer;
  }
  setCertificateVerifyProc(proc: MockSession['verifyProc']): void {
    note(`session[${this.partition}].setCertificateVerifyProc`);
    this.verifyProc = proc;
  }
  setPermissionRequestHandler(h: MockSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = h;
  }
  setPermissionCheckHandler(h: MockSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = h;
  }
  setDevicePermissionHandler(h: MockSession['devicePermissionHandler']): void {
    this.devicePermissionHandler = h;
  }
  setSpellCheckerEnabled(enable: boolean): void {
    this.spellChecker = enable;
  }
  async clearStorageData(): Promise<void> {
    note(`session[${this.partition}].clearStorageData`);
    this.storageCleared += 1;
  }
  async clearCache(): Promise<void> {
    note(`session[${this.partition}].clearCache`);
  }
  /** Test helper: run the verify proc like Chromium would. */
  verify(hostname: string, errorCode: number): Promise<number> {
    const proc = this.verifyProc;
    if (!proc) return Promise.reject(new Error('no verify proc'));
    return new Promise((resolve) => proc({ hostname, errorCode, verificationResult: errorCode === 0 ? 'net::OK' : 'net::ERR_CERT_INVALID' }, resolve));
  }
  /** Test helper: would this request go out? */
  request(url: string, resourceType = 'mainFrame'): Promise<boolean> {
    const listener = this.beforeRequest;
    if (!listener) return Promise.resolve(true);
    return new Promise((resolve) => listener({ url, resourceType }, (r) => resolve(!r.cancel)));
  }
}

const sessions = new Map<string, MockSession>();
const defaultSession = new MockSession('default');

export const session = {
  get defaultSession(): MockSession {
    return defaultSession;
  },
  fromPartition(partition: string): MockSession {
    note(`session.fromPartition(${partition})`);
    let s = sessions.get(partition);
    if (!s) {
      s = new MockSession(partition);
      sessions.set(partition, s);
    }
    return s;
  },
};

/** Every session the adapter touched, the default one included. */
export const allSessions = (): MockSession[] => [defaultSession, ...sessions.values()];

// ------------------------------------------------------------------------------------------ web contents

let nextId = 1;

export class MockWebFrame {
  constructor(
    public url: string,
    public parent: MockWebFrame | null,
    public routingId: number,
  ) {}
  get top(): MockWebFrame {
    return this.parent ? this.parent.top : this;
  }
  get origin(): string {
    try {
      const u = new URL(this.url);
      return `${u.protocol}//${u.host}`;
    } catch {
      return 'null';
    }
  }
}

export class MockWebContents extends EventEmitter {
  readonly id = nextId++;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  loadedUrls: string[] = [];
  url = '';
  title = '';
  zoomLimits: [number, number] | null = null;
  destroyed = false;
  readonly mainFrame: MockWebFrame;

  constructor(readonly session: MockSession, readonly webPreferences: Record<string, unknown>) {
    super();
    this.mainFrame = new MockWebFrame('', null, 1);
  }
  async loadURL(url: string): Promise<void> {
    note(`webContents[${this.id}].loadURL(${url})`);
    this.loadedUrls.push(url);
    this.url = url;
    this.mainFrame.url = url;
  }
  getURL(): string {
    return this.url;
  }
  getTitle(): string {
    return this.title;
  }
  setWindowOpenHandler(handler: MockWebContents['windowOpenHandler']): void {
    this.windowOpenHandler = handler;
  }
  setVisualZoomLevelLimits(min: number, max: number): Promise<void> {
    this.zoomLimits = [min, max];
    return Promise.resolve();
  }
  setZoomFactor(_factor: number): void {
    note(`webContents[${this.id}].setZoomFactor`);
  }
  stop(): void {
    note(`webContents[${this.id}].stop`);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  closeDevTools(): void {
    note(`webContents[${this.id}].closeDevTools`);
  }
  /** Scripts run in an isolated world, and what the next run answers (a test sets what the "page" shows). */
  isolatedWorldRuns: { worldId: number; code: string }[] = [];
  isolatedWorldAnswer: unknown = [];
  executeJavaScriptInIsolatedWorld(worldId: number, scripts: { code: string }[]): Promise<unknown> {
    for (const s of scripts) this.isolatedWorldRuns.push({ worldId, code: s.code });
    return Promise.resolve(this.isolatedWorldAnswer);
  }
  /** The page's own world: the adapter must never use it; recorded so a test can prove that. */
  mainWorldRuns: string[] = [];
  executeJavaScript(code: string): Promise<unknown> {
    this.mainWorldRuns.push(code);
    return Promise.resolve(undefined);
  }
  /** Test helper: emit an event that takes an Electron event first; returns the event. */
  fire(name: string, ...args: unknown[]): MockEvent {
    const event = new MockEvent();
    this.emit(name, event, ...args);
    return event;
  }
}

// ------------------------------------------------------------------------------------------ windows

export class MockBrowserView {
  static instances: MockBrowserView[] = [];
  readonly webContents: MockWebContents;
  bounds: { x: number; y: number; width: number; height: number } | null = null;
  autoResize: unknown = null;
  constructor(readonly options: { webPreferences?: Record<string, unknown> } = {}) {
    const prefs = options.webPreferences ?? {};
    this.webContents = new MockWebContents((prefs.session as MockSession | undefined) ?? defaultSession, prefs);
    MockBrowserView.instances.push(this);
    note('new BrowserView');
  }
  setBounds(bounds: MockBrowserView['bounds']): void {
    this.bounds = bounds;
  }
  setAutoResize(options: unknown): void {
    this.autoResize = options;
  }
  setBackgroundColor(_c: string): void {
    /* visual only */
  }
}

export class MockBrowserWindow extends EventEmitter {
  static instances: MockBrowserWindow[] = [];
  readonly webContents: MockWebContents;
  alwaysOnTop: [boolean, string | undefined] | null = null;
  browserView: MockBrowserView | null = null;
  shown = false;
  destroyed = false;
  contentBounds = { x: 0, y: 0, width: 1280, height: 800 };

  constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
    super();
    const prefs = options.webPreferences ?? {};
    this.webContents = new MockWebContents((prefs.session as MockSession | undefined) ?? defaultSession, prefs);
    MockBrowserWindow.instances.push(this);
    note('new BrowserWindow');
  }
  static getAllWindows(): MockBrowserWindow[] {
    return MockBrowserWindow.instances.filter((w) => !w.destroyed);
  }
  setAlwaysOnTop(flag: boolean, level?: string): void {
    this.alwaysOnTop = [flag, level];
  }
  setBrowserView(view: MockBrowserView | null): void {
    this.browserView = view;
  }
  getContentBounds(): { x: number; y: number; width: number; height: number } {
    return this.contentBounds;
  }
  setMenu(_menu: unknown): void {
    note('window.setMenu');
  }
  removeMenu(): void {
    note('window.removeMenu');
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    note('window.focus');
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {
    /* never minimised */
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

// ------------------------------------------------------------------------------------------ app, ipc

const switches = new Map<string, string>();

class MockApp extends EventEmitter {
  isPackaged = false;
  singleInstance = true;
  private readyResolve: (() => void) | null = null;
  private ready: Promise<void> = new Promise((resolve) => {
    this.readyResolve = resolve;
  });
  readonly commandLine = {
    hasSwitch: (name: string): boolean => switches.has(name),
    getSwitchValue: (name: string): string => switches.get(name) ?? '',
    appendSwitch: (name: string, value?: string): void => {
      recorded.appendedSwitches.push([name, value]);
    },
  };
  enableSandbox(): void {
    recorded.sandboxEnabled = true;
    note('app.enableSandbox');
  }
  requestSingleInstanceLock(): boolean {
    note('app.requestSingleInstanceLock');
    return this.singleInstance;
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  isReady(): boolean {
    return this.readyResolve === null;
  }
  exit(code = 0): void {
    note(`app.exit(${code})`);
    if (recorded.exitCode === null) recorded.exitCode = code;
  }
  quit(): void {
    recorded.quitCalled = true;
    note('app.quit');
  }
  getLocale(): string {
    return 'en-US';
  }
  getVersion(): string {
    return '0.1.0';
  }
  getPath(_name: string): string {
    return '/tmp/sspr-mock';
  }
  setPath(name: string, value: string): void {
    if (this.isReady() && name === 'userData') throw new Error('userData must be set before ready');
    note(`app.setPath(${name})`);
    recorded.paths.set(name, value);
  }
  /** Test helper: Electron finished launching. */
  fireReady(): void {
    const resolve = this.readyResolve;
    this.readyResolve = null;
    resolve?.();
    this.emit('ready');
  }
  /** Test helper. */
  resetReady(): void {
    this.ready = new Promise((resolve) => {
      this.readyResolve = resolve;
    });
  }
}

export const app = new MockApp();

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

export const ipcMain = {
  handlers: new Map<string, InvokeHandler>(),
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    note(`ipcMain.handle(${channel})`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
  on(channel: string): void {
    note(`ipcMain.on(${channel})`);
  },
  /** Test helper: an invoke as it would arrive from `sender`'s frame. */
  async invoke(channel: string, from: { sender: MockWebContents; frame?: MockWebFrame }, payload: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const frame = from.frame ?? from.sender.mainFrame;
    const event = { sender: from.sender, senderFrame: frame, frameId: frame.routingId, processId: 1 };
    return handler(event, payload);
  },
};

export const Menu = {
  setApplicationMenu(menu: unknown): void {
    recorded.applicationMenu = menu;
    note('Menu.setApplicationMenu');
  },
};

export const protocol = Object.assign(new MockProtocol(), {
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    if (app.isReady()) throw new Error('registerSchemesAsPrivileged must be called before ready');
    recorded.privilegedSchemes.push(...schemes);
    note('protocol.registerSchemesAsPrivileged');
  },
});

export const crashReporter = {
  start(_options: unknown): void {
    note('crashReporter.start');
  },
};

// ------------------------------------------------------------------------------------------ preload side

/** Where the preload's invokes go; a test points it at ipcMain.invoke or a stub. */
let rendererTarget: (channel: string, payload: unknown) => Promise<unknown> = async () => {
  throw new Error('ipcRenderer target not set');
};

export const ipcRenderer = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    note(`ipcRenderer.invoke(${channel})`);
    return rendererTarget(channel, args[0]);
  },
};

export const setRendererTarget = (target: typeof rendererTarget): void => {
  rendererTarget = target;
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    note(`contextBridge.exposeInMainWorld(${key})`);
    recorded.exposed.set(key, api);
  },
};

// ------------------------------------------------------------------------------------------ control

export interface MockControl {
  /** Chromium switches present on the command line (name → value). */
  switches?: Record<string, string>;
  singleInstance?: boolean;
  isPackaged?: boolean;
}

/** Back to a freshly started Electron; every test of the adapter begins here. */
export const resetElectronMock = (control: MockControl = {}): void => {
  recorded.calls = [];
  recorded.exitCode = null;
  recorded.quitCalled = false;
  recorded.applicationMenu = 'default';
  recorded.privilegedSchemes = [];
  recorded.sandboxEnabled = false;
  recorded.appendedSwitches = [];
  recorded.exposed = new Map();
  recorded.paths = new Map();
  switches.clear();
  for (const [k, v] of Object.entries(control.switches ?? {})) switches.set(k, v);
  app.removeAllListeners();
  app.singleInstance = control.singleInstance ?? true;
  app.isPackaged = control.isPackaged ?? false;
  app.resetReady();
  ipcMain.handlers.clear();
  sessions.clear();
  defaultSession.removeAllListeners();
  Object.assign(defaultSession, { sslConfig: null, proxyConfig: null, verifyProc: null, beforeRequest: null, storageCleared: 0, permissionRequestHandler: null, permissionCheckHandler: null, devicePermissionHandler: null, spellChecker: null });
  defaultSession.protocol.buffer.clear();
  protocol.buffer.clear();
  MockBrowserWindow.instances = [];
  MockBrowserView.instances = [];
};

export const BrowserWindow = MockBrowserWindow;
export const BrowserView = MockBrowserView;

export default {
  app,
  BrowserWindow,
  BrowserView,
  Menu,
  ipcMain,
  ipcRenderer,
  contextBridge,
  protocol,
  session,
  crashReporter,
};
