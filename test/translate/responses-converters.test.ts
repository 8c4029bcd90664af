/**
 * The Responses-over-chat converters on their own: a Responses request to chat, a chat
 * answer to a `response` object, and a chat stream to the Responses event sequence that the
 * `openai` SDK's `responses.stream()` accumulates.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../lib/errors.js';
import { responsesStreamFormat, type ResponsesStreamState } from '../../lib/formats/responses-stream.js';
import type { SseEvent } from '../../lib/providers/types.js';
import { createChatToResponsesStreamConverter } from '../../lib/translate/responses/chat-to-responses-stream-converter.js';
import { convertChatResponseToResponses } from '../../lib/translate/responses/convert-chat-response-to-responses.js';
import { convertResponsesRequestToChat, type ResponsesToChatOptions } from '../../lib/translate/responses/convert-responses-request-to-chat.js';
import type { ResponseContext } from '../../lib/translate/responses/response-object.js';

const options: ResponsesToChatOptions = { model: 'm', stream: false, maxTokensField: 'max_tokens' };
const toChat = (body: Record<string, unknown>, extra: Partial<typeof options> & { history?: Record<string, unknown>[] } = {}) =>
  convertResponsesRequestToChat(body, { ...options, ...extra });

const refused = (body: Record<string, unknown>): GatewayError => {
  try {
    toChat(body);
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('not refused');
};

describe('a Responses request as chat', () => {
  it('takes input as a string, instructions as the system message, and the sampling fields', () => {
    const chat = toChat({
      model: 'gpt-4o',
      instructions: 'Be brief.',
      input: 'Hello!',
      max_output_tokens: 50,
      temperature: 0.2,
      top_p: 0.9,
      reasoning: { effort: 'low' },
      user: 'u-1',
      metadata: { a: 'b' },
      store: true,
    });
    expect(chat).toEqual({
      model: 'm',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello!' },
      ],
      max_tokens: 50,
      temperature: 0.2,
      top_p: 0.9,
      reasoning_effort: 'low',
      user: 'u-1',
    });
  });

  it('takes messages of every role with text, image and file parts; developer is system', () => {
    const chat = toChat(
      {
        input: [
          { role: 'developer', content: 'Rules.' },
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Look: ' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' }] },
          { type: 'message', role: 'user', content: [{ type: 'input_file', file_data: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' }] },
          { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Seen.' }] },
        ],
      },
      { maxTokensField: 'max_completion_tokens' },
    );
    expect(chat.messages).toEqual([
      { role: 'system', content: 'Rules.' },
      { role: 'user', content: [{ type: 'text', text: 'Look: ' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } }] },
      { role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' } }] },
      { role: 'assistant', content: 'Seen.' },
    ]);
  });

  it('turns a function-call round trip into an assistant message with tool calls and tool messages; reasoning items are dropped', () => {
    const chat = toChat({
      input: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'two calls' }] },
        { type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call', call_id: 'call_2', name: 'weather', arguments: '{"city":"Rome"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '18C' },
        { type: 'function_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: '21C' }] },
      ],
      tools: [{ type: 'function', name: 'weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true }],
      tool_choice: { type: 'function', name: 'weather' },
      parallel_tool_calls: false,
    });
    expect(chat.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '18C' },
      { role: 'tool', tool_call_id: 'call_2', content: '21C' },
    ]);
    expect(chat.tools).toEqual([
      { type: 'function', function: { name: 'weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true } },
    ]);
    expect(chat.tool_choice).toEqual({ type: 'function', function: { name: 'weather' } });
    expect(chat.parallel_tool_calls).toBe(false);
  });

  it('puts the stored conversation first, without its instructions, and resolves item references', () => {
    const history = [
      { type: 'message', role: 'user', content: 'My name is Ada.' },
      { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hello Ada.', annotations: [] }] },
    ];
    const chat = toChat({ instructions: 'New rules.', input: [{ type: 'item_reference', id: 'msg_1' }, { role: 'user', content: 'My name?' }] }, { history });
    expect(chat.messages).toEqual([
      { role: 'system', content: 'New rules.' },
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Hello Ada.' },
      { role: 'assistant', content: 'Hello Ada.' },
      { role: 'user', content: 'My name?' },
    ]);
  });

  it('maps text.format to response_format, and asks a stream for its usage', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
    expect(toChat({ input: 'x', text: { format: { type: 'json_schema', name: 'thing', schema, strict: true } } }).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'thing', schema, strict: true },
    });
    expect(toChat({ input: 'x', text: { format: { type: 'json_object' } } }).response_format).toEqual({ type: 'json_object' });
    expect(toChat({ input: 'x', text: { format: { type: 'text' } } })).not.toHaveProperty('response_format');
    expect(toChat({ input: 'x' }, { stream: true })).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it.each([
    [{ input: 'x', tools: [{ type: 'web_search' }] }, 'web_search', 'tools'],
    [{ input: 'x', tools: [{ type: 'file_search', vector_store_ids: ['v'] }] }, 'file_search', 'tools'],
    [{ input: 'x', tools: [{ type: 'code_interpreter', container: { type: 'auto' } }] }, 'code_interpreter', 'tools'],
    [{ input: 'x', tools: [{ type: 'computer_use_preview' }] }, 'computer_use_preview', 'tools'],
    [{ input: [{ type: 'web_search_call', id: 'ws_1', status: 'completed' }] }, 'web_search', 'input'],
  ])('refuses built-in tools with a 400 naming the tool: %j', (body, tool, param) => {
    const error = refused(body);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('unsupported_tool');
    expect(error.param).toBe(param);
    expect(error.message).toContain(`"${tool}"`);
  });

  it('refuses what has no chat counterpart, naming it', () => {
    expect(refused({ input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file-1' }] }] }).message).toMatch(/file ids/);
    expect(refused({ input: [{ role: 'user', content: [{ type: 'input_audio' }] }] }).message).toContain('"input_audio"');
    expect(refused({ input: [{ type: 'item_reference', id: 'msg_x' }] }).code).toBe('item_not_found');
    expect(refused({ input: [] }).status).toBe(400);
    expect(refused({ input: 5 }).param).toBe('input');
  });
});

const context: ResponseContext = {
  id: 'resp_test',
  createdAt: 1_700_000_000,
  model: 'm',
  request: { model: 'm', input: 'x', tools: [], store: true },
};
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('a chat answer as a response object', () => {
  it('gives a reasoning item, a message and function calls, with usage in the Responses names', () => {
    const response = convertChatResponseToResponses(
      bytes({
        id: 'c',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Calling.', reasoning_content: 'I should call.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 7, total_tokens: 17, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 3 } },
      }),
      context,
      'p',
    );
    expect(response).toMatchObject({ id: 'resp_test', object: 'response', status: 'completed', model: 'm', error: null, incomplete_details: null, store: true });
    expect(response.output).toEqual([
      { type: 'reasoning', id: expect.stringMatching(/^rs_/), summary: [{ type: 'summary_text', text: 'I should call.' }] },
      { type: 'message', id: expect.stringMatching(/^msg_/), status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Calling.', annotations: [], logprobs: [] }] },
      { type: 'function_call', id: expect.stringMatching(/^fc_/), call_id: 'call_1', name: 'f', arguments: '{"a":1}', status: 'completed' },
    ]);
    expect(response.usage).toEqual({
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 4 },
      output_tokens: 7,
      output_tokens_details: { reasoning_tokens: 3 },
      total_tokens: 17,
    });
  });

  it('a length stop is incomplete with reason max_output_tokens', () => {
    const response = convertChatResponseToResponses(bytes({ choices: [{ message: { content: 'Cut' }, finish_reason: 'length' }] }), context, 'p');
    expect(response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
  });
});

/** Runs chat chunks through the converter and returns the events' data, parsed. */
function streamEvents(chunks: (Record<string, unknown> | '[DONE]')[]): { events: Record<string, unknown>[]; raw: SseEvent[] } {
  const converter = createChatToResponsesStreamConverter(context, 'p');
  const raw: SseEvent[] = [];
  for (const chunk of chunks) raw.push(...converter.push({ data: chunk === '[DONE]' ? chunk : JSON.stringify(chunk) }));
  raw.push(...converter.end());
  return { events: raw.map((event) => JSON.parse(event.data) as Record<string, unknown>), raw };
}

