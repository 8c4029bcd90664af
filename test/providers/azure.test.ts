/**
 * Azure OpenAI through the gateway: the deployment URL with `api-version`, the key in
 * `api-key` (never `Authorization`), OpenAI's format both ways, and the model checked
 * before it goes into the URL.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatCompletion, chunk, sendJson, startMockUpstream, startSse, type MockUpstream, type RecordedRequest } from '../helpers/mock-upstream.js';
import { readChatStream } from '../helpers/chat-stream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let azure: MockUpstream;
let gateway: TestGateway;
let unconfigured: TestGateway;
let client: OpenAI;

const DEPLOYMENT_PATH = /^\/openai\/deployments\/([^/?]+)\/(chat\/completions|embeddings)\?(.*)$/;

/** Answers like Azure would: 404 for a URL outside a deployment, 401 without `api-key`. */
function azureHandler(request: RecordedRequest, res: ServerResponse): void {
  const match = DEPLOYMENT_PATH.exec(request.url);
  if (!match || !new URLSearchParams(match[3]).get('api-version')) {
    return sendJson(res, 404, { error: { code: '404', message: 'Resource not found' } });
  }
  if (!request.headers['api-key'] || request.headers.authorization) {
    return sendJson(res, 401, { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint.' } });
  }
  if (request.json?.stream) {
    startSse(res);
    res.write(`data: ${JSON.stringify({ id: '', object: '', created: 0, model: '', choices: [], prompt_filter_results: [] })}\n\n`);
    res.write(`data: ${chunk('Hi from ', null, 'gpt-4o')}\n\n`);
    res.write(`data: ${chunk(decodeURIComponent(match[1]), 'stop', 'gpt-4o')}\n\n`);
    return void res.end('data: [DONE]\n\n');
  }
  sendJson(res, 200, chatCompletion(`deployment ${decodeURIComponent(match[1])}`));
}

beforeAll(async () => {
  azure = await startMockUpstream(azureHandler);
  gateway = await startGateway({ AZURE_BASE_URL: azure.origin, AZURE_API_KEY: 'azure-env-key' });
  unconfigured = await startGateway({ AZURE_API_KEY: 'azure-env-key' });
  client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.origin}/azure/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await Promise.all([gateway.close(), unconfigured.close()]);
  await azure.close();
});

beforeEach(() => {
  azure.requests.length = 0;
});

describe('azure', () => {
  it('chats through the deployment URL with api-version and the api-key header', async () => {
    const answer = await client.chat.completions.create({ model: 'my-gpt4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0].message.content).toBe('deployment my-gpt4o');
    const [request] = azure.requests;
    expect(request.url).toBe('/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21');
    // The client's key was meant for the chain's first provider, azure: it goes in api-key.
    expect(request.headers['api-key']).toBe('unused');
    expect(request.headers.authorization).toBeUndefined();
  });

  it('streams OpenAI chunks unchanged, Azure’s prompt-filter chunk included', async () => {
    const stream = await client.chat.completions.create({ model: 'my-gpt4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    expect((await readChatStream(stream)).text).toBe('Hi from my-gpt4o');
  });

  it('uses AZURE_API_KEY when the client sends no key, and keeps a client-given api-version', async () => {
    const response = await fetch(`${gateway.origin}/v1/chat/completions?api-version=2025-01-01-preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-provider': 'azure/prod-deployment' },
      body: JSON.stringify({ model: 'ignored', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    expect(azure.requests[0].url).toBe('/openai/deployments/prod-deployment/chat/completions?api-version=2025-01-01-preview');
    expect(azure.requests[0].headers['api-key']).toBe('azure-env-key');
  });

  it.each(['a/b', 'x?y', 'x#y', '%2e%2e', '..', 'a\\b'])('refuses the deployment %j with a 400 naming model, sending nothing', async (model) => {
    const thrown = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(OpenAI.BadRequestError);
    expect((thrown as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('model');
    expect(azure.requests).toHaveLength(0);
  });

  it('percent-encodes a deployment name as one path segment', async () => {
    await client.chat.completions.create({ model: 'gpt 4o:eu', messages: [{ role: 'user', content: 'hi' }] });
    expect(azure.requests[0].url).toBe('/openai/deployments/gpt%204o%3Aeu/chat/completions?api-version=2024-10-21');
  });

  it('serves /v1/messages over the deployment, the token limit as max_completion_tokens', async () => {
    const anthropic = new Anthropic({ apiKey: 'azure-client-key', baseURL: `${gateway.origin}/azure`, maxRetries: 0 });
    const message = await anthropic.messages.create({ model: 'my-gpt4o', max_tokens: 30, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.content).toEqual([{ type: 'text', text: 'deployment my-gpt4o' }]);
    expect(azure.requests[0].url).toBe('/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21');
    expect(azure.requests[0].headers['api-key']).toBe('azure-client-key');
    expect(azure.requests[0].json).toEqual({ model: 'my-gpt4o', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 30 });
  });

  it('without AZURE_BASE_URL answers a 400 that says what to set', async () => {
    const response = await fetch(`${unconfigured.origin}/azure/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'd', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('provider_not_configured');
    expect(body.error.message).toContain('AZURE_BASE_URL');
  });
});
