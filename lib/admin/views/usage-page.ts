/** Usage: a range and a grouping, two uPlot charts (drawn by the script), the table, a CSV link. */
import { html } from 'hono/html';
import type { UsageReport } from '../../spend/usage-report.js';
import { count, spend, usd } from './format.js';
import type { Html } from './layout.js';

export function usageBody(report: UsageReport, query: { from: string; to: string; group_by: string; key?: string }, source: string): Html {
  const params = new URLSearchParams({ from: query.from, to: query.to, group_by: query.group_by, ...(query.key ? { key: query.key } : {}) });
  const option = (value: string, label: string) => html`<option value="${value}"${query.group_by === value ? html` selected` : ''}>${label}</option>`;
  return html`<form method="get" action="/admin/usage" class="grid">
  <label>From (UTC day) <input type="date" name="from" value="${query.from}" required /></label>
  <label>To (UTC day) <input type="date" name="to" value="${query.to}" required /></label>
  <label>By <select name="group_by">${option('key', 'key')}${option('model', 'model')}${option('provider', 'provider')}</select></label>
  <label>Only key (name) <input name="key" value="${query.key ?? ''}" placeholder="all keys" /></label>
  <button type="submit">Show</button>
</form>
<p class="hint">From ${source}. Cost counts priced requests only; requests whose model has no price are counted as unpriced, never as $0.</p>
<p class="hint" id="chart-note"></p>
<div class="chart" id="chart-spend" data-query="${params.toString()}"></div>
<div class="chart" id="chart-tokens"></div>
<h2>By ${query.group_by} <a class="hint" href="/admin/api/usage?${params.toString()}&amp;format=csv" download>Export CSV</a></h2>
<table id="usage">
  <thead><tr><th>${query.group_by}</th><th class="num">Requests</th><th class="num">Input tokens</th><th class="num">Output tokens</th><th class="num">Cache read</th><th class="num">Reasoning</th><th class="num">Cost</th><th class="num">Unpriced</th></tr></thead>
  <tbody>${report.data.map(
    (row) => html`<tr><td>${row.group}</td><td class="num">${count(row.requests)}</td><td class="num">${count(row.tokens.input)}</td><td class="num">${count(row.tokens.output)}</td><td class="num">${count(row.tokens.cache_read)}</td><td class="num">${count(row.tokens.reasoning)}</td><td class="num">${spend(row)}</td><td class="num">${count(row.unpriced)}</td></tr>`,
  )}</tbody>
  <tfoot><tr><th>Total</th><th class="num">${count(report.total.requests)}</th><th class="num">${count(report.total.tokens.input)}</th><th class="num">${count(report.total.tokens.output)}</th><th class="num">${count(report.total.tokens.cache_read)}</th><th class="num">${count(report.total.tokens.reasoning)}</th><th class="num">${report.total.requests === 0 ? usd(0) : spend(report.total)}</th><th class="num">${count(report.total.unpriced)}</th></tr></tfoot>
</table>`;
}
