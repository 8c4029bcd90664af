/**
 * The rate limits' buckets in Redis: one Lua script call per admission (read, check and
 * count, atomically, whichever instance asks) and one per charge. See `limit-scripts.ts`.
 */
import type { LimitCheck, Limits } from '../../limits/gcra.js';
import type { LimitStore } from '../../limits/limit-store.js';
import { luaScript, runScript, type RedisConnection } from './redis-connection.js';
import { ADMIT_SCRIPT, CHARGE_SCRIPT } from './limit-scripts.js';

const ADMIT = luaScript(ADMIT_SCRIPT);
const CHARGE = luaScript(CHARGE_SCRIPT);
const VERDICTS: readonly LimitCheck['verdict'][] = ['allowed', 'requests', 'tokens'];

/** Every instance's buckets, in one Redis. */
export class RedisLimitStore implements LimitStore {
  /** @param prefix what every key of the gateway's starts with in Redis */
  constructor(
    private readonly connection: RedisConnection,
    private readonly prefix: string,
  ) {}

  async admit(id: string, limits: Limits, nowMs: number, count: boolean): Promise<LimitCheck> {
    const args = [String(nowMs), String(limits.rpm ?? 0), String(limits.tpm ?? 0), count ? '1' : '0'];
    const reply = (await this.connection.run((client) => runScript(client, ADMIT, [`${this.prefix}limits:${id}`], args))) as number[];
    const [verdict, requestsRemaining, requestsResetMs, tokensRemaining, tokensResetMs, retryAfterMs] = reply.map(Number);
    return { verdict: VERDICTS[verdict] ?? 'allowed', requestsRemaining, requestsResetMs, tokensRemaining, tokensResetMs, retryAfterMs };
  }

  async charge(id: string, tokens: number, limits: Limits & { tpm: number }, nowMs: number): Promise<void> {
    const args = [String(nowMs), String(limits.rpm ?? 0), String(limits.tpm), String(tokens)];
    await this.connection.run((client) => runScript(client, CHARGE, [`${this.prefix}limits:${id}`], args));
  }
}
