/**
 * Maps a method and a path after `/v1` to the gateway operation that serves it.
 */
import type { Operation } from '../providers/types.js';

const JSON_OPERATIONS: Record<string, Operation> = {
  '/chat/completions': 'chat',
  '/completions': 'completions',
  '/embeddings': 'embeddings',
  '/messages': 'messages',
  '/messages/count_tokens': 'count_tokens',
};

/** `models` for `GET /models`, a JSON operation for its POST path, `passthrough` otherwise. */
export function operationFor(method: string, path: string): Operation | 'models' {
  if (method === 'POST') return JSON_OPERATIONS[path] ?? 'passthrough';
  if (method === 'GET' && path === '/models') return 'models';
  return 'passthrough';
}
