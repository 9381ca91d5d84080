/** Server data of the scenario player: the decisions of a run (for shared links) and its bundle. */
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import type { Decision, LogVerification, Page } from '../../../lib/api-types';

export const scenarioKeys = {
  run: (sessionId: string) => ['decisions', 'scenario-run', sessionId] as const,
  verification: (sessionId: string) => ['evidence', 'verify', 'scenario', sessionId] as const,
};

/** The stored decisions of one run, oldest first (a shared link shows a finished run). */
export const runDecisionsQuery = (api: ApiClient, sessionId: string) =>
  queryOptions({
    queryKey: scenarioKeys.run(sessionId),
    queryFn: async ({ signal }) => {
      const page = await api.get<Page<Decision>>('/decisions', { session_id: sessionId, limit: 50 }, signal);
      return [...page.items].sort((a, b) =>
        a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0,
      );
    },
  });

/** Verifies the whole evidence log (the run's entries included) on the server side of the transport. */
export function verifyLog(api: ApiClient): Promise<LogVerification> {
  return api.get<LogVerification>('/evidence/verify');
}

/** Downloads the run's signed evidence bundle (zip) and hands it to the browser as a file. */
export async function downloadRunBundle(api: ApiClient, sessionId: string): Promise<string> {
  const { blob, fileName } = await api.download(`/evidence/sessions/${encodeURIComponent(sessionId)}/bundle`);
  const name = fileName ?? `${sessionId}-evidence-bundle.zip`;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
  return name;
}
