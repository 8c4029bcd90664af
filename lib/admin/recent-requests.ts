/**
 * The admin console's recent requests: a fixed ring of the last {@link RECENT_CAPACITY}
 * finished requests of this instance, filled by one `RequestListener`. The Requests and
 * Overview pages and the key list's "last used" read it. Each instance keeps its own: behind
 * several instances the pages show the one that served the page.
 *
 * Kept in columns, not as the records: a thousand live records (each a graph of a dozen small
 * objects) outlive V8's young generation and are copied into the old one, which cost about 3%
 * of the gateway's CPU per request under load (measured against a ring that keeps nothing).
 * So a request leaves nothing behind that it allocated: its numbers go into a `Float64Array`,
 * its request id (a UUID) into bytes, its names (method, path, key, chain, provider, model,
 * its one attempt's provider and outcome…) are interned so that the ring points at one
 * shared copy; only what is rare (a chain of several attempts, a request id that is not a
 * UUID, a `traceparent`) is kept as it came. A record is rebuilt when a page asks. Trace
 * content (bodies) is never kept.
 */
import type { AttemptDetail, AttemptOutcome } from '../chain/attempt-log.js';
import type { CacheStatus } from '../request/request-meta.js';
import type { RequestListener, RequestRecord } from '../usage/request-record.js';

/** Records kept, newest win. */
export const RECENT_CAPACITY = 1000;

/** The number columns of a row; `NaN` stands for a field the record does not have. */
const N = {
  at: 0,
  status: 1,
  attempts: 2,
  ttfb: 3,
  duration: 4,
  upstream: 5,
  firstToken: 6,
  input: 7,
  output: 8,
  cacheRead: 9,
  cacheWrite: 10,
  reasoning: 11,
  cost: 12,
  flags: 13,
  attemptStatus: 14,
  attemptStart: 15,
  attemptDuration: 16,
} as const;
const NUMBERS = 17;
/** The string columns of a row. */
const S = {
  id: 0,
  method: 1,
  path: 2,
  operation: 3,
  key: 4,
  chain: 5,
  provider: 6,
  model: 7,
  cache: 8,
  traceparent: 9,
  /** Several attempts: their JSON. One attempt: its provider (the other fields in their own columns). */
  attempts: 10,
  attemptModel: 11,
  attemptError: 12,
  attemptOutcome: 13,
} as const;
const STRINGS = 14;

/** `flags` bits. */
const PARTIAL = 1;
const ESTIMATED = 2;
const UUID_ID = 4;
const ONE_ATTEMPT = 8;
const SEVERAL_ATTEMPTS = 16;
/** `cost`: the model has no price (the record's `null`). */
const UNPRICED = -1;
/** Chain entries are joined with a character no provider or model name holds. */
const CHAIN_SEPARATOR = '\n';
/** How many distinct names are interned before new ones are kept as they come. */
const INTERNED_MAX = 4096;
/**
 * Longer names (a client's path or model may be anything) are kept as they come, only while
 * their request is in the ring: the interned ones stay, at most 4096 × 200 characters.
 */
const INTERNED_LENGTH_MAX = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_BYTES = 16;

const orNaN = (value: number | undefined): number => value ?? Number.NaN;
const orUndefined = (value: number): number | undefined => (Number.isNaN(value) ? undefined : value);

/** The value of a lower-case hex digit's character code (the UUID check ran first). */
const hexValue = (code: number): number => (code <= 0x39 ? code - 0x30 : code - 0x57);

