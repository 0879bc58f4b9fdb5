// Helpers for the shim tests: build the shim when sources changed, run a fresh wine prefix, drive
// cp-harness.exe and read what the stand-in overlay and the shim recorded.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHIM_OUT = join(ROOT, 'build/shim');
export const CLSID = '{63161C4D-E4A4-40D6-98FB-E6F4AD6BA5CB}';
export const OUTPUTS = [
  'SsprLogonCP.dll',
  'SsprLogonCP-winetest.dll',
  'SsprLogon.exe',
  'cp-harness.exe',
  'native/core-test',
  'native/log-plan',
  'x86/SsprLogonCP.dll',
  'x86/SsprLogon.exe',
];

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`${cmd} ${args.join(' ')} timed out after ${opts.timeoutMs} ms\n${stdout}\n${stderr}`));
        }, opts.timeoutMs)
      : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds build/shim/ with scripts/build-shim.sh unless every output is newer than every input. */
export async function ensureShimBuilt(): Promise<void> {
  const inputs = Math.max(
    newestMtime(join(ROOT, 'src/shim')),
    newestMtime(join(ROOT, 'scripts/build-shim.sh')),
    newestMtime(join(ROOT, 'test/shim/native')),
  );
  const fresh = OUTPUTS.every((o) => existsSync(join(SHIM_OUT, o)) && statSync(join(SHIM_OUT, o)).mtimeMs > inputs);
  if (fresh) return;
  const r = await run('bash', ['scripts/build-shim.sh'], { timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`scripts/build-shim.sh failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
}

/** Z:\ path of a Linux path, as wine's programs see it. */
export function winPath(linuxPath: string): string {
  return 'Z:' + linuxPath.replace(/\//g, '\\');
}

export type RegValue = string | { dword: number };
export interface RegBlock {
  key: string;
  delete?: boolean;
  values?: Record<string, RegValue | null>;
}

/** The keys the MSI writes to register a provider DLL (HKCR CLSID + the Credential Providers key). */
export function providerRegistration(dllLinuxPath: string): RegBlock[] {
  return [
    { key: `HKEY_CLASSES_ROOT\\CLSID\\${CLSID}`, values: { '@': 'SSPR Logon' } },
    { key: `HKEY_CLASSES_ROOT\\CLSID\\${CLSID}\\InprocServer32`, values: { '@': winPath(dllLinuxPath), ThreadingModel: 'Apartment' } },
    {
      key: `HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Authentication\\Credential Providers\\${CLSID}`,
      values: { '@': 'SSPR Logon' },
    },
  ];
}

/** A throw-away wine prefix (wineboot once per test file). */
export class WinePrefix {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;

  private constructor(dir: string) {
    this.dir = dir;
    const env: NodeJS.ProcessEnv = { ...process.env, WINEPREFIX: dir, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    this.env = env;
  }

  static async create(): Promise<WinePrefix> {
    const prefix = new WinePrefix(mkdtempSync(join(tmpdir(), 'sspr-shim-wine-')));
    const boot = await run('wineboot', ['--init'], { env: prefix.env, timeoutMs: 540_000 });
    if (boot.code !== 0) throw new Error(`wineboot failed (${boot.code}): ${boot.stderr}`);
    return prefix;
  }

  wine(args: string[], timeoutMs = 120_000): Promise<RunResult> {
    return run('wine', args, { env: this.env, timeoutMs });
  }

  /**
   * Applies registry changes with one `wine regedit` import: a block either deletes a key (with its
   * subkeys) or sets values (string → REG_SZ, {dword} → REG_DWORD, null → the value is removed).
   */
  async importReg(blocks: RegBlock[]): Promise<void> {
    const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    const lines = ['Windows Registry Editor Version 5.00', ''];
    for (const block of blocks) {
      if (block.delete) {
        lines.push(`[-${block.key}]`, '');
        continue;
      }
      lines.push(`[${block.key}]`);
      for (const [name, value] of Object.entries(block.values ?? {})) {
        const left = name === '@' ? '@' : `"${esc(name)}"`;
        if (value === null) lines.push(`${left}=-`);
        else if (typeof value === 'string') lines.push(`${left}="${esc(value)}"`);
        else lines.push(`${left}=dword:${value.dword.toString(16).padStart(8, '0')}`);
      }
      lines.push('');
    }
    const file = join(this.dir, `import-${Date.now()}-${Math.random().toString(16).slice(2)}.reg`);
    writeFileSync(file, '\ufeff' + lines.join('\r\n') + '\r\n', 'utf16le');
    const r = await this.wine(['regedit', '/S', winPath(file)]);
    rmSync(file, { force: true });
    if (r.code !== 0) throw new Error(`regedit import failed: ${r.stderr}`);
  }

  async dispose(): Promise<void> {
    // Only this prefix's wineserver (which our wine runs started) is stopped.
    await run('wineserver', ['-k'], { env: this.env, timeoutMs: 30_000 }).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export type JsonLine = Record<string, unknown>;

export function parseJsonLines(text: string): JsonLine[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as JsonLine);
}

export function readJsonLines(file: string): JsonLine[] {
  return existsSync(file) ? parseJsonLines(readFileSync(file, 'utf8')) : [];
}
