/**
 * docs/configuration.md and .env.example against the zod schema (lib/config.ts), so that the
 * documentation cannot drift from what the gateway reads: every variable is in both, every
 * default is the schema's, and neither names a `GATEWAY_*` variable the gateway ignores.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTINGS, settingDefault } from '../../lib/config.js';

const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');

/** The table rows of the doc whose first cell is one variable: name → default cell. */
const rows = new Map(
  [...doc.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| ([^|]*) \|/gm)].map(([, name, cell]) => [name, cell.trim()]),
);

/** `NAME=value` lines of .env.example, commented out or not: name → value. */
const assignments = new Map([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, name, value]) => [name, value.trim()]));

describe('docs/configuration.md', () => {
  it.each(SETTINGS.map((name) => [name]))('documents %s with the schema’s default', (name) => {
    const cell = rows.get(name);
    expect(cell, `${name} has no row`).toBeDefined();
    const fallback = settingDefault(name);
    if (fallback === undefined || fallback === '') expect(cell).toBe('—');
    else expect(cell?.startsWith(`\`${fallback}\``), `${name}: "${cell}" should start with \`${fallback}\``).toBe(true);
  });

  it('names no GATEWAY_* variable the gateway does not read', () => {
    const documented = [...doc.matchAll(/`(GATEWAY_[A-Z0-9_]+)`/g)].map(([, name]) => name);
    expect(documented.filter((name) => !SETTINGS.includes(name))).toEqual([]);
  });
});

describe('.env.example', () => {
  it.each(SETTINGS.map((name) => [name]))('lists %s with its default and a comment', (name) => {
    expect(assignments.has(name), `${name} is missing`).toBe(true);
    expect(assignments.get(name)).toBe(settingDefault(name) ?? '');
    const line = example.split('\n').findIndex((text) => new RegExp(`^#?\\s*${name}=`).test(text));
    expect(example.split('\n')[line - 1]?.startsWith('#'), `${name} needs a comment line above it`).toBe(true);
  });

  it('names no GATEWAY_* variable the gateway does not read', () => {
    expect([...assignments.keys()].filter((name) => name.startsWith('GATEWAY_') && !SETTINGS.includes(name))).toEqual([]);
  });
});
