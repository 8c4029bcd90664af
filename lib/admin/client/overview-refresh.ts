/** Overview: the figures and the providers' health, read again every few seconds. */
import type { Overview } from '../overview.js';
import { fetchJson } from './fetch-json.js';

/** How often the figures are read again, in ms. */
const REFRESH_MS = 5000;

const ms = (value: number | null) => (value === null ? '—' : `${Math.round(value)} ms`);
const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);
const usd = (value: number) => (value === 0 ? '$0' : value >= 1 ? `$${value.toFixed(2)}` : `$${value.toPrecision(3)}`);

/** As `views/format.ts` `spend` writes it. */
function spendToday(spend: Overview['spend_today']): string {
  if (spend.requests === 0) return '—';
  if (spend.unpriced === spend.requests) return 'unpriced';
  return `${usd(spend.cost_usd)}${spend.unpriced > 0 ? ` + ${spend.unpriced} unpriced` : ''}`;
}

function cell(row: HTMLTableRowElement, text: string, className?: string): void {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
}

/** Writes the figures into the page. */
export function renderOverview(root: Document, data: Overview): void {
  const set = (name: string, text: string) => {
    const element = root.querySelector(`[data-stat="${name}"]`);
    if (element) element.textContent = text;
  };
  set('requests_per_min', String(data.requests_per_min));
  set('requests', String(data.requests));
  set('error_rate', percent(data.error_rate));
  set('latency_p50', ms(data.latency_ms.p50));
  set('latency_p95', ms(data.latency_ms.p95));
  set('ttfb_p50', ms(data.ttfb_ms.p50));
  set('ttfb_p95', ms(data.ttfb_ms.p95));
  set('spend_today', spendToday(data.spend_today));
  const spend = data.spend_today;
  set('spend_detail', `${spend.requests} requests, ${spend.tokens} tokens${spend.unpriced > 0 ? `, ${spend.unpriced} unpriced` : ''}`);
  const body = root.querySelector<HTMLTableSectionElement>('#providers');
  if (!body) return;
  body.replaceChildren();
  for (const provider of data.providers) {
    const row = body.insertRow();
    cell(row, provider.provider);
    cell(row, String(provider.requests));
    cell(row, percent(provider.error_rate), provider.error_rate !== null && provider.error_rate > 0 ? 'bad' : undefined);
    cell(row, provider.breaker, provider.breaker === 'open' ? 'bad' : 'good');
    cell(row, provider.last_error ? `${new Date(provider.last_error.at).toISOString().slice(11, 19)} ${provider.last_error.detail}` : '—');
  }
  const stamp = root.querySelector('[data-stat="updated"]');
  if (stamp) stamp.textContent = new Date().toISOString().slice(11, 19);
}

/** Starts the refresh. */
export function startOverview(root: Document): void {
  const refresh = async () => {
    try {
      renderOverview(root, await fetchJson<Overview>('/admin/api/overview'));
    } catch (error) {
      const stamp = root.querySelector('[data-stat="updated"]');
      if (stamp) stamp.textContent = `refresh failed (${(error as Error).message})`;
    }
  };
  window.setInterval(() => void refresh(), REFRESH_MS);
}
