/**
 * Single flight across instances: identical requests on two instances make one upstream
 * call. Before calling upstream, an instance takes a short lock on the cache key; an instance
 * that finds it taken waits for the answer to be written (woken when the lock is released),
 * and makes its own call when the holder's call failed, the holder died (the lock expires)
 * or the wait passed its bound. Within one instance the response cache shares a call
 * without any lock. Only a shared store has locks.
 */

/** A held lock; kept alive while the call runs. */
export interface FlightLease {
  /** Releases the lock and wakes the instances waiting on it. Never throws. */
  release(): Promise<void>;
}

/** The locks of a shared store. */
export interface FlightLocks {
  /**
   * Takes the lock on `key`.
   * @returns a lease, or undefined when another instance holds it
   * @throws StoreUnavailableError when the store cannot answer
   */
  acquire(key: string): Promise<FlightLease | undefined>;
  /** Resolves when the lock on `key` is released, or after `ms` at the latest. Never throws. */
  released(key: string, ms: number): Promise<void>;
}
