/** Budgets on key records: `createKey`/`updateKey` set, change and remove them per period, and refuse bad ones. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKey, KeyCommandError, listKeys, updateKey } from '../../lib/keys/key-commands.js';
import { compileGrant } from '../../lib/keys/grant.js';

const known = new Set(['openai']);
const file = () => join(mkdtempSync(join(tmpdir(), 'key-budgets-')), 'keys.json');

describe('key budgets', () => {
  it('are stored on create, changed per period on update, removed with null, and reach the grant', async () => {
    const store = file();
    const { record } = await createKey(store, { name: 'team', scopes: [], providers: [], budgets: { day: 5, month: 100 } }, known);
    expect(record.budgets).toEqual({ day: 5, month: 100 });
    expect(compileGrant(record).budgets).toEqual({ day: 5, month: 100 });
    expect((await updateKey(store, 'team', { budgets: { day: 2.5 } }, known)).budgets).toEqual({ day: 2.5, month: 100 });
    expect((await updateKey(store, 'team', { budgets: { month: null } }, known)).budgets).toEqual({ day: 2.5 });
    const cleared = await updateKey(store, 'team', { budgets: { day: null } }, known);
    expect(cleared.budgets).toBeUndefined();
    expect(compileGrant(cleared).budgets).toBeUndefined();
    expect((await listKeys(store))[0].budgets).toBeUndefined();
  });

  it('refuses an amount that is not a positive number of USD', async () => {
    const store = file();
    await expect(createKey(store, { name: 'bad', scopes: [], providers: [], budgets: { day: 0 } }, known)).rejects.toThrow(KeyCommandError);
    await expect(createKey(store, { name: 'bad', scopes: [], providers: [], budgets: { month: Number.NaN } }, known)).rejects.toThrow(/--budget for a month/);
  });
});
