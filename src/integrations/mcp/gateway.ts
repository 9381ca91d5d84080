/**
 * `cavra mcp gateway`: an MCP server in front of downstream MCP servers. Their tools are offered as
 * `<server>__<tool>`; every `tools/call` is decided by the engine (with the trust registry, upstream §3.5) and
 * recorded before anything reaches a downstream server. Fail closed: an unknown tool, an engine or store error,
 * a missing approval or a crashed server gives an error result, never a forwarded call.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { Decision, DecisionRequest, JsonObject, McpRegistry } from '../../engine';
import { Downstream, type Log } from './downstream';
import type { GatewayConfig } from './gateway-config';
import {
  decisionMeta,
  errorResult,
  fingerprint,
  GATEWAY_META_KEY,
  sentence,
  strictest,
  type CallFacts,
  type CallOutcome,
} from './gateway-results';
import { awaitApproval, type ApprovalOutcome } from './gateway-approvals';
import type { ApprovalBroker, Decider, EvidenceSink } from './ports';

/** What the gateway is built from; the CLI resolves the config's paths and opens the store. */
export type GatewayOptions = {
  config: GatewayConfig;
  decide: Decider;
  /** The trust registry for one call (re-read per call when it lives in the store), or undefined: the pack's lists. */
  registry: () => Promise<McpRegistry | undefined>;
  evidence: EvidenceSink;
  approvals: ApprovalBroker;
  log: Log;
  now: () => Date;
  randomHex12: () => string;
  version: string;
  sleep?: (ms: number) => Promise<void>;
};

export class McpGateway {
  /** The MCP server to connect to a transport. Its tool handlers are set on the low-level server, because
   * downstream tools come with JSON Schemas, not zod schemas. */
  readonly server: McpServer;
  private readonly options: GatewayOptions;
  private readonly downstreams: Map<string, Downstream>;
  /** Approvals this gateway requested, by call fingerprint: the same call made again uses the same approval. */
  private readonly approvalsByCall = new Map<string, string>();
  /**
   * The approval step of each call, chained per fingerprint: two identical calls in flight must not request two
   * approvals, nor both spend one approval (the second one runs after the first has used it).
   */
  private readonly approvalQueue = new Map<string, Promise<unknown>>();
  private readonly sessionId: string;

