/**
 * What a Gemini candidate (or one stream event's piece of it) says in OpenAI's terms:
 * its text, its function calls as tool calls, and the usage. Shared by the answer and
 * the stream conversion.
 *
 * @see https://ai.google.dev/api/generate-content#candidate
 */
import { chatUsage } from '../openai-format/chat-chunk-writer.js';
import type { ChatUsage, ToolCall } from '../openai-format/chat-wire.js';
import { newToolCallId } from '../openai-format/tool-calls.js';
import { withThoughtSignature } from './gemini-thought-signature.js';
import type { Candidate, UsageMetadata } from './gemini-wire.js';

/**
 * A candidate's answer text, its thought summaries (`reasoning`) and function calls as
 * tool calls, with Gemini's thought signature when it sent one.
 */
export function readCandidate(candidate: Candidate): { text: string; reasoning: string; toolCalls: ToolCall[] } {
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCall[] = [];
  for (const part of candidate.content?.parts ?? []) {
    if (typeof part.text === 'string') {
      if (part.thought === true) reasoning += part.text;
      else text += part.text;
    }
    if (part.functionCall) {
      const { id, name, args } = part.functionCall;
      // Gemini may leave calls without ids; OpenAI clients need one to answer with.
      toolCalls.push({ id: id ?? newToolCallId(), type: 'function', function: { name, arguments: JSON.stringify(args ?? {}) }, ...withThoughtSignature(part.thoughtSignature) });
    }
  }
  return { text, reasoning, toolCalls };
}

/** OpenAI's usage for Gemini's `usageMetadata`; thinking tokens count as completion tokens, as OpenAI counts reasoning. */
export function usageFromGemini(usage: UsageMetadata | undefined): ChatUsage {
  const thoughts = usage?.thoughtsTokenCount ?? 0;
  return chatUsage(usage?.promptTokenCount ?? 0, (usage?.candidatesTokenCount ?? 0) + thoughts, usage?.cachedContentTokenCount, 0, thoughts);
}
