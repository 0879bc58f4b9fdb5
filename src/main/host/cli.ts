/**
 * `node dist/main/host.cjs [--port N] [--no-open] [--reason no-electron] [overlay options…]` (see args.ts)
 * Runs the overlay in the browser host against the embedded emulator: for development, and as the
 * fallback of `npm start` where the Electron runtime is missing. Runs on Node 16.17 (bundled).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_USERS, startEmulator } from '../../emulator';
import { HOST_USAGE, HostUsageError, parseHostArgs, type HostArgs } from './args';
import { startDemo } from './demo';

const defaultRendererDir = (): string => {
  // Bundled as dist/main/host.cjs: the renderer sits in dist/renderer.
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [join(here, '..', 'renderer'), join(process.cwd(), 'dist', 'renderer')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0]!;
};

/** Opens a Chromium app window when there is a display to show it on; otherwise the URL is enough. */
const openBrowser = (url: string): boolean => {
  const chromium = '/usr/bin/chromium';
  if (!process.env.DISPLAY || !existsSync(chromium)) return false;
  const profile = mkdtempSync(join(tmpdir(), 'sspr-logon-browser-'));
  const flags = [`--app=${url}`, `--user-data-dir=${profile}`, '--no-first-run', '--no-default-browser-check', '--disable-sync', '--start-maximized'];
  // Chromium refuses to start as root with its sandbox; this is a developer's preview browser, not the overlay.
  if (process.getuid?.() === 0) flags.push('--no-sandbox');
  const child = spawn(chromium, flags, { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
  return true;
};

/** Reads the command line; --help and a usage error end the process here, before anything starts. */
const readArgs = (): HostArgs => {
  try {
    const args = parseHostArgs(process.argv.slice(2));
    if (args.help) {
      console.log(HOST_USAGE);
      process.exit(0);
    }
    return args;
  } catch (err) {
    if (!(err instanceof HostUsageError)) throw err;
    console.error(`host: ${err.message}\n\n${HOST_USAGE}`);
    process.exit(2);
  }
};

const main = async () => {
  const args = readArgs();
  const rendererDir = args.rendererDir ?? defaultRendererDir();
  if (!existsSync(join(rendererDir, 'index.html'))) {
    console.error(`The renderer is not built (${rendererDir} has no index.html): run "npm run build" first.`);
    process.exit(1);
  }
  const emulator = await startEmulator({});
  let shuttingDown = false;
  let printed = 0;
  // Filled in as the parts start; shutdown stops whatever is running.
  const running: { demo?: Awaited<ReturnType<typeof startDemo>>; outboxTimer?: NodeJS.Timeout } = {};

  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (running.outboxTimer) clearInterval(running.outboxTimer);
    await running.demo?.close();
    await emulator.close();
    process.exit(code);
  };

  const demo = await startDemo({
    emulator,
    rendererDir,
    argv: args.overlay,
    ...(args.port ? { port: args.port } : {}),
    onExit: (code) => {
      // Other tabs may still be mid-reset (each tab is its own flow), so the host keeps serving them.
      console.log(`\nA tab's overlay ended with exit code ${code} (what the credential provider would read). Open the URL above again for a new attempt; Ctrl+C stops the host.`);
    },
  });
  running.demo = demo;
  for (const p of demo.problems.launch) console.warn(`argument ${p.arg}: ${p.message}`);
  for (const p of demo.problems.config) console.warn(`setting ${p.key} (${p.layer}): ${p.message}`);

  const lines = [''];
  if (args.reason === 'no-electron') lines.push('Running in the browser host because the Electron runtime is not available on this machine.');
  lines.push(
    'SSPR Logon — browser host (demo, embedded emulator)',
    '',
    `  Open: ${demo.url}`,
    '',
    'Demo users (the emulator’s seeded directory):',
    ...DEMO_USERS.map((u) => `  ${u.username.padEnd(26)} ${u.note}`),
    '',
    ...(demo.logDir !== undefined ? [`Logs: ${demo.logDir} (read them with: npm run cli -- logs --data-dir <the same folder> --user <upn>)`, ''] : []),
    `Codes "sent" by e-mail are listed at ${emulator.baseUrl}/outbox`,
    '  (HTTPS with the emulator’s own CA, so a browser will warn; they are also printed below).',
    'Press Ctrl+C to stop.',
    '',
  );
  console.log(lines.join('\n'));

  if (args.open) {
    if (openBrowser(demo.url)) console.log('Opened Chromium on the URL above.');
    else console.log('No display or no /usr/bin/chromium: open the URL above in a browser.');
  }

  running.outboxTimer = setInterval(() => {
    while (printed < emulator.outbox.length) {
      const entry = emulator.outbox[printed++]!;
      console.log(`[demo only] code for ${entry.username}: ${entry.code}`);
    }
  }, 300);

  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
};

main().catch((err: unknown) => {
  console.error(`browser host: cannot start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
