// Opens real rendered reports in Debian's chromium (driven by playwright-core) and checks what a
// user sees: verdict, scenarios, chart and swimlanes render; no console errors; hostile cluster
// strings never run script; the page is readable with JavaScript off; junit.xml parses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { RunReport } from '../../src/report/report-model.js';
import { writeRunReport } from '../../src/report/write-report.js';
import { failingScenario, largeScenario, passingScenario, runReport } from '../unit/report/fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const SKIP_REASON = HAS_CHROMIUM ? '' : ` [skipped: ${CHROMIUM} is missing; install it with: apt-get install -y chromium]`;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
const OUT = resolve('test-output/report-browser');

/** The report under test. Swap this for a real kwok run's report.json (readRunReport) once the runner writes one. */
async function reportUnderTest(): Promise<RunReport> {
  return runReport([failingScenario(), passingScenario()]);
}

/** Everything a page did that a user would call broken or dangerous. */
interface PageTrouble {
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
  requests: string[];
}

/** Opens `file` in a fresh context and records console errors, exceptions, dialogs and non-file requests. */
async function open(browser: Browser, file: string, javaScriptEnabled = true): Promise<{ page: Page; trouble: PageTrouble }> {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const trouble: PageTrouble = { consoleErrors: [], pageErrors: [], dialogs: [], requests: [] };
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') trouble.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => trouble.pageErrors.push(e.message));
  page.on('dialog', (d) => { trouble.dialogs.push(d.message()); void d.dismiss(); });
  page.on('request', (r) => { if (r.url() !== pathToFileURL(file).href) trouble.requests.push(r.url()); });
  // The sentinel: hostile fixture strings set window.__xss; alert is also trapped in case a dialog is suppressed.
  await page.addInitScript(() => {
    (window as unknown as { __xss?: unknown }).__xss = undefined;
    window.alert = (m?: unknown) => { (window as unknown as { __xss?: unknown }).__xss = `alert(${String(m)})`; };
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, trouble };
}

/** Asserts nothing went wrong while the page loaded and no hostile string ran. */
async function expectNoTrouble(page: Page, trouble: PageTrouble, jsEnabled = true): Promise<void> {
  expect(trouble.consoleErrors).toEqual([]);
  expect(trouble.pageErrors).toEqual([]);
  expect(trouble.dialogs).toEqual([]);
  expect(trouble.requests).toEqual([]);
  if (jsEnabled) expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
}

describe(`HTML report in chromium${SKIP_REASON}`, () => {
  let browser: Browser;
  let runDir: string;
  let report: RunReport;

  beforeAll(async () => {
    if (!HAS_CHROMIUM) return;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    await rm(OUT, { recursive: true, force: true });
    await mkdir(OUT, { recursive: true });
    report = await reportUnderTest();
    runDir = await writeRunReport(report, join(OUT, 'reports'));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it.skipIf(!HAS_CHROMIUM)('renders verdict, scenarios, coverage chart and swimlanes with no console errors and no script from the data', async () => {
    const file = join(runDir, 'index.html');
    const { page, trouble } = await open(browser, file);
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.js)).toBe('ready'); // our own script ran under the CSP

    expect(await page.locator('#verdict h1').textContent()).toBe(report.verdict.toUpperCase());
    expect(await page.locator('#verdict h1').isVisible()).toBe(true);
    const scenarios = page.locator('details.scenario');
    expect(await scenarios.count()).toBe(report.scenarios.length);
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));

    for (const [i, s] of report.scenarios.entries()) {
      const section = page.locator(`#scenario-${i}`);
      expect(await section.locator(':scope > summary').textContent()).toContain(s.name); // hostile names render as literal text
      const chart = section.locator('svg.coverage-chart').first();
      expect(await chart.isVisible()).toBe(true);
      const box = await chart.boundingBox();
      expect(box!.width).toBeGreaterThan(600);
      for (const k of ['desired', 'available', 'updated']) {
        const points = (await chart.locator(`polyline.series-${k}`).getAttribute('points')) ?? '';
        expect(points.split(' ').length, `${k} points`).toBeGreaterThan(1);
      }
      const lanes = section.locator('svg.swimlanes').first();
      expect(await lanes.isVisible()).toBe(true);
      expect(await lanes.locator('g.lane').count()).toBe(new Set(s.finalNodes.map((n) => n.node)).size);
      expect(await lanes.locator('g.pod rect').count()).toBeGreaterThan(0);
    }
    expect(await page.locator('#scenario-0 g.pod-failing rect').first().isVisible()).toBe(true);

    // The node filter is a progressive enhancement: visible only with JS, and it hides rows.
    const filter = page.locator('#scenario-0 input.filter');
    expect(await filter.isVisible()).toBe(true);
    await filter.fill('worker-2');
    expect(await page.locator('#nodes-0 tbody tr:not([hidden])').count()).toBe(1);

    await page.screenshot({ path: join(OUT, 'report.png'), fullPage: true });
    await expectNoTrouble(page, trouble);
    await page.context().close();
  });

  it.skipIf(!HAS_CHROMIUM)('shows the verdict and the assertions with JavaScript disabled', async () => {
    const { page, trouble } = await open(browser, join(runDir, 'index.html'), false);
    expect(await page.locator('#verdict h1').isVisible()).toBe(true);
    expect(await page.locator('#verdict h1').textContent()).toBe('FAILED');
    const failed = page.locator('details.scenario[data-verdict="failed"]').first();
    const assertions = failed.locator('table.assertions');
    expect(await assertions.isVisible()).toBe(true);
    expect(await assertions.textContent()).toContain('at most 1 node without an available pod');
    expect(await failed.locator('svg.coverage-chart').first().isVisible()).toBe(true);
    expect(await page.locator('input.filter').first().isVisible()).toBe(false);
    await page.screenshot({ path: join(OUT, 'report-no-js.png'), fullPage: true });
    await expectNoTrouble(page, trouble, false);
    await page.context().close();
  });

  it.skipIf(!HAS_CHROMIUM)('junit.xml parses as XML with one testcase per scenario and the observed failure text', async () => {
    const xml = await readFile(join(runDir, 'junit.xml'), 'utf8');
    const { page } = await open(browser, join(runDir, 'index.html'));
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        testcases: [...doc.querySelectorAll('testcase')].map((t) => ({ name: t.getAttribute('name'), classname: t.getAttribute('classname'), failure: t.querySelector('failure')?.getAttribute('message') ?? null })),
      };
    }, xml);
    expect(parsed.error).toBeNull();
    expect(parsed.testcases.map((t) => t.name)).toEqual(report.scenarios.map((s) => s.name));
    expect(parsed.testcases.map((t) => t.classname)).toEqual(report.scenarios.map((s) => s.file));
    expect(parsed.testcases[0]!.failure).toContain('unavailable within budget: 2 nodes without an available pod');
    await page.context().close();
  });

  it.skipIf(!HAS_CHROMIUM)('renders a 1,000-node run with aggregated lanes, and the history page with trends', async () => {
    const bigDir = await writeRunReport(runReport([largeScenario(1000)], { runId: 'big-run', startedAt: '2026-03-02T00:00:00.000Z', endedAt: '2026-03-02T00:00:25.000Z' }), join(OUT, 'reports'));
    const big = await open(browser, join(bigDir, 'index.html'));
    const lanes = big.page.locator('svg.aggregate-lanes');
    expect(await lanes.isVisible()).toBe(true);
    expect(await lanes.locator('polygon.area').count()).toBeGreaterThan(3);
    expect(await big.page.locator('svg.swimlanes:not(.aggregate-lanes)').first().isVisible()).toBe(false); // per-node detail collapsed
    await big.page.screenshot({ path: join(OUT, 'report-1000-nodes.png'), fullPage: false });
    await expectNoTrouble(big.page, big.trouble);
    await big.page.context().close();

    const history = await open(browser, join(OUT, 'reports', 'index.html'));
    expect(await history.page.locator('table.runs tbody tr').count()).toBe(2);
    expect(await history.page.locator('svg.sparkline').count()).toBeGreaterThan(0);
    await history.page.screenshot({ path: join(OUT, 'history.png'), fullPage: true });
    await expectNoTrouble(history.page, history.trouble);
    await history.page.context().close();
  });
});
