/**
 * The console's auth seam in the sandbox: no login, the chosen persona is the signed-in user. The credential
 * itself (`Authorization: Persona <id>`) is added by the sandbox transport, so the console sends no token.
 */
import type { AuthAdapter, AuthState } from '../../src/console/lib/auth';
import type { SandboxRuntime } from '../backend/runtime';

/** The adapter over the runtime's persona. */
export function sandboxAuth(runtime: SandboxRuntime): AuthAdapter {
  let state = stateOf(runtime);
  return {
    kind: 'sandbox',
    description:
      'Sandbox persona: pick one in the bar above; the API checks its groups exactly as it checks a real login.',
    getState: () => state,
    subscribe: (listener) =>
      runtime.subscribe(() => {
        state = stateOf(runtime);
        listener();
      }),
    getAccessToken: () => Promise.resolve(null),
    login: () => Promise.resolve(),
    logout: () => Promise.resolve(),
    onUnauthorized: () => undefined,
  };
}

function stateOf(runtime: SandboxRuntime): AuthState {
  const persona = runtime.persona();
  return {
    status: 'signed_in',
    user: {
      name: persona.label,
      email: persona.principal.actor.actor,
      subject: persona.principal.actor.subject ?? persona.id,
      expiresAt: null,
    },
  };
}
