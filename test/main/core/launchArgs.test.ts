/**
 * The release build's command line: whatever the shim (or anyone who can start the exe) passes, a
 * packaged overlay never takes another configuration, log folder or the embedded emulator from it.
 */
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_FLAGS, parseLaunchArgs } from '../../../src/main/core/launchArgs';

const development = ['--demo', '--set=ProxyMode=system', '--set=AllowedHosts=evil.example', '--data-dir=C:\\Users\\Public\\x', '--log-dir=\\\\evil\\share'];

describe('parseLaunchArgs in a release build', () => {
  it('ignores every development flag and says so, without echoing its value', () => {
    const { launch, problems } = parseLaunchArgs(['--scenario=unlock', ...development, '--lang=de-DE'], { release: true });
    expect(launch).toEqual({ scenario: 'unlock', user: '', lang: 'de-DE', demo: false, configFlags: {} });
    expect(problems).toEqual(['--demo', '--set', '--set', '--data-dir', '--log-dir'].map((arg) => ({ arg, message: 'development flag, ignored in a release build' })));
    expect(JSON.stringify(problems)).not.toMatch(/evil|Public|system/);
  });

  it('covers --demo, --set, --data-dir and --log-dir', () => {
    expect([...DEVELOPMENT_FLAGS].sort()).toEqual(['--data-dir', '--demo', '--log-dir', '--set']);
  });

  it('still reads the shim\'s own arguments', () => {
    expect(parseLaunchArgs(['--scenario=logon', '--user=CONTOSO\\alice', '--lang=fr-CA'], { release: true })).toEqual({
      launch: { scenario: 'logon', user: 'CONTOSO\\alice', lang: 'fr-CA', demo: false, configFlags: {} },
      problems: [],
    });
  });

  it('a development build keeps them', () => {
    const { launch, problems } = parseLaunchArgs(development);
    expect(problems).toEqual([]);
    expect(launch).toMatchObject({ demo: true, configFlags: { ProxyMode: 'system', AllowedHosts: 'evil.example' }, dataDir: 'C:\\Users\\Public\\x', logDir: '\\\\evil\\share' });
  });
});
