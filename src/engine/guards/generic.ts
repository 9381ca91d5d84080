import type { JsonObject, Outcome, Severity } from '../types';
import { single, type Verdict } from '../verdict';

type Effect =
  'read' | 'write' | 'delete' | 'approve' | 'grant' | 'export' | 'promote' | 'send' | 'execute' | 'summarize';

type TaxonomyEntry = { domain: string; effect: Effect; risk_level: Severity; default_decision: Outcome };

/** The public non-coding action taxonomy (upstream §5.4). */
export const GENERIC_TAXONOMY: Readonly<Record<string, TaxonomyEntry>> = {
  'knowledge.search': { domain: 'data', effect: 'read', risk_level: 'low', default_decision: 'allow' },
  'ticket.summarize': { domain: 'support', effect: 'read', risk_level: 'low', default_decision: 'allow' },
  'crm.update_record': {
    domain: 'sales',
    effect: 'write',
    risk_level: 'medium',
    default_decision: 'require_approval',
  },
  'customer.email_send': {
    domain: 'communications',
    effect: 'send',
    risk_level: 'medium',
    default_decision: 'require_approval',
  },
  'data.export_dataset': {
    domain: 'data',
    effect: 'export',
    risk_level: 'high',
    default_decision: 'require_approval',
  },
  'model.promote': {
    domain: 'model_governance',
    effect: 'promote',
    risk_level: 'high',
    default_decision: 'require_approval',
  },
  'workflow.close_control': {
    domain: 'workflow',
    effect: 'approve',
    risk_level: 'high',
    default_decision: 'require_approval',
  },
  'identity.grant_role': {
    domain: 'identity',
    effect: 'grant',
    risk_level: 'critical',
    default_decision: 'block',
  },
  'finance.release_payment': {
    domain: 'finance',
    effect: 'approve',
    risk_level: 'critical',
    default_decision: 'block',
  },
};

const APPROVAL_EFFECTS = new Set<Effect>([
  'write',
  'delete',
  'approve',
  'grant',
  'export',
  'promote',
  'send',
  'execute',
]);

const DOMAIN_APPROVERS: Readonly<Record<string, string>> = {
  data: 'Data Governance',
  finance: 'Finance Operations',
  identity: 'Identity Security',
  model_governance: 'Model Risk Governance',
  sales: 'Revenue Operations',
  support: 'Support Operations',
  communications: 'Customer Communications',
  workflow: 'Workflow Owners',
};

/** Adapter fields added to a decision made through the generic adapter. */
export type GenericAdapterFields = {
  action_id: string;
  adapter_id: string;
  tenant_id: string | null;
  workspace_id: string | null;
  taxonomy: { domain: string; effect: string; risk_level: Severity; default_decision: Outcome } | null;
  metadata_summary: { keys: string[]; contains_customer_data: boolean; system: string | null };
};

/** Judges a dotted generic action type against the taxonomy. */
export function genericGuard(actionType: string, riskOverride: Severity | undefined): Verdict {
  const entry = GENERIC_TAXONOMY[actionType];
  if (entry === undefined) {
    return single(
      {
        rule_id: 'generic_adapter.taxonomy.unknown.require_approval',
        decision: 'require_approval',
        severity: 'medium',
        reason: 'Generic action is outside the public taxonomy; review required.',
      },
      'Generic Adapter Owners',
    );
  }
  const risk = riskOverride ?? entry.risk_level;
  if (entry.default_decision === 'block') {
    return single(
      {
        rule_id: `generic_adapter.${entry.effect}.critical.block`,
        decision: 'block',
        severity: 'critical',
        reason: `${actionType} is a critical non-coding action and cannot execute without a certified private adapter flow.`,
      },
      'Security Operations',
    );
  }
  if (entry.default_decision === 'allow' && risk === 'low') {
    return single({
      rule_id: `generic_adapter.${entry.effect}.allow`,
      decision: 'allow',
      severity: 'low',
      reason: 'Low-risk generic action is read-only and allowed by taxonomy.',
    });
  }
  if (APPROVAL_EFFECTS.has(entry.effect)) {
    return single(
      {
        rule_id: `generic_adapter.${entry.effect}.require_approval`,
        decision: 'require_approval',
        severity: risk,
        reason: `${actionType} changes business state; approval is required before execution.`,
      },
      DOMAIN_APPROVERS[entry.domain] ?? 'Generic Adapter Owners',
    );
  }
  return single(
    {
      rule_id: 'generic_adapter.default.require_approval',
      decision: 'require_approval',
      severity: risk,
      reason: 'Generic action effect is not explicitly allowed; review required.',
    },
    'Generic Adapter Owners',
  );
}

/** The adapter fields for a request that came through the generic adapter. */
export function genericAdapterFields(
  actionType: string,
  request: {
    action_id?: string;
    adapter_id?: string;
    tenant_id?: string;
    workspace_id?: string;
    metadata?: JsonObject;
  },
): GenericAdapterFields {
  const metadata = request.metadata ?? {};
  const entry = GENERIC_TAXONOMY[actionType];
  const system = metadata['system'];
  return {
    action_id: request.action_id ?? '',
    adapter_id: request.adapter_id ?? '',
    tenant_id: request.tenant_id ?? null,
    workspace_id: request.workspace_id ?? null,
    taxonomy: entry === undefined ? null : { ...entry },
    metadata_summary: {
      keys: Object.keys(metadata).sort(),
      contains_customer_data: metadata['contains_customer_data'] === true,
      system: typeof system === 'string' ? system : null,
    },
  };
}
