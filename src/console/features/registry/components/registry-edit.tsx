/** Inline selects for the registry's editable fields; read-only tags, with the reason, without permission. */
import { useQuery } from '@tanstack/react-query';
import { Tag } from '../../../components/ui/pill';
import { errorMessage } from '../../../lib/api-client';
import { useApi } from '../../../lib/context';
import { consoleSessionQuery } from '../../../lib/shared-queries';
import { useUiStore } from '../../../lib/ui-store';
import { useUpdateAgent, useUpdateServer } from '../api/update-registry';

export const AGENT_STATUSES = ['active', 'disabled', 'retired'] as const;
export const TRUST_TIERS = ['trusted', 'approved', 'experimental', 'blocked', 'unknown'] as const;
export const APPROVAL_STATES = ['approved', 'pending', 'denied', 'not_required'] as const;

/** Whether the session may edit the registry (`registry_write`), and why not. */
export function useRegistryWrite(): { mayWrite: boolean; why: string } {
  const session = useQuery(consoleSessionQuery(useApi()));
  const mayWrite = session.data?.permissions.registry_write === true;
  const who = session.data?.actor?.actor ?? 'this session';
  return { mayWrite, why: mayWrite ? '' : `${who} lacks the registry_write permission: read only` };
}

function InlineSelect({
  label,
  value,
  options,
  isBusy,
  onChange,
}: {
  label: string;
  value: string;
  options: readonly string[];
  isBusy: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <select
      aria-label={label}
      value={value}
      disabled={isBusy}
      onChange={(e) => {
        onChange(e.target.value);
      }}
      className="rounded border border-slate-300 bg-white px-1 py-0.5 text-xs dark:border-slate-700 dark:bg-slate-900"
    >
      {options.map((option) => (
        <option key={option} value={option}>
          {option.replace(/_/g, ' ')}
        </option>
      ))}
    </select>
  );
}

export function AgentStatus({ agentId, status }: { agentId: string; status: string }) {
  const { mayWrite, why } = useRegistryWrite();
  const update = useUpdateAgent();
  const toast = useUiStore((s) => s.toast);
  if (!mayWrite)
    return (
      <span title={why}>
        <Tag>{status}</Tag>
      </span>
    );
  return (
    <InlineSelect
      label={`Status of ${agentId}`}
      value={status}
      options={AGENT_STATUSES}
      isBusy={update.isPending}
      onChange={(next) => {
        update.mutate(
          { agentId, status: next },
          {
            onSuccess: () => {
              toast(`${agentId} is now ${next}`, 'success');
            },
            onError: (error) => {
              toast(`${agentId}: ${errorMessage(error)}`, 'error');
            },
          },
        );
      }}
    />
  );
}

export function ServerTrust({
  serverId,
  field,
  value,
}: {
  serverId: string;
  field: 'trust_tier' | 'approval_state';
  value: string;
}) {
  const { mayWrite, why } = useRegistryWrite();
  const update = useUpdateServer();
  const toast = useUiStore((s) => s.toast);
  if (!mayWrite)
    return (
      <span title={why}>
        <Tag>{value.replace(/_/g, ' ')}</Tag>
      </span>
    );
  return (
    <InlineSelect
      label={`${field === 'trust_tier' ? 'Trust tier' : 'Approval state'} of ${serverId}`}
      value={value}
      options={field === 'trust_tier' ? TRUST_TIERS : APPROVAL_STATES}
      isBusy={update.isPending}
      onChange={(next) => {
        update.mutate(
          { serverId, [field]: next },
          {
            onSuccess: () => {
              toast(`${serverId}: ${field.replace('_', ' ')} is now ${next.replace(/_/g, ' ')}`, 'success');
            },
            onError: (error) => {
              toast(`${serverId}: ${errorMessage(error)}`, 'error');
            },
          },
        );
      }}
    />
  );
}
