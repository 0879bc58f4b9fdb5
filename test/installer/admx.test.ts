// The Group Policy templates an admin copies into PolicyDefinitions: well-formed XML, every reference between
// ADMX and ADML resolvable (the Group Policy editor refuses the whole file otherwise), and every policy value
// named and bounded like the overlay's own configuration schema, so what GPO writes is what the overlay reads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { configFields, defaultConfig, shimOnlySettings, type ConfigKey } from '../../src/shared/config';
import { ROOT } from './support';

const NS = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions';
const ADMX = join(ROOT, 'installer/admx/SsprLogon.admx');
const ADML = join(ROOT, 'installer/admx/en-US/SsprLogon.adml');

/** Parses strictly: any warning or error (unclosed tag, bad entity, duplicate attribute) throws. */
const parseStrict = (file: string) => {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => problems.push(`${level}: ${message}`) }).parseFromString(
    readFileSync(file, 'utf8'),
    'text/xml',
  );
  if (problems.length > 0) throw new Error(`${file}:\n${problems.join('\n')}`);
  return doc;
};

const all = (root: { getElementsByTagNameNS(ns: string, name: string): ArrayLike<XmlElement> }, name: string): XmlElement[] =>
  Array.from(root.getElementsByTagNameNS(NS, name));
const children = (el: XmlElement): XmlElement[] =>
  Array.from(el.childNodes).filter((n): n is XmlElement => n.nodeType === 1);

const admx = parseStrict(ADMX);
const adml = parseStrict(ADML);
const policies = all(admx, 'policy');
const stringIds = new Set(all(adml, 'string').map((s) => s.getAttribute('id') ?? ''));
const presentations = new Map(all(adml, 'presentation').map((p) => [p.getAttribute('id') ?? '', p]));

/** The registry value names a policy writes: from its elements, or its own valueName (enabled/disabled values). */
const valueNamesOf = (policy: XmlElement): string[] => {
  const fromElements = children(policy)
    .filter((c) => c.localName === 'elements')
    .flatMap(children)
    .map((e) => e.getAttribute('valueName') ?? '');
  const own = policy.getAttribute('valueName');
  return own ? [own, ...fromElements] : fromElements;
};

type PipeAction = { type: string; requirement?: unknown };
const bound = (key: ConfigKey, type: 'min_value' | 'max_value' | 'max_length'): unknown =>
  ((configFields[key] as unknown as { pipe?: PipeAction[] }).pipe ?? []).find((a) => a.type === type)?.requirement;

