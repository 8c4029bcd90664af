/** Requests: this instance's most recent requests, filtered; never a prompt or a completion. */
import { html } from 'hono/html';
import type { RequestRecord } from '../../usage/request-record.js';
import type { RequestFilter } from '../request-filter.js';
import { cost, count, ms, time } from './format.js';
import type { Html } from './layout.js';

export function requestsBody(records: readonly RequestRecord[], filter: RequestFilter, held: number): Html {
  const option = (value: string, label: string) => html`<option value="${value}"${filter.status === value ? html` selected` : ''}>${label}</option>`;
  return html`<form method="get" action="/admin/requests" class="grid">
  <label>Key <input name="key" value="${filter.key ?? ''}" placeholder="any" /></label>
  <label>Provider <input name="provider" value="${filter.provider ?? ''}" placeholder="any" /></label>
  <label>Status <select name="status">${option('', 'any')}${option('ok', '2xx-3xx')}${option('4xx', '4xx')}${option('5xx', '5xx')}</select></label>
  <label>Path contains <input name="path" value="${filter.path ?? ''}" placeholder="/v1/chat/completions" /></label>
  <button type="submit">Filter</button>
</form>
<p class="hint">${records.length} shown of the ${held} most recent requests this instance keeps (newest first).</p>
<table id="requests">
  <thead><tr><th>Time (UTC)</th><th>Key</th><th>Path</th><th>Chain</th><th>Provider</th><th class="num">Attempts</th><th class="num">Status</th><th class="num">Tokens (in/out)</th><th class="num">Cost</th><th class="num">First byte</th><th class="num">Latency</th></tr></thead>
  <tbody>${records.map(
    (record) => html`<tr data-status="${record.status}">
<td>${time(record.at)}</td><td>${record.key ?? '—'}</td><td>${record.method} ${record.path}</td><td>${record.chain?.join(' → ') ?? '—'}</td>
<td>${record.provider ? `${record.provider}${record.model ? `/${record.model}` : ''}` : '—'}</td><td class="num">${record.attempts}</td>
<td class="num${record.status >= 500 ? ' bad' : ''}">${record.status}</td>
<td class="num">${record.usage ? `${count(record.usage.input_tokens)} / ${count(record.usage.output_tokens)}` : '—'}</td>
<td class="num">${record.usage ? cost(record.cost_usd ?? null) : '—'}</td><td class="num">${ms(record.ttfb_ms)}</td><td class="num">${ms(record.duration_ms)}</td></tr>`,
  )}</tbody>
</table>`;
}
