/** Evidence-log actions: verify everything, sign a checkpoint now, download a session bundle, recent entries. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../../../lib/api-client';
import type { Checkpoint, EvidenceStatus, LogVerification } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';
import { sharedKeys } from '../../../lib/shared-queries';

export const evidenceKeys = {
  entries: (sessionId: string, limit: number) => ['evidence', 'entries', sessionId, limit] as const,
};

export const entriesQuery = (api: ApiClient, sessionId: string, limit = 25) =>
  queryOptions({
    queryKey: evidenceKeys.entries(sessionId, limit),
    queryFn: ({ signal }) => api.get<EvidenceStatus>('/evidence', { limit, session_id: sessionId }, signal),
  });

/** Verification reads the whole log: an action the auditor starts, not a query that runs on every visit. */
export function useVerifyLog() {
  const api = useApi();
  return useMutation({ mutationFn: () => api.get<LogVerification>('/evidence/verify') });
}

export function useSignCheckpoint() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<Checkpoint>('/evidence/checkpoints'),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: sharedKeys.evidenceStatus() }),
  });
}

/** Downloads a session's signed bundle through the transport (so a token rides along) and saves it. */
export function useDownloadBundle() {
  const api = useApi();
  return useMutation({
    mutationFn: async (sessionId: string) => {
      const { blob, fileName } = await api.download(
        `/evidence/sessions/${encodeURIComponent(sessionId)}/bundle`,
      );
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName ?? `${sessionId}-evidence-bundle.zip`;
      link.click();
      window.setTimeout(() => {
        URL.revokeObjectURL(url);
      }, 10_000);
      return { fileName: link.download, size: blob.size };
    },
  });
}
