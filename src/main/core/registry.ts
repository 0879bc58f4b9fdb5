/**
 * Reading the MSI- and GPO-written settings from the Windows registry. The overlay runs reg.exe by its
 * absolute path with an argument array (no shell, no string building), only on win32; tests use a fake.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const SETTINGS_KEY = 'HKLM\\SOFTWARE\\SsprLogon';
export const POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\SsprLogon';
export const CREDENTIAL_PROVIDER_CLSID = '{63161C4D-E4A4-40D6-98FB-E6F4AD6BA5CB}';
/** As in Microsoft's add-in, verbose logging can also be switched on under the provider's own key. */
export const PROVIDER_KEY = `HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Authentication\\Credential Providers\\${CREDENTIAL_PROVIDER_CLSID}`;

export type RegistryValue = string | number | string[];

export interface RegistrySource {
  /** The values directly under a key, or null when the key does not exist. */
  readValues(key: string): Promise<Record<string, RegistryValue> | null>;
}

export type ExecFileRunner = (file: string, args: string[]) => Promise<{ stdout: string; code: number }>;

export const runExecFile: ExecFileRunner = (file, args) =>
  new Promise((resolve) => {
    execFile(file, args, { windowsHide: true, timeout: 10_000, maxBuffer: 1024 * 1024 }, (err, stdout) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ stdout: String(stdout), code });
    });
  });

const VALUE_LINE = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/;

/** Parses `reg.exe query <key>` output: "    Name    REG_TYPE    data" lines under the key's own header. */
export const parseRegQuery = (stdout: string, key: string): Record<string, RegistryValue> => {
  const values: Record<string, RegistryValue> = {};
  let inKey = false;
  for (const line of stdout.split(/\r?\n/)) {
    if (/^HKEY_/i.test(line)) {
      // Subkeys are listed as their own headers; only the queried key's values count.
      inKey = line.trim().toLowerCase() === expandHive(key).toLowerCase();
      continue;
    }
    if (!inKey) continue;
    const m = VALUE_LINE.exec(line);
    if (!m) continue;
    const [, name = '', type = '', data = ''] = m;
    if (name === '(Default)') continue;
    switch (type) {
      case 'REG_DWORD':
      case 'REG_QWORD':
        values[name] = Number.parseInt(data, 16);
        break;
      case 'REG_MULTI_SZ':
        values[name] = data.length === 0 ? [] : data.split('\\0').filter((s) => s.length > 0);
        break;
      case 'REG_SZ':
      case 'REG_EXPAND_SZ':
        values[name] = data;
        break;
      default:
        break; // REG_BINARY and friends carry no setting of ours
    }
  }
  return values;
};

const expandHive = (key: string): string => key.replace(/^HKLM\\/i, 'HKEY_LOCAL_MACHINE\\');

export interface WindowsRegistryOptions {
  run?: ExecFileRunner;
  env?: NodeJS.ProcessEnv;
}

export const createWindowsRegistrySource = (opts: WindowsRegistryOptions = {}): RegistrySource => {
  const env = opts.env ?? process.env;
  const run = opts.run ?? runExecFile;
  const regExe = join(env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows', 'System32', 'reg.exe');
  // A 32-bit overlay on 64-bit Windows must read the 64-bit view the MSI wrote.
  const view = env.PROCESSOR_ARCHITEW6432 ? ['/reg:64'] : [];
  return {
    async readValues(key) {
      const { stdout, code } = await run(regExe, ['query', key, ...view]);
      if (code !== 0) return null; // reg.exe exits 1 when the key does not exist
      return parseRegQuery(stdout, key);
    },
  };
};
