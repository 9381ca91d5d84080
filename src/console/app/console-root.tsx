/**
 * Bootstrap: read `/console/config` (no token needed), pick the auth adapter, then build the API client and the
 * router. An unreachable API stops here with an explicit error and a retry, never a console of sample data.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { RouterProvider } from 'react-router';
import { ErrorState, LoadingState } from '../components/ui/states';
import { ApiClient } from '../lib/api-client';
import type { ConsoleConfig } from '../lib/api-types';
import { noLoginAuth } from '../lib/auth';
import { ServicesContext, type ConsoleServices } from '../lib/context';
import type { ConsoleOptions } from './create-console';
import { createConsoleRouter } from './router';
import { AuthGate } from './auth-gate';

export function ConsoleRoot({ options }: { options: ConsoleOptions }) {
  const bootstrapClient = useMemo(
    () => new ApiClient({ fetch: options.fetch, baseUrl: options.baseUrl }, noLoginAuth('bootstrap')),
    [options.fetch, options.baseUrl],
  );
  const config = useQuery({
    queryKey: ['console', 'config', options.baseUrl],
    queryFn: ({ signal }) => bootstrapClient.get<ConsoleConfig>('/console/config', {}, signal),
    staleTime: Infinity,
  });
  const auth = useQuery({
    queryKey: ['console', 'auth', options.baseUrl],
    enabled: config.isSuccess,
    staleTime: Infinity,
    gcTime: Infinity,
    queryFn: async () => {
      if (!config.data) throw new Error('no config');
      return typeof options.auth === 'function' ? await options.auth(config.data) : options.auth;
    },
  });
  const [router] = useState(createConsoleRouter);
  const services = useMemo<ConsoleServices | null>(() => {
    if (!config.data || !auth.data) return null;
    const api = new ApiClient({ fetch: options.fetch, baseUrl: options.baseUrl }, auth.data);
    return { api, auth: auth.data, config: config.data, banner: options.banner ?? null };
  }, [config.data, auth.data, options.fetch, options.baseUrl, options.banner]);

  if (config.isError || auth.isError) {
    const error = config.error ?? auth.error;
    return (
      <main className="mx-auto max-w-xl p-6">
        <h1 className="mb-3 text-xl font-semibold">CAVRA console</h1>
        <ErrorState
          error={error}
          what={config.isError ? 'the console configuration' : 'the login configuration'}
          onRetry={() => void (config.isError ? config.refetch() : auth.refetch())}
        />
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">
          The console reads {options.baseUrl}/console/config first. Start the server with{' '}
          <code>npm start</code> (or <code>cavra serve</code>) and retry.
        </p>
      </main>
    );
  }
  if (!services) return <LoadingState label="Connecting to the CAVRA API…" />;
  return (
    <ServicesContext value={services}>
      <AuthGate>
        <RouterProvider router={router} />
      </AuthGate>
    </ServicesContext>
  );
}
