import { PackPage } from '../../features/policies/components/pack-page';

export function Component() {
  return <PackPage />;
}
