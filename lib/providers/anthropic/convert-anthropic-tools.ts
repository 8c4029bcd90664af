/**
 * Tools, both ways: OpenAI's `function` tools, `tool_choice`, `parallel_tool_calls` and
 * assistant `tool_calls`, and Anthropic's tools, `tool_choice` and `tool_use` blocks.
 *
 * @see https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use
 */
import { badRequest } from '../../errors.js';
import type { Tool, ToolCall, ToolChoice } from '../openai-format/chat-wire.js';
import { toolArguments } from '../openai-format/tool-calls.js';
import type { AnthropicTool, AnthropicToolChoice, Block } from './anthropic-wire.js';

/** OpenAI's string tool choices and Anthropic's choice types, one row each. */
const CHOICE_MODES: ReadonlyArray<readonly [openAI: string, anthropic: string]> = [
  ['auto', 'auto'],
  ['required', 'any'],
  ['none', 'none'],
];

const EMPTY_SCHEMA = { type: 'object', properties: {} };

/** Anthropic's tools for OpenAI's function tools. */
export function toolsToAnthropic(tools: readonly Tool[]): AnthropicTool[] {
  return tools.map((tool) => {
    if (tool.type !== 'function') throw badRequest(`Tools of type "${tool.type}" cannot be translated; use function tools`, 'tools', 'unsupported_tool');
    const { name, description, parameters } = tool.function;
    return { name, ...(description ? { description } : {}), input_schema: parameters ?? EMPTY_SCHEMA };
  });
}

/**
 * OpenAI's function tools for Anthropic's tools.
 * @throws GatewayError 400 for Anthropic's server tools (web search, code execution…)
 */
export function toolsFromAnthropic(tools: readonly AnthropicTool[]): Tool[] {
  return tools.map((tool) => {
    if (tool.type !== undefined && tool.type !== 'custom') {
      throw badRequest(`Anthropic's server tool "${tool.type}" only runs on Anthropic`, 'tools', 'unsupported_tool');
    }
    const { name, description, input_schema: parameters } = tool;
    return { type: 'function', function: { name, ...(description ? { description } : {}), parameters: parameters ?? EMPTY_SCHEMA } };
  });
}

/** Anthropic's tool choice for OpenAI's `tool_choice` and `parallel_tool_calls`. */
export function toolChoiceToAnthropic(choice: ToolChoice | null | undefined, parallel: boolean | null | undefined): AnthropicToolChoice | undefined {
  const noParallel = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === null || choice === undefined) return parallel === false ? { type: 'auto', ...noParallel } : undefined;
  if (typeof choice === 'string') {
    const mode = CHOICE_MODES.find(([openAI]) => openAI === choice);
    if (!mode) throw badRequest(`Unknown tool_choice "${choice}"`, 'tool_choice', 'invalid_tool_choice');
    return mode[1] === 'none' ? { type: 'none' } : { type: mode[1], ...noParallel };
  }
  return { type: 'tool', name: choice.function.name, ...noParallel };
}

/** OpenAI's `tool_choice` and `parallel_tool_calls` for Anthropic's tool choice. */
export function toolChoiceFromAnthropic(choice: AnthropicToolChoice | undefined): { tool_choice?: ToolChoice; parallel_tool_calls?: boolean } {
  if (choice === undefined) return {};
  const parallel = choice.disable_parallel_tool_use === true ? { parallel_tool_calls: false } : {};
  if (choice.type === 'tool' && choice.name) return { tool_choice: { type: 'function', function: { name: choice.name } }, ...parallel };
  const mode = CHOICE_MODES.find(([, anthropic]) => anthropic === choice.type);
  if (!mode) throw badRequest(`Unknown tool_choice type "${choice.type}"`, 'tool_choice', 'invalid_tool_choice');
  return { tool_choice: mode[0], ...parallel };
}

/** Anthropic's `tool_use` block for an assistant's OpenAI tool call. */
export function toolUseFromToolCall(call: ToolCall): Block {
  return { type: 'tool_use', id: call.id, name: call.function.name, input: toolArguments(call.function.arguments) };
}

/** OpenAI's tool call for an Anthropic `tool_use` block. */
export function toolCallFromToolUse(block: Block): ToolCall {
  return { id: block.id ?? '', type: 'function', function: { name: block.name ?? '', arguments: JSON.stringify(block.input ?? {}) } };
}
