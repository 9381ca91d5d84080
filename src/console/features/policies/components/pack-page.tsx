/** One pack, compiled: rules by section, inheritance, inline tests and (on demand) their status. */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { Button } from '../../../components/ui/button';
import { Facts, Mono, PageHeader, Section } from '../../../components/ui/layout';
import { YesNo } from '../../../components/ui/pill';
import { ErrorState, QueryView } from '../../../components/ui/states';
import type { PolicyPackDetail } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';
import { shortHash } from '../../../lib/format';
import { packQuery, useRunPackTests } from '../api/get-policies';

const SKIPPED = new Set(['metadata', 'tests']);

function RuleValue({ value }: { value: unknown }) {
  if (Array.isArray(value)) {
    return (
      <ul className="flex flex-wrap gap-1">
        {value.map((item, i) => (
          <li key={`${i}-${JSON.stringify(item)}`}>
            <Mono>{typeof item === 'string' ? item : JSON.stringify(item)}</Mono>
          </li>
        ))}
      </ul>
    );
  }
  if (value !== null && typeof value === 'object')
    return <pre className="overflow-x-auto text-xs">{JSON.stringify(value, null, 2)}</pre>;
  return <Mono>{String(value)}</Mono>;
}

function Sections({ pack }: { pack: PolicyPackDetail }) {
  const sections = Object.entries(pack.document).filter(([name]) => !SKIPPED.has(name));
  return (
    <div className="grid gap-3 lg:grid-cols-2">
      {sections.map(([name, body]) => (
        <Section key={name} title={name}>
          {body !== null && typeof body === 'object' && !Array.isArray(body) ? (
            <Facts
              rows={Object.entries(body as Record<string, unknown>).map(([key, value]) => [
                key.replace(/_/g, ' '),
                <RuleValue key={key} value={value} />,
              ])}
            />
          ) : (
            <RuleValue value={body} />
          )}
        </Section>
      ))}
    </div>
  );
}

function Tests({ pack }: { pack: PolicyPackDetail }) {
  const tests = pack.document.tests ?? [];
  const run = useRunPackTests(pack.id);
  const results = run.data;
  const failed = results?.filter((r) => !r.isPassed).length ?? 0;
  return (
    <Section
      title={`Inline tests (${tests.length})`}
      actions={
        <Button
          onClick={() => {
            run.mutate(tests);
          }}
          disabled={tests.length === 0 || run.isPending}
        >
          {run.isPending ? 'Running…' : 'Run through the API'}
        </Button>
      }
    >
      {run.isError ? <ErrorState error={run.error} what="the tests" /> : null}
      {results ? (
        <p className="mb-2 text-sm font-medium" role="status">
          {results.length - failed} passed, {failed} failed
        </p>
      ) : null}
      <ul className="max-h-96 space-y-1 overflow-y-auto text-sm">
        {tests.map((test, index) => {
          const result = results?.[index];
          return (
            <li key={`${index}-${test.name ?? ''}`} className="flex flex-wrap items-center gap-2">
              {result ? <YesNo value={result.isPassed} yes="pass" no="fail" /> : null}
              <span>{test.name ?? `test ${index + 1}`}</span>
              {result && !result.isPassed ? (
                <span className="text-xs text-red-800 dark:text-red-300">
                  expected {result.expected}, got {result.actual}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

export function PackPage() {
  const { packId = '' } = useParams();
  const pack = useQuery(packQuery(useApi(), packId));
  return (
    <>
      <PageHeader
        title={pack.data?.title ?? packId}
        description={pack.data?.description}
        actions={
          <Link
            className="text-sm text-teal-800 underline dark:text-teal-300"
            to={`/policies/playground?policy_pack=${encodeURIComponent(packId)}`}
          >
            Try it in the playground
          </Link>
        }
      />
      <QueryView query={pack} what="the policy pack">
        {(data) => (
          <div className="space-y-3">
            <Section title="About">
              <Facts
                rows={[
                  ['Id', <Mono key="i">{data.id}</Mono>],
                  ['Version', data.version],
                  [
                    'Revision',
                    <Mono key="r" title={data.revision}>
                      {shortHash(data.revision)}
                    </Mono>,
                  ],
                  [
                    'Inherits',
                    data.inherits.length > 0
                      ? data.inherits.map((p) => (
                          <Link
                            key={p}
                            className="mr-2 text-teal-800 underline dark:text-teal-300"
                            to={`/policies/${encodeURIComponent(p)}`}
                          >
                            {p}
                          </Link>
                        ))
                      : 'nothing',
                  ],
                  ['Default pack', data.is_default ? 'yes' : 'no'],
                ]}
              />
            </Section>
            <Sections pack={data} />
            <Tests pack={data} />
          </div>
        )}
      </QueryView>
    </>
  );
}
