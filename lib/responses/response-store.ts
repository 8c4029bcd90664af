/**
 * Stored responses (`store: true`, the default): what `GET /v1/responses/{id}`,
 * `…/input_items`, `DELETE` and the list read, and what `previous_response_id` rebuilds a
 * conversation from. Behind one small async interface, so that the embedded store (a folder
 * under `.gateway/`), the in-process one, Redis and Netlify Blobs are interchangeable.
 * Every read and write is scoped to a tenant: one tenant's id is another's 404.
 */

/** One stored response: the response object, its own input items, and where it was made. */
export interface ResponseRecord {
  /** `resp_…` */
  id: string;
  /** Whose it is: a gateway key's id, or a hash of the client's credential (see `tenant.ts`). */
  tenant: string;
  /** The response's own time: Unix time in seconds. */
  created_at: number;
  /** When it was stored, in ms since the epoch: lists are newest first by it, and its age counts from it. */
  stored_at: number;
  /** The provider that answered. */
  provider: string;
  /** Whether that provider served `/responses` itself (so it knows the id too). */
  native: boolean;
  previous_response_id: string | null;
  /** This request's own input items, each with an id. */
  input: Record<string, unknown>[];
  /** The `response` object as the client got it. */
  response: Record<string, unknown>;
}

/** A page of a tenant's responses, newest first. */
export interface ResponsePage {
  data: ResponseRecord[];
  has_more: boolean;
}

/** Where stored responses live. */
export interface ResponseStore {
  /** Its kind, for `GET /health`. */
  readonly kind: 'folder' | 'memory' | 'netlify-blobs' | 'redis';
  /** What it is, in words, for the start-up summary. */
  readonly description: string;
  put(record: ResponseRecord): Promise<void>;
  get(tenant: string, id: string): Promise<ResponseRecord | undefined>;
  /** @returns whether there was such a response */
  delete(tenant: string, id: string): Promise<boolean>;
  /**
   * @param after the id of the last response of the previous page
   * @param limit 1 to 100
   */
  list(tenant: string, options: { limit: number; after?: string }): Promise<ResponsePage>;
}

/** A record's size as stored, in bytes (its JSON). */
export function recordBytes(record: ResponseRecord): number {
  return Buffer.byteLength(JSON.stringify(record));
}
