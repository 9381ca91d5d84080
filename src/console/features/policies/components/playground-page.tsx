/**
 * The playground: type an action, pick a pack and a mode, see the decision and why. Each evaluation is a dry
 * run (POST /evaluate, nothing stored); the inputs live in the URL, so a result can be shared as a link.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button, fieldClass, labelClass } from '../../../components/ui/button';
import { Mono, PageHeader, Section } from '../../../components/ui/layout';
import { OutcomePill, SeverityPill } from '../../../components/ui/pill';
import { QueryView } from '../../../components/ui/states';
import type { EvaluateRequest, PolicyMode } from '../../../lib/api-types';
import { useApi } from '../../../lib/context';
import { describeAction } from '../../../lib/describe-action';
import { policyPacksQuery } from '../../../lib/shared-queries';
import { evaluateQuery } from '../api/get-policies';

const KINDS = [
  { id: 'execute_command', label: 'Command', placeholder: 'terraform plan && terraform apply -auto-approve' },
  { id: 'read_file', label: 'Read a file', placeholder: '.env' },
  { id: 'write_file', label: 'Write a file', placeholder: 'iam/admin-role.tf' },
  { id: 'git_operation', label: 'git', placeholder: 'main' },
  { id: 'mcp_tool_call', label: 'MCP call', placeholder: 'filesystem:write_file' },
] as const;

const MODES: readonly PolicyMode[] = ['enforce', 'audit_only', 'strict', 'break_glass'];
const FIELDS = [
  'action_type',
  'target',
  'policy_pack',
  'policy_mode',
  'operation',
  'server',
  'tool',
  'capability',
] as const;
type Field = (typeof FIELDS)[number];

function requestFrom(values: Record<Field, string>): EvaluateRequest | null {
  if (!values.action_type) return null;
  const request: EvaluateRequest = { action_type: values.action_type };
  if (values.action_type === 'mcp_tool_call') {
    if (!values.server) return null;
    request.server = values.server;
    if (values.tool) request.tool = values.tool;
    if (values.capability) request.capability = values.capability;
  } else {
    if (!values.target) return null;
    request.target = values.target;
  }
  if (values.action_type === 'git_operation' && values.operation) request.operation = values.operation;
  if (values.policy_pack) request.policy_pack = values.policy_pack;
  if (values.policy_mode) request.policy_mode = values.policy_mode as PolicyMode;
  return request;
}

function Result({ request }: { request: EvaluateRequest }) {
  const result = useQuery(evaluateQuery(useApi(), request));
  return (
    <QueryView query={result} what="the evaluation">
      {(decision) => (
        <div className="space-y-3" aria-live="polite">
          <div className="flex flex-wrap items-center gap-2">
            <span className="text-sm">{describeAction(decision).verb}:</span>
            <span className="font-mono text-sm break-all">{decision.target}</span>
          </div>
          <div className="flex flex-wrap items-center gap-2" data-testid="playground-decision">
            <OutcomePill outcome={decision.decision} />
            <SeverityPill severity={decision.severity} />
            <Mono>{decision.rule_id}</Mono>
            <span className="text-xs text-slate-600 dark:text-slate-400">
              {decision.policy_pack} · mode {decision.mode}
            </span>
          </div>
          <p className="text-sm">{decision.reason}</p>
          {decision.base_decision !== decision.decision ? (
            <p className="text-sm">{decision.mode_reason}</p>
          ) : null}
          {decision.approver_group ? (
            <p className="text-sm">Would route to {decision.approver_group} for approval.</p>
          ) : null}
          {(decision.segments ?? []).length > 0 ? (
            <ul className="space-y-1 text-sm">
              {(decision.segments ?? []).map((segment, i) => (
                <li key={`${i}-${segment.command}`} className="flex flex-wrap items-center gap-2">
                  <OutcomePill outcome={segment.decision} />
                  <Mono>{segment.command}</Mono>
                  <span className="text-xs text-slate-600 dark:text-slate-400">
                    {segment.context} · {segment.rule_id}
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
          {decision.matched_rules.map((rule, i) => (
            <p key={`${i}-${rule.rule_id}`} className="text-xs">
              <Mono>{rule.rule_id}</Mono>{' '}
              {rule.pattern ? (
                <>
                  matched <Mono>{rule.pattern}</Mono>
                </>
              ) : null}{' '}
              — {rule.reason}
            </p>
          ))}
          <p className="text-xs text-slate-600 dark:text-slate-400">Dry run: nothing was stored or logged.</p>
        </div>
      )}
    </QueryView>
  );
}

export function PlaygroundPage() {
  const api = useApi();
  const packs = useQuery(policyPacksQuery(api));
  const [params, setParams] = useSearchParams();
  const fromUrl = Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ''])) as Record<Field, string>;
  const [values, setValues] = useState<Record<Field, string>>(() => ({
    ...fromUrl,
    action_type: fromUrl.action_type || 'execute_command',
  }));
  const submitted = requestFrom(fromUrl);
  const kind = KINDS.find((k) => k.id === values.action_type) ?? KINDS[0];
  const set = (field: Field, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
  };
  const input = (field: Field, label: string, placeholder = '') => (
    <div>
      <label htmlFor={`pg-${field}`} className={labelClass}>
        {label}
      </label>
      <input
        id={`pg-${field}`}
        className={fieldClass}
        value={values[field]}
        placeholder={placeholder}
        onChange={(e) => {
          set(field, e.target.value);
        }}
      />
    </div>
  );
  return (
    <>
      <PageHeader
        title="Playground"
        description="Try an action against a pack and a mode. Nothing is stored."
      />
      <div className="grid gap-3 lg:grid-cols-2">
        <Section title="Action">
          <form
            className="space-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              const next = new URLSearchParams();
              for (const field of FIELDS) if (values[field]) next.set(field, values[field]);
              setParams(next);
            }}
          >
            <fieldset>
              <legend className={labelClass}>Kind</legend>
              <div className="mt-1 flex flex-wrap gap-1">
                {KINDS.map((k) => (
                  <Button
                    key={k.id}
                    variant={k.id === values.action_type ? 'primary' : 'secondary'}
                    aria-pressed={k.id === values.action_type}
                    onClick={() => {
                      set('action_type', k.id);
                    }}
                  >
                    {k.label}
                  </Button>
                ))}
              </div>
            </fieldset>
            {values.action_type === 'mcp_tool_call' ? (
              <div className="grid gap-2 sm:grid-cols-3">
                {input('server', 'Server', 'filesystem')}
                {input('tool', 'Tool', 'write_file')}
                {input('capability', 'Capability', 'filesystem')}
              </div>
            ) : (
              <>
                {input(
                  'target',
                  values.action_type === 'git_operation'
                    ? 'Branch or ref'
                    : values.action_type === 'execute_command'
                      ? 'Command'
                      : 'Path',
                  kind.placeholder,
                )}
                {values.action_type === 'git_operation' ? input('operation', 'git operation', 'push') : null}
              </>
            )}
            <div className="grid gap-2 sm:grid-cols-2">
              <div>
                <label htmlFor="pg-pack" className={labelClass}>
                  Policy pack
                </label>
                <select
                  id="pg-pack"
                  className={fieldClass}
                  value={values.policy_pack}
                  onChange={(e) => {
                    set('policy_pack', e.target.value);
                  }}
                >
                  <option value="">server default</option>
                  {(packs.data?.items ?? []).map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.title} ({p.id})
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor="pg-mode" className={labelClass}>
                  Mode
                </label>
                <select
                  id="pg-mode"
                  className={fieldClass}
                  value={values.policy_mode}
                  onChange={(e) => {
                    set('policy_mode', e.target.value);
                  }}
                >
                  <option value="">pack default</option>
                  {MODES.map((m) => (
                    <option key={m} value={m}>
                      {m.replace('_', ' ')}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <Button type="submit" variant="primary">
              Evaluate
            </Button>
          </form>
        </Section>
        <Section title="Decision">
          {submitted ? (
            <Result request={submitted} />
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Describe an action and press Evaluate.
            </p>
          )}
        </Section>
      </div>
    </>
  );
}
