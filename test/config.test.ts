/**
 * Configuration is read and checked once; a bad value names its variable.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../lib/config.js';
import { OPENAI_COMPATIBLE_PROVIDERS } from '../lib/providers/openai-compatible/table.js';
import { BUILTIN_PROVIDERS } from '../lib/providers/registry.js';

describe('loadConfig', () => {
  it('needs no configuration at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 3000, defaultProvider: 'openai', retries: 2 });
    expect(config.providers.map((p) => p.name)).toEqual(BUILTIN_PROVIDERS.map((row) => row.name));
    expect(config.providers.map((p) => p.name)).toEqual(expect.arrayContaining([...OPENAI_COMPATIBLE_PROVIDERS.map((row) => row.name), 'azure']));
    expect(config.providers.find((p) => p.name === 'groq')?.baseURL).toBe('https://api.groq.com/openai/v1');
  });

  it('every built-in provider takes <NAME>_BASE_URL and <NAME>_API_KEY', () => {
    for (const { name } of BUILTIN_PROVIDERS) {
      const upper = name.toUpperCase();
      const config = loadConfig({ [`${upper}_BASE_URL`]: 'http://127.0.0.1:9/v1/', [`${upper}_API_KEY`]: 'k1,k2' });
      expect(config.providers.find((p) => p.name === name)).toMatchObject({ baseURL: 'http://127.0.0.1:9/v1', apiKeys: ['k1', 'k2'] });
    }
  });

  it('leaves Azure without a base URL until AZURE_BASE_URL names the resource, and reads AZURE_API_VERSION', () => {
    expect(loadConfig({}).providers.find((p) => p.name === 'azure')).toMatchObject({ baseURL: '', settings: { API_VERSION: '2024-10-21' } });
    const config = loadConfig({ AZURE_BASE_URL: 'https://my-resource.openai.azure.com/', AZURE_API_VERSION: '2025-04-01-preview' });
    expect(config.providers.find((p) => p.name === 'azure')).toMatchObject({
      baseURL: 'https://my-resource.openai.azure.com',
      settings: { API_VERSION: '2025-04-01-preview' },
    });
  });

  it('reads custom providers, their keys from <NAME>_API_KEY with - as _', () => {
    const config = loadConfig({ GATEWAY_PROVIDERS: 'vllm=http://127.0.0.1:8000/v1, my-llm=http://127.0.0.1:1234/v1', MY_LLM_API_KEY: 'abc' });
    expect(config.providers.find((p) => p.name === 'my-llm')).toMatchObject({ baseURL: 'http://127.0.0.1:1234/v1', apiKeys: ['abc'], keyOptional: true });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ GATEWAY_RETRIES: '9' }, /GATEWAY_RETRIES/],
    [{ DEFAULT_PROVIDER: 'nope' }, /DEFAULT_PROVIDER/],
    [{ GROQ_BASE_URL: 'not a url' }, /GROQ_BASE_URL/],
    [{ GATEWAY_PROVIDERS: 'openai=http://127.0.0.1/v1' }, /shadow/],
    [{ GATEWAY_PROVIDERS: 'vllm' }, /GATEWAY_PROVIDERS/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('a bad value stops npm start with a message naming the variable', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'lib/server.ts'], {
      env: { PATH: process.env.PATH, PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).not.toContain('    at ');
  });

  it('REDIS_URL: redis:// or rediss://, with a user and password when given; the label keeps host and database only', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6380' }).redis).toEqual({
      url: 'redis://127.0.0.1:6380',
      label: 'redis://127.0.0.1:6380/0',
      timeoutMs: 50,
      connectTimeoutMs: 1000,
    });
    const tls = loadConfig({ REDIS_URL: 'rediss://gateway:pa%24%24word@cache.example.com:6380/3', GATEWAY_REDIS_TIMEOUT_MS: '80' }).redis;
    expect(tls).toMatchObject({ label: 'rediss://cache.example.com:6380/3', timeoutMs: 80 });
    expect(loadConfig({}).redis).toBeUndefined();
    expect(loadConfig({}).limitsOnStoreError).toBe('open');
  });

  it.each([
    ['http://user:secret-pass@host:6379', /redis:\/\/ or rediss:\/\//],
    ['redis://user:secret-pass@host:6379/cache', /database number/],
    ['redis://user:secret-pass@host:6379/0?x=1', /query/],
    ['not a url secret-pass', /REDIS_URL must be/],
  ])('a bad REDIS_URL (%s) stops the start, never echoing the URL', (value, message) => {
    expect(() => loadConfig({ REDIS_URL: value })).toThrow(message);
    expect(() => loadConfig({ REDIS_URL: value })).not.toThrow(/secret-pass/);
  });
});
