/**
 * The live console's entry: the browser's fetch to this server's `/api`, and OIDC login when the server names an
 * issuer in `/api/console/config` (demo servers need none). The sandbox has its own entry calling the same
 * `mountConsole` with another transport and auth adapter.
 */
import { mountConsole } from './app/create-console';
import type { ConsoleConfig } from './lib/api-types';
import { noLoginAuth, unavailableAuth, type AuthAdapter } from './lib/auth';

/** The API sits beside the console (`./api`), so a console served under a sub-path finds its API there too. */
function apiBaseUrl(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="cavra-api-base"]')?.content;
  return new URL(meta || './api', `${window.location.origin}${window.location.pathname}`).href.replace(
    /\/$/,
    '',
  );
}

async function authFor(config: ConsoleConfig): Promise<AuthAdapter> {
  if (config.oidc?.issuer && config.oidc.client_id) {
    const { createOidcAuth } = await import('./lib/oidc-auth');
    return createOidcAuth(config.oidc, window.location);
  }
  if (config.auth_mode === 'oidc') {
    return unavailableAuth(
      'this server validates OIDC tokens but /api/console/config names no issuer and client for the console; set them in the server configuration',
    );
  }
  return noLoginAuth('Demo mode: no identity provider; every caller acts as the demo operator.');
}

async function start() {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  const params = new URLSearchParams(window.location.search);
  if (window.parent !== window && params.has('state')) {
    // The silent-renew iframe: pass the provider's answer to the console in the parent window.
    const { completeSilentRenew } = await import('./lib/oidc-auth');
    await completeSilentRenew();
    return;
  }
  mountConsole(root, { fetch: window.fetch.bind(window), baseUrl: apiBaseUrl(), auth: authFor });
}

void start();
