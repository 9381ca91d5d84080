/**
 * The whole stack with a real identity provider (issue 5, "stack" tests): `cavra serve` configured for OIDC
 * (`CAVRA_APPROVAL_OIDC_CONFIG` with discovery, `CAVRA_CONSOLE_OIDC_CLIENT_ID`), the console signing people in
 * through oidc-provider with Authorization Code + PKCE in Chromium, and each persona doing what its groups allow:
 * the approver approves with a reason and sees the history, the developer sees the button disabled and why, the
 * CAB member opens a break-glass, the auditor verifies the log and a proof; when the API stops, the console says
 * so. axe on every page visited; screenshots at 1280 and 390 px in test-results/console/.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasChromium, launchBrowser, screenshot, seriousViolations } from './support/browser';
import {
  API_AUDIENCE,
  CONSOLE_CLIENT_ID,
  startOidcProvider,
  type RunningProvider,
  type UserId,
} from './support/oidc-provider';
import { freePort, startServer, type RunningServer } from './support/server';

type Approval = {
  approval_id: string;
  state: string;
  approver_group: string;
  requested_by: string;
  history: { event: string; actor: string; reason: string | null }[];
};

let provider: RunningProvider;
let server: RunningServer;
let browser: Browser;
let machineToken: string;

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${server.url}/api${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${machineToken}`,
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A fresh browser context signed in as `user` through the provider's login form; returns a page at `path`. */
async function signIn(user: UserId, path: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/#${path}`);
  try {
    await page.getByRole('button', { name: 'Sign in' }).click({ timeout: 20_000 });
  } catch (error) {
    await screenshot(page, `oidc-sign-in-missing-${user}`);
    throw error;
  }
  await page.waitForURL((url) => url.href.startsWith(provider.issuer));
  await page.locator('input[name="login"]').fill(user);
  await page.locator('input[name="password"]').fill('correct horse battery staple');
  await page.locator('button[type="submit"]').click();
  try {
    await page.waitForURL((url) => url.href.startsWith(server.url), { timeout: 15_000 });
  } catch (error) {
    await screenshot(page, `oidc-stuck-${user}`);
    throw new Error(`sign-in stuck at ${page.url()}: ${await page.locator('body').innerText()}`, {
      cause: error,
    });
  }
  try {
    await page.getByRole('heading', { level: 1 }).first().waitFor();
  } catch (error) {
    await screenshot(page, `oidc-after-login-${user}`);
    throw error;
  }
  return page;
}

async function axe(page: Page, label: string): Promise<string[]> {
  await page
    .getByText(/^Loading/)
    .first()
    .waitFor({ state: 'detached' });
  return (await seriousViolations(page)).map((violation) => `${label}: ${violation}`);
}

