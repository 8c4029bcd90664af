/**
 * A Gemini `generateContent` answer to an OpenAI chat completion: one choice per
 * candidate, function calls as `tool_calls`, the finish reason mapped, and `usage`.
 * A prompt blocked before any candidate becomes one empty `content_filter` choice.
 *
 * @see https://ai.google.dev/api/generate-content#generatecontentresponse
 */
import { nowSeconds } from '../openai-format/chat-chunk-writer.js';
import { parseUpstreamJson } from '../parse-wire.js';
import { GenerateContentResponseSchema, type Candidate } from './gemini-wire.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';
import { readCandidate, usageFromGemini } from './read-gemini-candidate.js';

const encoder = new TextEncoder();

function choice(candidate: Candidate, position: number) {
  const { text, toolCalls } = readCandidate(candidate);
  return {
    index: candidate.index ?? position,
    message: {
      role: 'assistant',
      content: text === '' && toolCalls.length > 0 ? null : text,
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      refusal: null,
    },
    logprobs: null,
    finish_reason: mapGeminiFinishReason(candidate.finishReason, toolCalls.length > 0) ?? 'stop',
  };
}

/**
 * Converts one answer.
 * @param model the attempt's model, for an answer that names no `modelVersion`
 * @throws GatewayError 502 when the body is not a Gemini answer
 */
export function convertGeminiResponse(raw: Uint8Array, model: string | undefined, provider: string): Uint8Array {
  const response = parseUpstreamJson(GenerateContentResponseSchema, raw, provider);
  const candidates = response.candidates ?? [];
  const choices =
    candidates.length > 0
      ? candidates.map(choice)
      : [{ index: 0, message: { role: 'assistant', content: null, refusal: null }, logprobs: null, finish_reason: 'content_filter' }];
  const completion = {
    id: response.responseId ?? 'chatcmpl-gemini',
    object: 'chat.completion',
    created: nowSeconds(),
    model: response.modelVersion ?? model ?? '',
    choices,
    usage: usageFromGemini(response.usageMetadata),
  };
  return encoder.encode(JSON.stringify(completion));
}