  constructor(options: GatewayOptions) {
    this.options = options;
    this.sessionId = options.config.session_id ?? options.randomHex12();
    this.downstreams = new Map(
      options.config.servers.map((server) => [server.name, new Downstream(server, options.log)]),
    );
    this.server = new McpServer(
      { name: 'cavra-gateway', version: options.version },
      {
        capabilities: { tools: {} },
        instructions:
          'Tools are those of the downstream MCP servers, named <server>__<tool>. CAVRA decides every call first: ' +
          'a blocked call returns an error with the rule; a call needing approval returns the approval id — make ' +
          'the same call again once a human has approved it.',
      },
    );
    this.server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: this.listTools() }));
    this.server.server.setRequestHandler(CallToolRequestSchema, (request) =>
      this.callTool(request.params.name, request.params.arguments),
    );
  }

  /** Starts every downstream server (in parallel). A server that fails to start is reported and left out. */
  async start(): Promise<void> {
    await Promise.all([...this.downstreams.values()].map((d) => d.connect(this.options.version)));
  }

  async close(): Promise<void> {
    await Promise.all([...this.downstreams.values()].map((d) => d.close()));
  }

  /** Every tool of every running downstream, namespaced. */
  listTools(): Tool[] {
    const tools: Tool[] = [];
    for (const downstream of this.downstreams.values()) {
      if (downstream.downReason !== null) continue;
      for (const tool of downstream.tools.values()) {
        tools.push({
          ...tool,
          name: `${downstream.name}__${tool.name}`,
          description: `[${downstream.name}] ${tool.description ?? tool.name}`,
        });
      }
    }
    return tools;
  }

  /** Decides, records and (when allowed) forwards one call. Never throws: failures are error results. */
  async callTool(name: string, args: Record<string, unknown> | undefined): Promise<CallToolResult> {
    const split = name.indexOf('__');
    const serverName = split > 0 ? name.slice(0, split) : '';
    const tool = split > 0 ? name.slice(split + 2) : name;
    const downstream = this.downstreams.get(serverName);
    const call: CallFacts = {
      call_id: `mcpcall_${this.options.randomHex12()}`,
      server: serverName,
      tool,
      fingerprint: fingerprint(serverName, tool, args),
    };
    if (downstream?.tools.has(tool) !== true) {
      const reason =
        downstream === undefined
          ? `unknown tool '${name}': tools are named <server>__<tool>; list them with tools/list`
          : `server '${serverName}' has no tool '${tool}'`;
      return this.refuse(call, [], reason);
    }
    const decided = await this.decideCall(downstream, tool, args);
    if (!decided.ok) return this.refuse(call, [], decided.message);
    const { decisions } = decided;
    try {
      for (const decision of decisions) await this.options.evidence.recordDecision(decision);
    } catch (error) {
      return this.refuse(
        call,
        decisions,
        `the decision could not be recorded as evidence (${errorText(error)})`,
      );
    }
    const decision = strictest(decisions);
    if (decision.decision === 'block') {
      await this.recordOutcome(call, decisions, 'blocked');
      return errorResult(
        `blocked by CAVRA (rule ${decision.rule_id}, ${decision.severity}): ${sentence(decision.reason)} ` +
          `The call to ${serverName}__${tool} was not made; do not retry it as is.`,
        { outcome: 'blocked', ...decisionMeta(decision) },
      );
    }
    if (decision.decision === 'require_approval') {
      const approval = await this.approve(call, decision);
      if (approval.kind !== 'approved') return this.approvalAnswer(call, decisions, decision, approval);
      return this.forward(downstream, call, args, decisions, approval.approvalId);
    }
    return this.forward(downstream, call, args, decisions);
  }

  /** The MCP decision, plus one per configured argument check; an error message instead when one fails. */
  private async decideCall(
    downstream: Downstream,
    tool: string,
    args: Record<string, unknown> | undefined,
  ): Promise<{ ok: true; decisions: Decision[] } | { ok: false; message: string }> {
    const toolConfig = downstream.config.tools?.[tool];
    const capability = toolConfig?.capability ?? downstream.config.capability;
    const common = this.commonFields();
    const requests: DecisionRequest[] = [
      {
        ...common,
        action_type: 'mcp_tool_call',
        server: downstream.name,
        tool,
        ...(capability !== undefined && { capability }),
      },
    ];
    for (const check of toolConfig?.checks ?? []) {
      const value = args?.[check.argument];
      if (typeof value !== 'string' || value === '') {
        return {
          ok: false,
          message: `argument '${check.argument}' must be a non-empty string: the gateway checks it as ${check.action_type}`,
        };
      }
      requests.push({
        ...common,
        action_type: check.action_type,
        target: value,
        ...(check.action_type === 'git_operation' && { operation: check.operation ?? 'push' }),
      });
    }
    try {
      const registry = await this.options.registry();
      const decisions: Decision[] = [];
      for (const request of requests) {
        const result = this.options.decide(request, registry);
        if (!result.ok)
          return { ok: false, message: `the engine refused the request: ${result.error.message}` };
        decisions.push(result.value);
      }
      return { ok: true, decisions };
    } catch (error) {
      return { ok: false, message: `the call could not be decided (${errorText(error)})` };
    }
  }

  private commonFields(): Partial<DecisionRequest> {
    const { config } = this.options;
    const client = this.server.server.getClientVersion()?.name;
    const agent = config.agent_id ?? client;
    return {
      session_id: this.sessionId,
      ...(agent !== undefined && { agent_id: agent }),
      ...(config.actor !== undefined && { actor: config.actor }),
      ...(config.repository !== undefined && { repository: config.repository }),
      ...(config.policy?.pack !== undefined && { policy_pack: config.policy.pack }),
      ...(config.policy?.mode !== undefined && {
        policy_mode: config.policy.mode as DecisionRequest['policy_mode'],
      }),
    };
  }

  private async approve(call: CallFacts, decision: Decision): Promise<ApprovalOutcome> {
    const previous = this.approvalQueue.get(call.fingerprint) ?? Promise.resolve();
    const outcome = previous.then(() => this.approveNow(call, decision));
    this.approvalQueue.set(call.fingerprint, outcome);
    try {
      return await outcome;
    } finally {
      if (this.approvalQueue.get(call.fingerprint) === outcome) this.approvalQueue.delete(call.fingerprint);
    }
  }

  private approveNow(call: CallFacts, decision: Decision): Promise<ApprovalOutcome> {
    const approvals = this.options.config.approvals;
    return awaitApproval({
      broker: this.options.approvals,
      known: this.approvalsByCall,
      fingerprint: call.fingerprint,
      decision,
      context: {
        server: call.server,
        tool: call.tool,
        call_fingerprint: call.fingerprint,
        requested_by: decision.agent_id,
        ttl_hours: approvals?.ttl_hours ?? 24,
      },
      wait:
        approvals?.mode === 'wait'
          ? {
              timeoutMs: (approvals.timeout_seconds ?? 300) * 1000,
              pollMs: approvals.poll_interval_ms ?? 1000,
              sleep: this.options.sleep ?? sleep,
            }
          : undefined,
    });
  }

  private async approvalAnswer(
    call: CallFacts,
    decisions: Decision[],
    decision: Decision,
    approval: Exclude<ApprovalOutcome, { kind: 'approved' }>,
  ): Promise<CallToolResult> {
    const target = `${call.server}__${call.tool}`;
    switch (approval.kind) {
      case 'pending': {
        await this.recordOutcome(call, decisions, 'approval_pending', { approval_id: approval.approvalId });
        const waited =
          approval.waitedMs === undefined
            ? ''
            : ` (still pending after ${Math.round(approval.waitedMs / 1000)} s)`;
        return errorResult(
          `approval required (rule ${decision.rule_id}): ${sentence(decision.reason)} Approval ${approval.approvalId} is ` +
            `pending with ${approval.approverGroup}${waited}; the call to ${target} was not made. Once it is ` +
            `approved, make the same call again.`,
          {
            outcome: 'approval_pending',
            approval_id: approval.approvalId,
            approver_group: approval.approverGroup,
            ...decisionMeta(decision),
          },
        );
      }
      case 'closed':
        await this.recordOutcome(call, decisions, 'approval_denied', {
          approval_id: approval.approvalId,
          approval_state: approval.state,
        });
        return errorResult(
          `approval ${approval.approvalId} was ${approval.state}${approval.by === undefined ? '' : ` by ${approval.by}`}` +
            `${approval.reason === undefined ? '' : `: ${approval.reason}`}; the call to ${target} was not made.`,
          { outcome: 'approval_denied', approval_id: approval.approvalId, ...decisionMeta(decision) },
        );
      case 'failed':
        return this.refuse(call, decisions, `no approval could be requested or read (${approval.message})`);
      default:
        return approval satisfies never;
    }
  }

  private async forward(
    downstream: Downstream,
    call: CallFacts,
    args: Record<string, unknown> | undefined,
    decisions: Decision[],
    approvalId?: string,
  ): Promise<CallToolResult> {
    const decision = strictest(decisions);
    const extra: JsonObject = approvalId === undefined ? {} : { approval_id: approvalId };
    let result: CallToolResult;
    try {
      result = await downstream.call(call.tool, args);
    } catch (error) {
      const message = errorText(error);
      await this.recordOutcome(call, decisions, 'downstream_error', { ...extra, error: message });
      return errorResult(
        `the call to ${call.server}__${call.tool} was allowed but failed downstream: ${message}`,
        {
          outcome: 'downstream_error',
          ...decisionMeta(decision),
        },
      );
    }
    await this.recordOutcome(call, decisions, 'forwarded', {
      ...extra,
      downstream_is_error: result.isError === true,
    });
    return {
      ...result,
      _meta: {
        ...result._meta,
        [GATEWAY_META_KEY]: { outcome: 'forwarded', ...extra, ...decisionMeta(decision) },
      },
    };
  }

  /** An error result for a call that was not decided or not recorded: nothing is forwarded. */
  private async refuse(call: CallFacts, decisions: Decision[], reason: string): Promise<CallToolResult> {
    await this.recordOutcome(call, decisions, 'refused', { reason });
    return errorResult(`refused by the CAVRA gateway: ${reason}. The call was not made.`, {
      outcome: 'refused',
      reason,
    });
  }

  /** Appends what became of the call. A failure here is logged: the outcome has already happened. */
  private async recordOutcome(
    call: CallFacts,
    decisions: Decision[],
    outcome: CallOutcome,
    extra: JsonObject = {},
  ): Promise<void> {
    const decision = decisions.length === 0 ? undefined : strictest(decisions);
    const payload: JsonObject = {
      schema_version: 'cavra.mcp.gateway.call.v1',
      record_kind: 'mcp_gateway_call',
      call_id: call.call_id,
      session_id: this.sessionId,
      server: call.server,
      tool: call.tool,
      call_fingerprint: call.fingerprint,
      outcome,
      decision: decision?.decision ?? null,
      rule_id: decision?.rule_id ?? null,
      decision_ids: decisions.map((d) => d.decision_id),
      at: this.options.now().toISOString(),
      ...extra,
    };
    try {
      await this.options.evidence.recordEvent(payload);
    } catch (error) {
      this.options.log(
        `warning: the outcome of ${call.call_id} (${outcome}) was NOT recorded: ${errorText(error)}`,
      );
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
