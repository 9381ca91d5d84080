import { ApprovalDetailPage } from '../../features/approvals/components/approval-detail-page';

export function Component() {
  return <ApprovalDetailPage />;
}
