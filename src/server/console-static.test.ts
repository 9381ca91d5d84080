import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { consoleApp } from './console-static';

const dir = mkdtempSync(join(tmpdir(), 'cavra-console-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('without a built console, / says so and links the API; nothing pretends to be a console', async () => {
  const app = consoleApp(join(dir, 'missing'), '0.1.0');
  const home = await app.request('http://localhost:8787/');
  expect(home.status).toBe(200);
  const html = await home.text();
  expect(html).toContain('the web console is not built yet');
  expect(html).toContain('href="/api/openapi.json"');
  expect(html).toContain('href="/api/health"');
  expect(html).toContain('curl -s http://localhost:8787/api/decisions');
  expect((await app.request('/decisions')).status).toBe(404);
});

test('the Host header is escaped into the page', async () => {
  const app = consoleApp(join(dir, 'missing'), '0.1.0');
  const html = await (await app.request('/', { headers: { host: 'x"><script>alert(1)</script>' } })).text();
  expect(html).not.toContain('<script>alert(1)</script>');
});

test('a built console is served with a single-page-app fallback; missing assets stay 404', async () => {
  const built = join(dir, 'console');
  mkdirSync(join(built, 'assets'), { recursive: true });
  writeFileSync(join(built, 'index.html'), '<!doctype html><title>CAVRA console</title>');
  writeFileSync(join(built, 'assets', 'app.js'), 'console.log(1)');
  const app = consoleApp(built, '0.1.0');
  expect(await (await app.request('/')).text()).toContain('CAVRA console');
  expect(await (await app.request('/assets/app.js')).text()).toBe('console.log(1)');
  const deepLink = await app.request('/decisions/dec_123');
  expect(deepLink.status).toBe(200);
  expect(await deepLink.text()).toContain('CAVRA console');
  expect((await app.request('/assets/missing.js')).status).toBe(404);
});
