/**
 * Records each finished request's spend (see `spend-store.ts`): one entry per request that
 * reported usage, on the UTC day it arrived, under its gateway key's name. A stream counts
 * when it ended, a cut one with what arrived. A store fault loses that request's spend (the
 * request itself already succeeded); the connection logs the fault when its state changes.
 */
import type { Logger } from '../log/logger.js';
import { StoreUnavailableError } from '../store/store-unavailable.js';
import type { RequestListener, RequestRecord } from '../usage/request-record.js';
import { NO_KEY, type SpendStore } from './spend-store.js';
import { utcDay } from './utc-day.js';

/** The model a request without one is kept under. */
const NO_MODEL = '(none)';

/** The listener for `Gateway.listeners`. */
export function spendListener(store: SpendStore, logger: Logger): RequestListener {
  const notRecorded = (record: RequestRecord, error: unknown) => {
    if (error instanceof StoreUnavailableError) return;
    logger.log('warn', { msg: 'spend not recorded', request_id: record.id, key: record.key ?? null, error: String(error) });
  };
  return (record) => {
    if (record.usage === undefined || record.provider === undefined) return;
    const entry = {
      day: utcDay(record.at),
      key: record.key ?? NO_KEY,
      provider: record.provider,
      model: record.model ?? NO_MODEL,
      usage: record.usage,
      cost_usd: record.cost_usd ?? null,
    };
    try {
      // The in-process store adds at once and returns nothing: no promise per request.
      store.add(entry)?.catch((error: unknown) => notRecorded(record, error));
    } catch (error) {
      notRecorded(record, error);
    }
  };
}
