// Shared by the installer tests: building MSIs with scripts/build-msi.sh, reading their tables with msiinfo,
// and running wine's msiexec and reg in a throw-away prefix.
import { execFile, spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const ROOT = resolve(__dirname, '../..');
export const CLSID = '{63161C4D-E4A4-40D6-98FB-E6F4AD6BA5CB}';
export const UPGRADE_CODE = '{0B6C4424-D339-4C00-A087-0F320B1C1659}';
export const KEYS = {
  settings: 'HKLM\\SOFTWARE\\SsprLogon',
  credentialProvider: `HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Authentication\\Credential Providers\\${CLSID}`,
  clsid: `HKLM\\SOFTWARE\\Classes\\CLSID\\${CLSID}`,
  inprocServer: `HKLM\\SOFTWARE\\Classes\\CLSID\\${CLSID}\\InprocServer32`,
  eventSource: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\SsprLogon',
  uninstall: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall',
} as const;

/** The public properties the MSI remembers in HKLM\SOFTWARE\SsprLogon, with their registry value names. */
export const REMEMBERED_PROPERTIES: Record<string, string> = {
  ENGINE: 'Engine',
  PORTALURL: 'PortalUrl',
  AUTHORITY: 'Authority',
  CLIENTID: 'ClientId',
  LINKTEXT: 'LinkText',
  HELPDESKTEXT: 'HelpdeskText',
  LOCALE: 'Locale',
  PROXYMODE: 'ProxyMode',
  PROXYSERVER: 'ProxyServer',
  PROXYBYPASS: 'ProxyBypass',
  PACURL: 'PacUrl',
  ENABLELOGGING: 'EnableLogging',
  USEOVERLAYACCOUNT: 'UseOverlayAccount',
};

/** The remembered properties written as REG_DWORD (0 or 1) rather than REG_SZ. */
export const DWORD_PROPERTIES = new Set(['ENABLELOGGING', 'USEOVERLAYACCOUNT']);

export const makeTempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `sspr-${prefix}-`));

/** A staged app folder shaped like electron-builder's win-unpacked: the overlay exe plus nested resources. */
export const stageApp = (dir: string, overlayExe: string): string => {
  const app = join(dir, 'app');
  mkdirSync(join(app, 'resources'), { recursive: true });
  mkdirSync(join(app, 'locales'), { recursive: true });
  copyFileSync(overlayExe, join(app, 'SsprLogon.exe'));
  writeFileSync(join(app, 'resources', 'app.asar'), 'stand-in asar for the installer tests\n');
  writeFileSync(join(app, 'locales', 'en-US.pak'), 'stand-in locale pack\n');
  writeFileSync(join(app, 'LICENSE.electron.txt'), 'stand-in licence file\n');
  return app;
};

export interface ShimFiles {
  dll: string;
  overlayExe: string;
  /** true when these are the shim's real build outputs, false for placeholders. */
  real: boolean;
}

let runCounter = 0;

/**
 * Runs a command and resolves on its exit. Output goes to temp files, not pipes: the first wine command in a
 * prefix starts services (services.exe, winedevice) that inherit stdio and outlive it, so a pipe would never close.
 */
const run = (cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolvePromise, reject) => {
    const base = join(tmpdir(), `sspr-run-${process.pid}-${++runCounter}`);
    const outFd = openSync(`${base}.out`, 'w');
    const errFd = openSync(`${base}.err`, 'w');
    const collect = () => {
      closeSync(outFd);
      closeSync(errFd);
      const stdout = readFileSync(`${base}.out`, 'utf8');
      const stderr = readFileSync(`${base}.err`, 'utf8');
      rmSync(`${base}.out`, { force: true });
      rmSync(`${base}.err`, { force: true });
      return { stdout, stderr };
    };
    const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, stdio: ['ignore', outFd, errFd] });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 170_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      collect();
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? -1 : 0), ...collect() });
    });
  });

/**
 * Copies the shim's DLL and stand-in overlay (building them once when missing) into `dir`, so a rebuild
 * running in parallel cannot change them under the test. Falls back to placeholder files only while
 * scripts/build-shim.sh does not exist yet.
 */
