import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cacheKey, type CacheKeyParts } from '../../lib/cache/cache-key.js';

const parts = (headers: Record<string, string>, body: Record<string, unknown>, more: Partial<CacheKeyParts> = {}): CacheKeyParts => ({
  read: (name) => headers[name],
  chain: [{ provider: 'openai' }, { provider: 'groq', model: 'llama' }],
  labels: ['openai', 'groq/llama'],
  path: '/chat/completions',
  body,
  ...more,
});

describe('cacheKey', () => {
  it('is the SHA-256 of the NUL-separated credentials, answer-changing headers, chain, path and canonical body', () => {
    const headers = { authorization: 'Bearer sk-a', 'x-groq-api-key': 'gsk-b', 'anthropic-beta': 'b1' };
    const expected = createHash('sha256')
      .update('Bearer sk-a\0\0\0gsk-b\0\0b1\0\0openai,groq/llama\0/chat/completions\0{"messages":[{"content":"hi","role":"user"}],"model":"m"}')
      .digest('hex');
    expect(cacheKey(parts(headers, { model: 'm', messages: [{ role: 'user', content: 'hi' }] }))).toBe(expected);
  });

  it('does not depend on key order, and changes with every part', () => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
    const base = cacheKey(parts({ authorization: 'Bearer sk-a' }, body));
    expect(cacheKey(parts({ authorization: 'Bearer sk-a' }, { messages: [{ content: 'hi', role: 'user' }], model: 'm' }))).toBe(base);
    const others = [
      cacheKey(parts({ authorization: 'Bearer sk-b' }, body)),
      cacheKey(parts({ authorization: 'Bearer sk-a', 'x-api-key': 'k' }, body)),
      cacheKey(parts({ authorization: 'Bearer sk-a', 'x-openai-api-key': 'k' }, body)),
      cacheKey(parts({ authorization: 'Bearer sk-a' }, body, { labels: ['openai'] })),
      cacheKey(parts({ authorization: 'Bearer sk-a' }, body, { path: '/completions' })),
      cacheKey(parts({ authorization: 'Bearer sk-a' }, { ...body, temperature: 0 })),
      cacheKey(parts({ authorization: 'Bearer sk-a', 'anthropic-beta': 'extended-cache-ttl-2025-04-11' }, body)),
      cacheKey(parts({ authorization: 'Bearer sk-a', 'anthropic-version': '2023-01-01' }, body)),
      cacheKey(parts({ authorization: 'Bearer sk-a', 'openai-beta': 'assistants=v2' }, body)),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });
});
