/**
 * The decision tools of `cavra mcp serve`: their names (upstream's MCP server §7), input schemas and how their
 * arguments become a {@link DecisionRequest}. Arguments are validated here, at the trust boundary (STYLE.md §4).
 */
import { z } from 'zod';
import type { DecisionRequest } from '../../engine';

/** Fields every decision tool accepts besides its own: who acts, where, under which pack. */
const COMMON = {
  policy_pack: z
    .string()
    .min(1)
    .optional()
    .describe('policy pack to decide with (default: the server’s pack)'),
  session_id: z
    .string()
    .min(1)
    .optional()
    .describe('session the action belongs to (default: the current one)'),
  agent_id: z.string().min(1).optional().describe('the agent asking, e.g. claude-code'),
  actor: z.string().min(1).optional().describe('who the agent acts for'),
  repository: z.string().min(1).optional().describe('repository the action touches, e.g. acme/payments'),
  cwd: z.string().min(1).optional().describe('workspace root used to resolve relative paths'),
};

const path = z.string().min(1).describe('the file path (relative to cwd or absolute)');

const fileShape = { path: path.optional(), target: path.optional().describe('alias of path'), ...COMMON };

/** `check_command`'s arguments. */
const commandShape = {
  command: z.string().min(1).describe('the shell command line, as the agent would run it'),
  ...COMMON,
};

const gitShape = {
  target: z.string().min(1).describe('the ref, e.g. origin/main'),
  operation: z.string().min(1).optional().describe('the git verb (default: push)'),
  ...COMMON,
};

const mcpShape = {
  server: z.string().min(1).describe('the MCP server id or name'),
  tool: z.string().min(1).optional().describe('the tool (default: unknown)'),
  capability: z.string().min(1).optional().describe('the capability, e.g. filesystem, shell, database'),
  ...COMMON,
};

/** `cavra.evaluate_action`: any action upstream's request model (§2.2) describes. */
const actionShape = {
  action_type: z
    .string()
    .min(1)
    .describe(
      'read_file, write_file, execute_command, git_operation, mcp_tool_call, pull_request, or a dotted generic type',
    ),
  target: z.string().optional().describe('path, command, ref or MCP server, depending on action_type'),
  path: z.string().min(1).optional().describe('alias of target for file actions'),
  command: z.string().min(1).optional().describe('alias of target for execute_command'),
  operation: z.string().min(1).optional(),
  server: z.string().min(1).optional(),
  tool: z.string().min(1).optional(),
  capability: z.string().min(1).optional(),
  ...COMMON,
};

export const FILE_INPUT = z.object(fileShape);
export const COMMAND_INPUT = z.object(commandShape);
export const GIT_INPUT = z.object(gitShape);
export const MCP_INPUT = z.object(mcpShape);
export const ACTION_INPUT = z.object(actionShape);
export const EXPLAIN_INPUT = z.object({
  ...actionShape,
  action_type: actionShape.action_type.optional(),
  decision_id: z
    .string()
    .min(1)
    .optional()
    .describe('explain a decision recorded earlier (needs a server started with --record)'),
});

type Common = z.infer<z.ZodObject<typeof COMMON>>;

/** A request, or what is wrong with the arguments (a message for the caller). */
export type BuiltRequest = { ok: true; request: DecisionRequest } | { ok: false; message: string };

function common(args: Common): Partial<DecisionRequest> {
  const out: Partial<DecisionRequest> = {};
  if (args.policy_pack !== undefined) out.policy_pack = args.policy_pack;
  if (args.session_id !== undefined) out.session_id = args.session_id;
  if (args.agent_id !== undefined) out.agent_id = args.agent_id;
  if (args.actor !== undefined) out.actor = args.actor;
  if (args.repository !== undefined) out.repository = args.repository;
  if (args.cwd !== undefined) out.cwd = args.cwd;
  return out;
}

/** `check_file_read` / `check_file_write`: `path` (or upstream's `target`). */
export function fileRequest(
  actionType: 'read_file' | 'write_file',
  args: z.infer<typeof FILE_INPUT>,
): BuiltRequest {
  const target = args.path ?? args.target;
  if (target === undefined) return { ok: false, message: 'missing "path": give the file to check' };
  if (args.path !== undefined && args.target !== undefined && args.path !== args.target) {
    return { ok: false, message: '"path" and "target" differ: give one of them' };
  }
  return { ok: true, request: { ...common(args), action_type: actionType, target } };
}

export function commandRequest(args: z.infer<typeof COMMAND_INPUT>): BuiltRequest {
  return { ok: true, request: { ...common(args), action_type: 'execute_command', target: args.command } };
}

export function gitRequest(args: z.infer<typeof GIT_INPUT>): BuiltRequest {
  return {
    ok: true,
    request: {
      ...common(args),
      action_type: 'git_operation',
      target: args.target,
      operation: args.operation ?? 'push',
    },
  };
}

/** Upstream's CLI defaults the tool to `unknown`; the capability stays unset unless given. */
export function mcpRequest(args: z.infer<typeof MCP_INPUT>): BuiltRequest {
  return {
    ok: true,
    request: {
      ...common(args),
      action_type: 'mcp_tool_call',
      server: args.server,
      tool: args.tool ?? 'unknown',
      ...(args.capability !== undefined && { capability: args.capability }),
    },
  };
}

/** `cavra.evaluate_action`: the generic form; `path`/`command` are accepted as aliases of `target`. */
export function actionRequest(args: z.infer<typeof ACTION_INPUT>): BuiltRequest {
  const targets = [args.target, args.path, args.command].filter((t): t is string => t !== undefined);
  if (new Set(targets).size > 1) {
    return { ok: false, message: 'give the target once: "target", "path" and "command" differ' };
  }
  const target = targets[0];
  if (args.action_type === 'mcp_tool_call') {
    const server = args.server ?? target;
    if (server === undefined) return { ok: false, message: 'missing "server" for mcp_tool_call' };
    return mcpRequest({ ...args, server });
  }
  const request: DecisionRequest = { ...common(args), action_type: args.action_type };
  if (target !== undefined) request.target = target;
  if (args.operation !== undefined) request.operation = args.operation;
  else if (args.action_type === 'git_operation') request.operation = 'push';
  if (
    target === undefined &&
    ['read_file', 'write_file', 'execute_command', 'git_operation'].includes(args.action_type)
  ) {
    return { ok: false, message: `missing "target" for ${args.action_type}` };
  }
  return { ok: true, request };
}
