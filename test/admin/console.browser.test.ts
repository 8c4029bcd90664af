/**
 * The admin console in a real browser (Debian's chromium through playwright-core; never a
 * browser download) against a gateway and two loopback providers (`flaky` always fails,
 * `steady` answers): sign in; create a key and read its secret once; chat with it through
 * `flaky, steady` (each falls back); see those requests on Requests and Overview, its usage on
 * Keys and Usage (priced from `GATEWAY_PRICES`); set a budget below what it spent and see the
 * key refused with 429 `budget_exceeded`; revoke the key and get 401; a playground chat that streams and shows
 * the fallback. A screenshot of each page goes to test-results/admin/ (git-ignored). No page
 * may trip the content security policy.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import { api, MASTER, startAdminGateway } from './admin-helpers.js';
import { startMockProviders, STEADY_PIECES, type MockProviders } from './mock-providers.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = new URL('../../test-results/admin/', import.meta.url).pathname;
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`Skipping the admin console's browser test: ${CHROMIUM} is missing (apt-get install chromium).`);

describe.skipIf(!hasChromium)('the admin console in chromium', () => {
  let mocks: MockProviders;
  let gateway: TestGateway;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  let secret = '';
  const cspViolations: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const chat = (key: string, stream = false) =>
    fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-provider': 'flaky, steady' },
      body: JSON.stringify({ model: 'm-1', messages: [{ role: 'user', content: 'hello' }], stream }),
    });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'admin-chromium-'));
    mocks = await startMockProviders();
    // flaky fails every time: its breaker stays closed here, so that each chat shows the fallback.
    gateway = await startAdminGateway({
      ...mocks.env,
      GATEWAY_CIRCUIT_FAILURES: '1000',
      // USD per million tokens: a chat of 9 + 3 tokens costs $0.015, so that a small budget is soon spent.
      GATEWAY_PRICES: JSON.stringify({ 'steady/m-1': { input: 1000, output: 2000 } }),
    });
    // A fresh --user-data-dir: playwright takes it as the persistent context's folder.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1360, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('console', (message) => {
      if (/Content[- ]Security[- ]Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on('dialog', (dialog) => void dialog.accept());
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await mocks?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('signs in: a wrong key comes back with a message, the master key opens the Overview', async () => {
    await page.goto(`${gateway.origin}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    await page.fill('input[name="key"]', 'wrong-key-wrong-key-wrong-key-wrong-key');
    await page.click('button[type="submit"]');
    await page.waitForSelector('[role="alert"]');
    expect(await page.textContent('[role="alert"]')).toContain('not the master key');
    await shot('01-sign-in-refused');
    await page.fill('input[name="key"]', MASTER);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${gateway.origin}/admin`);
    expect(await page.textContent('h1')).toBe('Overview');
  });

  it('creates a key and shows its secret once', async () => {
    await page.click('nav a[href="/admin/keys"]');
    await page.fill('#create-key input[name="name"]', 'browser-key');
    await page.fill('#create-key input[name="scopes"]', 'post:/v1/chat/completions');
    await page.fill('#create-key input[name="rpm"]', '600');
    await page.click('#create-key button[type="submit"]');
    secret = (await page.textContent('#new-secret')) ?? '';
    expect(secret).toMatch(/^gw-/);
    await page.click('button[data-copy="#new-secret"]');
    await expect.poll(() => page.textContent('button[data-copy="#new-secret"]')).toMatch(/^(Copied|Selected: press Ctrl\+C)$/);
    await shot('02-keys-created');
    await page.goto(`${gateway.origin}/admin/keys`);
    expect(await page.content()).not.toContain(secret);
    expect(await page.textContent('tr[data-key="browser-key"]')).toContain('600 rpm');
  });

  it('the key’s chats fall back from flaky to steady and show on Requests', async () => {
    for (let index = 0; index < 3; index += 1) {
      const answer = await chat(secret);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-gateway-provider')).toBe('steady');
      expect(answer.headers.get('x-gateway-attempts')).toBe('2');
    }
    const streamed = await chat(secret, true);
    expect(streamed.status).toBe(200);
    await streamed.text();
    await page.goto(`${gateway.origin}/admin/requests?key=browser-key`);
    const rows = page.locator('#requests tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    const first = (await rows.first().textContent()) ?? '';
    expect(first).toContain('browser-key');
    expect(first).toContain('flaky → steady');
    expect(first).toMatch(/steady\/m-1\s*2\s*200/);
    expect(await page.content()).not.toContain('hello');
    await shot('03-requests');
  });

  it('Overview shows the traffic and each provider’s health, and refreshes on its own', async () => {
    await page.goto(`${gateway.origin}/admin`);
    const provider = (name: string) => page.locator(`#providers tr:has(td:first-child:text-is("${name}"))`);
    const flaky = provider('flaky');
    expect(await flaky.textContent()).toContain('100.0%');
    expect(await flaky.textContent()).toContain('fell back to steady');
    expect(await provider('steady').textContent()).toContain('0.0%');
    const before = Number(await page.textContent('[data-stat="requests"]'));
    expect(before).toBeGreaterThanOrEqual(4);
    expect(await page.textContent('[data-stat="spend_today"]')).toMatch(/unpriced|\$/);
    expect((await chat(secret)).status).toBe(200);
    await page.waitForFunction((count) => Number(document.querySelector('[data-stat="requests"]')?.textContent) > count, before, { timeout: 12_000 });
    await shot('04-overview');
  });

  it('Keys and Usage show the key’s usage as the usage source reports it; CSV export', async () => {
    const report = (await (await api(gateway.origin, '/usage?group_by=key')).json()) as { data: { group: string; requests: number; cost_usd: number; unpriced: number; tokens: { input: number; output: number } }[] };
    const row = report.data.find((entry) => entry.group === 'browser-key');
    expect(row?.requests).toBe(5);
    await page.goto(`${gateway.origin}/admin/keys`);
    const keyRow = page.locator('tr[data-key="browser-key"]');
    const cells = keyRow.locator('td.num');
    for (const index of [0, 1]) {
      const text = (await cells.nth(index).textContent()) ?? '';
      expect(text).toContain(`${row?.requests} req`);
      expect(text).toContain(`${(row?.tokens.input ?? 0) + (row?.tokens.output ?? 0)} tok`);
      expect(text).toContain(row?.unpriced === row?.requests ? 'unpriced' : '$');
    }
    await page.goto(`${gateway.origin}/admin/usage?group_by=key`);
    await page.waitForSelector('#chart-spend[data-drawn="true"] canvas');
    await page.waitForSelector('#chart-tokens canvas');
    const usageRow = (await page.locator('#usage tbody tr', { hasText: 'browser-key' }).textContent()) ?? '';
    expect(usageRow).toContain(String(row?.requests));
    expect(usageRow).toContain(row?.unpriced === row?.requests ? 'unpriced' : '$');
    expect(await page.locator('.u-legend').first().textContent()).toContain('browser-key');
    await shot('05-usage');
    const href = await page.getAttribute('a[download]', 'href');
    const csv = await page.evaluate(async (url) => (await fetch(url as string)).text(), href);
    expect(csv.split('\r\n')[0]).toMatch(/^group,requests,/);
    expect(csv).toContain(`browser-key,${row?.requests},`);
  });

  it('sets a budget below what the key spent: saved, shown, and the key is refused with budget_exceeded', async () => {
    await page.goto(`${gateway.origin}/admin/keys`);
    const keyRow = page.locator('tr[data-key="browser-key"]');
    await keyRow.locator('summary').click();
    await keyRow.locator('input[name="budgets.day"]').fill('abc');
    await keyRow.locator('button', { hasText: 'Save' }).click();
    expect(await page.textContent('tr[data-key="browser-key"] [data-field="budgets.day"]')).toContain('budgets.day');
    await page.locator('tr[data-key="browser-key"] input[name="budgets.day"]').fill('0.05');
    await page.locator('tr[data-key="browser-key"] input[name="budgets.month"]').fill('120');
    await page.locator('tr[data-key="browser-key"] button', { hasText: 'Save' }).click();
    await page.waitForSelector('[role="status"]');
    expect(await page.textContent('[role="status"]')).toContain('Saved browser-key');
    const budgets = (await page.textContent('tr[data-key="browser-key"] [data-budgets]')) ?? '';
    expect(budgets).toContain('$0.0500/day');
    expect(budgets).toContain('$120.00/month');
    expect(await page.textContent('tr[data-key="browser-key"]')).toMatch(/\$0\.0[6-9]/);
    await shot('06-keys-budget');
    const refused = await chat(secret);
    expect(refused.status).toBe(429);
    const error = ((await refused.json()) as { error: { code: string; budget: { period: string; usd: number } } }).error;
    expect(error.code).toBe('budget_exceeded');
    expect(error.budget).toEqual({ period: 'day', usd: 0.05 });
  });

  it('revokes the key: its requests get 401', async () => {
    await page.locator('tr[data-key="browser-key"] button', { hasText: 'Revoke' }).click();
    await page.waitForURL(/revoked=browser-key/);
    expect(await page.getAttribute('tr[data-key="browser-key"]', 'data-status')).toBe('revoked');
    const refused = await chat(secret);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('revoked_api_key');
    await shot('07-keys-revoked');
  });

  it('a playground chat streams in and shows the fallback as it happens', async () => {
    await page.goto(`${gateway.origin}/admin/playground`);
    // Records the answer's length at each change, to see it grow piece by piece.
    await page.evaluate(() => {
      const lengths: number[] = [];
      (window as unknown as { lengths: number[] }).lengths = lengths;
      const answer = document.querySelector('#answer') as HTMLElement;
      new MutationObserver(() => lengths.push(answer.textContent?.length ?? 0)).observe(answer, { childList: true, characterData: true, subtree: true });
    });
    await page.fill('input[name="chain"]', 'flaky, steady');
    await page.fill('input[name="model"]', 'm-1');
    await page.fill('textarea[name="prompt"]', 'Say hello');
    await page.click('#playground button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('#run-status')?.textContent?.startsWith('done'), undefined, { timeout: 10_000 });
    const attempts = await page.locator('#attempts li').allTextContents();
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatch(/^flaky\/m-1: 500 after \d+ ms$/);
    expect(attempts[1]).toMatch(/^steady\/m-1: 200 after \d+ ms$/);
    expect(await page.textContent('#answer')).toBe(STEADY_PIECES.join(''));
    const lengths = await page.evaluate(() => (window as unknown as { lengths: number[] }).lengths);
    // It grew in steps (pieces may arrive together on a busy machine, but not all at once).
    expect(new Set(lengths.filter((length) => length > 0)).size).toBeGreaterThanOrEqual(2);
    expect(await page.textContent('#run-status')).toContain('7 + 4 tokens');
    await shot('08-playground');
  });

  it('no page tripped the content security policy', () => {
    expect(cspViolations).toEqual([]);
  });
});
