// A real report from a kwok run, opened in Debian's chromium: the scenarios, the coverage chart and
// the swimlanes render, the console is clean, and hostile strings planted in the cluster never run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { RunReport } from '../../src/report/report-model.js';
import { rollcall } from '../support/cli.js';
import { HOSTILE } from '../fixtures/scenarios/hostile-strings.js';
import { tempDir } from '../support/temp-dir.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const OUT = resolve('test-output/real-run-browser');

describe.skipIf(!HAS_CHROMIUM)(`real kwok report in chromium${HAS_CHROMIUM ? '' : ' [skipped: /usr/bin/chromium missing; apt-get install -y chromium]'}`, () => {
  let browser: Browser;
  let runDir: string;
  let report: RunReport;

  beforeAll(async () => {
    const reportDir = tempDir('rollcall-browser-');
    const r = await rollcall(['run', 'test/fixtures/scenarios/hostile-strings.ts', '--report-dir', reportDir]);
    expect(r.exitCode, r.all).toBe(0);
    runDir = join(reportDir, readdirSync(reportDir).find((d) => /^\d{4}-/.test(d))!);
    report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as RunReport;
    await mkdir(OUT, { recursive: true });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('renders the run, its chart and swimlanes, with no console errors and no script from cluster data', async () => {
    expect(report.scenarios[0]!.events.some((e) => e.message.includes(HOSTILE))).toBe(true);
    const html = readFileSync(join(runDir, 'index.html'), 'utf8');
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toMatch(/https?:\/\//);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    const dialogs: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await page.goto(`file://${join(runDir, 'index.html')}`);
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));

    expect(await page.locator('#verdict h1').textContent()).toBe('PASSED');
    const section = page.locator('#scenario-0');
    expect(await section.locator(':scope > summary').textContent()).toContain(HOSTILE);
    for (const k of ['desired', 'available', 'updated']) {
      const points = (await section.locator(`svg.coverage-chart polyline.series-${k}`).first().getAttribute('points')) ?? '';
      expect(points.split(' ').length, k).toBeGreaterThan(1);
    }
    const lanes = section.locator('svg.swimlanes').first();
    expect(await lanes.isVisible()).toBe(true);
    expect(await lanes.locator('g.lane').count()).toBe(2);
    expect(await page.locator('body').textContent()).toContain('planted <img');
    await page.screenshot({ path: join(OUT, 'real-report.png'), fullPage: true });

    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await context.close();
  });
});
