/**
 * The circuit breakers' shared state in Redis (`chain/circuit-sync.ts`): a hash
 * `<prefix>circuits` of provider → open until (ms since the epoch), a trial lock per provider
 * `<prefix>circuit-trial:<provider>` that expires with the attempt bound (a trial whose
 * instance died frees it), and messages on `<prefix>circuits` (`open <provider> <until>`,
 * `close <provider>`) that tell every instance at once. After each (re)connection an instance
 * reads the whole hash, so one that started late or missed messages catches up.
 */
import { randomUUID } from 'node:crypto';
import type { CircuitEvents, CircuitSync, TrialClaim } from '../../chain/circuit-sync.js';
import { luaScript, runScript, type RedisConnection } from './redis-connection.js';

/** KEYS: hash, trial lock. ARGV: provider, until, channel. */
const OPEN = luaScript(`
local open_until = math.max(tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0'), tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], ARGV[1], string.format('%d', open_until))
redis.call('DEL', KEYS[2])
redis.call('PUBLISH', ARGV[3], 'open ' .. ARGV[1] .. ' ' .. string.format('%d', open_until))
return open_until
`);

/** KEYS: hash, trial lock. ARGV: provider, channel. */
const CLOSE = luaScript(`
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
redis.call('PUBLISH', ARGV[2], 'close ' .. ARGV[1])
return 1
`);

/** KEYS: hash, trial lock. ARGV: provider, now, token, lock ttl. Returns {state, until}: 0 closed, 1 trial, 2 wait, 3 open. */
const CLAIM = luaScript(`
local open_until = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if open_until == 0 then return {0, 0} end
if open_until > tonumber(ARGV[2]) then return {3, open_until} end
if redis.call('SET', KEYS[2], ARGV[3], 'NX', 'PX', ARGV[4]) then return {1, 0} end
return {2, 0}
`);

/** KEYS: trial lock. ARGV: token. */
const RELEASE = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** The shared breakers. */
export class RedisCircuitSync implements CircuitSync {
  readonly #hash: string;
  readonly #channel: string;
  /** The token of each trial this instance holds. */
  readonly #trials = new Map<string, string>();

  /** @param trialTtlMs how long a trial lock outlives an instance that died holding it (the attempt bound), in ms */
  constructor(
    private readonly connection: RedisConnection,
    private readonly prefix: string,
    private readonly trialTtlMs: number,
  ) {
    this.#hash = `${prefix}circuits`;
    this.#channel = `${prefix}circuits`;
  }

  #lock(provider: string): string {
    return `${this.prefix}circuit-trial:${provider}`;
  }

  opened(provider: string, untilMs: number): void {
    this.#trials.delete(provider);
    const args = [provider, String(Math.ceil(untilMs)), this.#channel];
    this.connection.run((client) => runScript(client, OPEN, [this.#hash, this.#lock(provider)], args)).catch(() => undefined);
  }

  closed(provider: string): void {
    this.#trials.delete(provider);
    this.connection.run((client) => runScript(client, CLOSE, [this.#hash, this.#lock(provider)], [provider, this.#channel])).catch(() => undefined);
  }

  async claimTrial(provider: string, nowMs: number): Promise<TrialClaim> {
    const token = randomUUID();
    const args = [provider, String(Math.floor(nowMs)), token, String(this.trialTtlMs)];
    const reply = (await this.connection.run((client) => runScript(client, CLAIM, [this.#hash, this.#lock(provider)], args))) as number[];
    const [state, until] = reply.map(Number);
    if (state === 1) {
      this.#trials.set(provider, token);
      return { state: 'trial' };
    }
    if (state === 3) return { state: 'open', untilMs: until };
    return { state: state === 2 ? 'wait' : 'closed' };
  }

  releaseTrial(provider: string): void {
    const token = this.#trials.get(provider);
    if (token === undefined) return;
    this.#trials.delete(provider);
    this.connection.run((client) => runScript(client, RELEASE, [this.#lock(provider)], [token])).catch(() => undefined);
  }

  listen(events: CircuitEvents): void {
    this.connection.subscribe(this.#channel, (message) => {
      const [kind, provider, until] = message.split(' ');
      if (kind === 'open' && provider) events.opened(provider, Number(until));
      else if (kind === 'close' && provider) events.closed(provider);
    });
    this.connection.onConnect(() => {
      this.connection
        .run((client) => client.hGetAll(this.#hash))
        .then((open) => {
          for (const [provider, until] of Object.entries(open)) events.opened(provider, Number(until));
        })
        .catch(() => undefined);
    });
  }
}
