/**
 * `npm run keys -- create|update NAME --budget 5/day --budget 100/month`: the CLI sets,
 * changes and removes budgets, shows them in `keys list`, and refuses bad values.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKeys } from '../helpers/keys-cli.js';

const budgetsOf = (store: string, name: string) =>
  (JSON.parse(readFileSync(store, 'utf8')) as { keys: { name: string; budgets?: unknown }[] }).keys.find((key) => key.name === name)?.budgets;

describe('keys CLI --budget', () => {
  it('creates with two budgets, updates one, removes one with off, and lists them', { timeout: 60_000 }, async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'keys-cli-budgets-')), 'keys.json');
    const created = await runKeys(store, ['create', 'team', '--budget', '5/day', '--budget', '$100/month']);
    expect(created.code, created.stderr).toBe(0);
    expect(budgetsOf(store, 'team')).toEqual({ day: 5, month: 100 });
    const listed = await runKeys(store, ['list']);
    expect(listed.stdout).toMatch(/BUDGET/);
    expect(listed.stdout).toMatch(/team .*5\/day,100\/month/);
    const updated = await runKeys(store, ['update', 'team', '--budget', '2.5/day', '--budget', 'off/month']);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stderr).toContain('budget 2.5/day');
    expect(budgetsOf(store, 'team')).toEqual({ day: 2.5 });
  });

  it.each([['5/week'], ['-1/day'], ['abc/day'], ['off/day']])('refuses --budget %s on create', { timeout: 30_000 }, async (value) => {
    const store = join(mkdtempSync(join(tmpdir(), 'keys-cli-budgets-')), 'keys.json');
    const run = await runKeys(store, ['create', 'bad', '--budget', value]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--budget/);
  });
});
