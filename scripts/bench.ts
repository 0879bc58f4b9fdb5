// Benchmarks with budgets (issue #2). Prints figures; exits non-zero only when a figure cannot be measured.
//   1. renderer JavaScript, raw and gzip -9            budget ≤ 120 KB gzip; with the worst language's catalogue ≤ 100 KB
//   2. time to first usable screen vs an empty page    budget ≤ 2×, same Chromium run
//   3. client overhead per step vs raw HTTP, median    budget ≤ 5 ms
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import https from 'node:https';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';

const root = join(__dirname, '..');
const rows: { figure: string; value: string; budget: string; within: boolean | null }[] = [];
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function rendererSize(): void {
  const dir = join(root, 'dist/renderer');
  if (!existsSync(dir)) throw new Error('dist/renderer is missing: run npm run build');
  let raw = 0;
  let gz = 0;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    const buf = readFileSync(join(dir, f));
    raw += buf.length;
    gz += gzipSync(buf, { level: 9 }).length;
  }
  rows.push({ figure: 'renderer JavaScript (raw)', value: kb(raw), budget: '—', within: null });
  rows.push({ figure: 'renderer JavaScript (gzip -9)', value: kb(gz), budget: '≤ 120 KB', within: gz <= 120 * 1024 });
  // Every other language is a catalogue script of its own, fetched only when that language is used: the
  // first load is the bundle plus the active language's catalogue, at worst the largest one.
  const catalogueDir = join(dir, 'i18n');
  const catalogues = existsSync(catalogueDir) ? readdirSync(catalogueDir).filter((n) => n.endsWith('.js')) : [];
  const largest = Math.max(0, ...catalogues.map((f) => gzipSync(readFileSync(join(catalogueDir, f)), { level: 9 }).length));
  rows.push({ figure: `language catalogues on demand (${catalogues.length}), largest (gzip -9)`, value: kb(largest), budget: '—', within: null });
  rows.push({ figure: 'first load with all languages available, worst language (gzip -9)', value: kb(gz + largest), budget: '≤ 100 KB', within: gz + largest <= 100 * 1024 });
}

/** The release main bundle; development wiring (emulator, node-forge, demo users) lives in dist/main/demo.cjs. */
function mainBundleSize(): void {
  const bundle = join(root, 'dist/main/electron.cjs');
  if (!existsSync(bundle)) throw new Error('dist/main/electron.cjs is missing: run npm run build');
  rows.push({ figure: 'dist/main/electron.cjs (release main bundle)', value: kb(readFileSync(bundle).length), budget: 'printed', within: null });
}

async function firstUsableScreen(): Promise<void> {
  const { chromium } = await import('playwright-core');
  // The overlay's server runs in its own process, as the Electron main process does, so that Playwright's
  // client in this process does not slow down the very requests being timed.
  const host = spawn(process.execPath, [join(root, 'dist/main/host.cjs'), '--no-open'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const overlayUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    host.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.exec(out);
      if (m) resolve(m[0]);
    });
    host.once('exit', (code) => reject(new Error(`browser host exited (${code}) before printing its URL`)));
  });
  // The baseline is an empty page from a loopback server, so both sides pay the same connection costs.
  const blank = http.createServer((_req, res) => res.end('<!doctype html><title>empty</title><p>empty</p>'));
  await new Promise<void>((r) => blank.listen(0, '127.0.0.1', r));
  const blankUrl = `http://127.0.0.1:${(blank.address() as { port: number }).port}/`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  try {
    const empty: number[] = [];
    const overlay: number[] = [];
    // Each load starts from a fresh context and page, as the overlay's window does: a page that navigates
    // away from another origin would also pay a process swap that the overlay never pays.
    const timeLoad = async (url: string, ready: (page: import('playwright-core').Page) => Promise<void>) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const t = performance.now();
      await page.goto(url, { waitUntil: 'commit' });
      await ready(page);
      const elapsed = performance.now() - t;
      await context.close();
      return elapsed;
    };
    for (let i = 0; i < 12; i++) {
      empty.push(await timeLoad(blankUrl, (page) => page.locator('p').waitFor({ state: 'visible' })));
      overlay.push(
        await timeLoad(overlayUrl, async (page) => {
          await page.locator('input[autocomplete="username"]').waitFor({ state: 'visible' });
          await page.locator('input[autocomplete="username"]').focus();
        }),
      );
    }
    const e = median(empty.slice(2));
    const o = median(overlay.slice(2));
    rows.push({ figure: 'empty page, median', value: `${e.toFixed(1)} ms`, budget: '—', within: null });
    rows.push({ figure: 'first usable screen (user id field), median', value: `${o.toFixed(1)} ms (${(o / e).toFixed(2)}×)`, budget: '≤ 2×', within: o / e <= 2 });
  } finally {
    await browser.close();
    blank.close();
    host.kill();
  }
}

async function clientOverheadPerStep(): Promise<void> {
  const { startEmulator, DEMO_USERS } = await import('../src/emulator');
  const { createHttpClient, createHttpsAgent } = await import('../src/main/core/http');
  const { createNativeEngine, newCorrelationId } = await import('../src/main/core/engine/nativeEngine');
  const emu = await startEmulator({ policy: { requestsPerSecond: 100_000 } });
  const username = DEMO_USERS.find((u) => u.kind === 'registered')?.username ?? 'alice@contoso.com';
  const engine = createNativeEngine({
    authority: emu.authority,
    clientId: emu.clientId,
    http: createHttpClient({ ca: emu.caPem, timeoutMs: 10_000 }),
    clientVersion: 'bench',
  });
  const agent = createHttpsAgent({ ca: emu.caPem });
  const url = new URL(`${emu.authority}resetpassword/v1.0/start`);
  const raw = () =>
    new Promise<void>((resolve, reject) => {
      const body = new URLSearchParams({ client_id: emu.clientId, username, challenge_type: 'oob redirect' }).toString();
      const req = https.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`raw start: HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  const viaEngine = async () => {
    const r = await engine.start({ correlationId: newCorrelationId() }, username);
    if (!r.ok) throw new Error(`engine start failed: ${r.kind}`);
  };
  try {
    const rawTimes: number[] = [];
    const engineTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      await raw();
      await viaEngine();
    }
    // Interleaved so that drift in the machine's load hits both sides alike.
    for (let i = 0; i < 200; i++) {
      let t = performance.now();
      await raw();
      rawTimes.push(performance.now() - t);
      t = performance.now();
      await viaEngine();
      engineTimes.push(performance.now() - t);
    }
    const r = median(rawTimes);
    const e = median(engineTimes);
    rows.push({ figure: 'start step, raw HTTPS, median', value: `${r.toFixed(2)} ms`, budget: '—', within: null });
    rows.push({ figure: 'start step, native engine, median', value: `${e.toFixed(2)} ms`, budget: '—', within: null });
    rows.push({ figure: 'client overhead per step, median', value: `${(e - r).toFixed(2)} ms`, budget: '≤ 5 ms', within: e - r <= 5 });
  } finally {
    agent.destroy();
    await emu.close();
  }
}

async function main(): Promise<void> {
  rendererSize();
  mainBundleSize();
  await clientOverheadPerStep();
  await firstUsableScreen();
  const w = Math.max(...rows.map((r) => r.figure.length));
  console.log('\nSSPR Logon benchmarks');
  for (const r of rows) {
    const mark = r.within === null ? '' : r.within ? '  within budget' : '  OVER BUDGET';
    console.log(`  ${r.figure.padEnd(w)}  ${r.value.padEnd(24)} ${r.budget}${mark}`);
  }
}

main().catch((err) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
