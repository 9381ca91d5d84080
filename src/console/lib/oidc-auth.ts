/**
 * OIDC login for the live console: Authorization Code + PKCE through oidc-client-ts, silent renew in a hidden
 * iframe (the console's own page handles the callback), logout through the provider's end-session endpoint.
 * The redirect URI is the console's page without its hash; the hash route the user was on travels in `state`
 * and is restored after the callback, because hash routes never reach the provider.
 */
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { ConsoleOidcConfig } from './api-types';
import { AuthStateHolder, type AuthAdapter, type AuthUser } from './auth';

const REDIRECT_GUARD_KEY = 'cavra.console.oidc.redirected_at';

/** Whether this page load is an OIDC callback (code or error in the query). */
export function isOidcCallback(location: Location): boolean {
  const params = new URLSearchParams(location.search);
  return params.has('state') && (params.has('code') || params.has('error'));
}

/** The redirect URI: this page, without query or hash. */
function pageUrl(location: Location): string {
  return `${location.origin}${location.pathname}`;
}

function toAuthUser(user: User): AuthUser {
  const profile = user.profile;
  const name = profile.name ?? profile.preferred_username ?? profile.email ?? profile.sub;
  return {
    name,
    email: profile.email ?? null,
    subject: profile.sub,
    expiresAt: user.expires_at === undefined ? null : new Date(user.expires_at * 1000),
  };
}

/** Creates the adapter and completes a pending callback. Resolves once the user (if any) is known. */
export async function createOidcAuth(config: ConsoleOidcConfig, location: Location): Promise<AuthAdapter> {
  const scopes = Array.isArray(config.scopes)
    ? config.scopes.join(' ')
    : (config.scopes ?? 'openid profile email');
  const manager = new UserManager({
    authority: config.issuer,
    client_id: config.client_id,
    redirect_uri: pageUrl(location),
    silent_redirect_uri: pageUrl(location),
    post_logout_redirect_uri: pageUrl(location),
    response_type: 'code',
    scope: scopes,
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    // Whatever the provider needs besides the standard parameters: RFC 8707 `resource`, Auth0 `audience` …
    extraQueryParams: {
      ...config.extra_query_params,
      ...(config.audience ? { audience: config.audience } : {}),
    },
  });
  const holder = new AuthStateHolder({ status: 'signed_out', message: null });
  const update = (user: User | null, message: string | null = null) => {
    holder.set(
      user && !user.expired
        ? { status: 'signed_in', user: toAuthUser(user) }
        : { status: 'signed_out', message },
    );
  };
  manager.events.addUserLoaded((user) => {
    update(user);
  });
  manager.events.addUserUnloaded(() => {
    update(null);
  });
  manager.events.addAccessTokenExpired(() => {
    update(null, 'your session expired; sign in again');
  });
  manager.events.addSilentRenewError((error) => {
    update(null, `silent renew failed: ${error.message}`);
  });

  if (isOidcCallback(location)) {
    try {
      const user = await manager.signinRedirectCallback();
      const state = user.state as { hash?: string } | undefined;
      window.history.replaceState(null, '', `${pageUrl(location)}${state?.hash ?? ''}`);
      // The hash router may already be running: replaceState fires nothing, so tell it the location changed
      // (otherwise a deep link followed through sign-in would show the overview under the link's URL).
      window.dispatchEvent(new PopStateEvent('popstate', { state: null }));
      update(user);
    } catch (error) {
      window.history.replaceState(null, '', pageUrl(location));
      update(null, `sign-in failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  } else {
    update(await manager.getUser());
  }

  const login = async () => {
    window.sessionStorage.setItem(REDIRECT_GUARD_KEY, String(Date.now()));
    await manager.signinRedirect({ state: { hash: window.location.hash } });
  };

  return {
    kind: 'oidc',
    description: `OIDC (Authorization Code + PKCE) via ${config.issuer}, client ${config.client_id}`,
    getState: holder.get,
    subscribe: holder.subscribe,
    getAccessToken: async () => {
      const user = await manager.getUser();
      return user && !user.expired ? user.access_token : null;
    },
    login,
    logout: async () => {
      const user = await manager.getUser();
      await manager.removeUser();
      try {
        await manager.signoutRedirect(user?.id_token ? { id_token_hint: user.id_token } : {});
      } catch {
        // The provider has no end-session endpoint: the local session is gone, which is what we can do.
        update(null, 'signed out of the console (the identity provider has no logout endpoint)');
      }
    },
    onUnauthorized: (message) => {
      void manager.removeUser();
      // INVARIANT: never loop. A second 401 within 10 s of a redirect shows the sign-in page with the reason.
      const last = Number(window.sessionStorage.getItem(REDIRECT_GUARD_KEY) ?? '0');
      if (Date.now() - last > 10_000) {
        void login();
        return;
      }
      update(null, `the API refused your token: ${message}`);
    },
  };
}

/** In the silent-renew iframe: hand the answer to the parent window and do nothing else. */
export async function completeSilentRenew(): Promise<void> {
  // The iframe only posts its URL to the parent, which owns the settings and the pending state.
  await new UserManager({
    authority: window.location.origin,
    client_id: 'silent',
    redirect_uri: '',
  }).signinSilentCallback();
}
