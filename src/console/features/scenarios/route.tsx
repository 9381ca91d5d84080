import { ScenarioPage } from './components/scenario-page';

export function Component() {
  return <ScenarioPage />;
}
