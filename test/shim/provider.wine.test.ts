// The real credential-provider DLL loaded through COM under wine, driven by cp-harness.exe the way LogonUI
// drives it, launching the stand-in overlay. What wine can and cannot prove: docs/shim-least-privilege.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  CLSID,
  ensureShimBuilt,
  JsonLine,
  parseJsonLines,
  providerRegistration,
  readJsonLines,
  RegBlock,
  RegValue,
  ROOT,
  SHIM_OUT,
  WinePrefix,
  winPath,
} from './support';

const PACKAGE_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const SETTINGS = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\SsprLogon';
const POLICY = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\SsprLogon';
const STATE = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\SsprLogon\\State';
const PAYLOAD = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\SsprLogon\\Payload';
const PROVIDER_KEY = `HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Authentication\\Credential Providers\\${CLSID}`;
const UNAVAILABLE = 'Password reset is not available right now.';

let wine: WinePrefix;
let work: string;
let installDir: string;
let runNo = 0;

interface HarnessRun {
  /** The dedicated-account calls the shim made, as the wine test build's recorder saw them. */
  account: JsonLine[];
  lines: JsonLine[];
  steps: (name: string) => JsonLine[];
  events: JsonLine[];
  records: JsonLine[];
  stderr: string;
}

interface HarnessOptions {
  dll?: 'winetest' | 'production';
  /** HKLM\SOFTWARE\SsprLogon EnableLogging (default 1). */
  verbose?: boolean;
  /** Start from a clean slate: no failure state, no policy, default settings (default true). */
  fresh?: boolean;
  /** Further registry changes applied with the same import. */
  reg?: RegBlock[];
  settings?: Record<string, RegValue | null>;
  /**
   * The payload reference the MSI would write (HKLM\SOFTWARE\SsprLogon\Payload); default: the SHA-256 of the
   * installed stand-in as SsprLogon.exe. 'none' removes the key.
   */
  payload?: Record<string, string> | 'none';
  /** Make this dedicated-account call fail in the recorder (add, password, logon). */
  accountFail?: 'add' | 'password' | 'logon';
  /** The Windows version wine reports to cp-harness.exe, i.e. to the DLL inside it (default win10). */
  windows?: 'win7' | 'win81' | 'win10';
}

/** One harness run (one regedit import + one harness process) with its own event file and record file. */
async function harness(steps: string[], opts: HarnessOptions = {}): Promise<HarnessRun> {
  runNo += 1;
  const eventsFile = join(work, `events-${runNo}.jsonl`);
  const accountFile = join(work, `account-${runNo}.jsonl`);
  rmSync(join(installDir, 'SsprLogon.record.jsonl'), { force: true });
  const blocks: RegBlock[] = [...providerRegistration(join(SHIM_OUT, opts.dll === 'production' ? 'SsprLogonCP.dll' : 'SsprLogonCP-winetest.dll'))];
  if (opts.fresh !== false) {
    blocks.push({ key: STATE, delete: true }, { key: POLICY, delete: true }, { key: PROVIDER_KEY, values: { EnableLogging: null } });
    blocks.push({ key: SETTINGS, values: { InstallDir: winPath(installDir), WatchdogSeconds: { dword: 900 }, LinkText: null, UseOverlayAccount: null } });
  }
  // NetUserAdd and LogonUser are stubs under wine: the test build records the account calls instead.
  blocks.push({ key: SETTINGS, values: { TestAccountLog: winPath(accountFile), TestAccountFail: opts.accountFail ?? null } });
  blocks.push({ key: SETTINGS, values: { DebugLogFile: winPath(eventsFile), EnableLogging: { dword: opts.verbose === false ? 0 : 1 }, ...opts.settings } });
  blocks.push({ key: PAYLOAD, delete: true });
  if (opts.payload !== 'none') blocks.push({ key: PAYLOAD, values: opts.payload ?? { 'SsprLogon.exe': sha256(join(installDir, 'SsprLogon.exe')) } });
  // Wine 8 reports Windows 7 unless told otherwise; the Windows 7 switch is tested on its own.
  blocks.push({ key: 'HKEY_CURRENT_USER\\Software\\Wine\\AppDefaults\\cp-harness.exe', values: { Version: opts.windows ?? 'win10' } });
  blocks.push(...(opts.reg ?? []));
  await wine.importReg(blocks);
  const args = [
    join(SHIM_OUT, 'cp-harness.exe'),
    '--winlogon-desktop',
    '--clsid',
    CLSID,
    '--control',
    winPath(join(installDir, 'SsprLogon.control')),
    '--wait-ms',
    '60000',
    ...steps,
  ];
  const r = await wine.wine(args, 170_000);
  const lines = parseJsonLines(r.stdout);
  expect(lines.find((l) => l.step === 'done'), `harness did not finish:\n${r.stdout}\n${r.stderr}`).toBeDefined();
  // Every run ends with the DLL unloadable: no monitor thread or object left behind.
  expect(lines.find((l) => l.step === 'drain')).toMatchObject({ unloadable: true });
  return {
    account: readJsonLines(accountFile),
    lines,
    steps: (name) => lines.filter((l) => l.step === name),
    events: readJsonLines(eventsFile),
    records: readJsonLines(join(installDir, 'SsprLogon.record.jsonl')),
    stderr: r.stderr,
  };
}


