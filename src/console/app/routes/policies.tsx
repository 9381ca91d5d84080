import { CatalogPage } from '../../features/policies/components/catalog-page';

export function Component() {
  return <CatalogPage />;
}