export const shimFiles = async (dir: string): Promise<ShimFiles> => {
  const built = { dll: join(ROOT, 'build/shim/SsprLogonCP.dll'), exe: join(ROOT, 'build/shim/SsprLogon.exe') };
  const dll = join(dir, 'SsprLogonCP.dll');
  const overlayExe = join(dir, 'SsprLogon.exe');
  if (!existsSync(built.dll) || !existsSync(built.exe)) {
    if (existsSync(join(ROOT, 'scripts/build-shim.sh'))) {
      const r = await run('bash', ['scripts/build-shim.sh']);
      if (r.code !== 0) throw new Error(`scripts/build-shim.sh failed:\n${r.stdout}\n${r.stderr}`);
    }
  }
  if (existsSync(built.dll) && existsSync(built.exe)) {
    copyFileSync(built.dll, dll);
    copyFileSync(built.exe, overlayExe);
    return { dll, overlayExe, real: true };
  }
  writeFileSync(dll, 'placeholder credential provider\n');
  writeFileSync(overlayExe, 'placeholder overlay\n');
  return { dll, overlayExe, real: false };
};

export interface BuildOptions {
  staged?: string;
  dll?: string;
  version?: string;
  out: string;
  /** Which Windows the package is for; build-msi.sh's default is x64. */
  arch?: 'x64' | 'x86';
  env?: NodeJS.ProcessEnv;
}

export const buildMsi = async (o: BuildOptions) => {
  const args = ['scripts/build-msi.sh'];
  if (o.staged) args.push(o.staged);
  if (o.version) args.push('--version', o.version);
  if (o.dll) args.push('--dll', o.dll);
  if (o.arch) args.push('--arch', o.arch);
  args.push('--out', o.out);
  return run('bash', args, { env: o.env });
};

