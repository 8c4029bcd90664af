/** The Requests page's and `GET /admin/api/requests`' filter over the recent requests. */
import type { RequestRecord } from '../usage/request-record.js';

/** Every field optional; all that are set must hold. */
export interface RequestFilter {
  /** The key's name, exactly. */
  key?: string;
  /** The provider that answered, or any entry of the chain. */
  provider?: string;
  /** `ok` (below 400), `4xx` or `5xx`. */
  status?: string;
  /** A part of the path. */
  path?: string;
  /** At most this many, newest first. */
  limit?: number;
}

/** The filter from query parameters; blanks are unset. */
export function readFilter(query: Record<string, string | undefined>): RequestFilter {
  const text = (name: string) => {
    const value = query[name]?.trim();
    return value ? value : undefined;
  };
  const limit = Number(query.limit);
  return { key: text('key'), provider: text('provider'), status: text('status'), path: text('path'), limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, 1000) : 200 };
}

function statusMatches(status: number, wanted: string | undefined): boolean {
  if (wanted === 'ok') return status < 400;
  if (wanted === '4xx') return status >= 400 && status < 500;
  if (wanted === '5xx') return status >= 500;
  return true;
}

/** The records that pass, newest first, at most `filter.limit`. */
export function filterRequests(records: readonly RequestRecord[], filter: RequestFilter): RequestRecord[] {
  const provider = filter.provider?.toLowerCase();
  return records
    .filter(
      (record) =>
        (filter.key === undefined || record.key === filter.key) &&
        (provider === undefined || record.provider === provider || record.chain?.some((entry) => entry.split('/')[0] === provider) === true) &&
        statusMatches(record.status, filter.status) &&
        (filter.path === undefined || record.path.includes(filter.path)),
    )
    .slice(0, filter.limit ?? 200);
}
