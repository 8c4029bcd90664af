/**
 * The console's browser code, bundled by `npm run build:admin` into one fingerprinted script:
 * each page's `data-page` picks what runs. Pages work without it except for the live parts
 * (Overview's refresh, Usage's charts, the Playground's stream, the copy button).
 */
import { enableConfirms, enableCopyButtons } from './copy.js';
import { startOverview } from './overview-refresh.js';
import { startPlayground } from './playground-client.js';
import { drawUsageCharts } from './usage-charts.js';

function start(): void {
  enableCopyButtons(document);
  enableConfirms(document);
  const pageName = document.body.dataset.page;
  if (pageName === 'overview') startOverview(document);
  if (pageName === 'usage') void drawUsageCharts(document);
  if (pageName === 'playground') startPlayground(document);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
