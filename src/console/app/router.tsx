/**
 * Hash routes (`#/activity/decisions?decision=block`): the same build is served by `cavra serve` and from a
 * static host with no fallback for deep links (decision 0015). Each page is its own chunk.
 */
import { createHashRouter, Navigate } from 'react-router';
import { LoadingState } from '../components/ui/states';
import { RouteError } from './route-error';
import { Shell } from './shell';

export function createConsoleRouter() {
  return createHashRouter([
    {
      element: <Shell />,
      errorElement: <RouteError />,
      hydrateFallbackElement: <LoadingState label="Loading the page…" />,
      children: [
        { index: true, lazy: () => import('./routes/overview') },
        { path: 'activity', element: <Navigate to="/activity/decisions" replace /> },
        { path: 'activity/decisions', lazy: () => import('./routes/activity-decisions') },
        { path: 'activity/sessions', lazy: () => import('./routes/activity-sessions') },
        { path: 'approvals', lazy: () => import('./routes/approvals') },
        { path: 'approvals/break-glass', lazy: () => import('./routes/break-glass') },
        { path: 'approvals/:approvalId', lazy: () => import('./routes/approval-detail') },
        { path: 'evidence', lazy: () => import('./routes/evidence') },
        { path: 'registry', lazy: () => import('./routes/registry') },
        { path: 'policies', lazy: () => import('./routes/policies') },
        { path: 'policies/playground', lazy: () => import('./routes/playground') },
        { path: 'policies/:packId', lazy: () => import('./routes/policy-pack') },
        { path: 'session', lazy: () => import('./routes/session') },
        { path: 'scenarios', lazy: () => import('../features/scenarios/route') },
        { path: 'tour', lazy: () => import('../features/tour/route') },
        { path: '*', lazy: () => import('./routes/not-found') },
      ],
    },
  ]);
}
