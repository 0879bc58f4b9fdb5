import { describe, expect, it } from 'vitest';
import { checkCode, checkUsername } from '../../src/shared/validation';

describe('checkUsername (Entra UPN rules, security.md §8)', () => {
  const ok = (input: string, value = input) => expect(checkUsername(input)).toEqual({ ok: true, value });
  const bad = (input: string, problem: string) => expect(checkUsername(input)).toEqual({ ok: false, problem });

  it('accepts ordinary and edge-length UPNs', () => {
    ok('alice@contoso.com');
    ok('Alice.Wilson@Contoso.COM');
    ok("o'brien-x_y!z#a^b~c@sub.contoso.com");
    ok(`${'a'.repeat(64)}@contoso.com`);
    const domain48 = `${'d'.repeat(44)}.com`;
    ok(`${'a'.repeat(64)}@${domain48}`);
  });

  it('trims only outer ASCII spaces and tabs, consistently', () => {
    ok('  alice@contoso.com\t', 'alice@contoso.com');
    bad('   ', 'empty');
    bad('', 'empty');
    bad('\t', 'empty');
  });

  it('rejects invisible and inner whitespace', () => {
    bad('\u00A0alice@contoso.com', 'whitespace');
    bad('ali\u200Bce@contoso.com', 'whitespace');
    bad('\uFEFFalice@contoso.com', 'whitespace');
    bad('ali ce@contoso.com', 'whitespace');
    bad('alice@contoso.com\r\n2026-01-01 INFO ok user=admin', 'whitespace');
  });

  it('enforces the 64 / 48 / 113 length limits', () => {
    bad(`${'a'.repeat(65)}@contoso.com`, 'local_part_too_long');
    bad(`alice@${'d'.repeat(45)}.com`, 'domain_too_long');
    bad('a'.repeat(10_000), 'too_long');
    bad('a'.repeat(1024 * 1024), 'too_long');
  });

  it('rejects malformed shapes', () => {
    bad('user', 'missing_at');
    bad('user@', 'domain_empty');
    bad('@contoso.com', 'local_part_empty');
    bad('a@@b.com', 'multiple_at');
    bad('a@b@c.com', 'multiple_at');
    bad('user.@contoso.com', 'dot_placement');
    bad('.user@contoso.com', 'dot_placement');
    bad('us..er@contoso.com', 'dot_placement');
    bad('CONTOSO\\user', 'down_level_name');
    bad('alice@contoso', 'domain_invalid');
    bad('alice@-contoso.com', 'domain_invalid');
  });

  it('never maps Unicode look-alikes onto an ASCII account', () => {
    for (const input of [
      'ｕｓｅｒ@contoso.com',
      '\u0430lice@contoso.com', // Cyrillic a
      'ıvan@contoso.com',
      'caf\u00e9@contoso.com',
      'cafe\u0301@contoso.com',
      '\uFB01nance@contoso.com',
      '😀@contoso.com',
      'alice\u202E@contoso.com',
      'alice\u2066@contoso.com',
      'ali\u0000ce@contoso.com',
      'ali\u001b[31mce@contoso.com',
      'alice\u0085@contoso.com',
    ]) {
      const r = checkUsername(input);
      expect(r.ok, input).toBe(false);
    }
  });

  it('rejects payload-shaped input', () => {
    for (const input of [
      "' OR '1'='1",
      '"><script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '{{7*7}}',
      '${7*7}',
      '%0d%0a',
      '../../Windows/System32',
      '\\\\attacker\\share\\x',
      'javascript:alert(1)',
      'file:///C:/',
      'ms-settings:',
      "=cmd|' /C calc'!A0",
      '%s%n%x',
    ]) {
      expect(checkUsername(input).ok, input).toBe(false);
    }
  });
});

describe('checkCode', () => {
  it('keeps leading zeros and strips grouping spaces', () => {
    expect(checkCode('00012345', 8)).toEqual({ ok: true, value: '00012345' });
    expect(checkCode('0001 2345', 8)).toEqual({ ok: true, value: '00012345' });
    expect(checkCode(' 00012345 ', 8)).toEqual({ ok: true, value: '00012345' });
  });

  it('normalises full-width and Arabic-Indic digits', () => {
    expect(checkCode('１２３４５６７８', 8)).toEqual({ ok: true, value: '12345678' });
    expect(checkCode('١٢٣٤٥٦٧٨', 8)).toEqual({ ok: true, value: '12345678' });
    expect(checkCode('۱۲۳۴۵۶۷۸', 8)).toEqual({ ok: true, value: '12345678' });
  });

  it('rejects anything that is not a digit instead of guessing', () => {
    for (const input of ['1234567O', 'l2345678', '-1234567', '1e5', '¹²³⁴⁵⁶⁷⁸', '1234567\u0000', '12345678\n']) {
      expect(checkCode(input, 8), JSON.stringify(input)).toEqual({ ok: false, problem: 'not_digits' });
    }
  });

  it('rejects empty, short, long and absurd lengths', () => {
    expect(checkCode('', 8)).toEqual({ ok: false, problem: 'empty' });
    expect(checkCode('   ', 8)).toEqual({ ok: false, problem: 'empty' });
    expect(checkCode('1234567', 8)).toEqual({ ok: false, problem: 'wrong_length' });
    expect(checkCode('123456789', 8)).toEqual({ ok: false, problem: 'wrong_length' });
    expect(checkCode('1'.repeat(1000), 8)).toEqual({ ok: false, problem: 'wrong_length' });
  });
});
