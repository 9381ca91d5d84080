import { ActivityPage } from '../../features/activity/components/activity-page';

export function Component() {
  return <ActivityPage tab="decisions" />;
}
