/**
 * A circuit breaker per provider: after `failures` failed attempts in a row the provider
 * is skipped for `cooldownMs`; then one request is let through as a trial, whose result
 * closes the circuit again or reopens it for another cooldown.
 */

interface Circuit {
  /** Failed attempts in a row. */
  failures: number;
  /** While `Date.now()` is below this, the circuit is open. */
  openUntil: number;
  /** True while the one trial request after a cooldown is in flight. */
  trial: boolean;
}

/** The breaker's state for every provider. Time is read from `now()` in ms. */
export class CircuitBreaker {
  private readonly circuits = new Map<string, Circuit>();

  constructor(
    private readonly failures: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private circuit(provider: string): Circuit {
    let circuit = this.circuits.get(provider);
    if (circuit === undefined) {
      circuit = { failures: 0, openUntil: 0, trial: false };
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
   * Claims the right to send one request. False when the circuit is open; after a
   * cooldown the first claim becomes the trial and later ones wait for its result.
   */
  claim(provider: string): boolean {
    const circuit = this.circuits.get(provider);
    if (circuit === undefined || circuit.failures < this.failures) return true;
    if (this.now() < circuit.openUntil || circuit.trial) return false;
    circuit.trial = true;
    return true;
  }

  /** Records an answer that shows the provider is up (any non-retryable outcome). */
  success(provider: string): void {
    this.circuits.delete(provider);
  }

  /** Records a failed attempt (5xx, 429, network error, timeout). */
  failure(provider: string): void {
    const circuit = this.circuit(provider);
    circuit.failures += 1;
    if (circuit.trial || circuit.failures >= this.failures) {
      circuit.trial = false;
      circuit.openUntil = this.now() + this.cooldownMs;
    }
  }

  /** Gives back a trial claim that ended without telling anything (the client left). */
  release(provider: string): void {
    const circuit = this.circuits.get(provider);
    if (circuit !== undefined) circuit.trial = false;
  }
}
