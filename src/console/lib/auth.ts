/**
 * The auth seam. The console asks an {@link AuthAdapter} for a token and for the user's sign-in state; the
 * live build uses OIDC (Authorization Code + PKCE, oidc-client-ts) when the server names an issuer, the demo
 * server needs no login, and the sandbox brings its own adapter. Features never know which.
 */

export type AuthUser = { name: string; email: string | null; subject: string; expiresAt: Date | null };

export type AuthState =
  /** No login exists here (demo server, sandbox): requests go without a token. */
  | { status: 'not_required' }
  | { status: 'signed_out'; message: string | null }
  | { status: 'signed_in'; user: AuthUser }
  /** The deployment is misconfigured for browser login: say why, never pretend. */
  | { status: 'unavailable'; message: string };

export interface AuthAdapter {
  /** `none`, `oidc`, or the sandbox's own name: shown on the session page. */
  readonly kind: string;
  /** One line for people: "OIDC via https://login.example", "Demo mode: no identity provider". */
  readonly description: string;
  getState: () => AuthState;
  subscribe: (listener: () => void) => () => void;
  getAccessToken: () => Promise<string | null>;
  login: () => Promise<void>;
  logout: () => Promise<void>;
  /** The API answered 401: the token is missing, expired or revoked. */
  onUnauthorized: (message: string) => void;
}

/** A small base for adapters: holds the state and notifies subscribers. */
export class AuthStateHolder {
  private listeners = new Set<() => void>();
  constructor(private state: AuthState) {}

  get = (): AuthState => this.state;

  set(next: AuthState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

/** No identity provider: the demo server (every caller is the demo operator) or the sandbox. */
export function noLoginAuth(description: string, kind = 'none'): AuthAdapter {
  const holder = new AuthStateHolder({ status: 'not_required' });
  return {
    kind,
    description,
    getState: holder.get,
    subscribe: holder.subscribe,
    getAccessToken: () => Promise.resolve(null),
    login: () => Promise.resolve(),
    logout: () => Promise.resolve(),
    onUnauthorized: (message) => {
      holder.set({
        status: 'unavailable',
        message: `the API refused the request without a login: ${message}`,
      });
    },
  };
}

/** The server validates tokens but gives the browser no issuer to log in with. */
export function unavailableAuth(message: string): AuthAdapter {
  const holder = new AuthStateHolder({ status: 'unavailable', message });
  return {
    kind: 'unavailable',
    description: message,
    getState: holder.get,
    subscribe: holder.subscribe,
    getAccessToken: () => Promise.resolve(null),
    login: () => Promise.resolve(),
    logout: () => Promise.resolve(),
    onUnauthorized: () => undefined,
  };
}
