/**
 * The built sandbox in Debian's Chromium, served from a sub-path (`/cavra/`, as GitHub Pages serves a project
 * site) by a static server with no deep-link fallback: the banner, the scenario's 4/1/2, personas changing
 * what the API allows, Platform Security approving, the Change Advisory Board breaking glass, the Auditor
 * verifying, a downloaded bundle the CLI accepts, the nine-step tour, axe, and reset. Tests run in order on one
 * page context (state carries over, as for a visitor).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serveStatic, type StaticSite } from './sandbox-server';
import { hasChromium, launchBrowser, screenshot, seriousViolations } from './support/browser';
import { ROOT } from './support/server';

const DIST = join(ROOT, 'dist', 'sandbox');
const SEED_DECISIONS = (
  JSON.parse(readFileSync(join(ROOT, 'fixtures', 'sandbox', 'manifest.json'), 'utf8')) as {
    report: { decisions: number };
  }
).report.decisions;

let site: StaticSite;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let downloadDir: string;

async function go(hashPath: string): Promise<void> {
  await page.goto(`${site.url}#${hashPath}`);
  await page.getByRole('region', { name: 'Sandbox' }).waitFor({ timeout: 60_000 });
}

async function choosePersona(label: string): Promise<void> {
  await page.getByRole('region', { name: 'Sandbox' }).getByLabel('Persona').selectOption({ label });
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain(label);
}

/** Runs the scenario page's current scenario and returns the outcomes of its seven cards. */
async function runScenario(mode = 'enforce'): Promise<string[]> {
  await go(`/scenarios?scenario=before-the-agent-acts&mode=${mode}`);
  await page.getByRole('button', { name: 'Run agent scenario' }).click({ timeout: 60_000 });
  const cards = page.locator('[data-outcome]');
  await cards.nth(6).waitFor({ timeout: 30_000 });
  await expect.poll(() => page.getByRole('button', { name: 'Run agent scenario' }).isEnabled()).toBe(true);
  return cards.evaluateAll((elements) =>
    elements.map((element) => element.getAttribute('data-outcome') ?? ''),
  );
}

/** A call to the in-page API as the current persona (the sandbox exposes its runtime for exactly this). */
function pageApi<T>(path: string): Promise<T> {
  return page.evaluate(async (url) => {
    // The page's global (sandbox/main.tsx); this file is compiled without the page's types.
    const { cavraSandbox } = window as unknown as { cavraSandbox?: { runtime: { fetch: typeof fetch } } };
    const runtime = cavraSandbox?.runtime;
    if (runtime === undefined) throw new Error('the sandbox did not boot');
    const response = await runtime.fetch(url);
    return (await response.json()) as T;
  }, `/api${path}`);
}

function tally(outcomes: readonly string[]) {
  return {
    blocked: outcomes.filter((o) => o === 'block').length,
    approval: outcomes.filter((o) => o === 'require_approval').length,
    allowed: outcomes.filter((o) => o === 'allow' || o === 'allow_with_attestation').length,
    attested: outcomes.filter((o) => o === 'allow_with_attestation').length,
  };
}

