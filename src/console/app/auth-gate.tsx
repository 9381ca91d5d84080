/** Shows the console when no login is needed or the user is signed in; otherwise a sign-in page that says why. */
import type { ReactNode } from 'react';
import { Button } from '../components/ui/button';
import { useAuth } from '../lib/context';

export function AuthGate({ children }: { children: ReactNode }) {
  const { adapter, state } = useAuth();
  if (state.status === 'not_required' || state.status === 'signed_in') return <>{children}</>;
  return (
    <main className="mx-auto max-w-md p-6">
      <h1 className="text-xl font-semibold">Sign in to CAVRA</h1>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{adapter.description}</p>
      {state.status === 'signed_out' ? (
        <>
          {state.message ? (
            <p
              role="alert"
              className="mt-3 rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
            >
              {state.message}
            </p>
          ) : null}
          <Button variant="primary" className="mt-4" onClick={() => void adapter.login()}>
            Sign in
          </Button>
        </>
      ) : (
        <p
          role="alert"
          className="mt-3 rounded border border-red-300 bg-red-50 p-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        >
          {state.message}
        </p>
      )}
    </main>
  );
}
