/** Overview: the last minutes' traffic, today's spend and each provider's health; the script refreshes it. */
import { html } from 'hono/html';
import type { Overview } from '../overview.js';
import { ms, percent, spend, time } from './format.js';
import type { Html } from './layout.js';

const card = (label: string, stat: string, value: string) =>
  html`<div class="card"><div class="label">${label}</div><div class="value" data-stat="${stat}">${value}</div></div>`;

export function overviewBody(data: Overview): Html {
  const today = { requests: data.spend_today.requests, unpriced: data.spend_today.unpriced, cost_usd: data.spend_today.cost_usd, tokens: { input: 0, output: 0, cache_read: 0, cache_write: 0, reasoning: 0 } };
  const spendText = spend(today);
  const spendDetail = `${data.spend_today.requests} requests, ${data.spend_today.tokens} tokens${today.unpriced > 0 ? `, ${today.unpriced} unpriced` : ''}`;
  return html`<p class="muted">The last ${data.window_s / 60} minutes on this instance; refreshed every 5 s (last: <span data-stat="updated">${time(Date.now()).slice(11)}</span>).</p>
<div class="cards">
  ${card('Requests per minute', 'requests_per_min', String(data.requests_per_min))}
  ${card('Requests', 'requests', String(data.requests))}
  ${card('Error rate (5xx)', 'error_rate', percent(data.error_rate))}
  ${card('Latency p50', 'latency_p50', ms(data.latency_ms.p50))}
  ${card('Latency p95', 'latency_p95', ms(data.latency_ms.p95))}
  ${card('First token p50', 'ttfb_p50', ms(data.ttfb_ms.p50))}
  ${card('First token p95', 'ttfb_p95', ms(data.ttfb_ms.p95))}
  <div class="card"><div class="label">Spend today (UTC)</div><div class="value" data-stat="spend_today">${spendText}</div><div class="muted" data-stat="spend_detail">${spendDetail}</div></div>
</div>
<p class="hint">Spend from ${data.spend_today.source}.</p>
<h2>Providers</h2>
<table>
  <thead><tr><th>Provider</th><th>Requests tried</th><th>Error rate</th><th>Breaker</th><th>Last error</th></tr></thead>
  <tbody id="providers">${data.providers.map(
    (provider) => html`<tr><td>${provider.provider}</td><td>${provider.requests}</td><td${provider.error_rate ? html` class="bad"` : ''}>${percent(provider.error_rate)}</td><td class="${provider.breaker === 'open' ? 'bad' : 'good'}">${provider.breaker}</td><td>${provider.last_error ? `${time(provider.last_error.at).slice(11)} ${provider.last_error.detail}` : '—'}</td></tr>`,
  )}</tbody>
</table>`;
}
