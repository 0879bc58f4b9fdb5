import { describe, expect, it } from 'vitest';
import { checkPassword } from '../../src/shared/passwordPolicy';

describe('checkPassword mirrors Entra rules in their documented order', () => {
  const problem = (p: string) => checkPassword(p).problem;

  it('length 8–256, boundaries included', () => {
    expect(problem('Ab1!xyz')).toBe('too_short');
    expect(problem('Ab1!xyzw')).toBeNull();
    expect(problem('Ab1!' + 'x'.repeat(252))).toBeNull();
    expect(problem('Ab1!' + 'x'.repeat(253))).toBe('too_long');
    expect(checkPassword('a'.repeat(1024 * 1024)).problem).toBe('too_long');
  });

  it('allows the documented symbols and space, rejects Unicode and control characters', () => {
    expect(problem('Pa55 word!  ')).toBeNull();
    expect(problem('Aa1@#$%^&*-_!+=[]{}|\\:\',.?/`~"();<>')).toBeNull();
    for (const p of ['Passw0rdé', 'Passw0rd密码', 'Passw0rd😀', 'Pass\tw0rd', 'Pass\nw0rd', 'Pass\u0000w0rd', 'Pass\u202Ew0rd']) {
      expect(problem(p), JSON.stringify(p)).toBe('invalid_characters');
    }
    expect(checkPassword('Passw0rdé😀').invalidCharacters).toEqual(['é', '😀']);
  });

  it('needs 3 of 4 classes', () => {
    expect(problem('a'.repeat(20))).toBe('too_weak');
    expect(problem('abcdefgh12')).toBe('too_weak');
    expect(problem('abcdefGH12')).toBeNull();
    expect(problem('abcdefgh1!')).toBeNull();
  });

  it('accepts payload-looking strings literally', () => {
    for (const p of ["' OR 1=1--", '<script>x</script>A1', '$(calc)Aa1', '"; calc; "Aa1']) {
      expect(problem(p), p).toBeNull();
    }
  });

  it('reports every rule for the live checklist', () => {
    const c = checkPassword('abc');
    expect(c.rules).toEqual({ length: false, characters: true, classes: false });
    expect(c.length).toBe(3);
  });
});
