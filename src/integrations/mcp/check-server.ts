/**
 * `cavra mcp serve`: an MCP server whose tools ask the engine before the agent acts (upstream's MCP stdio
 * server, §7 of the engine digest). Each decision tool answers with the decision JSON as structured content
 * and a readable summary as text; with evidence configured, every decision is recorded first.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  OUTCOMES,
  type Decision,
  type DecisionRequest,
  type JsonObject,
  type PolicyMode,
} from '../../engine';
import { summarizeSession } from '../../evidence';
import {
  ACTION_INPUT,
  COMMAND_INPUT,
  EXPLAIN_INPUT,
  FILE_INPUT,
  GIT_INPUT,
  MCP_INPUT,
  actionRequest,
  commandRequest,
  fileRequest,
  gitRequest,
  mcpRequest,
  type BuiltRequest,
} from './check-tools';
import type { Decider, DecisionRenderer, EvidenceSink, PackCatalog } from './ports';

/** What `cavra mcp serve` is started with. */
export type CheckServerOptions = {
  decide: Decider;
  render: DecisionRenderer;
  packs: PackCatalog;
  /** Present with `--record`: every decision is stored and appended to the evidence log. */
  evidence?: EvidenceSink;
  /** The runtime mode every decision is made in (`--mode`); callers cannot change it. */
  mode?: PolicyMode;
  /** The session decisions belong to until `session_start` opens another one. */
  sessionId?: string;
  agentId?: string;
  /** 12 random hex characters, for session ids. */
  randomHex12: () => string;
  version: string;
};

/** The decision's main fields; the rest of `cavra.decision.v1` passes through. */
const DECISION_OUTPUT = z.looseObject({
  schema_version: z.literal('cavra.decision.v1'),
  decision_id: z.string(),
  decision: z.enum(OUTCOMES as [string, ...string[]]),
  rule_id: z.string(),
  severity: z.string(),
  reason: z.string(),
});

/**
 * Tool names. Upstream's 13 are kept where they fit (see docs/integrations/mcp.md): `policy_describe` is
 * added; `generate_pr_attestation` and `export_evidence` are CLI commands here (`cavra evidence …`).
 */
export const CHECK_TOOL_NAMES = [
  'cavra.evaluate_action',
  'check_file_read',
  'check_file_write',
  'check_command',
  'check_git_operation',
  'check_mcp_tool_call',
  'explain_decision',
  'policy_list',
  'policy_describe',
  'policy_validate',
  'session_start',
  'session_summary',
] as const;

function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

