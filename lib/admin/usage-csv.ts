/**
 * A usage report as CSV (RFC 4180): one row per group, then the total. A cell that a
 * spreadsheet would take for a formula (`=`, `+`, `-`, `@`) is prefixed with `'`.
 */
import type { UsageReport, UsageTotals } from '../spend/usage-report.js';

const HEADER = ['group', 'requests', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_usd', 'unpriced_requests'];

function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (group: string, sums: UsageTotals) =>
  [group, sums.requests, sums.tokens.input, sums.tokens.output, sums.tokens.cache_read, sums.tokens.cache_write, sums.tokens.reasoning, sums.cost_usd, sums.unpriced].map(cell).join(',');

/** The report's CSV text, CRLF line ends. */
export function usageCsv(report: UsageReport): string {
  return [HEADER.join(','), ...report.data.map((row) => line(row.group, row)), line('total', report.total)].join('\r\n') + '\r\n';
}
