/** Who am I to this server, what may I do, and how is this deployment secured (and what is missing). */
import { useQuery } from '@tanstack/react-query';
import { Facts, Mono, PageHeader, Section } from '../../../components/ui/layout';
import { Tag, YesNo } from '../../../components/ui/pill';
import { QueryView } from '../../../components/ui/states';
import { useApi, useAuth, useConsoleConfig } from '../../../lib/context';
import { formatTime } from '../../../lib/format';
import { consoleSessionQuery } from '../../../lib/shared-queries';
import { boundaryQuery, readinessQuery } from '../api/get-boundary';

function Identity() {
  const api = useApi();
  const session = useQuery(consoleSessionQuery(api));
  const { adapter, state } = useAuth();
  return (
    <Section title="Who am I">
      <QueryView query={session} what="your session">
        {(s) => (
          <div className="space-y-3">
            <Facts
              rows={[
                ['Actor', s.actor?.actor ?? 'nobody (not signed in)'],
                ['Subject', s.actor?.subject ?? '—'],
                ['Issuer', s.actor?.issuer ?? '—'],
                [
                  'Groups',
                  s.actor && s.actor.groups.length > 0 ? (
                    <span key="g" className="flex flex-wrap gap-1">
                      {s.actor.groups.map((g) => (
                        <Tag key={g}>{g}</Tag>
                      ))}
                    </span>
                  ) : (
                    'none'
                  ),
                ],
                ['Session mode', <Mono key="m">{s.mode}</Mono>],
                [
                  'Server auth',
                  s.auth_mode === 'demo'
                    ? 'demo: no identity provider'
                    : 'OIDC tokens verified by the server',
                ],
                ['Console login', adapter.description],
                [
                  'Token expires',
                  state.status === 'signed_in' && state.user.expiresAt
                    ? formatTime(state.user.expiresAt.toISOString())
                    : '—',
                ],
              ]}
            />
            <table className="w-full text-left text-sm">
              <caption className="mb-1 text-left text-xs font-semibold text-slate-700 dark:text-slate-300">
                Permissions
              </caption>
              <tbody>
                {Object.entries(s.permissions).map(([name, isAllowed]) => (
                  <tr key={name} className="border-t border-slate-100 dark:border-slate-800">
                    <th scope="row" className="py-1 pr-3 font-mono text-xs font-normal">
                      {name}
                    </th>
                    <td className="py-1">
                      {Array.isArray(isAllowed) ? (
                        <span className="flex flex-wrap gap-1">
                          {isAllowed.length > 0 ? isAllowed.map((g) => <Tag key={g}>{g}</Tag>) : 'none'}
                        </span>
                      ) : (
                        <YesNo value={isAllowed === true} yes="allowed" no="not allowed" />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {s.repository_permissions.length > 0 ? (
              <ul className="text-xs">
                {s.repository_permissions.map((p, i) => (
                  <li key={`${i}-${p.repository}-${p.approver_group}`}>
                    repository <Mono>{p.repository}</Mono>, group <Mono>{p.approver_group}</Mono>:{' '}
                    {p.actions.join(', ')}
                  </li>
                ))}
              </ul>
            ) : null}
            <ul className="list-disc pl-5 text-sm">
              {s.operator_notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          </div>
        )}
      </QueryView>
    </Section>
  );
}

function Boundary() {
  const boundary = useQuery(boundaryQuery(useApi()));
  return (
    <Section title="Security boundary">
      <QueryView query={boundary} what="the security boundary">
        {(b) => {
          const missing = [
            !b.oidc.configured && `OIDC (${b.oidc.config_env})`,
            !b.rbac.configured && `RBAC (${b.rbac.config_env})`,
            !b.cors.configured && 'CORS origins (CAVRA_CORS_ORIGINS)',
          ].filter(Boolean);
          return (
            <div className="space-y-3">
              <Facts
                rows={[
                  ['Mode', <Mono key="m">{b.mode}</Mono>],
                  [
                    'OIDC',
                    <span key="o">
                      <YesNo value={b.oidc.configured} yes="configured" no="not configured" />{' '}
                      {b.oidc.supported_algorithms.join(', ')}; claims {b.oidc.validated_claims.join(', ')}
                    </span>,
                  ],
                  [
                    'RBAC',
                    <span key="r">
                      <YesNo value={b.rbac.configured} yes="configured" no="not configured" />{' '}
                      {b.rbac.boundaries.join(', ')}
                    </span>,
                  ],
                  [
                    'CORS',
                    b.cors.configured ? (
                      b.cors.origins.join(', ')
                    ) : (
                      <YesNo key="c" value={false} no="no origins (same-origin only)" />
                    ),
                  ],
                  ['Console permissions', b.console_permissions.join(', ')],
                ]}
              />
              {missing.length > 0 ? (
                <p
                  role="note"
                  className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
                >
                  Missing before production: {missing.join('; ')}.
                </p>
              ) : null}
              <ul className="list-disc pl-5 text-sm">
                {b.operator_notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            </div>
          );
        }}
      </QueryView>
    </Section>
  );
}

function Readiness() {
  const config = useConsoleConfig();
  const api = useApi();
  const path = Object.entries(config.endpoints).find(([name]) => /readiness/i.test(name))?.[1];
  const readiness = useQuery({ ...readinessQuery(api, path ?? ''), enabled: path !== undefined });
  return (
    <Section title="Deployment">
      <Facts
        rows={[
          ['Server', `CAVRA ${config.version}`],
          ['API', <Mono key="a">{api.url('')}</Mono>],
          ['Storage', config.activity_mode],
          ['Evidence origin', config.evidence?.origin ?? '—'],
          [
            'Checkpoints',
            config.evidence
              ? `every ${config.evidence.checkpoint_policy.every_entries} entries or ${config.evidence.checkpoint_policy.every_seconds} s`
              : '—',
          ],
        ]}
      />
      <div className="mt-3">
        {path === undefined ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            This server does not serve production-readiness checks yet (no readiness endpoint in
            /api/console/config).
          </p>
        ) : (
          <QueryView query={readiness} what="production readiness">
            {(data) => (
              <pre className="max-h-80 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">
                {JSON.stringify(data, null, 2)}
              </pre>
            )}
          </QueryView>
        )}
      </div>
    </Section>
  );
}

export function SessionPage() {
  return (
    <>
      <PageHeader
        title="Session & security"
        description="Your identity to this server, your permissions, and how the deployment is secured."
      />
      <div className="grid gap-3 lg:grid-cols-2">
        <Identity />
        <div className="space-y-3">
          <Boundary />
          <Readiness />
        </div>
      </div>
    </>
  );
}
