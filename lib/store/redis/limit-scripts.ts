/**
 * The rate limits' Lua scripts: `limits/gcra.ts`'s arithmetic, step for step, run inside
 * Redis so that one round trip reads, checks and counts a key's buckets atomically across
 * every instance. The time comes from the instance (ARGV), as in the in-process store, so
 * that both stores behave the same under one clock; instances' clocks agree to within
 * what NTP keeps them, which moves a limit by that much at most.
 *
 * State: one hash per key, `r` and `t` (the requests and tokens levels, as `%.17g` so a
 * double survives the round trip exactly) and `at` (ms since the epoch), expiring once
 * both buckets are empty.
 *
 * @see https://redis.io/docs/latest/develop/programmability/eval-intro/
 */

/** Reads and drains the levels: sets `now`, `rpm`, `tpm`, `requests`, `tokens`, `at`, `period`. */
const DRAIN = `
local period = 60000
local now = tonumber(ARGV[1])
local rpm = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local saved = redis.call('HMGET', KEYS[1], 'r', 't', 'at')
local requests, tokens, at = 0, 0, now
if saved[3] then
  local elapsed = math.max(0, now - tonumber(saved[3]))
  if rpm > 0 then requests = math.max(0, tonumber(saved[1] or '0') - elapsed * rpm / period) end
  if tpm > 0 then tokens = math.max(0, tonumber(saved[2] or '0') - elapsed * tpm / period) end
  at = math.max(tonumber(saved[3]), now)
end
local function ceil(value) return math.ceil(value - 1e-6) end
local function floor(value) return math.floor(value + 1e-6) end
local function save()
  local lifetime = 0
  if rpm > 0 then lifetime = math.max(lifetime, requests * period / rpm) end
  if tpm > 0 then lifetime = math.max(lifetime, tokens * period / tpm) end
  redis.call('HSET', KEYS[1], 'r', string.format('%.17g', requests), 't', string.format('%.17g', tokens), 'at', string.format('%.17g', at))
  redis.call('PEXPIRE', KEYS[1], string.format('%d', ceil(lifetime) + 1000))
end
`;

/**
 * Checks (and, with ARGV[4] = '1', counts) one request.
 * KEYS[1]: the key's state. ARGV: now (ms), rpm, tpm (0 for none), count ('1' or '0').
 * Returns `{verdict, requestsRemaining, requestsResetMs, tokensRemaining, tokensResetMs,
 * retryAfterMs}` with verdict 0 allowed, 1 refused for requests, 2 refused for tokens.
 */
export const ADMIT_SCRIPT = `${DRAIN}
local verdict, retry = 0, 0
local tokensRemaining, tokensReset, requestsRemaining, requestsReset = 0, 0, 0, 0
if tpm > 0 then
  if tokens >= tpm - 1e-6 then
    verdict = 2
    retry = ceil((tokens - tpm + 1) * period / tpm)
  end
  tokensRemaining = math.max(0, floor(tpm - tokens))
  tokensReset = ceil(tokens * period / tpm)
end
if rpm > 0 then
  if verdict == 0 and requests + 1 > rpm + 1e-6 then
    verdict = 1
    retry = ceil((requests + 1 - rpm) * period / rpm)
  end
  if verdict == 0 and ARGV[4] == '1' then
    requests = requests + 1
    save()
  end
  requestsRemaining = math.max(0, floor(rpm - requests))
  requestsReset = ceil(requests * period / rpm)
end
return {verdict, requestsRemaining, requestsReset, tokensRemaining, tokensReset, retry}
`;

/**
 * Adds an answer's tokens to the tokens bucket.
 * KEYS[1]: the key's state. ARGV: now (ms), rpm, tpm (0 for none), tokens.
 */
export const CHARGE_SCRIPT = `${DRAIN}
tokens = tokens + tonumber(ARGV[4])
save()
return 1
`;
