/**
 * Fills a request's `meta` from its chain run: who answered, with which model, after
 * how many upstream requests, and the token usage (read from the body of a plain answer,
 * from the stream's own events when it ends for a streamed one).
 */
import type { CachedAnswer } from '../cache/cache-store.js';
import { upstreamRequests } from '../chain/failures.js';
import type { ChainOutcome } from '../chain/run-chain.js';
import { GatewayError } from '../errors.js';
import { usageFromBody } from '../formats/body-usage.js';
import type { StreamState } from '../formats/stream-format.js';
import type { Pricer } from '../pricing/pricer.js';
import type { RequestMeta } from '../request/request-meta.js';
import { streamEndUsage } from '../usage/arrived-output.js';

/** The hooks for one chain run. */
export interface ChainObserver {
  /** `ChainRequest.onStreamEnd`. */
  onStreamEnd(state: StreamState): void;
  /** Records a settled run; returns it unchanged. */
  settled(outcome: ChainOutcome): ChainOutcome;
  /** Records a failed run (the attempts its error lists); rethrows the error. */
  failed(error: unknown): never;
  /**
   * Records an answer served from the cache: no upstream request, so no usage of its own
   * (none to log, none to charge); returns it unchanged.
   */
  servedFromCache(answer: CachedAnswer): CachedAnswer;
}

/**
 * Creates the hooks that record one chain run into `meta`.
 * @param estimateInput the request's input tokens, estimated, for a stream whose provider reported no usage
 */
export function observeChain(meta: RequestMeta, pricer?: Pricer, estimateInput?: () => number): ChainObserver {
  const price = () => {
    if (meta.usage && pricer && meta.provider !== undefined) meta.cost_usd = pricer.cost(meta.provider, meta.model, meta.usage);
  };
  // The promise a stream's end settles is made only for streams (most answers are not).
  let markEnded: (() => void) | undefined;
  let endedEarly = false;
  return {
    onStreamEnd(state) {
      // A stream that broke or that the client left counts what arrived; one without its provider's usage, an estimate.
      const cut = state.error !== undefined || !state.finished;
      meta.usage = cut || state.usage === undefined ? streamEndUsage(state.usage, state.arrived, cut, estimateInput) : state.usage;
      meta.stream_ended_at = performance.now();
      price();
      if (markEnded) markEnded();
      else endedEarly = true;
    },
    settled(outcome) {
      meta.provider = outcome.provider;
      meta.model = outcome.model;
      meta.attempts = outcome.attempts;
      const { result } = outcome;
      if (result.kind === 'answer' && result.streamed) {
        // A stream that ended before this point is priced now that its provider is known.
        if (endedEarly) price();
        meta.ended = endedEarly ? Promise.resolve() : new Promise<void>((resolve) => (markEnded = resolve));
      } else if (result.kind === 'answer' && result.body instanceof Uint8Array) {
        meta.usage = usageFromBody(result.body);
        price();
      }
      if (meta.content && result.body instanceof Uint8Array) meta.content.response = result.body;
      return outcome;
    },
    servedFromCache(answer) {
      meta.provider = answer.provider;
      meta.attempts = 0;
      return answer;
    },
    failed(error) {
      const attempts = error instanceof GatewayError ? error.extra?.attempts : undefined;
      if (Array.isArray(attempts)) meta.attempts = upstreamRequests(attempts as { skipped?: unknown }[]);
      throw error;
    },
  };
}
