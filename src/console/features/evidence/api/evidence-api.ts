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

/** One export file as `GET /evidence/sessions/{id}/export` returns it. */
export type ExportFile = { name: string; media_type: string; content: string };
export type SessionExport = { session_id: string; provider: string; files: ExportFile[] };

/** Providers of a session export: upstream's four SIEM payloads (`all`), each alone, OCSF, JSONL. */
export const EXPORT_PROVIDERS = ['all', 'splunk', 'sentinel', 'datadog', 'webhook', 'ocsf', 'jsonl'] as const;

/** Fetches a session's export and saves each file it holds. */
export function useDownloadExport() {
  const api = useApi();
  return useMutation({
    mutationFn: async ({ sessionId, provider }: { sessionId: string; provider: string }) => {
      const exported = await api.get<SessionExport>(
        `/evidence/sessions/${encodeURIComponent(sessionId)}/export`,
        { provider },
      );
      for (const file of exported.files) {
        const url = URL.createObjectURL(new Blob([file.content], { type: file.media_type }));
        const link = document.createElement('a');
        link.href = url;
        link.download = `${sessionId}-${file.name}`;
        link.click();
        window.setTimeout(() => {
          URL.revokeObjectURL(url);
        }, 10_000);
      }
      return exported.files.map((file) => `${sessionId}-${file.name}`);
    },
  });
}

/** What `POST /evidence/sessions/{id}/attestation/verify` answers. */
export type AttestationReport = {
  valid: boolean;
  decision_count: number;
  missing_targets: string[];
  issues: { code: string; message: string }[];
};

/** Loads the session's own PR attestation (Markdown) into the form. */
export function useLoadAttestation() {
  const api = useApi();
  return useMutation({
    mutationFn: async (sessionId: string) => {
      const { blob } = await api.download(`/evidence/sessions/${encodeURIComponent(sessionId)}/attestation`);
      return blob.text();
    },
  });
}

/** Checks a PR attestation (pasted from a pull request) against the session's logged decisions. */
export function useVerifyAttestation() {
  const api = useApi();
  return useMutation({
    mutationFn: ({ sessionId, markdown }: { sessionId: string; markdown: string }) =>
      api.post<AttestationReport>(`/evidence/sessions/${encodeURIComponent(sessionId)}/attestation/verify`, {
        markdown,
      }),
  });
}
