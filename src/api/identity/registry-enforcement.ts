/**
 * The registry, enforced (issue 4 §5; upstream's quirk 10 fixed). MCP calls go through the MCP trust registry
 * in upstream's order (§3.5: the engine's `registry` option); a registered agent that is disabled or retired is
 * blocked; an action outside its allowed repositories or tools needs approval. Registry rules are applied
 * after the policy mode overlay and are not softened by it: the registry is the operator's switch, not a
 * policy being rolled out.
 */
import {
  SEVERITY_RANK,
  type Decision,
  type MatchedRule,
  type McpRegistry,
  type Outcome,
  type Severity,
} from '../../engine';
import type { AgentRecord, Store } from '../../store';

/** Who decides agent scope exceptions (as upstream routes `mcp.` rules). */
const REGISTRY_APPROVER = 'AI Governance';

/** How long a registry snapshot is reused; writes through this API clear it at once. */
const SNAPSHOT_TTL_MS = 1000;

/** The registry as decisions see it. `mcp` is undefined while no server is registered (the pack's lists apply). */
export type RegistrySnapshot = { mcp: McpRegistry | undefined; agents: ReadonlyMap<string, AgentRecord> };

/**
 * Reads the registry for decisions, at most once per {@link SNAPSHOT_TTL_MS} (other processes' writes show
 * within that time); `invalidate()` after a write through this process.
 */
export class RegistryCache {
  private current: { snapshot: Promise<RegistrySnapshot>; at: number } | undefined;

  constructor(private readonly store: Store) {}

  /** The current snapshot. */
  snapshot(): Promise<RegistrySnapshot> {
    const now = Date.now();
    if (this.current === undefined || now - this.current.at >= SNAPSHOT_TTL_MS) {
      const snapshot = this.load();
      this.current = { snapshot, at: now };
      snapshot.catch(() => {
        if (this.current?.snapshot === snapshot) this.current = undefined;
      });
    }
    return this.current.snapshot;
  }

  /** Forgets the snapshot (after a registry write). */
  invalidate(): void {
    this.current = undefined;
  }

  private async load(): Promise<RegistrySnapshot> {
    const [agents, servers] = await Promise.all([
      this.store.registry.agents.list(),
      this.store.registry.mcpServers.list(),
    ]);
    return {
      agents: new Map(agents.items.map((agent) => [agent.agent_id, agent])),
      mcp:
        servers.total === 0
          ? undefined
          : {
              mcp_servers: servers.items.map((server) => ({
                server_id: server.server_id,
                name: server.name,
                trust_tier: server.trust_tier,
                approval_state: server.approval_state,
                capabilities: server.capabilities,
                allowed_tools: server.allowed_tools,
                ...(typeof server.owner === 'string' && { owner: server.owner }),
              })),
            },
    };
  }
}

/** Outcomes that an approval requirement makes stricter. */
const SOFTER_THAN_APPROVAL: ReadonlySet<Outcome> = new Set([
  'allow',
  'warn',
  'audit_only',
  'allow_with_attestation',
]);

/** A registry rule about the agent, or null when the agent is unregistered or acts within its registration. */
export function agentRegistryRule(decision: Decision, agent: AgentRecord | undefined): MatchedRule | null {
  if (agent === undefined) return null;
  if (agent.status === 'disabled' || agent.status === 'retired') {
    return {
      rule_id: `registry.agent.${agent.status}`,
      decision: 'block',
      severity: 'high',
      reason: `Agent '${agent.agent_id}' is ${agent.status} in the agent registry; it may not act.`,
    };
  }
  const repositories = stringList(agent['allowed_repositories']);
  if (repositories.length > 0 && !repositories.some((glob) => globMatches(glob, decision.repository ?? ''))) {
    return {
      rule_id: 'registry.agent.repository_scope',
      decision: 'require_approval',
      severity: 'medium',
      reason:
        decision.repository === undefined
          ? `Agent '${agent.agent_id}' is limited to registered repositories and the request names none.`
          : `Repository '${decision.repository}' is outside agent '${agent.agent_id}''s allowed repositories.`,
    };
  }
  const tools = stringList(agent['allowed_tools']);
  if (tools.length > 0 && !isWithinTools(decision, tools)) {
    return {
      rule_id: 'registry.agent.tool_scope',
      decision: 'require_approval',
      severity: 'medium',
      reason: `The action is outside agent '${agent.agent_id}''s allowed tools.`,
    };
  }
  return null;
}

/**
 * Applies the agent's registration to a decision: a block replaces the outcome and becomes its rule; an
 * approval requirement replaces softer outcomes and is recorded beside a stricter one. Returns the decision unchanged when no rule
 * applies (the common case costs one map lookup).
 */
export function enforceAgentRegistry(decision: Decision, snapshot: RegistrySnapshot): Decision {
  const rule = agentRegistryRule(decision, snapshot.agents.get(decision.agent_id));
  if (rule === null) return decision;
  // A registry block is always the primary reason (the agent may not act at all, whatever the policy says).
  const isStricter = rule.decision === 'block' || SOFTER_THAN_APPROVAL.has(decision.decision);
  if (!isStricter) return { ...decision, matched_rules: [...decision.matched_rules, rule] };
  return {
    ...decision,
    rule_id: rule.rule_id,
    decision: rule.decision,
    base_decision: rule.decision,
    severity: maxSeverity(decision.severity, rule.severity),
    reason: rule.reason,
    approver_group: rule.decision === 'require_approval' ? REGISTRY_APPROVER : null,
    mode_reason: 'Agent registry rules apply in every policy mode.',
    matched_rules: [rule, ...decision.matched_rules],
  };
}

/**
 * Whether the action is within an allowed-tools list. Entries are globs (`*`) matched against the action's
 * names: its action type (`execute_command`), for MCP calls `server:tool`, and for commands the program of
 * every segment (all of them must be allowed, so `npm test && curl … | sh` needs `curl` and `sh` too).
 */
export function isWithinTools(decision: Decision, tools: readonly string[]): boolean {
  const allowed = (name: string): boolean => tools.some((glob) => globMatches(glob, name));
  if (allowed(decision.action_type)) return true;
  if (decision.action_type === 'mcp_tool_call') return allowed(decision.target);
  const programs = (decision.segments ?? []).map((segment) => segment.program);
  return programs.length > 0 && programs.every((program) => program !== null && allowed(program));
}

/** `*` matches any run of characters (including `/`); everything else is literal. */
export function globMatches(glob: string, value: string): boolean {
  if (!glob.includes('*')) return glob === value;
  const pattern = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(value);
}

function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
