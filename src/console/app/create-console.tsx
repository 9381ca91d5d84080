/**
 * The console as a factory: `mountConsole(element, {fetch, baseUrl, auth, banner})`. The live entry
 * (main.tsx) passes the browser's fetch, the server's `/api` and OIDC; the sandbox passes its in-page API
 * and its own auth adapter. Nothing below this line knows which (ARCHITECTURE.md, "One console").
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { ConsoleConfig } from '../lib/api-types';
import type { AuthAdapter } from '../lib/auth';
import { ApiError } from '../lib/api-client';
import { ConsoleRoot } from './console-root';
import '../styles.css';

export type AuthOption = AuthAdapter | ((config: ConsoleConfig) => AuthAdapter | Promise<AuthAdapter>);

export type ConsoleOptions = {
  /** The transport: how requests reach the API. */
  fetch: typeof fetch;
  /** Where the API lives, e.g. `/api` or `https://cavra.example/api`. */
  baseUrl: string;
  /** The auth adapter, or a factory that picks one from the server's console config. */
  auth: AuthOption;
  /** A notice shown on every page (the sandbox says it runs in the browser on synthetic data). */
  banner?: string;
};

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // Retry once when the API may come back (down, 5xx); never retry a 4xx, which will not change.
        retry: (count, error) =>
          error instanceof ApiError && (error.status === 0 || error.status >= 500) && count < 1,
        retryDelay: 400,
      },
    },
  });
}

/** Renders the console into `element`; returns a function that unmounts it. */
export function mountConsole(element: HTMLElement, options: ConsoleOptions): () => void {
  const root = createRoot(element);
  const queryClient = createQueryClient();
  root.render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <ConsoleRoot options={options} />
      </QueryClientProvider>
    </StrictMode>,
  );
  return () => {
    root.unmount();
  };
}