describe.skipIf(!hasChromium)('sandbox e2e', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    if (process.env.CAVRA_E2E_SKIP_BUILD !== '1') {
      execFileSync(
        process.execPath,
        [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'sandbox/vite.config.ts'],
        {
          cwd: ROOT,
          stdio: 'pipe',
        },
      );
    }
    site = await serveStatic(DIST, '/cavra/');
    browser = await launchBrowser();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    downloadDir = mkdtempSync(join(tmpdir(), 'cavra-sandbox-e2e-'));
  }, 180_000);

  afterAll(async () => {
    await browser.close();
    await site.close();
    rmSync(downloadDir, { recursive: true, force: true });
  });

  test('boots from a sub-path with the banner and the seed', async () => {
    await go('/');
    await expect.poll(() => page.getByText('Sandbox — synthetic data').first().isVisible()).toBe(true);
    const decisions = await pageApi<{ total: number }>('/decisions?limit=1');
    expect(decisions.total).toBe(SEED_DECISIONS);
    await screenshot(page, 'sandbox-overview');
  });

  test('Run agent scenario in Enforce mode: 4 blocked, 1 approval required, 2 allowed (1 with attestation)', async () => {
    const outcomes = await runScenario();
    expect(tally(outcomes)).toEqual({ blocked: 4, approval: 1, allowed: 2, attested: 1 });
    await expect
      .poll(() => page.getByRole('region', { name: 'Run metrics' }).innerText())
      .toMatch(/Blocked\s*4/);
    await screenshot(page, 'sandbox-scenario');
  });

  test('the policy mode and the persona change the decisions', async () => {
    expect(tally(await runScenario('audit_only'))).toEqual({
      blocked: 0,
      approval: 0,
      allowed: 0,
      attested: 0,
    });
    await choosePersona('Developer');
    await go('/scenarios?scenario=before-the-agent-acts&mode=break_glass');
    await page.getByRole('button', { name: 'Run agent scenario' }).click({ timeout: 60_000 });
    await expect.poll(() => page.getByRole('alert').first().innerText()).toMatch(/Change Advisory Board/);
    await choosePersona('Change Advisory Board');
    expect(tally(await runScenario('break_glass')).attested).toBe(7);
    const session = await pageApi<{ permissions: { create_break_glass: boolean } }>('/console/session');
    expect(session.permissions.create_break_glass).toBe(true);
    await choosePersona('Developer');
    const developer = await pageApi<{ permissions: { create_break_glass: boolean } }>('/console/session');
    expect(developer.permissions.create_break_glass).toBe(false);
  });

  test('Platform Security approves the pending IAM request; a developer may not', async () => {
    await choosePersona('Developer');
    await runScenario();
    const iam = await page.locator('[data-outcome="require_approval"]').first().innerText();
    expect(iam).toMatch(/iam\/admin-role\.tf/);
    const approvals = await pageApi<{ items: { approval_id: string; decision: { target: string } }[] }>(
      '/approvals?state=pending&limit=50',
    );
    const pending = approvals.items.find((a) => a.decision.target === 'iam/admin-role.tf');
    expect(pending).toBeDefined();
    await go(`/approvals/${pending?.approval_id ?? ''}`);
    await expect.poll(() => page.getByRole('button', { name: 'Approve…' }).isDisabled()).toBe(true);
    await choosePersona('Platform Security approver');
    await go(`/approvals/${pending?.approval_id ?? ''}`);
    await page.getByRole('button', { name: 'Approve…' }).click();
    await page.getByLabel(/Reason/).fill('Reviewed the role diff: least privilege is kept.');
    await page.getByRole('dialog').getByRole('button', { name: 'Approve', exact: true }).click();
    await expect
      .poll(async () => (await pageApi<{ state: string }>(`/approvals/${pending?.approval_id ?? ''}`)).state)
      .toBe('approved');
    await screenshot(page, 'sandbox-approved');
  });

  test('the Change Advisory Board opens a break-glass on a blocked action', async () => {
    await choosePersona('Change Advisory Board');
    const outcomes = await runScenario();
    expect(tally(outcomes).blocked).toBe(4);
    const blocked = await pageApi<{ items: { decision_id: string; target: string }[] }>(
      '/decisions?decision=block&action_type=execute_command&limit=1',
    );
    const decisionId = blocked.items[0]?.decision_id ?? '';
    await go('/approvals/break-glass');
    await page.getByLabel('Decision to override').fill(decisionId);
    await page.getByLabel(/^Reason/).fill('Production recovery for the active payments incident.');
    await page.getByLabel(/Incident or change reference/).fill('INC-777');
    await page.getByLabel(/Type BREAK GLASS to confirm/).fill('BREAK GLASS');
    await page.getByRole('button', { name: 'Break glass' }).click();
    await expect
      .poll(async () => {
        const page1 = await pageApi<{ items: { decision_id: string; state: string }[] }>(
          '/approvals?state=break_glass&limit=50',
        );
        return page1.items.some((a) => a.decision_id === decisionId);
      })
      .toBe(true);
  });

  test('the Auditor verifies the evidence log in the page', async () => {
    await choosePersona('Auditor');
    await go('/evidence');
    await page.getByRole('button', { name: 'Verify the whole log' }).click();
    await expect
      .poll(() => page.getByText('Every entry, link and signed checkpoint checks out.').isVisible(), {
        timeout: 60_000,
      })
      .toBe(true);
    await screenshot(page, 'sandbox-evidence-verified');
  });

  test('a downloaded session bundle verifies with the CLI', async () => {
    await runScenario();
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download evidence bundle' }).click();
    const download = await downloading;
    const file = join(downloadDir, download.suggestedFilename());
    await download.saveAs(file);
    const output = execFileSync(
      process.execPath,
      [
        join(ROOT, 'bin', 'cavra.mjs'),
        'evidence',
        'verify',
        file,
        '--trust-root',
        join(ROOT, 'fixtures', 'sandbox', 'sandbox-trust-root.json'),
      ],
      { encoding: 'utf8' },
    );
    expect(output).toMatch(/valid|verified/i);
  });

  test('presenter mode runs from step 1 to 9 by keyboard', async () => {
    await go('/tour');
    await page.getByRole('link', { name: /Start “Before the Agent Acts/ }).click();
    const panel = page.getByRole('complementary', { name: 'Presenter mode' });
    for (let step = 1; step <= 9; step += 1) {
      await expect.poll(() => panel.innerText()).toContain(`step ${step} of 9`);
      await expect.poll(() => page.getByTestId('tour-highlight').count()).toBe(1);
      if (step < 9) await page.keyboard.press('ArrowRight');
    }
    expect(page.url()).toContain('tour=first-demo&step=9');
    await screenshot(page, 'sandbox-tour-step-9');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('heading', { name: 'Presenter mode' }).isVisible()).toBe(true);
  });

  test('no serious or critical axe violations on the scenario and tour pages', async () => {
    await go('/scenarios');
    await page.getByRole('button', { name: 'Run agent scenario' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await go('/tour');
    await page.getByRole('heading', { name: 'Presenter mode' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('reset restores the seed', async () => {
    await go('/');
    expect((await pageApi<{ total: number }>('/decisions?limit=1')).total).toBeGreaterThan(SEED_DECISIONS);
    await page.getByRole('button', { name: 'Reset sandbox' }).click();
    await expect.poll(() => page.getByText('Sandbox reset to the seed data.').isVisible()).toBe(true);
    expect((await pageApi<{ total: number }>('/decisions?limit=1')).total).toBe(SEED_DECISIONS);
    await page.reload();
    await page.getByRole('region', { name: 'Sandbox' }).waitFor({ timeout: 60_000 });
    await expect
      .poll(async () => (await pageApi<{ total: number }>('/decisions?limit=1')).total)
      .toBe(SEED_DECISIONS);
  });
});
