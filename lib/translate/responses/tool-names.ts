/**
 * Function names across the two APIs. A Responses `namespace` tool groups functions under a
 * name (Codex sends its sub-agent tools so); chat has no namespaces and allows only
 * `[A-Za-z0-9_-]` in a name, so a namespaced function goes to chat as `<namespace>__<name>`
 * and comes back as `name` with its `namespace`.
 *
 * @see https://platform.openai.com/docs/guides/function-calling
 */
import type { ResponsesTool } from './responses-wire.js';

const SEPARATOR = '__';

/** The chat name of a function, namespaced or not. */
export function chatToolName(name: string, namespace?: string): string {
  return namespace ? `${namespace}${SEPARATOR}${name}` : name;
}

/**
 * A chat function name as the Responses API names it: `{ name, namespace }` when it is one of
 * a declared namespace's functions, else the name as it is.
 */
export function responsesToolName(chatName: string, tools: readonly ResponsesTool[] | null | undefined): { name: string; namespace?: string } {
  const at = chatName.indexOf(SEPARATOR);
  if (at > 0 && tools) {
    const namespace = chatName.slice(0, at);
    const name = chatName.slice(at + SEPARATOR.length);
    const group = tools.find((tool) => tool.type === 'namespace' && tool.name === namespace);
    if (group?.tools?.some((tool) => tool.name === name)) return { name, namespace };
  }
  return { name: chatName };
}
