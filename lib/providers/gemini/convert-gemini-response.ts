/**
 * A Gemini `generateContent` answer to an OpenAI chat completion: one choice per
 * candidate, function calls as `tool_calls`, the finish reason mapped, and `usage`.
 * A prompt blocked before any candidate becomes one empty `content_filter` choice.
 *
 * @see https://ai.google.dev/api/generate-content#generatecontentresponse
 */
import { nowSeconds } from '../openai-format/chat-chunk-writer.js';
import { assistantChoice, chatCompletionBody } from '../openai-format/chat-completion.js';
import type { Candidate } from './gemini-wire.js';
import { errorInAnswer, readGeminiResponse } from './read-gemini-response.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';
import { readCandidate, usageFromGemini } from './read-gemini-candidate.js';

function choice(candidate: Candidate, position: number) {
  const { text, reasoning, toolCalls } = readCandidate(candidate);
  return assistantChoice(text, toolCalls, mapGeminiFinishReason(candidate.finishReason, toolCalls.length > 0) ?? 'stop', candidate.index ?? position, reasoning);
}

/**
 * Converts one answer.
 * @param model the attempt's model, for an answer that names no `modelVersion`
 * @throws GatewayError 502 when the body is not a Gemini answer; the error's own status
 *   (retryable for 408, 429 and 5xx) for an error sent inside the 200 answer
 */
export function convertGeminiResponse(raw: Uint8Array, model: string | undefined, provider: string): Uint8Array {
  const response = readGeminiResponse(raw, provider);
  if (response.error) throw errorInAnswer(response.error, provider);
  const candidates = response.candidates ?? [];
  const blocked = { ...assistantChoice('', [], 'content_filter'), message: { role: 'assistant', content: null, refusal: null } };
  return chatCompletionBody({
    id: response.responseId ?? 'chatcmpl-gemini',
    created: nowSeconds(),
    model: response.modelVersion ?? model ?? '',
    choices: candidates.length > 0 ? candidates.map(choice) : [blocked],
    usage: usageFromGemini(response.usageMetadata),
  });
}
