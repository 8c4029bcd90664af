/**
 * What a chat tool call carries besides its id, name and arguments (`extra_content`, where
 * Gemini puts the thought signature it wants back with the call: without it Gemini 3
 * refuses the next request of the tool loop), carried through a Messages client, which
 * keeps a `tool_use` block's own fields only. It rides in the signature of a `thinking`
 * block before the tool use, the one field every Messages client sends back unchanged
 * within a tool loop (Claude needs its own signatures back there too), and is put back
 * on the tool calls when the conversation returns.
 *
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 * @see https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#preserving-thinking-blocks
 */

const PREFIX = 'gateway.tool-extras.';

/** A tool call, as far as its extras go. */
interface WithExtras {
  id?: string | null;
  extra_content?: unknown;
}

/** The signature that carries the calls' extras; undefined when none has any. */
export function extrasSignature(calls: readonly WithExtras[]): string | undefined {
  const extras = calls.filter((call) => call.id && call.extra_content !== undefined && call.extra_content !== null);
  if (extras.length === 0) return undefined;
  const map = Object.fromEntries(extras.map((call) => [call.id as string, call.extra_content]));
  return PREFIX + Buffer.from(JSON.stringify(map)).toString('base64url');
}

/** Tool call id → its extras, from the signatures of thinking blocks that carry them. */
export function extrasFromSignatures(signatures: ReadonlyArray<string | undefined>): Map<string, unknown> {
  const extras = new Map<string, unknown>();
  for (const signature of signatures) {
    if (!signature?.startsWith(PREFIX)) continue;
    try {
      const map = JSON.parse(Buffer.from(signature.slice(PREFIX.length), 'base64url').toString('utf8')) as Record<string, unknown>;
      for (const [id, value] of Object.entries(map)) extras.set(id, value);
    } catch {
      // Not one of ours after all (or cut by the client): the calls go without extras.
      continue;
    }
  }
  return extras;
}
