/**
 * The browser host's command line, parsed by node:util's parseArgs: an unknown option is refused (exit 2,
 * with the usage), and `--port 47111` and `--port=47111` both work. The overlay's own arguments
 * (--scenario, --user, --lang, --set, ...) are declared here too and handed on as the shim would write them;
 * their values are judged, leniently, by the overlay's own parser (src/main/core/launchArgs.ts).
 */
import { parseArgs } from 'node:util';

export const HOST_USAGE = `Usage: host [--port N] [--no-open] [--renderer-dir DIR] [overlay options]

Runs the SSPR Logon overlay in a browser on http://127.0.0.1, against the embedded emulator.
  --port N            port on 127.0.0.1, as --port N or --port=N (default: a free one)
  --no-open           do not try to open Chromium; just print the URL
  --renderer-dir DIR  folder of the built renderer (default: dist/renderer beside this file)
  --help, -h          show this text

Overlay options (what the credential provider passes on a PC, plus development settings):
  --scenario logon|unlock
                      which tile the person came from: the sign-in tile (default) or a locked
                      PC's unlock tile; it changes the titles and the last screen's advice
  --user NAME         fills the user-id field, as the tile does with the last user; try a demo user
                      such as alice@contoso.com (happy path), carol@contoso.com (reset not enabled)
                      or erin@contoso.com (the directory refuses the first save)
  --lang TAG          the overlay's language, as Windows' UI language would set it (e.g. de, ar, ja,
                      en-XA for the pseudo-locale); a Locale setting takes precedence
  --set Key=Value     one setting as if it came from policy, e.g. --set Engine=portal,
                      --set BrandName=Contoso, --set IdleTimeoutSeconds=90 (repeatable)
  --data-dir DIR      plays %ProgramData%\\SsprLogon: reads DIR/config.json, writes the logs to DIR/logs
  --log-dir DIR       writes the logs to DIR instead`;

export interface HostArgs {
  help: boolean;
  port: number;
  open: boolean;
  reason?: string;
  rendererDir?: string;
  /** For the overlay, in its own `--name=value` form. */
  overlay: string[];
}

export class HostUsageError extends Error {}

const OVERLAY_OPTIONS = ['scenario', 'user', 'lang', 'data-dir', 'log-dir'] as const;

export const parseHostArgs = (argv: readonly string[]): HostArgs => {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean', short: 'h' },
        port: { type: 'string' },
        'no-open': { type: 'boolean' },
        reason: { type: 'string' },
        'renderer-dir': { type: 'string' },
        // The host always runs the demo; accepted so `npm start -- --demo` means the same in both hosts.
        demo: { type: 'boolean' },
        set: { type: 'string', multiple: true },
        scenario: { type: 'string' },
        user: { type: 'string' },
        lang: { type: 'string' },
        'data-dir': { type: 'string' },
        'log-dir': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new HostUsageError(err instanceof Error ? err.message : String(err));
  }
  let port = 0;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) throw new HostUsageError(`--port must be a number from 0 to 65535, not '${values.port}'`);
    port = Number(values.port);
  }
  if (values['renderer-dir'] !== undefined && values['renderer-dir'].trim() === '') throw new HostUsageError('--renderer-dir needs a folder');
  const overlay: string[] = [];
  for (const name of OVERLAY_OPTIONS) {
    const value = values[name];
    if (value !== undefined) overlay.push(`--${name}=${value}`);
  }
  for (const setting of values.set ?? []) overlay.push(`--set=${setting}`);
  return {
    help: values.help === true,
    port,
    open: values['no-open'] !== true,
    ...(values.reason !== undefined ? { reason: values.reason } : {}),
    ...(values['renderer-dir'] !== undefined ? { rendererDir: values['renderer-dir'] } : {}),
    overlay,
  };
};
