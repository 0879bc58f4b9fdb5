/** The seeded demo directory and the masked label of the recovery address. */
import { describe, expect, it } from 'vitest';
import { DEMO_USERS, maskEmail, startEmulator } from '../../src/emulator/index';
import { addUser, clientFor, expectEnvelope } from './helpers';
import { checkNewPassword } from '../../src/emulator/passwordRules';

describe('maskEmail', () => {
  it('keeps the first and last letter of the name, two letters and the last of the domain, and the TLD', () => {
    expect(maskEmail('alice@fabrikam.com')).toBe('a***e@fa****m.com');
    expect(maskEmail('jo@ab.io')).toBe('j***@a****.io');
    expect(maskEmail('broken')).toBe('***');
  });

  it('never shows the whole address', () => {
    for (const address of ['alice@fabrikam.com', 'x@y.z', 'first.last@sub.example.org']) {
      const label = maskEmail(address);
      expect(label).not.toBe(address);
      expect(label).toContain('***');
    }
  });
});

describe('DEMO_USERS', () => {
  it('has one account per documented case, each with a unique name', () => {
    const kinds = DEMO_USERS.map((u) => u.kind).sort();
    expect(kinds).toEqual(['account_disabled', 'admin', 'custom_banned', 'phone_only', 'registered', 'sspr_disabled', 'unregistered', 'writeback_fails_once']);
    expect(new Set(DEMO_USERS.map((u) => u.username.toLowerCase())).size).toBe(DEMO_USERS.length);
    expect(DEMO_USERS.find((u) => u.kind === 'registered')).toMatchObject({ username: 'alice@contoso.com', email: 'alice@fabrikam.com' });
  });

  it('gives every account a password Entra would accept, so reusing it reads "recently used"', () => {
    for (const user of DEMO_USERS) {
      const [givenName = '', surname = ''] = user.displayName.split(' ');
      const ban = { customTerms: ['fourthcoffee', 'redmond', 'contosocloud'], contextTerms: [givenName, surname, 'Contoso'] };
      expect(checkNewPassword({ password: user.password, checkReuse: false, ban })).toBe(null);
      expect(checkNewPassword({ password: user.password, currentPassword: user.password, checkReuse: true, ban })).toBe('password_recently_used');
    }
  });
});

describe('an unseeded directory', () => {
  it('knows only the accounts a test adds', async () => {
    const emu = await startEmulator({ seed: false });
    const c = clientFor(emu);
    try {
      expect(emu.directory.users).toEqual([]);
      expectEnvelope(await c.post('start', { ...c.base, challenge_type: 'oob redirect', username: 'alice@contoso.com' }), 'user_not_found', 50034);
      const user = addUser(emu);
      expect(emu.directory.passwordOf(user.username)).toBe(user.initialPassword);
      expect((await c.post('start', { ...c.base, challenge_type: 'oob redirect', username: user.username })).status).toBe(200);
    } finally {
      c.close();
      await emu.close();
    }
  });
});
