/**
 * What a stream's answer text amounted to so far, counted as its events pass to the client,
 * for a stream cut before the provider's usage event (an OpenAI-compatible usage chunk comes
 * last; a Responses stream's usage comes with `response.completed`; Anthropic's output count
 * with `message_delta`). Without it a client that left just before the end would be served
 * for free. Counted where it is cheapest, so that a stream that finishes pays almost nothing:
 * - an OpenAI-compatible stream passed on as it came: its events, one token each (its bytes
 *   are never parsed: scanning them for text would cost about 30 µs per 100-chunk stream,
 *   a twentieth of the gateway's whole work on it);
 * - a stream the gateway translates into chat chunks (Anthropic, Gemini, Ollama): the text
 *   of each delta it writes, exactly;
 * - Anthropic's Messages stream: the string values of `content_block_delta` events, found
 *   without parsing; the Responses stream (parsed anyway): each delta.
 * Characters are counted with alphabetic scripts apart from the rest.
 *
 * Tokens are then estimated from the characters: a quarter of a token per character below
 * U+0800 (ASCII, Latin, Greek, Cyrillic, Hebrew, Arabic: English text averages about four
 * characters per token in OpenAI's `o200k_base`, code about three, Russian about four and a
 * half) and three quarters of a token per character above (Chinese and Japanese about 0.75 in
 * `o200k_base`), and never fewer than the chunks that carried text: OpenAI and most
 * compatible servers stream one token per chunk. Within 40% of `o200k_base`'s count either
 * way on English, French, Russian and Chinese prose (over by up to a fifth) and code (under by
 * up to a third), see test/usage/arrived-output.test.ts.
 */
import type { TokenUsage } from './token-usage.js';

/** Text seen in a stream's events so far. */
export interface ArrivedOutput {
  /** String values with text in them (each chunk's `content`, a delta's `text`…). */
  chunks: number;
  /** Characters below U+0800 in them (alphabetic scripts; a JSON escape such as `\n` counts as one). */
  narrow: number;
  /** Characters from U+0800 up in them (CJK, Indic, emoji). */
  wide: number;
}

