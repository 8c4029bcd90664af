/**
 * A mock of Google's Generative Language API that checks each request the way the real
 * one does (as far as the gateway's translation could get it wrong) and answers 400
 * `INVALID_ARGUMENT` otherwise: unknown fields, roles other than `user` and `model`,
 * empty or malformed parts, a function response that answers no function call of the
 * turn before, a key anywhere but `x-goog-api-key`.
 *
 * @see https://ai.google.dev/api/generate-content
 */
import type { ServerResponse } from 'node:http';
import type { MockHandler, RecordedRequest } from '../mock-upstream.js';
import { sendJson } from '../mock-upstream.js';

type Json = Record<string, unknown>;

const FIELDS = new Set(['contents', 'systemInstruction', 'generationConfig', 'tools', 'toolConfig', 'safetySettings', 'cachedContent']);
const CONFIG = new Set(['temperature', 'topP', 'topK', 'maxOutputTokens', 'stopSequences', 'candidateCount', 'presencePenalty', 'frequencyPenalty', 'seed', 'responseMimeType', 'responseSchema', 'responseJsonSchema', 'thinkingConfig']);
const DATA = ['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse'];
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The model and method of a `models/{model}:{method}` URL. */
export const GEMINI_URL = /^\/v1beta\/models\/([^/:?]+):(generateContent|streamGenerateContent|batchEmbedContents)(\?alt=sse)?$/;

function partProblem(part: unknown, role: string, at: string, calls: string[]): string | undefined {
  if (!isObject(part)) return `${at}: expected an object`;
  const data = DATA.filter((field) => part[field] !== undefined);
  if (data.length !== 1) return `${at}: a part must hold exactly one of ${DATA.join(', ')}`;
  const extra = Object.keys(part).find((key) => !DATA.includes(key) && key !== 'thought' && key !== 'thoughtSignature');
  if (extra) return `${at}: Unknown name "${extra}"`;
  if (part.inlineData !== undefined && !(isObject(part.inlineData) && typeof part.inlineData.mimeType === 'string' && /^[A-Za-z0-9+/]+=*$/.test(String(part.inlineData.data)))) {
    return `${at}.inline_data: mime_type and base64 data are required`;
  }
  if (part.fileData !== undefined && !(isObject(part.fileData) && typeof part.fileData.fileUri === 'string')) return `${at}.file_data.file_uri: required`;
  if (part.functionCall !== undefined) {
    if (role !== 'model') return `${at}: function_call is only allowed in model turns`;
    if (!isObject(part.functionCall) || typeof part.functionCall.name !== 'string' || (part.functionCall.args !== undefined && !isObject(part.functionCall.args))) return `${at}.function_call: invalid`;
  }
  if (part.functionResponse !== undefined) {
    const response = part.functionResponse;
    if (role !== 'user') return `${at}: function_response is only allowed in user turns`;
    if (!isObject(response) || !isObject(response.response)) return `${at}.function_response.response: must be an object`;
    const at2 = calls.indexOf(String(response.name));
    if (at2 === -1) return `${at}: Please ensure that function response turn comes immediately after a function call turn, with matching names.`;
    calls.splice(at2, 1);
  }
  return undefined;
}

function contentsProblem(contents: unknown): string | undefined {
  if (!Array.isArray(contents) || contents.length === 0) return '* GenerateContentRequest.contents: contents is not specified';
  let calls: string[] = [];
  for (const [index, content] of contents.entries()) {
    const at = `contents[${index}]`;
    if (!isObject(content) || (content.role !== 'user' && content.role !== 'model')) return `${at}.role: Please use a valid role: user, model.`;
    if (!Array.isArray(content.parts) || content.parts.length === 0) return `${at}.parts: must not be empty`;
    const open = [...calls];
    for (const [partIndex, part] of content.parts.entries()) {
      const problem = partProblem(part, content.role, `${at}.parts[${partIndex}]`, open);
      if (problem) return problem;
    }
    if (calls.length > 0 && open.length > 0) return `${at}: Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.`;
    calls = content.role === 'model' ? content.parts.flatMap((part) => (isObject(part) && isObject(part.functionCall) ? [String(part.functionCall.name)] : [])) : [];
  }
  return undefined;
}

