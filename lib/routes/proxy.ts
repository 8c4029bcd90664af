/**
 * The handler behind every `/v1/*` and `/{provider}/v1/*` path: reads and checks the
 * request, resolves its chain, runs it, and writes the answer with the gateway's headers.
 */
import type { Context } from 'hono';
import { cachePolicy } from '../cache/cache-policy.js';
import { clientSignal } from '../request/client-signal.js';
import { cacheKey } from '../cache/cache-key.js';
import { runChain, type ChainRequest } from '../chain/run-chain.js';
import type { Gateway, GatewayEnv } from '../gateway.js';
import { checkAccess } from '../keys/check-access.js';
import { gatewayOverrides } from '../request/gateway-headers.js';
import { operationFor, operationSpec } from '../operations/table.js';
import { parseJsonBody } from '../request/read-json-body.js';
import { readBody } from '../request/read-body.js';
import { v1Path } from '../request/raw-path.js';
import { validateJsonRequest } from '../request/validate-json-request.js';
import { resolveChain } from '../routing/resolve-chain.js';
import { clientKeys, masterKeyTest } from './client-keys.js';
import { listModels } from './models.js';
import { observeChain } from './observe-chain.js';
import { askStreamUsage } from '../usage/ask-stream-usage.js';
import { estimateBodyTokens } from '../usage/arrived-output.js';
import { estimatedTokenCount } from './count-tokens.js';
import { cachedResponse, gatewayHeaders, outcomeResponse } from './respond.js';
import { prepareTurn, storeAnswer, storeStreamed } from './responses-turn.js';
import { isStoredResponsesRoute, storedResponses } from './stored-responses.js';

/**
 * Serves one request.
 * @param pathProvider the `{provider}` of a `/{provider}/v1/*` path
 * @throws GatewayError for the client's mistakes (4xx) and when no provider could answer
 */
export async function proxy(gateway: Gateway, c: Context<GatewayEnv>, pathProvider?: string): Promise<Response> {
  const target = v1Path(c.req.url, pathProvider !== undefined);
  const method = c.req.method;
  // `/v1/responses/` is `/v1/responses`: a trailing slash must not turn an endpoint into a passthrough.
  const trimmed = target.path.length > 1 && target.path.endsWith('/') ? target.path.slice(0, -1) : target.path;
  const operation = operationFor(method, trimmed);
  c.get('meta').operation = operation;
  const path = operation === 'passthrough' && !isStoredResponsesRoute(method, trimmed) ? target.path : trimmed;
  const { query } = target;
  const read = (name: string) => c.req.header(name);
  const header = read('x-provider');
  if (operation === 'models') return listModels(gateway, c, { pathProvider, header });
  if (isStoredResponsesRoute(method, path)) {
    const grant = c.get('grant');
    if (grant) checkAccess(grant, method, path, [{ provider: pathProvider ?? gateway.config.defaultProvider }], undefined);
    return storedResponses(gateway, c, path, gatewayHeaders(c.get('meta'), c.get('requestId')));
  }

  const raw = await readBody(c, gateway.config.maxBodyBytes);
  const parsed = operation === 'passthrough' ? undefined : parseJsonBody(raw);
  const bodyModel = parsed?.body.model;
  const chain = resolveChain({
    defaultOwnsPrefixedModels: gateway.defaultOwnsPrefixedModels,
    pathProvider,
    header,
    model: typeof bodyModel === 'string' ? bodyModel : undefined,
    defaultProvider: gateway.config.defaultProvider,
    known: gateway.known,
  });
  const meta = c.get('meta');
  if (gateway.tracing) {
    meta.traceparent = read('traceparent');
    meta.content = gateway.tracing.content && parsed ? { request: parsed.body } : {};
  }
  meta.chain = chain.map((entry) => (entry.model === undefined ? entry.provider : `${entry.provider}/${entry.model}`));
  const grant = c.get('grant');
  if (grant) checkAccess(grant, method, path, chain, typeof bodyModel === 'string' ? bodyModel : undefined);
  // Counted only now: a request refused for its scope never uses up one of its key's requests.
  await c.var.admit?.();
  const { stream } = parsed
    ? validateJsonRequest(operation, parsed.body, chain, read('accept'))
    : { stream: false };
  if (operation === 'count_tokens' && !chain.some((entry) => gateway.providers.get(entry.provider)?.operations[operation])) {
    return estimatedTokenCount(parsed?.body ?? {}, gatewayHeaders(meta, c.get('requestId')));
  }
  const body = parsed?.body;
  const observer = observeChain(meta, gateway.pricer, body === undefined ? undefined : () => estimateBodyTokens(body));
  // The stream's usage, asked for the client when it did not ask (and left out of its stream).
  const asked = askStreamUsage(operation, stream, parsed?.body, parsed?.raw);
  const requestId = c.get('requestId');
  const prepared = operation === 'responses' && parsed ? await prepareTurn(gateway, c, parsed.body) : undefined;
  const request: ChainRequest = {
    operation,
    method,
    subpath: path + query,
    body: asked?.body ?? parsed?.body,
    rawBody: asked?.rawBody ?? (parsed ? parsed.raw : raw.byteLength > 0 ? raw : undefined),
    stream,
    chain,
    keys: clientKeys(c, masterKeyTest(gateway)),
    environmentKeys: gateway.lendsKeys(read),
    readHeader: read,
    signal: clientSignal(c),
    ...gatewayOverrides(read, gateway.config),
    format: asked?.format ?? operationSpec(operation).streamFormat,
    onStreamEnd: observer.onStreamEnd,
    attemptLog: (meta.attempt_log = []),
    ...(prepared ? { turn: prepared.turn, beforeStreamFinish: storeStreamed(gateway, prepared, requestId) } : {}),
  };
  const run = async () => {
    const outcome = await runChain(gateway, request).then(observer.settled, observer.failed);
    if (prepared) await storeAnswer(gateway, prepared, outcome, requestId);
    return outcome;
  };
  const { cache } = gateway;
  const directives = cache && !stream && parsed ? cachePolicy(gateway.config.cache.mode, operation, read('cache-control')) : undefined;
  if (cache === undefined || directives === undefined || parsed === undefined) {
    return outcomeResponse(await run(), requestId, 'BYPASS', meta);
  }
  // The verdict if the chain fails (an answer's own response sets it again).
  meta.cache = directives.lookup ? 'MISS' : 'BYPASS';
  const key = cacheKey({ read, chain, labels: meta.chain, path: request.subpath, body: parsed.body });
  const served = await cache.serve(key, directives, run, request.timeoutMs);
  if ('hit' in served) return cachedResponse(observer.servedFromCache(served.hit), requestId, cache.now(), meta);
  return outcomeResponse(served.outcome, requestId, directives.lookup ? 'MISS' : 'BYPASS', meta);
}
