/** The auditor's page: log status, verify everything, proofs, bundles, exports. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ProofView } from '../../../components/proof-view';
import { Button, fieldClass, labelClass } from '../../../components/ui/button';
import { Facts, Mono, PageHeader, Section } from '../../../components/ui/layout';
import { EmptyState, ErrorState, QueryView } from '../../../components/ui/states';
import { errorMessage } from '../../../lib/api-client';
import { useApi } from '../../../lib/context';
import { formatCount, formatTime, shortHash } from '../../../lib/format';
import { evidenceStatusQuery, proofQuery, trustRootsQuery } from '../../../lib/shared-queries';
import { useUrlFilters } from '../../../lib/url-state';
import {
  entriesQuery,
  EXPORT_PROVIDERS,
  useDownloadBundle,
  useDownloadExport,
  useLoadAttestation,
  useSignCheckpoint,
  useVerifyAttestation,
} from '../api/evidence-api';
import { VerifyPanel } from './verify-panel';

function LogStatus() {
  const api = useApi();
  const status = useQuery(evidenceStatusQuery(api));
  const roots = useQuery(trustRootsQuery(api));
  const sign = useSignCheckpoint();
  return (
    <QueryView query={status} what="the evidence log">
      {(log) => (
        <div className="grid gap-3 lg:grid-cols-2">
          <Section
            title="Log status"
            actions={
              <Button
                onClick={() => {
                  sign.mutate();
                }}
                disabled={sign.isPending || log.unsigned_entries === 0}
              >
                Sign a checkpoint now
              </Button>
            }
          >
            <Facts
              rows={[
                ['Origin', <Mono key="o">{log.origin}</Mono>],
                ['Entries', formatCount(log.size)],
                [
                  'Head',
                  log.head ? (
                    <Mono key="h" title={log.head.entry_hash}>
                      #{log.head.sequence} {shortHash(log.head.entry_hash)}
                    </Mono>
                  ) : (
                    'empty'
                  ),
                ],
                [
                  'Latest checkpoint',
                  log.latest_checkpoint
                    ? `tree of ${formatCount(log.latest_checkpoint.tree_size)} at ${formatTime(log.latest_checkpoint.timestamp)}`
                    : 'none yet',
                ],
                ['Unsigned entries', formatCount(log.unsigned_entries)],
              ]}
            />
            {sign.isError ? (
              <p role="alert" className="mt-2 text-sm text-red-800 dark:text-red-300">
                {errorMessage(sign.error)}
              </p>
            ) : null}
          </Section>
          <Section title="Signer and trust roots">
            <Facts
              rows={[
                ['Key id', <Mono key="k">{log.signing_key.key_id}</Mono>],
                ['Algorithm', log.signing_key.algorithm],
                [
                  'Fingerprint',
                  <Mono key="f" title={log.signing_key.public_key_sha256}>
                    {shortHash(log.signing_key.public_key_sha256)}
                  </Mono>,
                ],
                ['Note verifier', <Mono key="n">{log.signing_key.note_verifier_key}</Mono>],
                [
                  'Trust roots',
                  roots.data
                    ? roots.data.items.map((r) => `${r.key_id} (${r.owner}, ${r.status})`).join('; ') ||
                      'none'
                    : roots.isError
                      ? 'unavailable'
                      : '…',
                ],
              ]}
            />
            <details className="mt-2">
              <summary className="cursor-pointer text-xs font-medium text-teal-800 dark:text-teal-300">
                Public key (PEM)
              </summary>
              <pre className="mt-1 overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">
                {log.signing_key.public_key_pem}
              </pre>
            </details>
          </Section>
          <div className="lg:col-span-2">
            <VerifyPanel logSize={log.size} />
          </div>
        </div>
      )}
    </QueryView>
  );
}

function ProofLookup() {
  const api = useApi();
  const { params, setParam } = useUrlFilters([]);
  const decisionId = params.get('proof') ?? '';
  const proof = useQuery({ ...proofQuery(api, decisionId), enabled: decisionId !== '' });
  const roots = useQuery(trustRootsQuery(api));
  return (
    <Section title="Proof viewer">
      <form
        className="mb-3 flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const value = new FormData(e.currentTarget).get('decision');
          setParam('proof', typeof value === 'string' ? value.trim() : null);
        }}
      >
        <div className="min-w-60 flex-1">
          <label htmlFor="proof-decision" className={labelClass}>
            Decision id
          </label>
          <input
            key={decisionId}
            id="proof-decision"
            name="decision"
            defaultValue={decisionId}
            className={fieldClass}
            placeholder="dec_…"
          />
        </div>
        <Button type="submit">Show proof</Button>
      </form>
      {decisionId === '' ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Enter a decision id, or open a decision in Activity.
        </p>
      ) : (
        <QueryView query={proof} what="the inclusion proof">
          {(document) => <ProofView document={document} trustRoots={roots.data?.items ?? null} />}
        </QueryView>
      )}
    </Section>
  );
}

function SessionTools() {
  const download = useDownloadBundle();
  const [sessionId, setSessionId] = useState('');
  const api = useApi();
  const entries = useQuery({ ...entriesQuery(api, sessionId.trim()), enabled: sessionId.trim() !== '' });
  return (
    <Section title="Session evidence">
      <div className="mb-2 flex flex-wrap items-end gap-2">
        <div className="min-w-60 flex-1">
          <label htmlFor="bundle-session" className={labelClass}>
            Session id
          </label>
          <input
            id="bundle-session"
            className={fieldClass}
            value={sessionId}
            onChange={(e) => {
              setSessionId(e.target.value);
            }}
            placeholder="sess_…"
          />
        </div>
        <Button
          variant="primary"
          disabled={sessionId.trim() === '' || download.isPending}
          onClick={() => {
            download.mutate(sessionId.trim());
          }}
        >
          {download.isPending ? 'Building…' : 'Download signed bundle'}
        </Button>
      </div>
      {download.isError ? <ErrorState error={download.error} what="the bundle" /> : null}
      {download.data ? (
        <p role="status" className="text-sm">
          Saved {download.data.fileName} ({formatCount(download.data.size)} bytes).
        </p>
      ) : null}
      {sessionId.trim() !== '' ? (
        <QueryView query={entries} what="the session's entries">
          {(page) =>
            page.items.length === 0 ? (
              <EmptyState title="No log entries for this session" />
            ) : (
              <ul className="mt-2 space-y-1 text-sm">
                <li className="text-xs text-slate-600 dark:text-slate-400">
                  {page.total} entries, newest first
                </li>
                {page.items.map((entry) => {
                  const id = typeof entry.payload.decision_id === 'string' ? entry.payload.decision_id : null;
                  return (
                    <li key={entry.sequence} className="flex flex-wrap gap-2">
                      <Mono>#{entry.sequence}</Mono> {entry.kind}
                      {id ? (
                        <Link
                          className="font-mono text-xs text-teal-800 underline dark:text-teal-300"
                          to={`/evidence?proof=${id}`}
                        >
                          {id}
                        </Link>
                      ) : null}
                      <span className="text-xs text-slate-600 dark:text-slate-400">
                        {formatTime(entry.recorded_at)}
                      </span>
                    </li>
                  );
                })}
              </ul>
            )
          }
        </QueryView>
      ) : null}
    </Section>
  );
}

function Exports() {
  const [sessionId, setSessionId] = useState('');
  const [provider, setProvider] = useState<string>('all');
  const [markdown, setMarkdown] = useState('');
  const exporter = useDownloadExport();
  const loader = useLoadAttestation();
  const verifier = useVerifyAttestation();
  const session = sessionId.trim();
  return (
    <Section title="Exports and PR attestations">
      <div className="mb-2 flex flex-wrap items-end gap-2">
        <div className="min-w-60 flex-1">
          <label htmlFor="export-session" className={labelClass}>
            Session to export or attest
          </label>
          <input
            id="export-session"
            className={fieldClass}
            value={sessionId}
            onChange={(e) => {
              setSessionId(e.target.value);
            }}
            placeholder="sess_…"
          />
        </div>
        <div>
          <label htmlFor="export-provider" className={labelClass}>
            Format
          </label>
          <select
            id="export-provider"
            className={fieldClass}
            value={provider}
            onChange={(e) => {
              setProvider(e.target.value);
            }}
          >
            {EXPORT_PROVIDERS.map((name) => (
              <option key={name} value={name}>
                {EXPORT_LABELS[name]}
              </option>
            ))}
          </select>
        </div>
        <Button
          disabled={session === '' || exporter.isPending}
          onClick={() => {
            exporter.mutate({ sessionId: session, provider });
          }}
        >
          {exporter.isPending ? 'Exporting…' : 'Download export'}
        </Button>
      </div>
      {exporter.isError ? <ErrorState error={exporter.error} what="the export" /> : null}
      {exporter.data ? (
        <p role="status" className="text-sm">
          Saved {exporter.data.join(', ')}.
        </p>
      ) : null}
      <div className="mt-3">
        <label htmlFor="attestation-text" className={labelClass}>
          PR attestation to check (paste it from the pull request)
        </label>
        <textarea
          id="attestation-text"
          rows={6}
          className={`${fieldClass} font-mono text-xs`}
          value={markdown}
          onChange={(e) => {
            setMarkdown(e.target.value);
          }}
        />
        <div className="mt-2 flex flex-wrap gap-2">
          <Button
            disabled={session === '' || loader.isPending}
            onClick={() => {
              loader.mutate(session, {
                onSuccess: (text) => {
                  setMarkdown(text);
                },
              });
            }}
          >
            Load the session&apos;s attestation
          </Button>
          <Button
            variant="primary"
            disabled={session === '' || markdown.trim() === '' || verifier.isPending}
            onClick={() => {
              verifier.mutate({ sessionId: session, markdown });
            }}
          >
            {verifier.isPending ? 'Checking…' : 'Verify attestation'}
          </Button>
        </div>
      </div>
      {loader.isError ? <ErrorState error={loader.error} what="the attestation" /> : null}
      {verifier.isError ? <ErrorState error={verifier.error} what="the attestation check" /> : null}
      {verifier.data ? (
        <div role="region" aria-label="Attestation check" className="mt-2 text-sm">
          {verifier.data.valid ? (
            <p className="font-medium text-emerald-800 dark:text-emerald-300">
              ✓ The attestation covers all {verifier.data.decision_count} decisions of this session.
            </p>
          ) : (
            <>
              <p className="font-medium text-red-800 dark:text-red-300">
                ✗ The attestation does not match the session&apos;s {verifier.data.decision_count} logged
                decisions.
              </p>
              {verifier.data.missing_targets.length > 0 ? (
                <p>
                  Missing decisions:{' '}
                  {verifier.data.missing_targets.map((target) => (
                    <Mono key={target}>{target} </Mono>
                  ))}
                </p>
              ) : null}
              <ul className="list-disc pl-5">
                {verifier.data.issues.map((issue, index) => (
                  <li key={`${issue.code}-${String(index)}`}>{issue.message}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : null}
    </Section>
  );
}

const EXPORT_LABELS: Record<(typeof EXPORT_PROVIDERS)[number], string> = {
  all: 'SIEM: all four (Splunk, Sentinel, Datadog, webhook)',
  splunk: 'Splunk HEC',
  sentinel: 'Microsoft Sentinel',
  datadog: 'Datadog',
  webhook: 'Webhook',
  ocsf: 'OCSF (JSONL)',
  jsonl: 'Decisions (JSONL)',
};

export function EvidencePage() {
  return (
    <>
      <PageHeader
        title="Evidence"
        description="The tamper-evident log behind every decision: check it, prove an entry, take a bundle away."
      />
      <div className="space-y-3">
        <LogStatus />
        <div className="grid gap-3 lg:grid-cols-2">
          <ProofLookup />
          <SessionTools />
        </div>
        <Exports />
      </div>
    </>
  );
}