function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function after(click: JsonLine): JsonLine {
  return click.after as JsonLine;
}

const SLOW = 170_000;

describe('credential provider under wine', () => {
  beforeAll(async () => {
    await ensureShimBuilt();
    work = mkdtempSync(join(tmpdir(), 'sspr-shim-'));
    installDir = join(work, 'SSPR Logon');
    mkdirSync(installDir);
    copyFileSync(join(SHIM_OUT, 'SsprLogon.exe'), join(installDir, 'SsprLogon.exe'));
    wine = await WinePrefix.create();
  });

  afterAll(async () => {
    await wine?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  }, SLOW);

  it('offers the link on logon and unlock only, as one command-link field of an "Other user" tile', async () => {
    const r = await harness(['walk']);
    const scenarios = Object.fromEntries(r.steps('scenario').map((l) => [l.scenario, l.hr]));
    expect(scenarios).toEqual({
      logon: '0x00000000',
      unlock: '0x00000000',
      'change-password': '0x80004001',
      credui: '0x80004001',
      plap: '0x80004001',
    });
    const fields = r.steps('field').map((f) => [f.type, f.label]);
    expect(fields).toContainEqual(['command-link', 'Forgot password?']);
    expect(fields.map((f) => f[0])).toEqual(['tile-image', 'large-text', 'command-link', 'small-text']);
    expect(r.steps('fieldOutOfRange')[0]?.hr).toBe('0x80070057');
    expect(r.steps('tile')[0]).toMatchObject({ credentialCount: 1, autoLogon: false, link: 'Forgot password?', linkState: 'selected', statusState: 'hidden' });
    expect(r.steps('setSelected')[0]).toMatchObject({ hr: '0x00000000', autoLogon: false });
    expect(r.steps('bitmap')[0]).toMatchObject({ hr: '0x00000000', bitmap: true });
    // The tile never signs anybody in and is not bound to a user.
    expect(r.steps('getSerialization')[0]).toMatchObject({ hr: '0x00000000', response: 0, bytes: 0 });
    expect(r.steps('getUserSid')[0]).toMatchObject({ hr: '0x00000001', sid: null });
    expect(r.steps('badLink')[0]?.hr).toBe('0x80070057');
    expect(r.records).toEqual([]); // walking the tile starts nothing
  }, SLOW);

  it('takes the link text from the MSI setting, and the GPO policy over it', async () => {
    const fromSetting = await harness(['open:logon'], { settings: { LinkText: 'Reset my password' } });
    expect(fromSetting.steps('open')[0]).toMatchObject({ link: 'Reset my password' });
    const fromPolicy = await harness(['open:unlock'], {
      settings: { LinkText: 'Reset my password' },
      reg: [{ key: POLICY, values: { LinkText: 'Passwort vergessen?' } }],
    });
    expect(fromPolicy.steps('open')[0]).toMatchObject({ link: 'Passwort vergessen?' });
    // An unusable policy value falls back to the lower layer.
    const fallback = await harness(['open:logon'], { settings: { LinkText: 'Reset my password' }, reg: [{ key: POLICY, values: { LinkText: '' } }] });
    expect(fallback.steps('open')[0]).toMatchObject({ link: 'Reset my password' });
  }, SLOW);

  it('starts the overlay with the contract command line and shows the matching text for each exit code', async () => {
    const r = await harness(['open:logon', 'click:exit 0', 'click:exit 10', 'click:exit 11', 'click:exit 20', 'click:exit 30', 'click:exit 40', 'click:exit 1', 'state']);
    const clicks = r.steps('click');
    expect(clicks).toHaveLength(7);
    for (const c of clicks) {
      expect(c.clickHr).toEqual(['0x00000000']);
      // While the overlay runs the link is gone; afterwards the user is back on the tile with the link.
      expect(c.during).toMatchObject({ linkState: 'hidden', status: 'Password reset is open.' });
      expect(c.changed).toBe(true);
      expect(c.adviseContext).toBe(0x5353);
      expect(after(c)).toMatchObject({ credentialCount: 1, linkState: 'selected' });
      expect(c.leftAlive).toEqual([]);
    }
    const statuses = clicks.map((c) => [after(c).status, after(c).statusState]);
    expect(statuses).toEqual([
      ['Your password was changed. Sign in with your new password.', 'selected'],
      ['', 'hidden'],
      ['', 'hidden'],
      ['Password reset is not set up for this account. Contact your helpdesk.', 'selected'],
      ['The password reset service cannot be reached. Check the network or contact your helpdesk.', 'selected'],
      ['Too many attempts. Try again later or contact your helpdesk.', 'selected'],
      [UNAVAILABLE, 'selected'],
    ]);

    expect(r.records).toHaveLength(7);
    const first = r.records[0]!;
    // The hard session limit is passed 60 s below the 900 s watchdog; wine reports Windows 10 by default, so
    // no Windows 7 sandbox switch.
    expect(first.commandLine).toBe(`"${winPath(join(installDir, 'SsprLogon.exe'))}" --scenario=logon --lang=en-US --session-limit=840`);
    expect(first.args).toEqual(['--scenario=logon', '--lang=en-US', '--session-limit=840']);
    expect(first.cwd).toBe(winPath(installDir));
    expect(first.inJob).toBe(true);
    // Minimal environment: Windows' own folders, a private temp/profile folder, nothing of the caller's.
    const env = first.env as Record<string, string>;
    const ours = Object.keys(env).filter((k) => !k.startsWith('WINE')).sort();
    expect(ours).toEqual(
      ['ALLUSERSPROFILE', 'APPDATA', 'CommonProgramFiles', 'LOCALAPPDATA', 'NUMBER_OF_PROCESSORS', 'OS', 'PATH', 'PROCESSOR_ARCHITECTURE', 'ProgramData', 'ProgramFiles', 'SystemDrive', 'SystemRoot', 'TEMP', 'TMP', 'USERPROFILE', 'windir'].sort(),
    );
    // A profile and data folder of its own for every launch.
    expect(env.TEMP).toMatch(/^C:\\ProgramData\\SsprLogon\\Overlay\\run-[0-9a-f]{16}$/);
    expect(new Set(r.records.map((x) => (x.env as Record<string, string>).TEMP)).size).toBe(r.records.length);
    expect(env.PATH).toBe('C:\\windows\\system32;C:\\windows');
    // Not the caller's token: the restricted copy (Administrators deny-only is what wine keeps of it).
    expect((first.token as JsonLine).denyOnlySids).toContain('S-1-5-32-544');

    expect(r.events.map((e) => e.id)).toEqual([200, 100, 110, 100, 111, 100, 112, 100, 120, 100, 130, 100, 140, 100, 150]);
    expect(r.steps('state')[0]).toMatchObject({ consecutiveFailures: 1, disabled: 0 });
  }, SLOW);

  it('passes the locked session user on unlock, and keeps verbose records out unless EnableLogging is 1', async () => {
    const r = await harness(['open:unlock', 'click:exit 10'], { verbose: false });
    const args = r.records[0]!.args as string[];
    expect(args[0]).toBe('--scenario=unlock');
    expect(args.some((a) => /^--user=\S+/.test(a))).toBe(true);
    // 200 (scenario) and 111 (cancelled) are verbose; only the launch itself is recorded.
    expect(r.events.map((e) => e.id)).toEqual([100]);

    // As in Microsoft's add-in, EnableLogging under the Credential Providers key turns verbose records on.
    const verbose = await harness(['open:unlock', 'click:exit 10'], { verbose: false, reg: [{ key: PROVIDER_KEY, values: { EnableLogging: { dword: 1 } } }] });
    expect(verbose.events.map((e) => e.id)).toEqual([200, 100, 111]);
  }, SLOW);

  // A 3 s watchdog: the wine test build times it from the stand-in's "standin.hanging" line, not from launch, so a
  // slow start on a loaded machine cannot turn a crash or an exit into a watchdog kill (docs/shim-least-privilege.md).
  it('returns to the tile after crashes and a hang, turns itself off after 3 failures, and a success resets the count', async () => {
    const r = await harness(
      ['open:logon', 'click:crash av', 'click:crash abort', 'state', 'click:exit 0', 'state', 'click:crash av', 'click:exit 1', 'click:hang', 'state', 'open:logon', 'open:unlock', 'state'],
      { settings: { WatchdogSeconds: { dword: 3 } } },
    );
    const [av, abort, success, av2, internal, hang] = r.steps('click');
    for (const c of [av, abort, av2, internal]) {
      expect(c!.changed).toBe(true);
      expect(after(c!)).toMatchObject({ credentialCount: 1, linkState: 'selected', status: UNAVAILABLE });
    }
    expect(after(success!)).toMatchObject({ status: 'Your password was changed. Sign in with your new password.' });
    const states = r.steps('state').map((s) => [s.consecutiveFailures, s.disabled]);
    expect(states).toEqual([
      [2, 0],
      [0, 0],
      [3, 1],
      [3, 1],
    ]);
    for (const c of r.steps('click')) expect(c.leftAlive).toEqual([]);
    // The watchdog killed the hung overlay and the tile came back, now without the link.
    expect(hang!.changed).toBe(true);
    expect(Number(hang!.elapsedMs)).toBeGreaterThanOrEqual(2500);
    expect(after(hang!)).toMatchObject({ credentialCount: 0 });
    // Disabled and persisted: LogonUI's next enumeration does not get the provider at all.
    expect(r.steps('open').slice(1).map((o) => o.setUsageScenarioHr)).toEqual(['0x80004001', '0x80004001']);

    const ids = r.events.map((e) => e.id);
    expect(ids.filter((id) => id === 160)).toHaveLength(3);
    expect(ids).toContain(110);
    expect(ids).toContain(181);
    expect(ids).toContain(150);
    expect(ids).toContain(170);
    expect(ids.indexOf(180)).toBeGreaterThan(ids.indexOf(170));
    expect(ids.filter((id) => id === 180)).toHaveLength(1);
    expect(r.events.find((e) => e.id === 160)?.message).toMatch(/0xC0000005/);
    expect(r.events.find((e) => e.id === 180)?.level).toBe('error');

    // Re-enabled by the admin: the link is back.
    const back = await harness(['open:logon'], { fresh: false, reg: [{ key: STATE, values: { Disabled: { dword: 0 }, ConsecutiveFailures: { dword: 0 } } }] });
    expect(back.steps('open')[0]).toMatchObject({ setUsageScenarioHr: '0x00000000', credentialCount: 1 });
  }, SLOW);

  it('after the UI-ready line, crashes, errors and hangs are reported but never counted; the session limit has its own text', async () => {
    const r = await harness(
      ['open:logon', 'click:ready crash abort', 'click:ready exit 1', 'click:ready hang', 'state', 'click:exit 12', 'state', 'click:quoted-ready exit 1', 'state'],
      { settings: { WatchdogSeconds: { dword: 3 } } },
    );
    const [crash, internal, hang, limit, quoted] = r.steps('click');
    for (const c of [crash, internal, hang]) expect(after(c!)).toMatchObject({ credentialCount: 1, linkState: 'selected', status: UNAVAILABLE });
    // Three failures that would have switched the link off before: nothing counted, the link stays.
    expect(r.steps('state').map((s) => [s.consecutiveFailures, s.disabled])).toEqual([
      [null, null],
      [null, null],
      [1, 0],
    ]);
    expect(after(limit!)).toMatchObject({ credentialCount: 1, linkState: 'selected', status: 'Password reset was open too long and was closed. Start it again if you still need it.' });
    // A log record that only quotes the signal inside a string is not the signal: that exit 1 counts.
    expect(after(quoted!)).toMatchObject({ status: UNAVAILABLE });
    const ids = r.events.map((e) => e.id);
    expect(ids.filter((id) => id !== 100 && id !== 200), JSON.stringify(r.events)).toEqual([160, 150, 170, 113, 150]);
    const notCounted = r.events.filter((e) => String(e.message).includes('Not counted toward turning the link off'));
    expect(notCounted.map((e) => e.id)).toEqual([160, 150, 170]);
    expect(r.events.find((e) => e.id === 113)).toMatchObject({ level: 'warning', verbose: false });
    expect(r.records[0]!.args).toEqual(['--scenario=logon', '--lang=en-US', '--session-limit=2']);
  }, SLOW);

  // The overlay itself sets --allow-no-sandbox-job on Windows 7 and refuses it from its command line, so the
  // shim must never pass it (it would stop every Windows 7 launch).
  it('never passes --allow-no-sandbox-job, on Windows 7 either; the job forbids breakaway and allows 16 processes', async () => {
    const win7 = await harness(['open:logon', 'click:exit 10'], { windows: 'win7' });
    const win81 = await harness(['open:logon', 'click:exit 10'], { windows: 'win81' });
    const win10 = await harness(['open:logon', 'click:exit 10'], { windows: 'win10' });
    expect(win7.records[0]!.args).toEqual(['--scenario=logon', '--lang=en-US', '--session-limit=840']);
    expect(win81.records[0]!.args).toEqual(['--scenario=logon', '--lang=en-US', '--session-limit=840']);
    expect(win10.records[0]!.args).toEqual(['--scenario=logon', '--lang=en-US', '--session-limit=840']);
    // Wine cannot read job limits back, so the shim reports what it handed to SetInformationJobObject.
    for (const run of [win7, win81, win10]) {
      expect(run.records[0]!.inJob).toBe(true);
      expect(run.events.find((e) => e.id === 100)?.message).toMatch(/job limit 16 processes, breakaway not allowed\)\.$/);
      // The launch record names the version package.json gives, like the DLL, the MSI and SsprLogon.exe --version.
      expect(run.events.find((e) => e.id === 100)?.message).toMatch(new RegExp(`^SSPR Logon ${PACKAGE_VERSION.replace(/\./g, '\\.')}: `));
    }
  }, SLOW);

  it("stores the overlay's stdout log lines in the protected log folder, escaping anything that is not one JSON record", async () => {
    const r = await harness(['open:logon', 'click:exit 10']);
    const record = r.records[0]!;
    expect(record.stdoutIsPipe).toBe(true);
    const logFile = join(wine.dir, 'drive_c/ProgramData/SsprLogon/logs/sspr-logon.jsonl');
    const lines = readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
    const mine = lines.slice(lines.indexOf(`{"level":"info","event":"standin.started","pid":${String(record.pid)}}`));
    expect(mine[0]).toBe(`{"level":"info","event":"standin.started","pid":${String(record.pid)}}`);
    // The forged record and the escape sequence survive only as escaped text inside wrapper records.
    expect(lines).not.toContain('{"level":"error","event":"standin.fake"}');
    const wrapped = mine.slice(1, 4).map((l) => JSON.parse(l) as JsonLine);
    expect(wrapped.map((w) => [w.source, w.invalid, w.line])).toEqual([
      ['overlay', true, 'forged'],
      ['overlay', true, '{"level":"error","event":"standin.fake"}\u001b[2J'],
      ['overlay', true, 'plain text'],
    ]);
    expect(lines.join('\n')).not.toContain('\u001b');
  }, SLOW);

  it('never writes the log through a hard link planted as sspr-logon.jsonl: the link is refused, the linked file stays as it was', async () => {
    const logDir = join(wine.dir, 'drive_c/ProgramData/SsprLogon/logs');
    const active = join(logDir, 'sspr-logon.jsonl');
    await harness(['open:logon', 'click:exit 10']); // the log folder exists
    // A file elsewhere that SYSTEM may write, linked in under the active log's name (what a junction swap or a
    // hard link by an earlier foothold would set up).
    const victim = join(wine.dir, 'drive_c/windows/system32/sspr-victim.ini');
    writeFileSync(victim, '[boot]\n');
    rmSync(active, { force: true });
    linkSync(victim, active);
    try {
      const r = await harness(['open:logon', 'click:exit 10']);
      expect(r.records).toHaveLength(1); // the overlay still ran; only its lines had nowhere safe to go
      expect(readFileSync(victim, 'utf8')).toBe('[boot]\n');
      // The admin learns of it: one warning for the run (the stand-in wrote several lines, each refused), naming
      // the file and ERROR_BAD_PATHNAME (161), the refusal of a link.
      const refused = r.events.filter((e) => e.id === 108);
      expect(refused, JSON.stringify(r.events)).toHaveLength(1);
      expect(refused[0]).toMatchObject({ level: 'warning', verbose: false });
      expect(String(refused[0]!.message)).toMatch(/^The overlay's log lines of this run are not stored: logs\\sspr-logon\.jsonl .*\(error 161\)\.$/);
      expect(r.events.map((e) => e.id)).toContain(111); // and the run itself ended as it would have (exit 10, cancelled)
    } finally {
      rmSync(active, { force: true });
      rmSync(victim, { force: true });
    }
    // With the link gone, the next run writes its lines again, and says nothing about the log file.
    const again = await harness(['open:logon', 'click:exit 10']);
    expect(readFileSync(active, 'utf8')).toContain(`{"level":"info","event":"standin.started","pid":${String(again.records[0]!.pid)}}`);
    expect(again.events.map((e) => e.id)).not.toContain(108);
  }, SLOW);

  it('removes the run folders of earlier launches at the next launch, never following what the overlay account left in them', async () => {
    const overlayDir = join(wine.dir, 'drive_c/ProgramData/SsprLogon/Overlay');
    const runOf = (run: HarnessRun) => ((run.records[0]!.env as Record<string, string>).TEMP ?? '').split('\\').pop() ?? '';
    const first = await harness(['open:logon', 'click:exit 10']);
    const firstRun = runOf(first);
    expect(readdirSync(overlayDir)).toContain(firstRun); // kept after its run, for diagnosis

    // An earlier run's profile, nested like Chromium's.
    const old = join(overlayDir, 'run-00000000000000aa');
    mkdirSync(join(old, 'Default/Cache/Cache_Data'), { recursive: true });
    writeFileSync(join(old, 'Default/Cache/Cache_Data/data_0'), 'cache');
    writeFileSync(join(old, 'Default/Preferences'), '{}');
    // A run folder where the overlay account planted a hard link to a file SYSTEM may write.
    const planted = join(overlayDir, 'run-00000000000000bb');
    mkdirSync(join(planted, 'Default'), { recursive: true });
    writeFileSync(join(planted, 'Default/History'), 'history');
    const victim = join(wine.dir, 'drive_c/windows/system32/sspr-run-victim.ini');
    writeFileSync(victim, '[boot]\n');
    linkSync(victim, join(planted, 'Default/planted.ini'));
    // Names the shim never gives a run folder are never touched.
    mkdirSync(join(overlayDir, 'keep-me'));
    writeFileSync(join(overlayDir, 'keep-me/notes.txt'), 'mine');
    mkdirSync(join(overlayDir, 'run-0000000000000ABC'));
    try {
      const second = await harness(['open:logon', 'click:exit 10']);
      const secondRun = runOf(second);
      expect(second.records).toHaveLength(1);
      expect(readdirSync(overlayDir).sort()).toEqual(['keep-me', 'run-0000000000000ABC', 'run-00000000000000bb', secondRun].sort());
      // The link was neither followed nor removed: the file it names is as it was, the link and its folders stay;
      // everything else in that folder is gone.
      expect(readFileSync(victim, 'utf8')).toBe('[boot]\n');
      expect(existsSync(join(planted, 'Default/planted.ini'))).toBe(true);
      expect(existsSync(join(planted, 'Default/History'))).toBe(false);
      expect(readFileSync(join(overlayDir, 'keep-me/notes.txt'), 'utf8')).toBe('mine');

      // Once the link is gone, that folder goes with the next launch; this run's folder stays until then.
      rmSync(join(planted, 'Default/planted.ini'));
      const third = await harness(['open:logon', 'click:exit 10']);
      expect(readdirSync(overlayDir).sort()).toEqual(['keep-me', 'run-0000000000000ABC', runOf(third)].sort());
    } finally {
      rmSync(victim, { force: true });
      rmSync(join(overlayDir, 'keep-me'), { recursive: true, force: true });
      rmSync(join(overlayDir, 'run-0000000000000ABC'), { recursive: true, force: true });
    }
  }, SLOW);

  it('reaps whatever the overlay started when it exits (kill-on-close job)', async () => {
    // The stand-in starts a child that would hang forever, then exits 10 itself.
    const r = await harness(['open:logon', 'click:orphan 10']);
    const click = r.steps('click')[0]!;
    expect(after(click)).toMatchObject({ credentialCount: 1, linkState: 'selected', statusState: 'hidden' });
    expect(click.recordedPids).toHaveLength(2);
    expect(r.records.map((x) => x.action)).toEqual(['orphan 10', 'child']);
    expect(r.records[1]!.inJob).toBe(true);
    expect(click.leftAlive).toEqual([]);
  }, SLOW);

  it('never starts a second overlay while one is open', async () => {
    const r = await harness(['open:logon', 'doubleclick:exit 10']);
    const click = r.steps('click')[0]!;
    expect(click.clickHr).toEqual(['0x00000000', '0x00000000']);
    expect(click.changed).toBe(true);
    expect(r.records).toHaveLength(1);
    // 103 (refused) and 100 (started, logged by the monitor thread) may come in either order.
    expect(r.events.map((e) => e.id).sort()).toEqual([100, 103, 111, 200]);
  }, SLOW);

  it('ends the overlay when LogonUI releases the provider (the user signed in or the screen closed)', async () => {
    const r = await harness(['open:logon', 'release-running:hang', 'state']);
    const release = r.steps('release-running')[0]!;
    expect(release.pid).toBeGreaterThan(0);
    expect(release.opened).toBe(true);
    expect(release.overlayEnded).toBe(true);
    expect(r.events.map((e) => e.id)).toContain(190);
    // Closing the screen is nobody's failure.
    expect(r.steps('state')[0]).toMatchObject({ consecutiveFailures: null });
  }, SLOW);

  it('reports a launch failure when the overlay executable is missing, and counts it', async () => {
    const empty = join(work, 'empty-install');
    mkdirSync(empty, { recursive: true });
    const r = await harness(['open:logon', 'click:exit 0', 'state'], { reg: [{ key: SETTINGS, values: { InstallDir: winPath(empty) } }] });
    expect(after(r.steps('click')[0]!)).toMatchObject({ credentialCount: 1, linkState: 'selected', status: UNAVAILABLE });
    // The payload check is the first to notice: the reference lists a file that is not there.
    const failure = r.events.find((e) => e.id === 105);
    expect(failure?.message).toMatch(/cannot be opened for the check: ssprlogon\.exe\) \(step payload-check, error 2\)/);
    expect(r.steps('state')[0]).toMatchObject({ consecutiveFailures: 1 });
  }, SLOW);

  it('checks the payload before every launch: the untampered install starts, a changed, unlisted or unreferenced file is refused with event 105', async () => {
    const exe = join(installDir, 'SsprLogon.exe');
    const good = sha256(exe);
    const ok = await harness(['open:logon', 'click:exit 10', 'release-running:hang']);
    expect(ok.records.map((x) => x.action)).toEqual(['exit 10', 'hang']);
    // Held without write sharing from the check until the run has ended: ERROR_SHARING_VIOLATION.
    expect(ok.steps('release-running')[0]).toMatchObject({ exeWriteError: 32, overlayEnded: true });

    const refusedWith = async (opts: HarnessOptions, pattern: RegExp): Promise<void> => {
      const r = await harness(['open:logon', 'click:exit 0', 'state'], opts);
      expect(r.records).toEqual([]); // nothing was started
      expect(after(r.steps('click')[0]!)).toMatchObject({ credentialCount: 1, linkState: 'selected', status: UNAVAILABLE });
      const event = r.events.find((e) => e.id === 105);
      expect(event, JSON.stringify(r.events)).toMatchObject({ level: 'error' });
      expect(String(event!.message)).toMatch(pattern);
      expect(r.events.map((e) => e.id)).not.toContain(100);
      expect(r.steps('state')[0]).toMatchObject({ consecutiveFailures: 1 });
    };
    // One byte appended to the installed overlay.
    appendFileSync(exe, Buffer.from([0]));
    try {
      await refusedWith({ payload: { 'SsprLogon.exe': good } }, /do not match what the MSI installed \(a payload file differs from what was installed: ssprlogon\.exe\) \(step payload-check, error 577\)/);
    } finally {
      copyFileSync(join(SHIM_OUT, 'SsprLogon.exe'), exe);
    }
    // A DLL planted beside the overlay that the MSI never installed.
    writeFileSync(join(installDir, 'version.dll'), 'MZ planted');
    try {
      await refusedWith({}, /not in the payload reference: version\.dll\) \(step payload-check, error 577\)/);
    } finally {
      rmSync(join(installDir, 'version.dll'), { force: true });
    }
    // A listed file that is missing, and no reference at all.
    await refusedWith({ payload: { 'SsprLogon.exe': good, 'resources\\app.asar': good } }, /cannot be opened for the check: resources\\app\.asar/);
    await refusedWith({ payload: 'none' }, /no payload reference/);
  }, SLOW);

  it('holds ProgramData\\SsprLogon, logs and Overlay open for the whole run: none can be renamed away and replaced by a junction', async () => {
    const r = await harness(['open:logon', 'release-running:hang']);
    // ERROR_SHARING_VIOLATION (32) or ERROR_ACCESS_DENIED (5): the shim's handles deny delete sharing.
    const release = r.steps('release-running')[0]!;
    for (const key of ['renameErrorLogs', 'renameErrorOverlay', 'renameErrorProduct']) expect([5, 32], key).toContain(release[key]);
    expect(release.overlayEnded).toBe(true);
    // Afterwards they are free again (the next launch opens them anew).
    const again = await harness(['open:logon', 'click:exit 10']);
    expect(again.records).toHaveLength(1);
  }, SLOW);

  it('runs the overlay as the dedicated account: created on first use, hidden, a fresh password for every interactive logon', async () => {
    const r = await harness(['open:logon', 'click:exit 10', 'click:exit 10', 'state']);
    expect(r.records).toHaveLength(2);
    const calls = r.account.map((c) => c.call);
    expect(calls).toEqual(['QueryUser', 'AddUser', 'SetPassword', 'LogOn', 'QueryUser', 'SetPassword', 'LogOn']);
    // USER_INFO_1, USER_PRIV_USER, UF_SCRIPT | UF_PASSWD_CANT_CHANGE | UF_NORMAL_ACCOUNT | UF_DONT_EXPIRE_PASSWD.
    expect(r.account[1]).toMatchObject({ name: 'SsprLogonOverlay', level: 1, priv: 'user', flags: '0x10241', passwordLength: 32, passwordClasses: 4 });
    for (const set of r.account.filter((c) => c.call === 'SetPassword')) expect(set).toMatchObject({ name: 'SsprLogonOverlay', level: 1003, passwordLength: 32, passwordClasses: 4 });
    // LOGON32_LOGON_INTERACTIVE on the local machine, with the password set just before.
    for (const logon of r.account.filter((c) => c.call === 'LogOn')) expect(logon).toMatchObject({ name: 'SsprLogonOverlay', domain: '.', logonType: 2, passwordJustSet: true });
    // Hidden from the logon screen's list; status for doctor.
    expect(r.steps('state')[0]).toMatchObject({ accountStatus: 'ok', accountError: 0, accountInUserList: 0 });
    // The password is never written anywhere the tests can see.
    expect(JSON.stringify(r.account)).not.toMatch(/"password":/);
  }, SLOW);

  it('an account that cannot be created or logged on raises event 106, starts nothing and never switches the link off', async () => {
    const logon = await harness(['open:logon', 'click:exit 0', 'click:exit 0', 'click:exit 0', 'state', 'open:logon'], { accountFail: 'logon' });
    expect(logon.records).toEqual([]);
    for (const c of logon.steps('click')) expect(after(c)).toMatchObject({ credentialCount: 1, linkState: 'selected', status: UNAVAILABLE });
    const failures = logon.events.filter((e) => e.id === 106);
    expect(failures).toHaveLength(3);
    expect(String(failures[0]!.message)).toMatch(/its local account is not usable\. Not counted toward turning the link off\. \(step account-logon, error 1385\)/);
    expect(logon.events.map((e) => e.id)).not.toContain(180);
    // Three in a row, and the link is still offered.
    expect(logon.steps('state')[0]).toMatchObject({ consecutiveFailures: null, disabled: null, accountStatus: 'logon-failed', accountError: 1385 });
    expect(logon.steps('open')[1]).toMatchObject({ setUsageScenarioHr: '0x00000000', credentialCount: 1 });

    const create = await harness(['open:logon', 'click:exit 0', 'state'], { accountFail: 'add' });
    expect(create.records).toEqual([]);
    expect(create.account.map((c) => c.call)).toEqual(['QueryUser', 'AddUser']);
    expect(create.steps('state')[0]).toMatchObject({ consecutiveFailures: null, accountStatus: 'create-failed', accountError: 5 });
  }, SLOW);

  it('UseOverlayAccount 0 (MSI setting) runs without the dedicated account; the Group Policy value wins over it', async () => {
    const msiOff = await harness(['open:logon', 'click:exit 10'], { settings: { UseOverlayAccount: { dword: 0 } } });
    expect(msiOff.records).toHaveLength(1);
    expect(msiOff.account).toEqual([]);
    const policyOn = await harness(['open:logon', 'click:exit 10'], {
      settings: { UseOverlayAccount: { dword: 0 } },
      reg: [{ key: POLICY, values: { UseOverlayAccount: { dword: 1 } } }],
    });
    expect(policyOn.account.map((c) => c.call)).toContain('LogOn');
    const policyOff = await harness(['open:logon', 'click:exit 10'], { reg: [{ key: POLICY, values: { UseOverlayAccount: { dword: 0 } } }] });
    expect(policyOff.records).toHaveLength(1);
    expect(policyOff.account).toEqual([]);
  }, SLOW);

  it('the production DLL fails closed under wine: no least-privilege token, so nothing is started', async () => {
    // Wine's NetUserSetInfo is not implemented at all (calling it ends the process), so this run uses the
    // documented escape hatch without the dedicated account; the restricted-token check is what it proves.
    const r = await harness(['open:logon', 'click:exit 0', 'state'], { dll: 'production', settings: { UseOverlayAccount: { dword: 0 } } });
    const click = r.steps('click')[0]!;
    expect(click.changed).toBe(true);
    expect(after(click)).toMatchObject({ credentialCount: 1, linkState: 'selected', status: UNAVAILABLE });
    expect(r.records).toEqual([]); // the stand-in never ran: no fallback to the caller's own token
    const refused = r.events.find((e) => e.id === 102);
    expect(refused?.message).toMatch(/never started with the sign-in screen's own token \(step verify-restricted/);
    expect(r.events.map((e) => e.id)).not.toContain(100);
    expect(r.steps('state')[0]).toMatchObject({ consecutiveFailures: 1 });
  }, SLOW);

  it("speaks the overlay's language: Locale from the MSI, the policy over it; an admin's LinkText stays as written", async () => {
    const german = await harness(['open:logon', 'click:exit 0', 'click:exit 30'], { settings: { Locale: 'de-AT' } });
    expect(german.steps('open')[0]).toMatchObject({ link: 'Kennwort vergessen?' });
    const [done, unreachable] = german.steps('click');
    expect(done!.during).toMatchObject({ status: 'Die Kennwortzurücksetzung ist geöffnet.' });
    expect(after(done!).status).toBe('Ihr Kennwort wurde geändert. Melden Sie sich mit Ihrem neuen Kennwort an.');
    expect(after(unreachable!).status).toBe(
      'Der Dienst zum Zurücksetzen von Kennwörtern ist nicht erreichbar. Prüfen Sie das Netzwerk oder wenden Sie sich an Ihren Helpdesk.',
    );

    const policy = await harness(['open:logon'], { settings: { Locale: 'de' }, reg: [{ key: POLICY, values: { Locale: 'zh-TW' } }] });
    expect(policy.steps('open')[0]).toMatchObject({ link: '忘記密碼？' });

    const adminText = await harness(['open:logon'], { settings: { Locale: 'de', LinkText: 'Reset my password' } });
    expect(adminText.steps('open')[0]).toMatchObject({ link: 'Reset my password' });
  }, SLOW);
});