/** A new, empty count. */
export const noOutput = (): ArrivedOutput => ({ chunks: 0, narrow: 0, wide: 0 });

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Adds the string values after each of `keys` in `text` to `arrived`.
 * @param keys each a JSON key with its closing quote and no opening one (`content"` also finds `reasoning_content"`)
 * @param utf8Bytes whether `text` is UTF-8 bytes read as latin1 (a frame's bytes): a character
 *   beyond ASCII is then counted once, at its lead byte (0xC0–0xDF: below U+0800)
 */
export function countArrived(text: string, keys: readonly string[], arrived: ArrivedOutput, utf8Bytes = false): void {
  for (const key of keys) {
    for (let at = text.indexOf(key); at !== -1; at = text.indexOf(key, at + key.length)) {
      if (text.charCodeAt(at - 1) !== QUOTE) continue;
      let index = at + key.length;
      // `"key": "value"`: spaces and the colon, then the value's opening quote.
      for (let code = text.charCodeAt(index); code === 0x20 || code === 0x3a || code === 0x09 || code === 0x0a || code === 0x0d; code = text.charCodeAt(index)) index += 1;
      if (text.charCodeAt(index) !== QUOTE) continue;
      index += 1;
      let narrow = 0;
      let wide = 0;
      for (; index < text.length; index += 1) {
        const code = text.charCodeAt(index);
        if (code === QUOTE) break;
        if (code === BACKSLASH) {
          // `\uXXXX` is one character (of either kind); `\n`, `\"` and the like one narrow one.
          if (text.charCodeAt(index + 1) === 0x75) {
            if (Number.parseInt(text.slice(index + 2, index + 6), 16) < 0x800) narrow += 1;
            else wide += 1;
            index += 5;
          } else {
            narrow += 1;
            index += 1;
          }
        } else if (code < 0x80) narrow += 1;
        else if (!utf8Bytes) {
          if (code < 0x800) narrow += 1;
          else wide += 1;
        } else if (code >= 0xe0) wide += 1;
        else if (code >= 0xc0) narrow += 1;
      }
      if (narrow + wide > 0) {
        arrived.chunks += 1;
        arrived.narrow += narrow;
        arrived.wide += wide;
      }
      at = index - key.length;
    }
  }
}

/** Adds the characters of a string that is already answer text to `arrived`, not counting a chunk. */
export function addArrivedText(text: string, arrived: ArrivedOutput): void {
  let narrow = 0;
  for (let index = 0; index < text.length; index += 1) if (text.charCodeAt(index) < 0x800) narrow += 1;
  arrived.narrow += narrow;
  arrived.wide += text.length - narrow;
}

/** Adds one chunk of answer text (a parsed delta) to `arrived`; an empty one counts nothing. */
export function countArrivedText(text: string, arrived: ArrivedOutput): void {
  if (text.length === 0) return;
  arrived.chunks += 1;
  addArrivedText(text, arrived);
}

/** The tokens of the characters counted in `arrived`, estimated (see the module's note). */
const textTokens = (text: ArrivedOutput): number => Math.ceil(text.narrow / 4 + (text.wide * 3) / 4);

/** The estimated tokens of `arrived` (see the module's note), in tokens. */
export function arrivedTokens(arrived: ArrivedOutput): number {
  return Math.max(arrived.chunks, textTokens(arrived));
}

/**
 * A stream's usage when it ended: what the provider reported, as it is for a stream that
 * finished. Otherwise the gateway's own counts where the provider's are missing: for a stream
 * cut short, what the provider reported (if anything) with the output raised to what arrived
 * when that is more, `partial: true`; for a stream without any usage from its provider (cut
 * before its usage event, or from a server that never sends one), the input estimated from
 * the request and the output from what arrived. `estimated: true` when a count is the
 * gateway's own. Undefined when nothing was reported and nothing can be estimated.
 * @param cut whether the stream broke or its client left before its end
 * @param estimateInput the request's input tokens, estimated (called only when needed)
 */
export function streamEndUsage(
  reported: TokenUsage | undefined,
  arrived: ArrivedOutput | undefined,
  cut: boolean,
  estimateInput: (() => number) | undefined,
): TokenUsage | undefined {
  if (!cut && reported !== undefined) return reported;
  const output = arrived ? arrivedTokens(arrived) : 0;
  const marks = cut ? { partial: true } : {};
  if (reported !== undefined) {
    if (output <= reported.output_tokens) return { ...reported, ...marks };
    return { ...reported, output_tokens: output, ...marks, estimated: true };
  }
  if (estimateInput === undefined && output === 0) return undefined;
  return {
    input_tokens: estimateInput?.() ?? 0,
    output_tokens: output,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    ...marks,
    estimated: true,
  };
}

/** Tokens counted for an image or a file in a request without a tokenizer: Anthropic's figure for a large image. */
const ATTACHMENT_TOKENS = 1600;
/** A string this long without a space is an attachment's base64 rather than text. */
const ATTACHMENT_CHARS = 2048;

/**
 * An estimate of a request's input tokens from its JSON body, for a stream whose provider
 * reported no usage: every string value's characters as {@link arrivedTokens} counts them
 * (the prompt, the system text, tool definitions; keys and numbers left out), a data URL or a
 * long base64 string as one image's tokens. In tokens.
 */
export function estimateBodyTokens(body: unknown): number {
  const text = noOutput();
  let attachments = 0;
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.startsWith('data:') || (value.length >= ATTACHMENT_CHARS && !/\s/.test(value.slice(0, ATTACHMENT_CHARS)))) attachments += 1;
      else countArrivedText(value, text);
    } else if (Array.isArray(value)) for (const item of value) walk(item);
    else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) walk(item);
  };
  walk(body);
  return textTokens(text) + attachments * ATTACHMENT_TOKENS;
}
