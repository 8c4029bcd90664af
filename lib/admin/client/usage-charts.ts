/** Usage: spend and tokens per day, one series per key, model or provider, drawn with uPlot. */
import uPlot from 'uplot';
import type { UsageSeries } from '../usage-series.js';
import { fetchJson } from './fetch-json.js';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

function chart(target: HTMLElement, title: string, days: number[], series: { label: string; values: number[] }[], unit: (value: number) => string): void {
  const width = Math.max(320, target.clientWidth || 800);
  const options: uPlot.Options = {
    title,
    width,
    height: 260,
    scales: { x: { time: true } },
    // One tick a day (or a week on long ranges), labelled with the UTC day.
    axes: [
      { incrs: [86_400, 7 * 86_400, 28 * 86_400], values: (_plot, ticks) => ticks.map((tick) => new Date(tick * 1000).toISOString().slice(5, 10)) },
      { values: (_plot, ticks) => ticks.map(unit), size: 70 },
    ],
    series: [
      {},
      ...series.map((entry, index) => ({
        label: entry.label,
        stroke: COLORS[index % COLORS.length],
        width: 2,
        points: { show: true, size: 6 },
        value: (_plot: uPlot, value: number | null) => (value === null ? '—' : unit(value)),
      })),
    ],
  };
  target.replaceChildren();
  new uPlot(options, [days, ...series.map((entry) => entry.values)], target);
}

/** Reads the page's range and grouping, then draws both charts. */
export async function drawUsageCharts(root: Document): Promise<void> {
  const spendTarget = root.querySelector<HTMLElement>('#chart-spend');
  const tokensTarget = root.querySelector<HTMLElement>('#chart-tokens');
  if (!spendTarget || !tokensTarget) return;
  const query = spendTarget.dataset.query ?? '';
  const data = await fetchJson<UsageSeries>(`/admin/api/usage/series?${query}`);
  const days = data.days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
  const usd = (value: number) => (value === 0 ? '$0' : `$${value.toPrecision(3)}`);
  const tokens = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(1)}k` : String(Math.round(value)));
  const unpriced = data.groups.reduce((sum, group) => sum + group.unpriced.reduce((a, b) => a + b, 0), 0);
  const priced = data.groups.some((group) => group.cost_usd.some((value) => value > 0));
  const note = root.querySelector<HTMLElement>('#chart-note');
  if (note) note.textContent = !priced && unpriced > 0 ? `No priced requests in this range: ${unpriced} unpriced (their tokens are below).` : unpriced > 0 ? `${unpriced} unpriced requests are not in the spend chart.` : '';
  chart(spendTarget, `Spend per day by ${data.group_by} (USD, priced requests only)`, days, data.groups.map((group) => ({ label: group.group, values: group.cost_usd })), usd);
  chart(tokensTarget, `Tokens per day by ${data.group_by} (input + output)`, days, data.groups.map((group) => ({ label: group.group, values: group.tokens })), tokens);
  spendTarget.dataset.drawn = 'true';
  tokensTarget.dataset.drawn = 'true';
}
