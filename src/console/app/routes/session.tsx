import { SessionPage } from '../../features/session/components/session-page';

export function Component() {
  return <SessionPage />;
}
