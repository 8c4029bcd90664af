/**
 * The circuit breakers' state shared between instances (`store/redis/redis-circuit-sync.ts`),
 * so that a provider that keeps failing on one instance is skipped by all of them until its
 * cooldown ends, and after it one trial request goes out across the fleet, not one per
 * instance. Each instance still counts its own failures in a row and decides in process;
 * only the moments that change a circuit (it opens, it closes, a trial is claimed) touch the
 * store, so a request to a healthy provider never waits on it.
 */

/** What claiming the trial after a cooldown found. */
export type TrialClaim =
  /** This instance sends the one trial request. */
  | { state: 'trial' }
  /** Another instance's trial is in flight: skip the provider for now. */
  | { state: 'wait' }
  /** Another instance's trial succeeded, or the circuit was never shared: the provider is up. */
  | { state: 'closed' }
  /** Another instance's trial failed: open again until `untilMs` (ms since the epoch). */
  | { state: 'open'; untilMs: number };

/** What another instance changed. */
export interface CircuitEvents {
  opened(provider: string, untilMs: number): void;
  closed(provider: string): void;
}

/** The shared side of the breakers. `opened`, `closed` and `releaseTrial` never throw and never make a request wait. */
export interface CircuitSync {
  /** Tells every instance that `provider`'s circuit is open until `untilMs` (ms since the epoch). */
  opened(provider: string, untilMs: number): void;
  /** Tells every instance that `provider` answered again (a trial succeeded). */
  closed(provider: string): void;
  /**
   * Claims the fleet's one trial request for `provider`, whose cooldown ended at `nowMs`.
   * @throws StoreUnavailableError when the store cannot answer (the breaker then decides alone)
   */
  claimTrial(provider: string, nowMs: number): Promise<TrialClaim>;
  /** Gives back a trial claim that ended without telling anything (the client left). */
  releaseTrial(provider: string): void;
  /** Delivers other instances' changes, and the whole shared state again after each (re)connection. */
  listen(events: CircuitEvents): void;
}