export const buildMsiOrThrow = async (o: BuildOptions): Promise<string> => {
  const r = await buildMsi(o);
  if (r.code !== 0) throw new Error(`build-msi failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return o.out;
};

/** One MSI table as objects keyed by column name (msiinfo export: names, types, table line, then rows). */
export const msiTable = async (msi: string, table: string): Promise<Record<string, string>[]> => {
  const { stdout } = await execFileAsync('msiinfo', ['export', msi, table], { maxBuffer: 16 * 1024 * 1024 });
  const lines = stdout.split(/\r?\n/).filter((l) => l.length > 0);
  const columns = (lines[0] ?? '').split('\t');
  return lines.slice(3).map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
};

export const msiProperty = async (msi: string, name: string): Promise<string | undefined> =>
  (await msiTable(msi, 'Property')).find((r) => r.Property === name)?.Value;

// ---- wine -------------------------------------------------------------------------------------------------

/** A fresh 64-bit wine prefix, headless and quiet. */
export class WinePrefix {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;

  constructor(dir: string) {
    this.dir = dir;
    const env: NodeJS.ProcessEnv = { ...process.env, WINEPREFIX: dir, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    this.env = env;
  }

  static async create(parent: string): Promise<WinePrefix> {
    const prefix = new WinePrefix(join(parent, 'wineprefix'));
    const r = await run('wineboot', ['--init'], { env: prefix.env });
    if (r.code !== 0) throw new Error(`wineboot failed: ${r.stderr}`);
    // wineboot returns before the prefix is fully set up; wait for every process of the first boot to end.
    await run('wineserver', ['-w'], { env: prefix.env });
    // A persistent server keeps the registry loaded between the many short wine commands of a test file;
    // otherwise every command pays for a server start. dispose() stops it.
    await run('wineserver', ['-p'], { env: prefix.env });
    return prefix;
  }

  /** Unix path of a path on the prefix's C: drive, e.g. "Program Files/SSPR Logon". */
  cDrive(path: string): string {
    return join(this.dir, 'drive_c', path);
  }

  run(args: string[], cwd?: string) {
    return run('wine', args, { env: this.env, cwd });
  }

  /** `msiexec <args>`; wine hands back the Windows exit code truncated to 8 bits. */
  async msiexec(args: string[], cwd?: string): Promise<{ code: number; windowsCode: number | string }> {
    const r = await this.run(['msiexec', ...args], cwd);
    const known = [0, 1602, 1603, 1618, 1619, 1638, 3010];
    const windowsCode = known.find((k) => (k & 0xff) === r.code) ?? `unknown (${r.code})`;
    return { code: r.code, windowsCode };
  }

  /** Values of one key through `reg export` (UTF-16, so non-ASCII text survives); undefined when the key is absent. */
  async regValues(key: string): Promise<Record<string, RegValue> | undefined> {
    const file = join(this.dir, `export-${process.pid}-${Date.now()}.reg`);
    const r = await this.run(['reg', 'export', key, `Z:${file.replace(/\//g, '\\')}`, '/y']);
    if (r.code !== 0 || !existsSync(file)) return undefined;
    const text = readFileSync(file).toString('utf16le').replace(/^\uFEFF/, '');
    rmSync(file, { force: true });
    return parseRegExport(text, key);
  }

  /** Subkey names of `key` (empty when the key is absent). */
  async subkeys(key: string): Promise<string[]> {
    const r = await this.run(['reg', 'query', key]);
    if (r.code !== 0) return [];
    const prefix = `${expandRoot(key)}\\`.toLowerCase();
    return r.stdout
      .split(/\r?\n/)
      .filter((l) => l.toLowerCase().startsWith(prefix))
      .map((l) => l.slice(prefix.length).trim());
  }

  async keyExists(key: string): Promise<boolean> {
    return (await this.run(['reg', 'query', key])).code === 0;
  }

  async dispose(): Promise<void> {
    await run('wineserver', ['-k'], { env: this.env, timeoutMs: 30_000 }).catch(() => undefined);
  }
}

export type RegValue = { type: 'REG_SZ' | 'REG_EXPAND_SZ' | 'REG_DWORD' | 'OTHER'; value: string | number };

const expandRoot = (key: string) =>
  key.replace(/^HKLM\\/i, 'HKEY_LOCAL_MACHINE\\').replace(/^HKCR\\/i, 'HKEY_CLASSES_ROOT\\').replace(/^HKCU\\/i, 'HKEY_CURRENT_USER\\');

const unescapeRegString = (s: string) => s.replace(/\\(.)/g, '$1');

const decodeHexUtf16 = (hex: string) =>
  Buffer.from(hex.split(',').filter(Boolean).map((b) => parseInt(b, 16)))
    .toString('utf16le')
    .replace(/\0+$/, '');

/** Parses the values of exactly `key` (not its subkeys) from `reg export` text. */
export const parseRegExport = (text: string, key: string): Record<string, RegValue> => {
  const joined = text.replace(/\\\r?\n\s*/g, '');
  const wanted = `[${expandRoot(key)}]`.toLowerCase();
  const values: Record<string, RegValue> = {};
  let inKey = false;
  for (const line of joined.split(/\r?\n/)) {
    if (line.startsWith('[')) {
      inKey = line.trim().toLowerCase() === wanted;
      continue;
    }
    if (!inKey) continue;
    const m = /^(@|"((?:[^"\\]|\\.)*)")=(.*)$/.exec(line);
    if (!m) continue;
    const name = m[1] === '@' ? '(Default)' : unescapeRegString(m[2] ?? '');
    const raw = m[3] ?? '';
    if (raw.startsWith('"')) values[name] = { type: 'REG_SZ', value: unescapeRegString(raw.slice(1, -1)) };
    else if (raw.startsWith('dword:')) values[name] = { type: 'REG_DWORD', value: parseInt(raw.slice(6), 16) };
    else if (raw.startsWith('hex(2):')) values[name] = { type: 'REG_EXPAND_SZ', value: decodeHexUtf16(raw.slice(7)) };
    else values[name] = { type: 'OTHER', value: raw };
  }
  return values;
};

/** Uninstall entries (product code and values) whose DisplayName is "SSPR Logon". */
export const ssprUninstallEntries = async (wine: WinePrefix) => {
  const entries: { productCode: string; values: Record<string, RegValue> }[] = [];
  for (const sub of await wine.subkeys(KEYS.uninstall)) {
    const values = await wine.regValues(`${KEYS.uninstall}\\${sub}`);
    if (values?.DisplayName?.value === 'SSPR Logon') entries.push({ productCode: sub, values });
  }
  return entries;
};
