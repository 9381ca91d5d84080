import { TourPage } from './components/tour-page';

export function Component() {
  return <TourPage />;
}
