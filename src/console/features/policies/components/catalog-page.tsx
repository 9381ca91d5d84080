import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { PageHeader } from '../../../components/ui/layout';
import { Tag } from '../../../components/ui/pill';
import { EmptyState, QueryView } from '../../../components/ui/states';
import { useApi } from '../../../lib/context';
import { policyPacksQuery } from '../../../lib/shared-queries';

/** Every pack this server decides with. */
export function CatalogPage() {
  const packs = useQuery(policyPacksQuery(useApi()));
  return (
    <>
      <PageHeader
        title="Policies"
        description="The packs this server decides with. Open one to read its rules and run its tests."
        actions={
          <Link
            to="/policies/playground"
            className="rounded-md bg-teal-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-teal-800"
          >
            Open the playground
          </Link>
        }
      />
      <QueryView query={packs} what="policy packs">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title="No policy packs are loaded" />
          ) : (
            <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
              {page.items.map((pack) => (
                <li
                  key={pack.id}
                  className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
                >
                  <Link
                    to={`/policies/${encodeURIComponent(pack.id)}`}
                    className="font-medium text-teal-800 underline dark:text-teal-300"
                  >
                    {pack.title}
                  </Link>
                  <p className="font-mono text-xs text-slate-600 dark:text-slate-400">
                    {pack.id} v{pack.version}
                  </p>
                  <p className="mt-1 text-sm">{pack.description}</p>
                  <p className="mt-2 flex flex-wrap gap-1">
                    {pack.is_default ? <Tag>default</Tag> : null}
                    {pack.inherits.length > 0 ? <Tag>inherits {pack.inherits.join(', ')}</Tag> : null}
                    {Object.entries(pack.rules).map(([section, count]) => (
                      <Tag key={section}>
                        {section} {count}
                      </Tag>
                    ))}
                    <Tag>{pack.tests} tests</Tag>
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </>
  );
}
