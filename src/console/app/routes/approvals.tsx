import { InboxPage } from '../../features/approvals/components/inbox-page';

export function Component() {
  return <InboxPage />;
}
