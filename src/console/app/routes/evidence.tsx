import { EvidencePage } from '../../features/evidence/components/evidence-page';

export function Component() {
  return <EvidencePage />;
}
