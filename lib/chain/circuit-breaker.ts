/**
 * A circuit breaker per provider: after `failures` failed attempts in a row the provider
 * is skipped for `cooldownMs`; then one request is let through as a trial, whose result
 * closes the circuit again or reopens it for another cooldown.
 *
 * With a shared store (`circuit-sync.ts`) an instance also learns when another one opened or
 * closed a circuit, and the trial after a cooldown is claimed once for the whole fleet. When
 * the store cannot answer, each instance decides alone, as without one.
 */
import type { CircuitSync } from './circuit-sync.js';

interface Circuit {
  /** Failed attempts in a row. */
  failures: number;
  /** While `now()` is below this, the circuit is open. */
  openUntil: number;
  /** True while the one trial request after a cooldown is in flight (or being claimed). */
  trial: boolean;
  /** Another instance's trial is in flight: ask the store again only after this time. */
  askAgainAt: number;
}

/** How long an instance skips a provider whose trial runs elsewhere before asking again, in ms. */
const TRIAL_ELSEWHERE_MS = 1000;

/** The breaker's state for every provider. Time is read from `now()` in ms since the epoch. */
export class CircuitBreaker {
  private readonly circuits = new Map<string, Circuit>();

  constructor(
    private readonly failures: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
    private readonly sync?: CircuitSync,
  ) {
    sync?.listen({
      opened: (provider, untilMs) => {
        const circuit = this.circuit(provider);
        circuit.failures = Math.max(circuit.failures, this.failures);
        circuit.openUntil = Math.max(circuit.openUntil, untilMs);
      },
      closed: (provider) => {
        const circuit = this.circuits.get(provider);
        // A trial of this instance's own still decides for itself.
        if (circuit !== undefined && !circuit.trial) this.circuits.delete(provider);
      },
    });
  }

  private circuit(provider: string): Circuit {
    let circuit = this.circuits.get(provider);
    if (circuit === undefined) {
      circuit = { failures: 0, openUntil: 0, trial: false, askAgainAt: 0 };
      this.circuits.set(provider, circuit);
    }
    return circuit;
  }

  /** True while the provider is cooling down or its one trial request is in flight. */
  isOpen(provider: string): boolean {
    const circuit = this.circuits.get(provider);
    if (circuit === undefined || circuit.failures < this.failures) return false;
    return this.now() < circuit.openUntil || circuit.trial;
  }

  /**
   * The provider's circuit as metrics show it: `closed`; `open` while it cools down;
   * `half_open` once the cooldown is over (the next request is its trial) or while the trial is in flight.
   */
  state(provider: string): 'closed' | 'open' | 'half_open' {
    const circuit = this.circuits.get(provider);
    if (circuit === undefined || circuit.failures < this.failures) return 'closed';
    if (circuit.trial) return 'half_open';
    return this.now() < circuit.openUntil ? 'open' : 'half_open';
  }

  /**
   * Claims the right to send one request. False when the circuit is open; after a
   * cooldown the first claim (across the fleet, with a shared store) becomes the trial and
   * later ones wait for its result.
   */
  async claim(provider: string): Promise<boolean> {
    const circuit = this.circuits.get(provider);
    if (circuit === undefined || circuit.failures < this.failures) return true;
    const now = this.now();
    if (now < circuit.openUntil || circuit.trial || now < circuit.askAgainAt) return false;
    circuit.trial = true;
    if (this.sync === undefined) return true;
    let claim;
    try {
      claim = await this.sync.claimTrial(provider, now);
    } catch {
      // The store cannot answer: this instance's trial, as without one.
      return true;
    }
    if (claim.state === 'trial') return true;
    if (claim.state === 'closed') {
      this.circuits.delete(provider);
      return true;
    }
    circuit.trial = false;
    if (claim.state === 'open') circuit.openUntil = Math.max(circuit.openUntil, claim.untilMs);
    else circuit.askAgainAt = now + TRIAL_ELSEWHERE_MS;
    return false;
  }

  /** Records an answer that shows the provider is up (any non-retryable outcome). */
  success(provider: string): void {
    const circuit = this.circuits.get(provider);
    if (circuit === undefined) return;
    this.circuits.delete(provider);
    // Only a circuit that was open tells the others; a count of failures below the
    // threshold was never shared.
    if (circuit.failures >= this.failures) this.sync?.closed(provider);
  }

  /** Records a failed attempt (5xx, 429, network error, timeout). */
  failure(provider: string): void {
    const circuit = this.circuit(provider);
    circuit.failures += 1;
    if (circuit.trial || circuit.failures >= this.failures) {
      circuit.trial = false;
      circuit.openUntil = this.now() + this.cooldownMs;
      this.sync?.opened(provider, circuit.openUntil);
    }
  }

  /** Gives back a trial claim that ended without telling anything (the client left). */
  release(provider: string): void {
    const circuit = this.circuits.get(provider);
    if (circuit === undefined || !circuit.trial) return;
    circuit.trial = false;
    this.sync?.releaseTrial(provider);
  }
}