describe('ADMX/ADML templates', () => {
  it('are well-formed XML in the PolicyDefinitions namespace', () => {
    expect(admx.documentElement?.localName).toBe('policyDefinitions');
    expect(adml.documentElement?.localName).toBe('policyDefinitionResources');
    expect(admx.documentElement?.namespaceURI).toBe(NS);
    expect(adml.documentElement?.namespaceURI).toBe(NS);
    // The XML parser itself must reject a broken file, or the check above proves nothing.
    expect(() => new DOMParser({ onError: (_l, m) => { throw new Error(m); } }).parseFromString('<a><b></a>', 'text/xml')).toThrow();
  });

  it('every $(string.X) and $(presentation.X) in the ADMX exists in the ADML', () => {
    const text = readFileSync(ADMX, 'utf8');
    const strings = [...text.matchAll(/\$\(string\.([A-Za-z0-9_]+)\)/g)].map((m) => m[1] ?? '');
    const presentationRefs = [...text.matchAll(/\$\(presentation\.([A-Za-z0-9_]+)\)/g)].map((m) => m[1] ?? '');
    expect(strings.length).toBeGreaterThan(30);
    for (const id of strings) expect(stringIds.has(id), `string ${id}`).toBe(true);
    for (const id of presentationRefs) expect(presentations.has(id), `presentation ${id}`).toBe(true);
    // Nothing else uses $(...) syntax by mistake.
    expect([...text.matchAll(/\$\((\w+)\./g)].every((m) => m[1] === 'string' || m[1] === 'presentation')).toBe(true);
  });

  it('every presentation control points at an element of its own policy, and every element is shown', () => {
    for (const policy of policies) {
      const name = policy.getAttribute('name') ?? '';
      const elementIds = children(policy)
        .filter((c) => c.localName === 'elements')
        .flatMap(children)
        .map((e) => e.getAttribute('id') ?? '');
      const ref = /^\$\(presentation\.(.+)\)$/.exec(policy.getAttribute('presentation') ?? '')?.[1];
      if (elementIds.length === 0) {
        expect(ref, `${name} has no elements and needs no presentation`).toBeUndefined();
        continue;
      }
      const presentation = presentations.get(ref ?? '');
      expect(presentation, name).toBeDefined();
      const refIds = children(presentation as XmlElement).map((c) => c.getAttribute('refId') ?? '');
      expect([...refIds].sort(), name).toEqual([...elementIds].sort());
    }
  });

  it('categories, parents and supportedOn references resolve; names are unique', () => {
    const categories = new Set(all(admx, 'category').map((c) => c.getAttribute('name') ?? ''));
    const supported = new Set(all(admx, 'definition').map((d) => d.getAttribute('name') ?? ''));
    for (const parent of all(admx, 'parentCategory')) expect(categories.has(parent.getAttribute('ref') ?? '')).toBe(true);
    for (const s of all(admx, 'supportedOn').filter((e) => e.hasAttribute('ref'))) expect(supported.has(s.getAttribute('ref') ?? '')).toBe(true);
    const names = policies.map((p) => p.getAttribute('name'));
    expect(new Set(names).size).toBe(names.length);
    const ids = all(adml, 'string').map((s) => s.getAttribute('id'));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('writes machine policy under HKLM\\SOFTWARE\\Policies\\SsprLogon with the configuration schema names', () => {
    const written = new Set<string>();
    for (const policy of policies) {
      expect(policy.getAttribute('class')).toBe('Machine');
      expect(policy.getAttribute('key')).toBe('SOFTWARE\\Policies\\SsprLogon');
      for (const v of valueNamesOf(policy)) {
        // An overlay setting, or one the credential provider reads from the same key.
        expect([...Object.keys(configFields), ...shimOnlySettings], v).toContain(v);
        written.add(v);
      }
    }
    const adminKeys: ConfigKey[] = [
      'Engine', 'PortalUrl', 'AllowedHosts', 'Authority', 'ClientId', 'LinkText', 'HelpdeskText', 'Locale', 'IdleTimeoutSeconds',
      'ProxyMode', 'ProxyServer', 'ProxyBypass', 'PacUrl', 'EnableLogging', 'LogRetentionDays', 'LogMaxSizeMB',
    ];
    for (const k of [...adminKeys, ...shimOnlySettings]) expect(written.has(k), k).toBe(true);
  });

  it('offers exactly the schema choices and bounds, so GPO cannot write what the overlay would reject', () => {
    const elements = policies.flatMap((p) => children(p).filter((c) => c.localName === 'elements').flatMap(children));
    for (const el of elements) {
      const key = el.getAttribute('valueName') as ConfigKey;
      const schema = configFields[key] as unknown as { options?: string[] };
      if (el.localName === 'enum') {
        const values = all(el as never, 'string').map((s) => s.textContent);
        expect(values, key).toEqual(schema.options);
      } else if (el.localName === 'decimal') {
        expect(Number(el.getAttribute('minValue')), key).toBe(bound(key, 'min_value'));
        expect(Number(el.getAttribute('maxValue')), key).toBe(bound(key, 'max_value'));
        expect(typeof defaultConfig[key]).toBe('number');
      } else if (el.localName === 'multiText') {
        expect(Array.isArray(defaultConfig[key]), key).toBe(true);
      } else if (el.localName === 'text') {
        expect(typeof defaultConfig[key], key).toBe('string');
        const max = bound(key, 'max_length');
        if (typeof max === 'number') expect(Number(el.getAttribute('maxLength')), key).toBeLessThanOrEqual(max);
      } else {
        throw new Error(`unexpected element ${el.localName} for ${key}`);
      }
    }
    // On/off settings write REG_DWORD 1 / 0, what the overlay and the shim read.
    for (const name of ['EnableLogging', 'UseOverlayAccount']) {
      const policy = policies.find((p) => p.getAttribute('name') === name) as XmlElement;
      expect(policy, name).toBeDefined();
      const decimalIn = (tag: string) => all(policy as never, tag).flatMap((e) => all(e as never, 'decimal')).map((d) => d.getAttribute('value'));
      expect(decimalIn('enabledValue'), name).toEqual(['1']);
      expect(decimalIn('disabledValue'), name).toEqual(['0']);
    }
  });

  it('presentation defaults match the overlay defaults', () => {
    for (const p of presentations.values()) {
      for (const control of children(p)) {
        const key = control.getAttribute('refId') as ConfigKey;
        if (control.localName === 'decimalTextBox' && control.hasAttribute('defaultValue')) {
          expect(Number(control.getAttribute('defaultValue')), key).toBe(defaultConfig[key]);
        }
        if (control.localName === 'textBox') {
          const def = children(control).find((c) => c.localName === 'defaultValue');
          if (def) expect(def.textContent, key).toBe(defaultConfig[key]);
        }
      }
    }
  });
});
