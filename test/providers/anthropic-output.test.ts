/**
 * Structured output through Anthropic with the `openai` SDK, against a mock that refuses
 * what Anthropic's structured output refuses (an object not closed, `minimum` and the
 * like): schemas prepared as Anthropic's own SDKs prepare them, a schema that keeps an
 * object open through a forced tool, and that tool's input streamed back as content.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { anthropicEvent, anthropicMessage, streamEvents, validatingAnthropic } from '../helpers/providers/anthropic-mock.js';

let anthropic: MockUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  anthropic = await startMockUpstream();
  gateway = await startGateway({ ANTHROPIC_BASE_URL: anthropic.origin, GATEWAY_RETRIES: '0' });
  client = new OpenAI({ apiKey: 'sk-ant-client', baseURL: `${gateway.origin}/anthropic/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await anthropic.close();
});

beforeEach(() => {
  anthropic.requests.length = 0;
});

const hi = [{ role: 'user' as const, content: 'A person, please.' }];

describe('response_format json_schema through Anthropic', () => {
  it('a schema with open objects and constraints is closed and its constraints described, as Anthropic’s SDKs do', async () => {
    anthropic.handle(validatingAnthropic((request, res) => sendJson(res, 200, anthropicMessage([{ type: 'text', text: '{"name":"Ada","age":36}' }]))));
    const schema = { type: 'object', properties: { name: { type: 'string', maxLength: 40 }, age: { type: 'integer', minimum: 0, description: 'Years' } }, required: ['name', 'age'] };
    const answer = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: hi, response_format: { type: 'json_schema', json_schema: { name: 'person', schema } } });
    expect(JSON.parse(answer.choices[0].message.content ?? '')).toEqual({ name: 'Ada', age: 36 });
    expect(anthropic.requests[0].json?.output_config).toEqual({
      format: {
        type: 'json_schema',
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'age'],
          properties: { name: { type: 'string', description: '{maxLength: 40}' }, age: { type: 'integer', description: 'Years\n\n{minimum: 0}' } },
        },
      },
    });
  });

  it('a schema that keeps an object open goes through a forced tool, streamed back as content', async () => {
    anthropic.handle(
      validatingAnthropic((request, res) =>
        streamEvents(res, [
          anthropicEvent({ type: 'message_start', message: { ...anthropicMessage([]), stop_reason: null } }),
          anthropicEvent({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'json_response', input: {} } }),
          anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"tags":{"a":' } }),
          anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '1}}' } }),
          anthropicEvent({ type: 'content_block_stop', index: 0 }),
          anthropicEvent({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 5 } }),
          anthropicEvent({ type: 'message_stop' }),
        ]),
      ),
    );
    const schema = { type: 'object', properties: { tags: { type: 'object', additionalProperties: { type: 'number' } } } };
    const stream = await client.chat.completions.create({ model: 'claude-sonnet-4-5', messages: hi, stream: true, response_format: { type: 'json_schema', json_schema: { name: 'tags', schema } } });
    let text = '';
    let finish: string | null = null;
    for await (const part of stream) {
      text += part.choices[0]?.delta.content ?? '';
      finish = part.choices[0]?.finish_reason ?? finish;
      expect(part.choices[0]?.delta.tool_calls).toBeUndefined();
    }
    expect(JSON.parse(text)).toEqual({ tags: { a: 1 } });
    expect(finish).toBe('stop');
    expect(anthropic.requests[0].json).toMatchObject({ tools: [{ name: 'json_response', input_schema: schema }], tool_choice: { type: 'tool', name: 'json_response' } });
    expect(anthropic.requests[0].json?.output_config).toBeUndefined();
  });

  it('a schema whose root is not an object, and open, is a 400 before Anthropic is called', async () => {
    const response = await fetch(`${gateway.origin}/anthropic/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', messages: hi, response_format: { type: 'json_schema', json_schema: { name: 'list', schema: { type: 'array', items: { type: 'object', additionalProperties: true } } } } }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('response_format');
    expect(anthropic.requests).toHaveLength(0);
  });

  it('an unknown response_format type is a 400, not text', async () => {
    const response = await fetch(`${gateway.origin}/anthropic/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', messages: hi, response_format: { type: 'grammar', grammar: 'x' } }),
    });
    expect(response.status).toBe(400);
    expect(anthropic.requests).toHaveLength(0);
  });
});
