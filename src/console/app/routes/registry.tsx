import { RegistryPage } from '../../features/registry/components/registry-page';

export function Component() {
  return <RegistryPage />;
}
