/**
 * Scopes and provider lists, compiled from a key record.
 */
import { describe, expect, it } from 'vitest';
import { compileGrant } from '../../lib/keys/grant.js';

const grant = (scopes: string[], providers: string[] = []) =>
  compileGrant({ id: 'key_000000000000', name: 'k', hash: '0'.repeat(64), scopes, providers, created_at: '' });

describe('scopes', () => {
  it.each([
    [['all'], 'DELETE', '/files/f1', 'groq', true],
    [['post:/v1/chat/completions'], 'POST', '/chat/completions', 'groq', true],
    [['post:/v1/chat/completions'], 'GET', '/chat/completions', 'openai', false],
    [['post:/v1/chat/completions'], 'POST', '/chat/completions/extra', 'openai', false],
    [['post:/openai/v1/chat/completions'], 'POST', '/chat/completions', 'openai', true],
    [['post:/openai/v1/chat/completions'], 'POST', '/chat/completions', 'groq', false],
    [['get:/v1/files/*'], 'GET', '/files/file-1/content', 'openai', true],
    [['get:/v1/files/*'], 'GET', '/filesystem', 'openai', false],
    [['*:/v1/batches'], 'DELETE', '/batches', 'openai', true],
    [['get:/admin'], 'GET', '/admin', 'openai', false],
  ])('%j allows %s %s on %s: %s', (scopes, method, path, provider, allowed) => {
    expect(grant(scopes).allowsRoute(method, path, provider)).toBe(allowed);
  });
});

describe('the admin scope', () => {
  it('opens the admin console and covers no proxy route; all does not include it; the master key has it', async () => {
    const { masterGrant } = await import('../../lib/keys/grant.js');
    const { SCOPE } = await import('../../lib/keys/key-record.js');
    expect(SCOPE.test('admin')).toBe(true);
    expect(grant(['admin']).admin).toBe(true);
    expect(grant(['admin']).allowsRoute('POST', '/chat/completions', 'openai')).toBe(false);
    expect(grant(['admin']).allowsRoute('GET', '/admin', 'openai')).toBe(false);
    expect(grant(['all']).admin).toBe(false);
    expect(grant(['admin', 'post:/v1/chat/completions']).allowsRoute('POST', '/chat/completions', 'openai')).toBe(true);
    expect(masterGrant.admin).toBe(true);
  });
});

describe('providers and models', () => {
  const limited = grant(['all'], ['openai', 'groq/llama-3.1-8b-instant']);
  it('a bare provider allows any of its models, and none named', () => {
    expect(limited.allowsModel('openai', 'gpt-4o')).toBe(true);
    expect(limited.allowsModel('openai', undefined)).toBe(true);
  });
  it('provider/model allows that model only, and a request without a model not at all', () => {
    expect(limited.allowsModel('groq', 'llama-3.1-8b-instant')).toBe(true);
    expect(limited.allowsModel('groq', 'mixtral')).toBe(false);
    expect(limited.allowsModel('groq', undefined)).toBe(false);
    expect(limited.reaches('groq')).toBe(true);
  });
  it('an unlisted provider is out of reach; an empty list allows everything', () => {
    expect(limited.reaches('mistral')).toBe(false);
    expect(limited.allowsModel('mistral', 'm')).toBe(false);
    expect(grant(['all']).allowsModel('mistral', 'm')).toBe(true);
  });
});