describe.skipIf(!hasChromium)('the stack with a real OIDC provider', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    provider = await startOidcProvider({
      redirectUris: [`${origin}/`],
      postLogoutRedirectUris: [`${origin}/`],
    });
    const dir = (await import('node:os')).tmpdir();
    const oidcConfig = join(dir, `cavra-e2e-oidc-${port}.json`);
    writeFileSync(
      oidcConfig,
      JSON.stringify({ issuer: provider.issuer, audience: API_AUDIENCE, discovery: true }, null, 2),
    );
    server = await startServer({
      port,
      env: {
        CAVRA_APPROVAL_OIDC_CONFIG: oidcConfig,
        CAVRA_CONSOLE_OIDC_CLIENT_ID: CONSOLE_CLIENT_ID,
        CAVRA_CONSOLE_OIDC_SCOPES: 'openid profile email groups',
        CAVRA_CONSOLE_OIDC_EXTRA_PARAMS: `resource=${API_AUDIENCE}`,
      },
    });
    browser = await launchBrowser();
    machineToken = await provider.machineToken();
  }, 120_000);

  afterAll(async () => {
    await browser.close();
    await server.stop();
    await provider.close();
  }, 30_000);

  test('the server runs in OIDC mode: anonymous writes are refused, the console is told its client', async () => {
    const config = (await (await fetch(`${server.url}/api/console/config`)).json()) as {
      auth_mode: string;
      oidc: { issuer: string; client_id: string; extra_query_params: Record<string, string> } | null;
    };
    expect(config.auth_mode).toBe('oidc');
    expect(config.oidc).toMatchObject({
      issuer: provider.issuer,
      client_id: CONSOLE_CLIENT_ID,
      extra_query_params: { resource: API_AUDIENCE },
    });
    const anonymous = await fetch(`${server.url}/api/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action_type: 'execute_command', target: 'npm test' }),
    });
    expect(anonymous.status).toBe(401);
  });

  test('the approver signs in, approves a pending request with a reason and sees the history', async () => {
    const pending = await api<{ items: Approval[] }>('/approvals?state=pending&limit=500');
    const target = pending.items.find((item) => item.approver_group === 'Platform Security');
    if (target === undefined) throw new Error('the seed has no pending Platform Security approval');
    const page = await signIn('alice.approver', `/approvals/${target.approval_id}`);
    await page
      .getByRole('heading', { name: `Approval ${target.approval_id}` })
      .waitFor()
      .catch(async (error: unknown) => {
        await screenshot(page, 'oidc-approver-detail-missing');
        throw new Error(`at ${page.url()}: ${(await page.locator('body').innerText()).slice(0, 800)}`, {
          cause: error,
        });
      });
    const found = await axe(page, 'approval detail (approver)');
    await page.getByRole('button', { name: 'Approve…' }).click();
    const dialog = page.getByRole('dialog', { name: `Approve ${target.approval_id}` });
    await dialog.getByLabel(/Reason/).fill('Checked the allow-list change with the MCP owners.');
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
    await page
      .getByRole('region', { name: 'History' })
      .getByText(/Checked the allow-list change/)
      .waitFor();
    await screenshot(page, 'oidc-approver-approved-1280');
    const stored = await api<Approval>(`/approvals/${target.approval_id}`);
    expect(stored.state).toBe('approved');
    // The approver is who signed in: the verified subject, not a name typed into a form.
    expect(stored.history.at(-1)?.actor).toMatch(/alice\.approver/);
    expect(found).toEqual([]);
    await page.context().close();
  });

  test('the developer sees the approve button disabled, and why', async () => {
    const pending = await api<{ items: Approval[] }>('/approvals?state=pending&limit=500');
    const target = pending.items[0];
    if (target === undefined) throw new Error('no pending approval left');
    const page = await signIn('dev.dana', `/approvals/${target.approval_id}`, 390);
    await page.getByRole('heading', { name: `Approval ${target.approval_id}` }).waitFor();
    const approve = page.getByRole('button', { name: 'Approve…' });
    await approve.waitFor();
    expect(await approve.isDisabled()).toBe(true);
    await page.getByText(/^Approve is unavailable: dev\.dana \(groups: Developers\)/).waitFor();
    const found = await axe(page, 'approval detail (developer, 390 px)');
    await screenshot(page, 'oidc-developer-disabled-390');
    expect(found).toEqual([]);
    await page.context().close();
  });

  test('the Change Advisory Board member opens a break-glass', async () => {
    const blocked = await api<{ items: { decision_id: string }[] }>('/decisions?decision=block&limit=1');
    const decision = blocked.items[0];
    if (decision === undefined) throw new Error('the seed has no blocked decision');
    const page = await signIn('carol.cab', '/approvals/break-glass');
    await page.getByLabel('Decision to override').fill(decision.decision_id);
    await page.getByLabel(/^Reason/).fill('Payments outage: the hotfix must ship before the CAB meets.');
    await page.getByLabel(/Incident or change reference/).fill('INC-2041');
    await page.getByLabel(/Type BREAK GLASS to confirm/).fill('BREAK GLASS');
    await page.getByRole('button', { name: 'Break glass', exact: true }).click();
    await expect
      .poll(async () => {
        const list = await api<{ items: (Approval & { decision_id?: string })[] }>(
          `/approvals?decision_id=${decision.decision_id}&limit=50`,
        );
        return list.items.some((item) => item.state === 'break_glass');
      })
      .toBe(true);
    const found = await axe(page, 'break-glass (CAB)');
    await screenshot(page, 'oidc-cab-break-glass-1280');
    expect(found).toEqual([]);
    await page.context().close();
  });

  test('the auditor verifies the evidence log and opens a decision proof', async () => {
    const decisions = await api<{ items: { decision_id: string }[] }>('/decisions?limit=1');
    const decision = decisions.items[0];
    if (decision === undefined) throw new Error('no decision');
    const page = await signIn('aaron.auditor', `/evidence?proof=${decision.decision_id}`);
    await page.getByRole('button', { name: 'Verify the whole log' }).click();
    await page
      .getByRole('region', { name: 'Verify everything' })
      .getByText('Every entry, link and signed checkpoint checks out.')
      .waitFor();
    await page
      .getByRole('region', { name: 'Proof viewer' })
      .getByText(/^✓\s*included$/)
      .waitFor();
    const found = await axe(page, 'evidence (auditor)');
    await screenshot(page, 'oidc-auditor-evidence-1280');
    expect(found).toEqual([]);

    // The API stops: the signed-in console says so instead of showing anything stale or invented.
    await server.stop();
    await page.goto(`${server.url}/#/activity/decisions`);
    await page
      .getByText(/unreachable|could not reach|failed to fetch/i)
      .first()
      .waitFor();
    await screenshot(page, 'oidc-api-stopped-1280');
    await page.context().close();
  });
});
