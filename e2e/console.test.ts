/**
 * The console in a real browser against the real server: counts, URL filters, the decision drawer with a
 * browser-checked inclusion proof, the playground, approving with a reason, axe on every page, 390 px, and
 * the error state when the API is gone. One server, one browser, tests in order (the last stops the server).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium, launchBrowser, screenshot, seriousViolations } from './support/browser';
import { ROOT, startServer, type RunningServer } from './support/server';

type Page1<T> = { items: T[]; total: number };
type DecisionRow = { decision_id: string; decision: string; target: string; session_id: string };

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;

async function api<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function open(path: string, width = 1280): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 900 });
  await page.goto(`${server.url}/#${path}`);
  return page;
}

describe.skipIf(!hasChromium)('console e2e', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    if (process.env.CAVRA_E2E_SKIP_BUILD !== '1') {
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-console.mjs')], {
        cwd: ROOT,
        stdio: 'inherit',
      });
    }
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    context = await browser.newContext({ colorScheme: 'light' });
  }, 120_000);

  afterAll(async () => {
    await browser.close();
    await server.stop();
  }, 30_000);

  test('the initial bundle stays within 300 KB gzipped and carries no sandbox backend', () => {
    const output = execFileSync(process.execPath, [join(ROOT, 'scripts', 'bench-console.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const summary = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as {
      console_initial_gz_kb: number;
      sandbox_backend_markers: string[];
      react_development_build: boolean;
    };
    expect(summary.console_initial_gz_kb).toBeGreaterThan(50);
    expect(summary.console_initial_gz_kb).toBeLessThanOrEqual(300);
    expect(summary.sandbox_backend_markers).toEqual([]);
    expect(summary.react_development_build).toBe(false);
  });

  test('the overview shows the counts the API reports', async () => {
    const [all, blocked] = await Promise.all([
      api<Page1<DecisionRow>>('/decisions?limit=1'),
      api<Page1<DecisionRow>>('/decisions?limit=1&decision=block'),
    ]);
    expect(all.total).toBeGreaterThan(0);
    const page = await open('/');
    const decisions = page.getByRole('link', { name: /^Decisions\s+\d+/ });
    await expect.poll(() => decisions.textContent()).toContain(String(all.total));
    await expect
      .poll(() => page.getByRole('link', { name: /^Blocked/ }).textContent())
      .toContain(String(blocked.total));
    await page.getByText('Demo mode: no identity provider').waitFor();
    await screenshot(page, 'overview-1280');
    await page.close();
  });

  test('an activity filter lives in the URL and survives a reload', async () => {
    const page = await open('/activity/decisions');
    await page.getByRole('table', { name: 'Decisions' }).waitFor();
    const outcome = page.getByRole('combobox', { name: 'Decision' });
    await outcome.selectOption('block');
    await expect.poll(() => page.url()).toContain('decision=block');
    await page.reload();
    await expect.poll(() => outcome.inputValue()).toBe('block');
    const blocked = await api<Page1<DecisionRow>>('/decisions?limit=500&decision=block');
    await expect.poll(() => page.getByText(`${blocked.total} of ${blocked.total} loaded`).count()).toBe(1);
    const outcomes = await page
      .getByRole('table', { name: 'Decisions' })
      .locator('tbody tr td:nth-child(2)')
      .allTextContents();
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((text) => text.includes('block'))).toBe(true);
    await page.close();
  });

  test('sorting a column asks the server for that order (not just the loaded rows)', async () => {
    const page = await open('/activity/decisions?sort=severity.desc');
    const request = page.waitForRequest(
      (r) => r.url().includes('/api/decisions?') && r.url().includes('sort='),
    );
    await page.reload();
    expect(new URL((await request).url()).searchParams.get('sort')).toBe('-severity');
    await page.getByRole('table', { name: 'Decisions' }).waitFor();
    const expected = (
      await api<Page1<DecisionRow & { severity: string }>>('/decisions?limit=5&sort=-severity')
    ).items;
    const severities = await page
      .getByRole('table', { name: 'Decisions' })
      .locator('tbody tr td:nth-child(3)')
      .allTextContents();
    expect(severities.slice(0, 5).map((text) => text.trim().replace(/^[^a-z]+/, ''))).toEqual(
      expected.map((d) => d.severity),
    );
    await page.close();
  });

  test('a decision opens in a drawer with its explanation and a proof checked in the browser', async () => {
    const first = (await api<Page1<DecisionRow>>('/decisions?limit=1&decision=block')).items[0];
    if (!first) throw new Error('the seed has no blocked decision');
    const page = await open('/activity/decisions?decision=block');
    await page.getByRole('button', { name: `Open decision ${first.decision_id}` }).click();
    const drawer = page.getByRole('dialog', { name: `Decision ${first.decision_id}` });
    await drawer.waitFor();
    await expect.poll(() => page.url()).toContain(`open=${first.decision_id}`);
    await drawer.getByText(first.target, { exact: true }).first().waitFor();
    await drawer.getByRole('region', { name: 'Why' }).waitFor();
    // The audit path is hashed in the page with Web Crypto and compared with the signed checkpoint's root.
    await drawer.getByText(/^✓\s*included$/).waitFor();
    await drawer.getByText(/the audit path leads to the checkpoint root/).waitFor();
    await screenshot(page, 'decision-drawer-1280');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.url()).not.toContain('open=');
    await page.close();
  });

  test('the playground shows the decision for a command (nothing stored)', async () => {
    const before = (await api<Page1<DecisionRow>>('/decisions?limit=1')).total;
    const page = await open('/policies/playground');
    await page.getByLabel('Command').fill('terraform plan && terraform apply -auto-approve');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    const result = page.getByTestId('playground-decision');
    await result.getByTitle('decision: block').waitFor();
    await result.getByText('commands.block').waitFor();
    expect(page.url()).toContain('target=terraform');
    expect((await api<Page1<DecisionRow>>('/decisions?limit=1')).total).toBe(before);
    await page.close();
  });

  test('the registry edits an MCP server where the session may', async () => {
    const servers = await api<Page1<{ server_id: string; approval_state: string }>>('/mcp/servers');
    const server1 = servers.items.find((item) => item.approval_state !== 'denied');
    if (!server1) throw new Error('the seed has no MCP server to deny');
    const page = await open('/registry?tab=mcp');
    await page.getByLabel(`Approval state of ${server1.server_id}`).selectOption('denied');
    await page.getByText(`${server1.server_id}: approval state is now denied`).waitFor();
    const stored = await api<{ approval_state: string }>(`/mcp/servers/${server1.server_id}`);
    expect(stored.approval_state).toBe('denied');
    await page.close();
  });

  test('the registry registers an agent, whose disabled status then blocks its decisions', async () => {
    const page = await open('/registry?tab=agents');
    await page.getByLabel('Agent id').fill('e2e-agent');
    await page.getByLabel('Owner (never approves this agent').fill('owner@acme.example');
    await page.getByLabel(/Allowed repositories/).fill('acme/e2e-*');
    await page.getByRole('button', { name: 'Register agent' }).click();
    await page.getByText(/^Registered e2e-agent \(active\)/).waitFor();
    const stored = await api<{ owner: string; allowed_repositories: string[] }>('/agents/e2e-agent');
    expect(stored).toMatchObject({ owner: 'owner@acme.example', allowed_repositories: ['acme/e2e-*'] });
    await page.getByLabel('Status of e2e-agent').selectOption('disabled');
    await expect
      .poll(async () => (await api<{ status: string }>('/agents/e2e-agent')).status)
      .toBe('disabled');
    const decided = await api<{ decision: string; rule_id: string }>('/decisions', {
      action_type: 'execute_command',
      target: 'npm test',
      agent_id: 'e2e-agent',
      repository: 'acme/e2e-app',
      session_id: 'sess_e2e_registry',
    });
    expect(decided).toMatchObject({ decision: 'block', rule_id: 'registry.agent.disabled' });
    await page.close();
  });

  test('an approver approves a pending request with a reason and sees it in the history', async () => {
    // The seed routes its gated decisions to approvals requested by the agents; any one will do.
    const pending = await api<Page1<{ approval_id: string; requested_by: string }>>(
      '/approvals?state=pending&limit=500',
    );
    const created = pending.items.find((item) => item.requested_by !== 'demo-operator');
    if (!created) throw new Error('the seed has no pending approval requested by an agent');
    const page = await open('/approvals?state=pending');
    await page.getByRole('link', { name: created.approval_id }).click();
    await page.getByRole('heading', { name: `Approval ${created.approval_id}` }).waitFor();
    await page.getByRole('button', { name: 'Approve…' }).click();
    const dialog = page.getByRole('dialog', { name: `Approve ${created.approval_id}` });
    const submit = dialog.getByRole('button', { name: 'Approve', exact: true });
    expect(await submit.isDisabled()).toBe(true);
    await dialog.getByLabel(/Reason/).fill('Reviewed the change with the owning team; safe to apply.');
    await dialog.getByLabel(/External reference/).fill('CHG-4242');
    await submit.click();
    await page
      .getByRole('region', { name: 'History' })
      .getByText(/Reviewed the change with the owning team/)
      .waitFor();
    await page.getByTitle('approval: approved').waitFor();
    const stored = await api<{ state: string; history: { event: string; reason: string | null }[] }>(
      `/approvals/${created.approval_id}`,
    );
    expect(stored.state).toBe('approved');
    expect(stored.history.at(-1)?.reason).toBe('Reviewed the change with the owning team; safe to apply.');
    await screenshot(page, 'approval-approved-1280');
    await page.close();
  });

  test('an auditor verifies the whole log, opens a proof and downloads a session bundle', async () => {
    const decision = (await api<Page1<DecisionRow>>('/decisions?limit=1')).items[0];
    if (!decision) throw new Error('the seed has no decision');
    const page = await open(`/evidence?proof=${decision.decision_id}`);
    await page.getByRole('button', { name: 'Verify the whole log' }).click();
    const report = page.getByRole('region', { name: 'Verify everything' });
    await report.getByText('Every entry, link and signed checkpoint checks out.').waitFor();
    await page
      .getByRole('region', { name: 'Proof viewer' })
      .getByText(/^✓\s*included$/)
      .waitFor();
    await page.getByLabel('Session id').fill(decision.session_id);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download signed bundle' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.zip$/);
    await page.getByText(/^Saved .*\.zip \(/).waitFor();
    await screenshot(page, 'evidence-verified-1280');
    await page.close();
  });

  test('an auditor exports a session to a SIEM format and checks a PR attestation against it', async () => {
    const decision = (await api<Page1<DecisionRow>>('/decisions?limit=1')).items[0];
    if (!decision) throw new Error('the seed has no decision');
    const page = await open('/evidence');
    await page.getByLabel('Session to export or attest').fill(decision.session_id);
    await page.getByLabel('Format').selectOption('ocsf');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download export' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${decision.session_id}-ocsf-events.jsonl`);
    await page.getByRole('button', { name: "Load the session's attestation" }).click();
    const text = page.getByLabel(/PR attestation to check/);
    await expect.poll(() => text.inputValue()).toContain(decision.session_id);
    await page.getByRole('button', { name: 'Verify attestation' }).click();
    const check = page.getByRole('region', { name: 'Attestation check' });
    await check.getByText(/The attestation covers all \d+ decisions/).waitFor();
    // A line removed from the attestation: the check names the decision it no longer covers.
    const markdown = await text.inputValue();
    const line = markdown.split('\n').find((l) => l.includes(decision.target));
    if (line === undefined) throw new Error('the attestation has no line for the decision');
    await text.fill(markdown.replace(`${line}\n`, ''));
    await page.getByRole('button', { name: 'Verify attestation' }).click();
    await check.getByText(/does not match/).waitFor();
    await check
      .getByText(/missing decision target/)
      .first()
      .waitFor();
    await screenshot(page, 'evidence-attestation-1280');
    await page.close();
  });

  test('the main pages have no serious or critical axe violations, in light and dark', async () => {
    const pages = [
      '/',
      '/activity/decisions',
      '/activity/sessions',
      '/approvals',
      '/evidence',
      '/registry',
      '/policies',
      '/policies/playground',
      '/session',
    ];
    const found: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      const themed = await browser.newContext({ colorScheme: scheme });
      const page = await themed.newPage();
      for (const path of scheme === 'light' ? pages : ['/', '/approvals']) {
        await page.goto(`${server.url}/#${path}`);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await page
          .getByText(/^Loading/)
          .first()
          .waitFor({ state: 'detached' });
        found.push(...(await seriousViolations(page)).map((v) => `${scheme} ${path}: ${v}`));
      }
      await themed.close();
    }
    expect(found).toEqual([]);
  }, 180_000);

  test('at 390 px the pages fit the screen and the menu opens', async () => {
    for (const path of ['/', '/approvals', '/activity/decisions', '/evidence']) {
      const page = await open(path, 390);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, `${path} is wider than 390 px`).toBeLessThanOrEqual(0);
      if (path === '/') {
        await page.getByRole('button', { name: 'Menu' }).click();
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Evidence' })
          .waitFor();
        await screenshot(page, 'overview-390-menu');
      }
      if (path === '/approvals') await screenshot(page, 'approvals-390');
      await page.close();
    }
  });

  test('an unreachable API at start-up is an error with a retry that recovers', async () => {
    const page = await context.newPage();
    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    await page.goto(`${server.url}/#/`);
    await page.getByText('The CAVRA API is unreachable').waitFor();
    await screenshot(page, 'api-unreachable-at-start');
    await page.unroute('**/api/**');
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.close();
  });

  test('when the API stops, the console says so and offers a retry (no sample data)', async () => {
    const page = await open('/activity/sessions');
    await page.getByRole('table', { name: 'Sessions' }).waitFor();
    await server.stop();
    // A new view needs data the console does not have: it must say the API is gone, not invent rows.
    await page.evaluate("location.hash = '#/activity/sessions?state=archived'");
    const alert = page.getByRole('alert').filter({ hasText: 'The CAVRA API is unreachable' });
    await alert.waitFor();
    await alert.getByRole('button', { name: 'Retry' }).waitFor();
    expect(await page.getByRole('table', { name: 'Sessions' }).count()).toBe(0);
    await screenshot(page, 'api-down');
    await page.close();
  });
});
