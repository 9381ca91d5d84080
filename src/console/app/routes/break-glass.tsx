import { BreakGlassPage } from '../../features/approvals/components/break-glass-page';

export function Component() {
  return <BreakGlassPage />;
}
