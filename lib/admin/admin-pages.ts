/**
 * The console's pages (server-rendered HTML; the script only adds the live parts) and the
 * key forms behind them. A form error renders the form again with each bad field named; a
 * change that worked redirects (303), so a reload never repeats it. A new key's secret is in
 * the answer to its form only.
 */
import type { Context, Hono } from 'hono';
import { GatewayError } from '../errors.js';
import type { AdminEnv } from './admin-guard.js';
import { commandError, type AdminParts } from './admin-api.js';
import type { FieldError } from './key-input.js';
import { readKeyInput } from './key-input.js';
import { overview } from './overview.js';
import { filterRequests, readFilter } from './request-filter.js';
import { readUsageQuery } from './usage-query.js';
import { keysBody, type KeysPageState } from './views/keys-page.js';
import { page, type Html } from './views/layout.js';
import { overviewBody } from './views/overview-page.js';
import { playgroundBody } from './views/playground-page.js';
import { requestsBody } from './views/requests-page.js';
import { usageBody } from './views/usage-page.js';

const render = (c: Context<AdminEnv>, title: string, path: string, body: Html, status: 200 | 400 | 404 = 200) =>
  c.html(page({ title, path, operator: c.get('operator').name, body }), status);

/** A form's fields as text. */
async function formFields(c: Context<AdminEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Adds the pages' routes to the console's app. */
export function addAdminPages(app: Hono<AdminEnv>, parts: AdminParts): void {
  const { gateway, recent, usage, keys } = parts;

  const keysPage = async (c: Context<AdminEnv>, state: KeysPageState, status: 200 | 400 | 404 = 200) =>
    render(c, 'Keys', '/keys', keysBody(await keys.list(), state, usage.description), status);

  /** A failed form: its values back, its errors named. */
  const failedForm = (c: Context<AdminEnv>, form: string, values: Record<string, string>, errors: FieldError[], message?: string, status: 400 | 404 = 400) =>
    keysPage(c, { failed: { form, values, errors, message } }, status);

  /** A store refusal on a form: the field it names, or the message alone. */
  const refused = async (c: Context<AdminEnv>, form: string, values: Record<string, string>, error: unknown) => {
    try {
      commandError(error);
    } catch (answer) {
      if (!(answer instanceof GatewayError) || answer.status >= 500) throw answer;
      const field = answer.param;
      return failedForm(c, form, values, field ? [{ field, message: answer.message }] : [], field ? undefined : answer.message, answer.status === 404 ? 404 : 400);
    }
    throw error;
  };

  app.get('/', async (c) => render(c, 'Overview', '', overviewBody(await overview(gateway, recent, usage))));

  app.get('/keys', (c) => {
    const changed = c.req.query('changed');
    const revoked = c.req.query('revoked');
    const notice = changed ? `Saved ${changed}.` : revoked ? `Revoked ${revoked}: requests with it now get 401.` : undefined;
    return keysPage(c, { notice });
  });
  app.post('/keys', async (c) => {
    const values = await formFields(c);
    const input = readKeyInput(values, 'create', keys.known);
    if (input.errors) return failedForm(c, 'create', values, input.errors);
    let created;
    try {
      created = await keys.create(input.ok);
    } catch (error) {
      return refused(c, 'create', values, error);
    }
    parts.identities.invalidate();
    return keysPage(c, { created: { name: created.record.name, key: created.key } });
  });
  app.post('/keys/:id', async (c) => {
    const id = c.req.param('id');
    const values = await formFields(c);
    const input = readKeyInput(values, 'update', keys.known);
    if (input.errors) return failedForm(c, id, values, input.errors);
    let record;
    try {
      record = await keys.update(id, input.ok);
    } catch (error) {
      return refused(c, id, values, error);
    }
    parts.identities.invalidate();
    return c.redirect(`/admin/keys?changed=${encodeURIComponent(record.name)}`, 303);
  });
  app.post('/keys/:id/revoke', async (c) => {
    const id = c.req.param('id');
    let record;
    try {
      record = await keys.revoke(id);
    } catch (error) {
      return refused(c, id, {}, error);
    }
    parts.identities.invalidate();
    return c.redirect(`/admin/keys?revoked=${encodeURIComponent(record.name)}`, 303);
  });

  app.get('/usage', async (c) => {
    const raw = c.req.query();
    const query = readUsageQuery({ ...raw, group_by: raw.group_by || 'key' }, false);
    return render(c, 'Usage', '/usage', usageBody(await usage.usage(query), query, usage.description));
  });

  app.get('/requests', (c) => {
    const filter = readFilter(c.req.query());
    return render(c, 'Requests', '/requests', requestsBody(filterRequests(recent.list(), filter), filter, recent.size));
  });

  app.get('/playground', (c) => render(c, 'Playground', '/playground', playgroundBody([...gateway.known], gateway.config.defaultProvider)));
}
