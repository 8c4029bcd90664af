/**
 * `GET /v1/models`: without a chosen provider, the models of every provider that has a
 * key this request may use (or needs none), ids as `provider/model`, each provider asked with a short timeout
 * so that one provider's failure never fails the list. With a provider chosen (header or
 * `/{provider}/v1/models`), that provider's list with its own ids, so that an SDK pointed
 * at `/groq/v1` sees what Groq itself would answer, errors included.
 *
 * @see https://platform.openai.com/docs/api-reference/models/list
 */
import type { Context } from 'hono';
import { credentialSource, keysFor } from '../chain/credentials.js';
import { noUsableKey, skipReason } from '../chain/usable-key.js';
import { GatewayError } from '../errors.js';
import { listableProviders } from '../keys/check-access.js';
import type { Gateway, GatewayEnv } from '../gateway.js';
import type { ModelEntry, Provider } from '../providers/types.js';
import { resolveChain } from '../routing/resolve-chain.js';
import { clientSignal } from '../request/client-signal.js';
import { returnedHeaders } from '../upstream/headers.js';
import { boundedSignal } from '../upstream/bounded-signal.js';
import type { CancelSignal } from '../upstream/cancel-signal.js';
import { openUpstream } from '../upstream/open-upstream.js';
import { clientKeys, masterKeyTest } from './client-keys.js';

type Listing = { ok: true; models: ModelEntry[] } | { ok: false; status: number; headers: Record<string, string>; body: Uint8Array };

async function fetchModels(provider: Provider, apiKey: string | undefined, signal: CancelSignal): Promise<Listing> {
  const response = await openUpstream(provider.buildModelsRequest(apiKey), signal, provider.config.name);
  const raw = await response.body.bytes();
  if (response.status !== 200) {
    const body = provider.convertModelsError?.(response.status, raw) ?? raw;
    return { ok: false, status: response.status >= 300 && response.status < 400 ? 502 : response.status, headers: returnedHeaders(response.headers), body };
  }
  try {
    return { ok: true, models: provider.parseModels(JSON.parse(Buffer.from(raw).toString('utf8'))) };
  } catch {
    throw new GatewayError({ status: 502, message: `Provider ${provider.config.name} sent a models list that is not JSON`, code: 'invalid_upstream_response' });
  }
}

const entry = (model: ModelEntry, owner: string, id = model.id): ModelEntry => ({
  ...model,
  id,
  object: 'model',
  created: typeof model.created === 'number' ? model.created : 0,
  owned_by: typeof model.owned_by === 'string' ? model.owned_by : owner,
});

/**
 * Answers a models list request.
 * @throws GatewayError 400 for an unknown provider, 403 for one the gateway key may not list,
 *   502/504 when a chosen provider cannot be reached
 */
export async function listModels(
  gateway: Gateway,
  c: Context<GatewayEnv>,
  chosen: { pathProvider?: string; header?: string },
): Promise<Response> {
  const explicit = chosen.pathProvider !== undefined || Boolean(chosen.header?.trim());
  const candidates = explicit
    ? [...new Set(resolveChain({ ...chosen, defaultProvider: gateway.config.defaultProvider, known: gateway.known, defaultOwnsPrefixedModels: gateway.defaultOwnsPrefixedModels }).map((e) => e.provider))]
    : [...gateway.known];
  const grant = c.get('grant');
  const names = grant ? listableProviders(grant, candidates, explicit) : candidates;
  await c.var.admit?.();
  const { headers } = c.get('meta');
  const keys = clientKeys(c, masterKeyTest(gateway));
  const first = explicit ? names[0] : gateway.config.defaultProvider;
  const client = clientSignal(c);
  const bounded = async (provider: Provider, apiKey: string | undefined) => {
    const { signal, done } = boundedSignal(client, gateway.config.modelsTimeoutMs);
    try {
      return await fetchModels(provider, apiKey, signal);
    } finally {
      done();
    }
  };

  const environmentKeys = gateway.lendsKeys((name) => c.req.header(name));
  const unusable = (provider: Provider) => skipReason(provider.config, credentialSource(provider.config, first, keys), environmentKeys);

  if (explicit && names.length === 1) {
    const provider = gateway.providers.get(names[0]) as Provider;
    const reason = unusable(provider);
    if (reason !== undefined) throw noUsableKey([{ provider: names[0], skipped: reason }], first);
    const listing = await bounded(provider, keysFor(provider.config, first, keys, gateway.keyRotation)[0]).catch((error: unknown) => {
      if (error instanceof DOMException && error.name === 'TimeoutError') {
        throw new GatewayError({ status: 504, message: `Provider ${names[0]} did not list its models in time`, code: 'upstream_timeout' });
      }
      throw error;
    });
    if (!listing.ok) {
      return new Response(listing.body as BodyInit, { status: listing.status, headers: { ...listing.headers, ...headers, 'x-request-id': c.get('requestId') } });
    }
    return c.json({ object: 'list', data: listing.models.map((model) => entry(model, names[0])) }, 200, headers);
  }

  const lists = await Promise.all(
    names.map(async (name) => {
      const provider = gateway.providers.get(name) as Provider;
      // Only providers with a key this request may use (or that need none) are asked.
      if (unusable(provider) !== undefined) return [];
      const apiKey = keysFor(provider.config, first, keys, gateway.keyRotation)[0];
      // One provider down, slow or refusing the key leaves only its own models out.
      const listing = await bounded(provider, apiKey).catch(() => undefined);
      return listing?.ok ? listing.models.map((model) => entry(model, name, `${name}/${model.id}`)) : [];
    }),
  );
  return c.json({ object: 'list', data: lists.flat() }, 200, headers);
}
