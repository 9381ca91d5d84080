/**
 * A run in progress: decisions appear one by one (a short stagger between requests so a presenter can narrate,
 * none when the visitor prefers reduced motion). A finished run is stored server-side, so a shared link
 * (`?run=<session>`) reads its decisions back instead.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { errorMessage } from '../../../lib/api-client';
import type { Decision, PolicyMode } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';
import { consoleSessionQuery } from '../../../lib/shared-queries';
import { runDecisionsQuery } from '../api/scenario-api';
import type { Scenario } from '../model/catalogue';
import { newScenarioSessionId, runScenario } from '../model/run-scenario';

const STAGGER_MS = 280;

function prefersReducedMotion(): boolean {
  return (
    typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches
  );
}

export type RunState =
  | { status: 'idle' }
  | { status: 'running'; decisions: Decision[] }
  | { status: 'done'; decisions: Decision[] }
  | { status: 'failed'; decisions: Decision[]; message: string };

export function useScenarioRun(
  scenario: Scenario,
  mode: PolicyMode,
  sharedRun: string | null,
  onStarted: (id: string) => void,
) {
  const api = useApi();
  const queryClient = useQueryClient();
  const session = useQuery(consoleSessionQuery(api));
  const [live, setLive] = useState<{ sessionId: string; state: RunState } | null>(null);
  const abort = useRef<AbortController | null>(null);
  const shared = useQuery({
    ...runDecisionsQuery(api, sharedRun ?? ''),
    enabled: sharedRun !== null && live?.sessionId !== sharedRun,
  });

  const start = async () => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    const sessionId = newScenarioSessionId(new Date());
    const decisions: Decision[] = [];
    setLive({ sessionId, state: { status: 'running', decisions: [] } });
    onStarted(sessionId);
    const stagger = prefersReducedMotion() ? 0 : STAGGER_MS;
    try {
      await runScenario({
        api,
        scenario,
        mode,
        sessionId,
        signal: controller.signal,
        runner: {
          actor: session.data?.actor?.actor ?? 'anonymous',
          canBreakGlass: session.data?.permissions.create_break_glass ?? false,
        },
        onDecision: (decision) => {
          decisions.push(decision);
          setLive({ sessionId, state: { status: 'running', decisions: [...decisions] } });
        },
        ...(stagger > 0 && { pause: () => new Promise<void>((resolve) => setTimeout(resolve, stagger)) }),
      });
      setLive({ sessionId, state: { status: 'done', decisions } });
    } catch (error) {
      if (controller.signal.aborted) return;
      setLive({ sessionId, state: { status: 'failed', decisions, message: errorMessage(error) } });
    } finally {
      // Every page that counts decisions or approvals is out of date now.
      await queryClient.invalidateQueries({ queryKey: ['decisions'] });
      await queryClient.invalidateQueries({ queryKey: ['approvals'] });
      await queryClient.invalidateQueries({ queryKey: ['evidence'] });
    }
  };

  const sessionId = live?.sessionId ?? sharedRun;
  let state: RunState = live?.state ?? { status: 'idle' };
  if (live === null && sharedRun !== null) {
    state = shared.isSuccess
      ? { status: 'done', decisions: shared.data }
      : shared.isError
        ? { status: 'failed', decisions: [], message: errorMessage(shared.error) }
        : { status: 'running', decisions: [] };
  }
  return {
    state,
    sessionId,
    start,
    canRun: session.isSuccess,
    actor: session.data?.actor ?? null,
    permissions: session.data?.permissions ?? null,
  };
}