const delta = (fields: Record<string, unknown>, finish: string | null = null) => ({ id: 'c', choices: [{ index: 0, delta: fields, finish_reason: finish }] });

describe('a chat stream as the Responses stream', () => {
  it('text: the full event sequence, numbered, ending in response.completed with the whole answer', () => {
    const { events, raw } = streamEvents([
      delta({ role: 'assistant', content: '' }),
      delta({ content: 'Hel' }),
      delta({ content: 'lo' }),
      delta({}, 'stop'),
      { id: 'c', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
      '[DONE]',
    ]);
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(raw.every((event, index) => event.event === events[index].type)).toBe(true);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const completed = events.at(-1)!.response as Record<string, unknown>;
    expect(completed).toMatchObject({ id: 'resp_test', status: 'completed', usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 } });
    expect(completed.output).toEqual([expect.objectContaining({ type: 'message', content: [expect.objectContaining({ type: 'output_text', text: 'Hello' })] })]);
    expect(events[6]).toMatchObject({ text: 'Hello', output_index: 0, content_index: 0 });
  });

  it('reasoning, then text, then two tool calls: one item each, in order', () => {
    const { events } = streamEvents([
      delta({ reasoning_content: 'Think' }),
      delta({ content: 'Ok.' }),
      delta({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      delta({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'g', arguments: '{}' } }] }),
      delta({}, 'tool_calls'),
    ]);
    const added = events.filter((event) => event.type === 'response.output_item.added').map((event) => [event.output_index, (event.item as { type: string }).type]);
    expect(added).toEqual([
      [0, 'reasoning'],
      [1, 'message'],
      [2, 'function_call'],
      [3, 'function_call'],
    ]);
    const completed = events.at(-1)!;
    expect(completed.type).toBe('response.completed');
    expect((completed.response as { output: unknown[] }).output).toEqual([
      expect.objectContaining({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Think' }] }),
      expect.objectContaining({ type: 'message' }),
      expect.objectContaining({ type: 'function_call', call_id: 'call_a', name: 'f', arguments: '{"x":1}' }),
      expect.objectContaining({ type: 'function_call', call_id: 'call_b', name: 'g', arguments: '{}' }),
    ]);
    expect(events.filter((event) => event.type === 'response.function_call_arguments.done').map((event) => event.arguments)).toEqual(['{"x":1}', '{}']);
  });

  it('a length stop ends in response.incomplete', () => {
    const { events } = streamEvents([delta({ content: 'Cut' }), delta({}, 'length'), '[DONE]']);
    expect(events.at(-1)).toMatchObject({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } });
  });

  it('a stream cut before its finish ends with no terminal event; the format then sends response.failed, numbered on', () => {
    const { events, raw } = streamEvents([delta({ content: 'Hel' })]);
    expect(events.map((event) => event.type)).not.toContain('response.completed');
    const state: ResponsesStreamState = { finished: false };
    for (const event of raw) responsesStreamFormat.inspect(event, state);
    expect(state.finished).toBe(false);
    const failed = JSON.parse(responsesStreamFormat.errorEvent(new GatewayError({ status: 502, message: 'cut', code: 'stream_truncated' }), state).data);
    expect(failed).toMatchObject({ type: 'response.failed', sequence_number: events.length, response: { id: 'resp_test', status: 'failed', error: { code: 'stream_truncated', message: 'cut' }, output: [] } });
  });

  it('response.failed keeps the output items that finished before the break', () => {
    const { raw } = streamEvents([delta({ reasoning_content: 'Think' }), delta({ content: 'Half' })]);
    const state: ResponsesStreamState = { finished: false };
    for (const event of raw) responsesStreamFormat.inspect(event, state);
    const failed = JSON.parse(responsesStreamFormat.errorEvent(new GatewayError({ status: 502, message: 'cut' }), state).data);
    expect(failed.response.output).toEqual([expect.objectContaining({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Think' }] })]);
  });

  it('the format finishes on response.completed and keeps the final response and its usage', () => {
    const { raw } = streamEvents([delta({ content: 'Hi' }, 'stop'), { choices: [], usage: { prompt_tokens: 1, completion_tokens: 1 } }, '[DONE]']);
    const state: ResponsesStreamState = { finished: false };
    for (const event of raw) responsesStreamFormat.inspect(event, state);
    expect(state).toMatchObject({ finished: true, responseId: 'resp_test', usage: { input_tokens: 1, output_tokens: 1 } });
    expect(state.response).toMatchObject({ status: 'completed' });
  });
});

/** Codex's own requests, recorded (test/fixtures/codex). */
const codex = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/clients/codex/${name}`, import.meta.url), 'utf8')) as { body: Record<string, unknown> };

describe('Codex’s recorded requests as chat', () => {
  it('turn 1: developer messages as system, every function tool, the namespace’s functions flattened', () => {
    const chat = toChat(codex('turn-1.json').body, { stream: true });
    const messages = chat.messages as { role: string }[];
    expect(messages.map((message) => message.role)).toEqual(['system', 'system', 'user', 'user']);
    const names = (chat.tools as { function: { name: string } }[]).map((tool) => tool.function.name);
    expect(names).toContain('exec_command');
    expect(names).toContain('multi_agent_v1__close_agent');
    expect(names.every((name) => /^[A-Za-z0-9_-]{1,64}$/.test(name))).toBe(true);
    expect(chat).toMatchObject({ tool_choice: 'auto', parallel_tool_calls: true, stream: true });
    expect(chat).not.toHaveProperty('store');
    expect(chat).not.toHaveProperty('include');
  });

  it('turn 2: the function call and its output become an assistant tool call and a tool message', () => {
    const chat = toChat(codex('turn-2-tool-output.json').body);
    expect((chat.messages as unknown[]).slice(-2)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"echo hello-from-tool"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: expect.stringContaining('hello-from-tool') },
    ]);
  });

  it('with its default tools, web_search is a 400 that names it and says how to turn it off', () => {
    const error = refused(codex('turn-1-web-search.json').body);
    expect(error).toMatchObject({ status: 400, code: 'unsupported_tool', param: 'tools' });
    expect(error.message).toContain('"web_search"');
    expect(error.message).toContain('web_search = "disabled"');
  });

  it('a call to a namespaced function comes back with its name and namespace', () => {
    const request = codex('turn-1.json').body as ResponseContext['request'];
    const response = convertChatResponseToResponses(
      bytes({ choices: [{ message: { content: null, tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'multi_agent_v1__close_agent', arguments: '{"target":"a"}' } }] }, finish_reason: 'tool_calls' }] }),
      { ...context, request },
      'p',
    );
    expect(response.output).toEqual([expect.objectContaining({ type: 'function_call', call_id: 'call_9', name: 'close_agent', namespace: 'multi_agent_v1' })]);
  });
});