/** Builds the server; connect it to a transport (stdio) to serve. */
export function createCheckServer(options: CheckServerOptions): McpServer {
  const server = new McpServer(
    { name: 'cavra', version: options.version },
    {
      instructions:
        'Ask CAVRA before acting: check_command before running a shell command, check_file_read/check_file_write ' +
        'before touching a file, check_git_operation before pushing, check_mcp_tool_call before another MCP tool. ' +
        'Obey the "decision": allow → go ahead; block → do not do it; require_approval → ask a human first.',
    },
  );
  const ledger: Decision[] = [];
  let sessionId = options.sessionId;

  /** Fills the server's defaults, decides, records, and answers. */
  const decideTool = async (built: BuiltRequest, explain: boolean): Promise<CallToolResult> => {
    if (!built.ok) return errorResult(built.message);
    const request: DecisionRequest = { ...built.request };
    if (request.session_id === undefined && sessionId !== undefined) request.session_id = sessionId;
    if (request.agent_id === undefined && options.agentId !== undefined) request.agent_id = options.agentId;
    if (options.mode !== undefined) request.policy_mode = options.mode;
    let result;
    try {
      result = options.decide(request);
    } catch (error) {
      // decide() turns its own failures into block decisions; this is a bug outside it. Say so, never allow.
      return errorResult(`cavra could not decide (${errorText(error)}): treat the action as blocked`);
    }
    if (!result.ok) return errorResult(`${result.error.code}: ${result.error.message}`);
    const decision = result.value;
    ledger.push(decision);
    let note = '';
    if (options.evidence !== undefined) {
      try {
        await options.evidence.recordDecision(decision);
        note = `\nrecorded as evidence in ${options.evidence.label}`;
      } catch (error) {
        note = `\nwarning: NOT recorded as evidence (${errorText(error)})`;
      }
    }
    const text = explain ? options.render.explanation(decision) : options.render.summary(decision);
    return {
      content: [{ type: 'text', text: `${text.trimEnd()}${note}` }],
      structuredContent: decision as unknown as JsonObject,
    };
  };

  /** The registration of a decision tool: its input schema, the decision as output, and hints. */
  const decisionTool = <S extends z.ZodObject>(description: string, inputSchema: S) => ({
    description,
    inputSchema,
    outputSchema: DECISION_OUTPUT,
    annotations: { readOnlyHint: options.evidence === undefined, openWorldHint: false },
  });

  server.registerTool(
    'cavra.evaluate_action',
    decisionTool(
      'Decide any agent action (upstream request model): allow, block or require_approval, with the rule and reason.',
      ACTION_INPUT,
    ),
    (args) => decideTool(actionRequest(args), false),
  );
  server.registerTool('check_file_read', decisionTool('May the agent read this file?', FILE_INPUT), (args) =>
    decideTool(fileRequest('read_file', args), false),
  );
  server.registerTool(
    'check_file_write',
    decisionTool('May the agent write or edit this file?', FILE_INPUT),
    (args) => decideTool(fileRequest('write_file', args), false),
  );
  server.registerTool(
    'check_command',
    decisionTool(
      'May the agent run this shell command? Every simple command in it is judged.',
      COMMAND_INPUT,
    ),
    (args) => decideTool(commandRequest(args), false),
  );
  server.registerTool(
    'check_git_operation',
    decisionTool('May the agent perform this git operation (default push) on this ref?', GIT_INPUT),
    (args) => decideTool(gitRequest(args), false),
  );
  server.registerTool(
    'check_mcp_tool_call',
    decisionTool('May the agent call this tool of this MCP server?', MCP_INPUT),
    (args) => decideTool(mcpRequest(args), false),
  );

  server.registerTool(
    'explain_decision',
    {
      description:
        'Explain a decision: every rule that contributed, with its pattern and pack. Give an action (as for ' +
        'cavra.evaluate_action) or the decision_id of a recorded decision.',
      inputSchema: EXPLAIN_INPUT,
      outputSchema: DECISION_OUTPUT,
    },
    async (args) => {
      if (args.decision_id === undefined) {
        if (args.action_type === undefined)
          return errorResult('give "action_type" (and target) or "decision_id"');
        return decideTool(actionRequest({ ...args, action_type: args.action_type }), true);
      }
      if (options.evidence === undefined) {
        return errorResult('no evidence store: start the server with --record to explain recorded decisions');
      }
      const decision =
        ledger.find((d) => d.decision_id === args.decision_id) ??
        (await options.evidence.getDecision(args.decision_id));
      if (decision === null) return errorResult(`no recorded decision '${args.decision_id}'`);
      return {
        content: [{ type: 'text', text: options.render.explanation(decision).trimEnd() }],
        structuredContent: decision as unknown as JsonObject,
      };
    },
  );

  server.registerTool(
    'policy_list',
    {
      description: 'List the policy packs this server can decide with.',
      outputSchema: z.object({ packs: z.array(z.looseObject({ id: z.string() })) }),
      annotations: { readOnlyHint: true },
    },
    () => {
      const packs = options.packs.list();
      const lines = packs.map((p) => `${JSON.stringify(p['id'])}  ${JSON.stringify(p['title'] ?? '')}`);
      return { content: [{ type: 'text', text: lines.join('\n') }], structuredContent: { packs } };
    },
  );

  server.registerTool(
    'policy_describe',
    {
      description: 'Describe a policy pack: metadata, inheritance and its merged rules.',
      inputSchema: z.object({ policy_pack: z.string().min(1) }),
      outputSchema: z.looseObject({ id: z.string() }),
      annotations: { readOnlyHint: true },
    },
    ({ policy_pack }) => {
      const described = options.packs.describe(policy_pack);
      if (!described.ok) return errorResult(described.message);
      return {
        content: [{ type: 'text', text: JSON.stringify(described.value, null, 2) }],
        structuredContent: described.value,
      };
    },
  );

  server.registerTool(
    'policy_validate',
    {
      description: 'Validate a policy pack document (YAML or JSON text) against the pack schema.',
      inputSchema: z.object({
        source: z.string().min(1).describe('the pack document'),
        file_name: z.string().min(1).optional().describe('a name for messages (default policy.yaml)'),
      }),
      outputSchema: z.looseObject({ valid: z.boolean() }),
      annotations: { readOnlyHint: true },
    },
    ({ source, file_name }) => {
      const report = options.packs.validate(source, file_name ?? 'policy.yaml');
      return {
        content: [{ type: 'text', text: JSON.stringify(report, null, 2) }],
        structuredContent: report,
      };
    },
  );

  server.registerTool(
    'session_start',
    {
      description: 'Start a new session: later checks that give no session_id belong to it.',
      inputSchema: z.object({ session_id: z.string().min(1).optional() }),
      outputSchema: z.object({ session_id: z.string() }),
    },
    ({ session_id }) => {
      sessionId = session_id ?? options.randomHex12();
      return {
        content: [{ type: 'text', text: `session ${sessionId} started` }],
        structuredContent: { session_id: sessionId },
      };
    },
  );

  server.registerTool(
    'session_summary',
    {
      description: 'Summarise a session: decision counts by outcome, blocks, approvals and evidence refs.',
      inputSchema: z.object({ session_id: z.string().min(1).optional() }),
      outputSchema: z.looseObject({ session_id: z.string(), decision_count: z.number() }),
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      const id = args.session_id ?? sessionId ?? 'local';
      const stored = options.evidence === undefined ? null : await options.evidence.getSession(id);
      const summary =
        stored === null
          ? {
              ...summarizeSession(
                id,
                ledger.filter((d) => d.session_id === id).map((d) => d as unknown as JsonObject),
                null,
                new Date().toISOString(),
              ),
              source: 'this_server',
            }
          : { ...stored, source: 'evidence_store' };
      const text = `session ${id}: ${summary.decision_count} decisions, ${summary.blocked_count} blocked, ${summary.approval_required_count} needing approval`;
      return { content: [{ type: 'text', text }], structuredContent: summary };
    },
  );
  return server;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
