/**
 * Everything outside `/api`: the built console (`dist/console/`) with a single-page-app fallback, or, while
 * the console is not built, a small page that says so and points at the API. Never a fake console.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

/** Whether a built console is present. */
export function isConsoleBuilt(consoleDir: string): boolean {
  return existsSync(join(consoleDir, 'index.html'));
}

/** The non-API routes for a console directory. */
export function consoleApp(consoleDir: string, version: string): Hono {
  const app = new Hono();
  if (!isConsoleBuilt(consoleDir)) {
    app.get('/', (c) => c.html(notBuiltPage(version, new URL(c.req.url).origin)));
    app.all('*', (c) => c.text('not found: the console is not built; the API is under /api\n', 404));
    return app;
  }
  app.use('*', serveStatic({ root: consoleDir }));
  // Client-side routes (/decisions/dec_…) get the app shell; a missing asset (/assets/x.js) stays a 404.
  app.get('*', async (c, next) => {
    if (/\.[a-z0-9]+$/i.test(c.req.path)) return next();
    return serveStatic({ root: consoleDir, path: 'index.html' })(c, next);
  });
  app.all('*', (c) => c.text('not found\n', 404));
  return app;
}

function notBuiltPage(version: string, origin: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CAVRA ${escapeHtml(version)}: API running, console not built</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #1f2328; }
  code { background: #f2f4f6; padding: 0 .25rem; border-radius: 3px; }
  @media (prefers-color-scheme: dark) { body { background: #0d1117; color: #e6edf3; } code { background: #161b22; } a { color: #58a6ff; } }
</style>
</head>
<body>
<h1>CAVRA is running</h1>
<p>The API is up; the web console is not built yet (it arrives with the console issue and will be served here
from <code>dist/console/</code>).</p>
<ul>
  <li><a href="/api/health">/api/health</a>: liveness</li>
  <li><a href="/api/openapi.json">/api/openapi.json</a>: every endpoint, request and response (OpenAPI 3.1)</li>
  <li><a href="/api/decisions">/api/decisions</a>, <a href="/api/sessions">/api/sessions</a>,
    <a href="/api/evidence">/api/evidence</a>: what is stored</li>
  <li><a href="/api/console/session">/api/console/session</a>: who you are to this server</li>
</ul>
<p>Try a decision:</p>
<pre><code>curl -s ${escapeHtml(origin)}/api/decisions -H 'content-type: application/json' \\
  -d '{"action_type":"execute_command","target":"terraform plan &amp;&amp; terraform apply"}'</code></pre>
</body>
</html>
`;
}

/** The origin comes from the Host header: escape it like any other input. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