/** A UUID's text from its 16 bytes. */
function uuidText(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The ring. */
export class RecentRequests {
  readonly #numbers: Float64Array;
  readonly #strings: (string | undefined)[];
  readonly #ids: Uint8Array;
  readonly #interned = new Map<string, string>();
  #next = 0;
  #size = 0;

  constructor(readonly capacity = RECENT_CAPACITY) {
    this.#numbers = new Float64Array(capacity * NUMBERS);
    this.#strings = new Array<string | undefined>(capacity * STRINGS);
    this.#ids = new Uint8Array(capacity * UUID_BYTES);
  }

  /** One copy of a name that repeats across requests, so that each request's own copy can die young. */
  #intern(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const known = this.#interned.get(value);
    if (known !== undefined) return known;
    if (this.#interned.size < INTERNED_MAX && value.length <= INTERNED_LENGTH_MAX) this.#interned.set(value, value);
    return value;
  }

  /** Keeps `id` as 16 bytes when it is a UUID (the gateway's own ids); returns whether it was. */
  #keepId(slot: number, id: string): boolean {
    if (id.length !== 36 || !UUID.test(id)) return false;
    const at = slot * UUID_BYTES;
    for (let byte = 0, char = 0; byte < UUID_BYTES; byte += 1, char += 2) {
      if (char === 8 || char === 13 || char === 18 || char === 23) char += 1;
      this.#ids[at + byte] = (hexValue(id.charCodeAt(char)) << 4) | hexValue(id.charCodeAt(char + 1));
    }
    return true;
  }

  /** The listener to add to `gateway.listeners`: O(1), never throws. Health probes are not kept. */
  readonly listener: RequestListener = (record) => {
    if (record.path === '/health') return;
    const slot = this.#next;
    const numbers = this.#numbers;
    const row = slot * NUMBERS;
    const strings = this.#strings;
    const at = slot * STRINGS;
    const usage = record.usage;
    let flags = (usage?.partial ? PARTIAL : 0) | (usage?.estimated ? ESTIMATED : 0);
    if (this.#keepId(slot, record.id)) {
      flags |= UUID_ID;
      strings[at + S.id] = undefined;
    } else strings[at + S.id] = record.id;
    numbers[row + N.at] = record.at;
    numbers[row + N.status] = record.status;
    numbers[row + N.attempts] = record.attempts;
    numbers[row + N.ttfb] = record.ttfb_ms;
    numbers[row + N.duration] = record.duration_ms;
    numbers[row + N.upstream] = orNaN(record.upstream_ms);
    numbers[row + N.firstToken] = orNaN(record.first_token_ms);
    numbers[row + N.input] = usage ? usage.input_tokens : Number.NaN;
    numbers[row + N.output] = usage ? usage.output_tokens : 0;
    numbers[row + N.cacheRead] = usage ? usage.cache_read_tokens : 0;
    numbers[row + N.cacheWrite] = usage ? usage.cache_write_tokens : 0;
    numbers[row + N.reasoning] = usage ? usage.reasoning_tokens : 0;
    numbers[row + N.cost] = record.cost_usd === null ? UNPRICED : orNaN(record.cost_usd);
    strings[at + S.method] = this.#intern(record.method);
    strings[at + S.path] = this.#intern(record.path);
    strings[at + S.operation] = this.#intern(record.operation);
    strings[at + S.key] = this.#intern(record.key);
    strings[at + S.chain] = record.chain === undefined ? undefined : this.#intern(record.chain.join(CHAIN_SEPARATOR));
    strings[at + S.provider] = this.#intern(record.provider);
    strings[at + S.model] = this.#intern(record.model);
    strings[at + S.cache] = this.#intern(record.cache);
    strings[at + S.traceparent] = record.traceparent;
    const details = record.attempt_details;
    if (details?.length === 1) {
      const [one] = details;
      flags |= ONE_ATTEMPT;
      strings[at + S.attempts] = this.#intern(one.provider);
      strings[at + S.attemptModel] = this.#intern(one.model);
      strings[at + S.attemptError] = this.#intern(one.error);
      strings[at + S.attemptOutcome] = this.#intern(one.outcome);
      numbers[row + N.attemptStatus] = orNaN(one.status);
      numbers[row + N.attemptStart] = one.start_ms;
      numbers[row + N.attemptDuration] = one.duration_ms;
    } else if (details !== undefined) {
      flags |= SEVERAL_ATTEMPTS;
      strings[at + S.attempts] = JSON.stringify(details);
    } else strings[at + S.attempts] = undefined;
    numbers[row + N.flags] = flags;
    this.#next = (slot + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size += 1;
  };

  /** How many records are held. */
  get size(): number {
    return this.#size;
  }

  /** The attempts of the record in `slot`, rebuilt. */
  #attempts(slot: number, flags: number): AttemptDetail[] | undefined {
    const numbers = this.#numbers;
    const row = slot * NUMBERS;
    const strings = this.#strings;
    const at = slot * STRINGS;
    if (flags & SEVERAL_ATTEMPTS) return JSON.parse(strings[at + S.attempts] as string) as AttemptDetail[];
    if (!(flags & ONE_ATTEMPT)) return undefined;
    const model = strings[at + S.attemptModel];
    const status = orUndefined(numbers[row + N.attemptStatus]);
    const error = strings[at + S.attemptError];
    const detail: AttemptDetail = { provider: strings[at + S.attempts] as string, outcome: strings[at + S.attemptOutcome] as AttemptOutcome, start_ms: 0, duration_ms: 0 };
    if (model !== undefined) detail.model = model;
    if (status !== undefined) detail.status = status;
    if (error !== undefined) detail.error = error;
    detail.start_ms = numbers[row + N.attemptStart];
    detail.duration_ms = numbers[row + N.attemptDuration];
    return [detail];
  }

  /** The record in `slot`, rebuilt. */
  #record(slot: number): RequestRecord {
    const numbers = this.#numbers;
    const row = slot * NUMBERS;
    const strings = this.#strings;
    const at = slot * STRINGS;
    const flags = numbers[row + N.flags];
    const record: RequestRecord = {
      id: flags & UUID_ID ? uuidText(this.#ids.subarray(slot * UUID_BYTES, (slot + 1) * UUID_BYTES)) : (strings[at + S.id] as string),
      at: numbers[row + N.at],
      method: strings[at + S.method] as string,
      path: strings[at + S.path] as string,
      status: numbers[row + N.status],
      attempts: numbers[row + N.attempts],
      ttfb_ms: numbers[row + N.ttfb],
      duration_ms: numbers[row + N.duration],
    };
    const optional: Partial<RequestRecord> = {
      operation: strings[at + S.operation],
      key: strings[at + S.key],
      chain: strings[at + S.chain]?.split(CHAIN_SEPARATOR),
      provider: strings[at + S.provider],
      model: strings[at + S.model],
      cache: strings[at + S.cache] as CacheStatus | undefined,
      attempt_details: this.#attempts(slot, flags),
      upstream_ms: orUndefined(numbers[row + N.upstream]),
      first_token_ms: orUndefined(numbers[row + N.firstToken]),
      traceparent: strings[at + S.traceparent],
    };
    if (!Number.isNaN(numbers[row + N.input])) {
      optional.usage = {
        input_tokens: numbers[row + N.input],
        output_tokens: numbers[row + N.output],
        cache_read_tokens: numbers[row + N.cacheRead],
        cache_write_tokens: numbers[row + N.cacheWrite],
        reasoning_tokens: numbers[row + N.reasoning],
        ...(flags & PARTIAL ? { partial: true } : {}),
        ...(flags & ESTIMATED ? { estimated: true } : {}),
      };
    }
    const cost = numbers[row + N.cost];
    if (cost === UNPRICED) optional.cost_usd = null;
    else if (!Number.isNaN(cost)) optional.cost_usd = cost;
    for (const [name, value] of Object.entries(optional)) if (value !== undefined) (record as unknown as Record<string, unknown>)[name] = value;
    return record;
  }

  /** Every record held, newest first. */
  list(): RequestRecord[] {
    const records: RequestRecord[] = [];
    for (let index = 1; index <= this.#size; index += 1) records.push(this.#record((this.#next - index + this.capacity) % this.capacity));
    return records;
  }
}
