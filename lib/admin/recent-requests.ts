/**
 * The admin console's recent requests: a fixed ring of the last {@link RECENT_CAPACITY}
 * finished requests of this instance, filled by one `RequestListener` (a copy of the record
 * without its trace content, and an array write, per request; nothing else on the proxy's
 * path). The trace content a record carries while traces are on (bodies) is never kept. The Requests and Overview pages, and until the
 * spend store is merged the usage adapter (`usage-source.ts`), read it. Each instance keeps
 * its own: behind several instances the pages show the one that served the page.
 */
import type { RequestListener, RequestRecord } from '../usage/request-record.js';

/** Records kept, newest win. */
export const RECENT_CAPACITY = 1000;

/** The ring. */
export class RecentRequests {
  readonly #ring: (RequestRecord | undefined)[];
  #next = 0;
  #size = 0;

  constructor(readonly capacity = RECENT_CAPACITY) {
    this.#ring = new Array<RequestRecord | undefined>(capacity);
  }

  /** The listener to add to `gateway.listeners`: O(1), never throws. Health probes are not kept. */
  readonly listener: RequestListener = (record) => {
    if (record.path === '/health') return;
    if (record.content === undefined) this.#ring[this.#next] = record;
    else {
      const { content: _content, ...kept } = record;
      this.#ring[this.#next] = kept;
    }
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size += 1;
  };

  /** How many records are held. */
  get size(): number {
    return this.#size;
  }

  /** Every record held, newest first. */
  list(): RequestRecord[] {
    const records: RequestRecord[] = [];
    for (let index = 1; index <= this.#size; index += 1) {
      records.push(this.#ring[(this.#next - index + this.capacity) % this.capacity] as RequestRecord);
    }
    return records;
  }
}
