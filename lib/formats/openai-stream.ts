/**
 * OpenAI's chat and completions stream: `data: {chunk}` events ending in `data: [DONE]`.
 * A chunk with a `finish_reason` also counts as the end (some compatible servers omit
 * `[DONE]`); `data: {"error":{…}}` is an error inside a 200 stream.
 *
 * @see https://platform.openai.com/docs/api-reference/chat-streaming
 */
import type { SseEvent } from '../providers/types.js';
import { noOutput } from '../usage/arrived-output.js';
import { parseJsonObject as parse, readUsage, type StreamFormat, type StreamState } from './stream-format.js';

/** The events of an LF-framed text: its blank lines (see `usage/arrived-output.ts` for why events, not text). */
function eventsIn(text: string): number {
  let events = 0;
  for (let at = text.indexOf('\n\n'); at !== -1; at = text.indexOf('\n\n', at + 2)) events += 1;
  return events;
}

/** The first character after `key` and any JSON whitespace and colon, or '' at the end. */
function valueStart(data: string, key: string): string {
  let at = data.indexOf(key);
  if (at === -1) return '';
  at += key.length;
  for (; at < data.length; at += 1) {
    const char = data[at];
    if (char !== ' ' && char !== ':' && char !== '\n' && char !== '\t' && char !== '\r') return char;
  }
  return '';
}

function inspect(event: SseEvent, state: StreamState): void {
  const { data } = event;
  if (data === '[DONE]') {
    state.finished = true;
    return;
  }
  (state.arrived ??= noOutput()).chunks += 1;
  // Key searches first (one indexOf each): most chunks carry no usage and no error, and
  // parsing every chunk would cost more than the rest of the relay. A string value after
  // `"finish_reason"` (not `null`) is the end. The first match decides, which fits every
  // chunk a provider sends (n > 1 choices finish in separate chunks or together).
  if (valueStart(data, '"finish_reason"') === '"') state.finished = true;
  const hasUsage = valueStart(data, '"usage"') === '{';
  const mayHaveError = data.indexOf('"error"') !== -1;
  if (!hasUsage && !mayHaveError) return;
  const chunk = parse(data);
  if (chunk === undefined) return;
  if (hasUsage) state.usage = readUsage(chunk.usage) ?? state.usage;
  const error = chunk.error as { message?: unknown; code?: unknown; type?: unknown } | undefined;
  if (error !== null && typeof error === 'object') {
    state.error = {
      message: typeof error.message === 'string' ? error.message : 'Upstream reported an error in the stream',
      code: typeof error.code === 'string' ? error.code : undefined,
      type: typeof error.type === 'string' ? error.type : undefined,
      status: typeof error.code === 'number' ? error.code : undefined,
    };
  }
}

/** A `"finish_reason"` with a string value (not `null`): the stream's end. */
const FINISH = /"finish_reason"\s*:\s*"/;

/**
 * A batch with no usage and no error in its text needs no look at each event: it
 * finished when it holds `[DONE]` or a finish reason with a string value. Anything else
 * goes event by event.
 */
function inspectBatch(events: SseEvent[], text: string, state: StreamState): void {
  if (text.indexOf('"usage"') !== -1 || text.indexOf('"error"') !== -1) {
    for (const event of events) inspect(event, state);
    return;
  }
  (state.arrived ??= noOutput()).chunks += events.length - (events.at(-1)?.data === '[DONE]' ? 1 : 0);
  if (text.indexOf('data: [DONE]\n') !== -1 || FINISH.test(text)) state.finished = true;
}

const DONE = Buffer.from('[DONE]');
const DATA = Buffer.from('data:');
// Needles that begin with a byte rarer than the quote make Buffer#indexOf several times faster.
const USAGE = Buffer.from('usage"');
const ERROR = Buffer.from('rror"');
const [LF, SPACE] = [0x0a, 0x20];

/** Whether a line of `frame` is `data: [DONE]` (or `data:[DONE]`). */
function holdsDone(frame: Buffer): boolean {
  for (let at = frame.indexOf(DONE); at !== -1; at = frame.indexOf(DONE, at + 1)) {
    if (frame[at + DONE.length] !== LF) continue;
    const field = at - DATA.length - (frame[at - 1] === SPACE ? 1 : 0);
    if (field >= 0 && (field === 0 || frame[field - 1] === LF) && frame.compare(DATA, 0, DATA.length, field, field + DATA.length) === 0) return true;
  }
  return false;
}

const NULL = 0x6e; // n

/**
 * Whether every `usage"` in `frame` has the value `null`: with `stream_options.include_usage`,
 * OpenAI puts `"usage":null` in every chunk but the last, and those need no parse.
 */
function onlyNullUsage(frame: Buffer): boolean {
  for (let at = frame.indexOf(USAGE); at !== -1; at = frame.indexOf(USAGE, at + 1)) {
    let next = at + USAGE.length;
    while (next < frame.length && (frame[next] === SPACE || frame[next] === 0x3a || frame[next] === 0x09)) next += 1;
    if (frame[next] !== NULL) return false;
  }
  return true;
}

/**
 * Bytes passed on unchanged: with no usage (or only `"usage":null`) and no error in them, they finish the stream
 * when they hold `[DONE]` or a finish reason with a string value. Anything else needs
 * the events.
 */
function inspectFrame(frame: Buffer, state: StreamState): boolean {
  if (frame.indexOf(ERROR) !== -1 || (frame.indexOf(USAGE) !== -1 && !onlyNullUsage(frame))) return false;
  const text = frame.toString('latin1');
  const done = holdsDone(frame);
  (state.arrived ??= noOutput()).chunks += eventsIn(text) - (done ? 1 : 0);
  if (!state.finished && (done || FINISH.test(text))) state.finished = true;
  return true;
}

/** The OpenAI stream format, for `chat` and `completions`. */
export const openAIStreamFormat: StreamFormat = {
  inspect,
  inspectBatch,
  inspectFrame,
  errorEvent: (error) => ({ data: JSON.stringify(error.toJSON()) }),
};

/**
 * Whether an event is the usage-only chunk of `stream_options.include_usage`: a `usage`
 * object and `"choices": []`. Parsed only when its text holds a usage object (once a stream).
 */
function isUsageChunk(event: SseEvent): boolean {
  if (valueStart(event.data, '"usage"') !== '{') return false;
  const chunk = parse(event.data);
  return Array.isArray(chunk?.choices) && chunk.choices.length === 0;
}

/**
 * The OpenAI stream format for a client that did not ask for the usage chunk, when the
 * gateway asked the provider for it (see `usage/ask-stream-usage.ts`): the chunk is read
 * for its usage, then left out of what the client gets.
 */
export const openAIStreamFormatWithoutUsageChunk: StreamFormat = { ...openAIStreamFormat, dropsEvent: isUsageChunk };
