/**
 * What the app root injects and every feature reads: the API client (transport seam), the auth adapter (auth
 * seam) and the server's console config. Features use these hooks and never construct either themselves.
 */
import { createContext, use, useSyncExternalStore } from 'react';
import type { ApiClient } from './api-client';
import type { ConsoleConfig } from './api-types';
import type { AuthAdapter, AuthState } from './auth';

export type ConsoleServices = {
  api: ApiClient;
  auth: AuthAdapter;
  config: ConsoleConfig;
  /** A sentence the host wants on every page (the sandbox's "in-browser demo" notice). */
  banner: string | null;
};

export const ServicesContext = createContext<ConsoleServices | null>(null);

function useServices(): ConsoleServices {
  const services = use(ServicesContext);
  if (!services) throw new Error('console services are missing: render features inside mountConsole');
  return services;
}

export function useApi(): ApiClient {
  return useServices().api;
}

export function useConsoleConfig(): ConsoleConfig {
  return useServices().config;
}

export function useBanner(): string | null {
  return useServices().banner;
}

export function useAuth(): { adapter: AuthAdapter; state: AuthState } {
  const { auth } = useServices();
  const state = useSyncExternalStore(auth.subscribe, auth.getState);
  return { adapter: auth, state };
}
