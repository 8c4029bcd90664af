/**
 * The gateway keys' conformance cases: what `npm run keys` does to every store of key records
 * (the key file, Redis), and how soon a running gateway's view of that store sees a change.
 */
import { describe, expect, it } from 'vitest';
import { createKey, listKeys, revokeKey, updateKey } from '../../../lib/keys/key-commands.js';
import type { KeyRecords } from '../../../lib/keys/key-records.js';
import type { KeySource } from '../../../lib/keys/key-source.js';
import { hashKey } from '../../../lib/keys/key-secret.js';
import { eventually } from '../../helpers/keys-cli.js';

/** A fresh store of records, and a running gateway's view of it (closed by `close`). */
export interface KeysUnderTest {
  records: KeyRecords;
  view(): KeySource;
  close(): void;
}

const known = new Set(['openai', 'groq']);

/** Runs the cases; `open` is called in each test. */
export function keyConformance(open: () => KeysUnderTest): void {
  describe('key records', () => {
    it('create stores the hash only; a name is taken while its key is active, free again once revoked', async () => {
      const { records, close } = open();
      const { key, record } = await createKey(records, { name: 'alice', scopes: [], providers: [], rpm: 5 }, known);
      expect(record).toMatchObject({ name: 'alice', hash: hashKey(key).toString('hex'), scopes: ['all'], providers: [], rpm: 5 });
      expect(JSON.stringify(await listKeys(records))).not.toContain(key);
      await expect(createKey(records, { name: 'alice', scopes: [], providers: [] }, known)).rejects.toThrow(/already named "alice"/);
      await revokeKey(records, 'alice');
      await createKey(records, { name: 'alice', scopes: [], providers: [] }, known);
      expect((await listKeys(records)).map((one) => [one.name, one.revoked_at === undefined])).toEqual([
        ['alice', false],
        ['alice', true],
      ]);
      close();
    });

    it('revoke by id or by name; an unknown or revoked one is refused', async () => {
      const { records, close } = open();
      const first = await createKey(records, { name: 'a', scopes: [], providers: [] }, known);
      await createKey(records, { name: 'b', scopes: [], providers: [] }, known);
      expect((await revokeKey(records, first.record.id)).revoked_at).toBeDefined();
      expect((await revokeKey(records, 'b')).name).toBe('b');
      await expect(revokeKey(records, 'b')).rejects.toThrow(/No active key/);
      await expect(revokeKey(records, 'nobody')).rejects.toThrow(/No active key/);
      close();
    });

    it('update changes scopes, providers and limits (off removes one), never the key', async () => {
      const { records, close } = open();
      const { record } = await createKey(records, { name: 'u', scopes: [], providers: [], rpm: 5 }, known);
      const updated = await updateKey(records, 'u', { scopes: ['POST:/v1/chat/completions'], providers: ['groq'], rpm: null, tpm: 100 }, known);
      expect(updated).toMatchObject({ id: record.id, hash: record.hash, scopes: ['post:/v1/chat/completions'], providers: ['groq'], tpm: 100 });
      expect(updated.rpm).toBeUndefined();
      expect((await listKeys(records)).find((one) => one.id === record.id)).toEqual(updated);
      await expect(updateKey(records, 'u', { providers: ['nope'] }, known)).rejects.toThrow(/Unknown provider "nope"/);
      await expect(updateKey(records, 'u', { rpm: 0 }, known)).rejects.toThrow(/--rpm must be a positive integer/);
      await expect(updateKey(records, 'ghost', { rpm: 1 }, known)).rejects.toThrow(/No active key/);
      close();
    });

    it('a running gateway sees a new key, an update and a revocation within 1 s', async () => {
      const { records, view, close } = open();
      const source = view();
      await source.ready?.();
      const { key } = await createKey(records, { name: 'live', scopes: [], providers: [] }, known);
      const hash = hashKey(key).toString('hex');
      expect(await eventually(async () => source.find(hash) !== undefined, 1000)).toBeLessThan(1000);
      await updateKey(records, 'live', { rpm: 7 }, known);
      await eventually(async () => source.find(hash)?.grant.rpm === 7, 1000);
      await revokeKey(records, 'live');
      await eventually(async () => source.find(hash)?.revoked === true, 1000);
      expect(source.active).toBe(0);
      close();
    });
  });
}