function toolsProblem(body: Json): string | undefined {
  for (const tool of Array.isArray(body.tools) ? body.tools : []) {
    if (!isObject(tool) || !Array.isArray(tool.functionDeclarations)) return 'tools: expected functionDeclarations';
    for (const declaration of tool.functionDeclarations) {
      if (!isObject(declaration) || typeof declaration.name !== 'string') return 'tools.function_declarations: name is required';
      if (declaration.parameters !== undefined && declaration.parametersJsonSchema !== undefined) return 'tools.function_declarations: parameters and parameters_json_schema are mutually exclusive';
    }
  }
  const mode = (isObject(body.toolConfig) && isObject(body.toolConfig.functionCallingConfig) ? body.toolConfig.functionCallingConfig.mode : undefined) ?? 'AUTO';
  return ['AUTO', 'ANY', 'NONE', 'VALIDATED'].includes(String(mode)) ? undefined : `toolConfig.functionCallingConfig.mode: invalid value ${String(mode)}`;
}

function generateProblem(body: Json): string | undefined {
  const extra = Object.keys(body).find((key) => !FIELDS.has(key));
  if (extra) return `Invalid JSON payload received. Unknown name "${extra}": Cannot find field.`;
  if (body.systemInstruction !== undefined && !(isObject(body.systemInstruction) && Array.isArray(body.systemInstruction.parts))) return 'system_instruction: invalid';
  if (body.generationConfig !== undefined) {
    const unknown = Object.keys(body.generationConfig as Json).find((key) => !CONFIG.has(key));
    if (unknown) return `Invalid JSON payload received. Unknown name "${unknown}" at 'generation_config'`;
  }
  return contentsProblem(body.contents) ?? toolsProblem(body);
}

/**
 * Gemini 3 wants each function call of the current turn (since the last user text) back
 * with the thought signature it came with.
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 */
function signatureProblem(body: Json): string | undefined {
  const contents = body.contents as Array<{ role: string; parts: Json[] }>;
  const turnStart = contents.findLastIndex((content) => content.role === 'user' && content.parts.some((part) => typeof part.text === 'string'));
  for (const [index, content] of contents.entries()) {
    if (index <= turnStart || content.role !== 'model') continue;
    const first = content.parts.find((part) => part.functionCall !== undefined);
    if (first && typeof first.thoughtSignature !== 'string') return `Function call is missing a thought_signature in functionCall parts. Position ${index}.`;
  }
  return undefined;
}

/** The first thing the real API would refuse in `request`, or undefined. */
export function geminiProblem(request: RecordedRequest): string | undefined {
  const match = GEMINI_URL.exec(request.url);
  if (request.method !== 'POST' || !match) return `Not found: ${request.url}`;
  if ((match[2] === 'streamGenerateContent') !== (match[3] !== undefined)) return 'streamGenerateContent needs alt=sse here, and only it';
  if (!request.headers['x-goog-api-key'] || request.headers.authorization) return 'Method doesn\'t allow unregistered callers. Please use an API key in x-goog-api-key.';
  const body = request.json;
  if (!isObject(body)) return 'Invalid JSON payload received.';
  if (match[2] !== 'batchEmbedContents') return generateProblem(body) ?? (decodeURIComponent(match[1]).startsWith('gemini-3') ? signatureProblem(body) : undefined);
  const requests = body.requests;
  if (!Array.isArray(requests) || requests.length === 0) return 'requests: must not be empty';
  const model = `models/${decodeURIComponent(match[1])}`;
  return requests.every((item) => isObject(item) && item.model === model && isObject(item.content) && Array.isArray(item.content.parts))
    ? undefined
    : `requests: each needs model ${model} and content.parts`;
}

/** Wraps `handler` so that invalid requests get Google's 400 instead. */
export function validatingGemini(handler: MockHandler): MockHandler {
  return (request, res, raw) => {
    const problem = geminiProblem(request);
    if (problem) return sendJson(res, 400, { error: { code: 400, message: problem, status: 'INVALID_ARGUMENT' } });
    return handler(request, res, raw);
  };
}

/** One `GenerateContentResponse` holding `parts` from the model. */
export function geminiResponse(parts: Json[], finishReason?: string): Json {
  return {
    candidates: [{ content: { parts, role: 'model' }, index: 0, ...(finishReason ? { finishReason } : {}) }],
    usageMetadata: { promptTokenCount: 7, candidatesTokenCount: 5, totalTokenCount: 12 },
    modelVersion: 'gemini-2.0-flash',
    responseId: 'resp-1',
  };
}

/** Writes one SSE event of a Gemini stream (Google ends its lines with CRLF). */
export const writeGeminiEvent = (res: ServerResponse, body: Json): boolean => res.write(`data: ${JSON.stringify(body)}\r\n\r\n`);
