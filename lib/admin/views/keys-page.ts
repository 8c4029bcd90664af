/**
 * Keys: the list (never a secret or hash), a form to create one, and per key a form to change
 * its scopes, providers, limits, budgets and expiry, and a revoke button. A new key's secret
 * appears once, on the answer to its creation, with a copy button.
 */
import { html } from 'hono/html';
import type { FieldError } from '../key-input.js';
import type { PublicKey } from '../key-admin.js';
import { count, spend, time, totalTokens, usd } from './format.js';
import type { Html } from './layout.js';

/** What the page shows besides the list. */
export interface KeysPageState {
  /** A key just created: its name and secret, shown this once. */
  created?: { name: string; key: string };
  /** A message after a change. */
  notice?: string;
  /** The form that failed (`create` or a key's id), its values and its errors. */
  failed?: { form: string; values: Record<string, string>; errors: FieldError[]; message?: string };
}

function input(form: string, name: string, label: string, state: KeysPageState, fallback = '', attributes: { placeholder?: string; required?: boolean } = {}): Html {
  const failed = state.failed?.form === form ? state.failed : undefined;
  const errors = failed?.errors.filter((error) => error.field === name) ?? [];
  const value = failed ? (failed.values[name] ?? '') : fallback;
  const id = `${form}-${name}`.replace(/[^a-z0-9_-]/gi, '-');
  return html`<label for="${id}">${label}
  <input id="${id}" name="${name}" value="${value}"${attributes.placeholder ? html` placeholder="${attributes.placeholder}"` : ''}${attributes.required ? html` required` : ''}${errors.length > 0 ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''} />
  ${errors.length > 0 ? html`<span class="field-error" id="${id}-error" data-field="${name}">${name}: ${errors.map((error) => error.message).join('; ')}</span>` : ''}
</label>`;
}

const keyFields = (form: string, state: KeysPageState, key?: PublicKey) => html`
  ${input(form, 'scopes', 'Scopes (comma-separated)', state, key?.scopes.join(', ') ?? '', { placeholder: 'all' })}
  ${input(form, 'providers', 'Providers (empty: all)', state, key?.providers.join(', ') ?? '', { placeholder: 'openai, groq/llama-3.1-8b-instant' })}
  ${input(form, 'rpm', 'Requests per minute', state, key?.rpm?.toString() ?? '', { placeholder: 'no limit' })}
  ${input(form, 'tpm', 'Tokens per minute', state, key?.tpm?.toString() ?? '', { placeholder: 'no limit' })}
  ${input(form, 'budgets.day', 'Budget per UTC day (USD)', state, key?.budgets.day?.toString() ?? '', { placeholder: 'none' })}
  ${input(form, 'budgets.month', 'Budget per UTC month (USD)', state, key?.budgets.month?.toString() ?? '', { placeholder: 'none' })}
  ${input(form, 'expires', 'Expires (30d, 2027-01-31; empty: never)', state, key?.expires_at ?? '')}`;

function spendCell(sums: PublicKey['spend_today']): Html {
  if (sums.requests === 0) return html`<td class="num">—</td>`;
  return html`<td class="num">${spend(sums)}<br /><span class="muted">${count(sums.requests)} req, ${count(totalTokens(sums))} tok</span></td>`;
}

function row(key: PublicKey, state: KeysPageState): Html {
  const active = key.status === 'active';
  const failedHere = state.failed?.form === key.id;
  return html`<tr data-key="${key.name}" data-status="${key.status}">
  <td><strong>${key.name}</strong><br /><span class="muted">${key.id}</span></td>
  <td class="status-${key.status}">${key.status}${key.revoked_at ? html`<br /><span class="muted">${time(key.revoked_at)}</span>` : ''}</td>
  <td>${key.scopes.map((scope) => html`<span class="tag">${scope}</span>`)}</td>
  <td>${key.providers.length === 0 ? 'all' : key.providers.join(', ')}</td>
  <td class="nowrap">${key.rpm ?? '—'} rpm<br />${key.tpm ?? '—'} tpm</td>
  <td class="nowrap" data-budgets>${key.budgets.day === null ? '—' : `${usd(key.budgets.day)}/day`}<br />${key.budgets.month === null ? '—' : `${usd(key.budgets.month)}/month`}</td>
  <td>${time(key.expires_at)}</td>
  ${spendCell(key.spend_today)}
  ${spendCell(key.spend_month)}
  <td>${time(key.last_used_at)}</td>
  <td>${active
    ? html`<details${failedHere ? html` open` : ''}><summary>Change</summary>
      <form method="post" action="/admin/keys/${key.id}" class="grid">${keyFields(key.id, state, key)}<button type="submit">Save ${key.name}</button></form></details>
      <form method="post" action="/admin/keys/${key.id}/revoke" class="inline" data-confirm="Revoke ${key.name}? Requests with it get 401 at once."><button type="submit" class="danger">Revoke</button></form>`
    : ''}</td>
</tr>`;
}

export function keysBody(keys: readonly PublicKey[], state: KeysPageState, usageSource: string): Html {
  const createFailed = state.failed?.form === 'create' ? state.failed : undefined;
  return html`${state.created
    ? html`<div class="notice ok" role="status"><p>Created <strong>${state.created.name}</strong>. Its secret is shown only this once; store it now:</p>
<p class="secret"><code id="new-secret">${state.created.key}</code> <button type="button" data-copy="#new-secret">Copy</button></p></div>`
    : ''}
${state.notice ? html`<p class="notice ok" role="status">${state.notice}</p>` : ''}
${state.failed && state.failed.form !== 'create' && state.failed.message ? html`<p class="notice error" role="alert">${state.failed.message}</p>` : ''}
<h2>Create a key</h2>
${createFailed?.message ? html`<p class="notice error" role="alert">${createFailed.message}</p>` : ''}
<form method="post" action="/admin/keys" class="grid" id="create-key">
  ${input('create', 'name', 'Name', state, '', { required: true, placeholder: 'team-a' })}
  ${keyFields('create', state)}
  <button type="submit">Create key</button>
</form>
<h2>Keys</h2>
<p class="hint">Spend from ${usageSource}; last used: this instance's recent requests.</p>
<table id="keys">
  <thead><tr><th>Name</th><th>Status</th><th>Scopes</th><th>Providers</th><th>Limits</th><th>Budgets</th><th>Expires</th><th class="num">Spend today</th><th class="num">Spend this month</th><th>Last used</th><th></th></tr></thead>
  <tbody>${keys.length === 0 ? html`<tr><td colspan="11" class="muted">No keys yet.</td></tr>` : keys.map((key) => row(key, state))}</tbody>
</table>`;
}
