import { PlaygroundPage } from '../../features/policies/components/playground-page';

export function Component() {
  return <PlaygroundPage />;
}
