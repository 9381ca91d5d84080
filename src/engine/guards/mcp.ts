import type { CompiledPack } from '../policy/compile';
import type { MatchedRule, Outcome, Severity } from '../types';
import { APPROVER, single, type Verdict } from '../verdict';

export type TrustTier = 'trusted' | 'approved' | 'experimental' | 'blocked' | 'unknown';
export type ApprovalState = 'approved' | 'pending' | 'denied' | 'not_required';

/** An MCP server record of the trust registry (upstream §3.5). */
export type McpServerRecord = {
  server_id: string;
  name?: string;
  trust_tier: TrustTier;
  approval_state?: ApprovalState;
  capabilities?: string[];
  allowed_tools?: string[];
  owner?: string;
};

/** The registry the MCP guard consults when one is configured; it replaces the pack's server lists. */
export type McpRegistry = { mcp_servers: McpServerRecord[] };

export type McpCall = { server: string; tool: string; capability: string | undefined };

function rule(
  rule_id: string,
  decision: Outcome,
  severity: Severity,
  reason: string,
  pattern?: string,
): MatchedRule {
  const rule: MatchedRule = { rule_id, decision, severity, reason };
  if (pattern !== undefined) rule.pattern = pattern;
  return rule;
}

/** Policy-backed MCP decision: blocked list, or unknown server while `block_unknown_servers` is on. */
function policyMcp(pack: CompiledPack, call: McpCall): Verdict {
  const blocked = pack.mcp.blocked.find((entry) => entry.pattern === call.server);
  const allowed = pack.mcp.allowed.find((entry) => entry.pattern === call.server);
  if (blocked !== undefined || (pack.mcp.blockUnknown && allowed === undefined)) {
    const hit = blocked ?? { pattern: 'block_unknown_servers', pack: pack.id };
    return single({
      ...rule(
        'mcp.server.trust.block_unknown',
        'block',
        'high',
        'Untrusted MCP server with filesystem/tool capability is not approved.',
        hit.pattern,
      ),
      pack: hit.pack,
    });
  }
  return single(
    rule(
      'mcp.server.trust.allow',
      'allow',
      'low',
      'MCP server is trusted for this tool call.',
      allowed?.pattern,
    ),
  );
}

/** Registry-backed MCP decision, in upstream's order. */
function registryMcp(registry: McpRegistry, call: McpCall): Verdict {
  const record = registry.mcp_servers.find((r) => r.server_id === call.server || r.name === call.server);
  if (record === undefined) {
    return single(rule('mcp.registry.unknown', 'block', 'high', 'MCP server is not registered.'));
  }
  const approval = record.approval_state ?? defaultApprovalState(record.trust_tier);
  if (record.trust_tier === 'blocked' || approval === 'denied') {
    return single(
      rule('mcp.registry.blocked', 'block', 'high', 'MCP server is blocked or denied in the trust registry.'),
    );
  }
  const ask = (id: string, reason: string): Verdict =>
    single(rule(id, 'require_approval', 'medium', reason), APPROVER.aiGovernance);
  if (approval === 'pending' || record.trust_tier === 'unknown' || record.trust_tier === 'experimental') {
    return ask('mcp.registry.requires_approval', 'MCP server requires trust approval before use.');
  }
  const tools = record.allowed_tools ?? [];
  if (tools.length > 0 && !tools.includes(call.tool)) {
    return ask('mcp.registry.tool_scope', "MCP tool is outside the server's approved tool scope.");
  }
  const capabilities = record.capabilities ?? [];
  if (
    call.capability !== undefined &&
    call.capability !== '' &&
    capabilities.length > 0 &&
    !capabilities.includes(call.capability)
  ) {
    return ask(
      'mcp.registry.capability_scope',
      "MCP capability is outside the server's approved capability scope.",
    );
  }
  return single(rule('mcp.registry.allow', 'allow', 'low', 'MCP server is approved in the trust registry.'));
}

function defaultApprovalState(tier: TrustTier): ApprovalState {
  return tier === 'unknown' || tier === 'experimental' ? 'pending' : 'approved';
}

/** The `mcp_tool_call` guard: the registry when one is passed in, otherwise the pack's lists. */
export function mcpGuard(pack: CompiledPack, call: McpCall, registry: McpRegistry | undefined): Verdict {
  return registry === undefined ? policyMcp(pack, call) : registryMcp(registry, call);
}
