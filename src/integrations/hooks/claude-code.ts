/**
 * Claude Code `PreToolUse` hooks: the event on stdin becomes one engine request, the verdict becomes
 * `{"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision", "permissionDecisionReason"}}`.
 * Wire format: https://code.claude.com/docs/en/hooks (PreToolUse input and decision control).
 */
import type { DecisionRequest, JsonObject } from '../../engine';
import {
  absolutePath,
  isRecord,
  optionalString,
  requireString,
  withDefaults,
  type HookVerdict,
  type Mapped,
  type RequestDefaults,
} from './event';

/** The fields of a PreToolUse event CAVRA reads (others, such as transcript_path, are ignored). */
export type ClaudeCodeEvent = {
  session_id: string;
  cwd: string;
  hook_event_name: string;
  tool_name: string;
  tool_input: Record<string, unknown>;
  tool_use_id?: string | undefined;
};

/** The agent id decisions made through this hook carry. */
export const CLAUDE_CODE_AGENT = 'claude-code';

/** Tools the hook maps to a specific action type; `init claude-code` registers the hook for these. */
export const CLAUDE_CODE_TOOLS = {
  execute: ['Bash'],
  read: ['Read', 'Grep', 'Glob'],
  write: ['Write', 'Edit', 'MultiEdit', 'NotebookEdit'],
} as const;

const WHERE = 'the Claude Code event';

/** Narrows stdin JSON to a PreToolUse event, or says which field is missing. */
export function parseClaudeCodeEvent(value: unknown): Mapped<ClaudeCodeEvent> {
  if (!isRecord(value)) return { ok: false, message: `${WHERE} must be a JSON object` };
  const eventName = requireString(value, 'hook_event_name', WHERE);
  if (!eventName.ok) return eventName;
  if (eventName.value !== 'PreToolUse') {
    return {
      ok: false,
      message: `'cavra hook claude-code' handles PreToolUse events, got '${eventName.value}': register it under hooks.PreToolUse`,
    };
  }
  const session = requireString(value, 'session_id', WHERE);
  if (!session.ok) return session;
  const cwd = requireString(value, 'cwd', WHERE);
  if (!cwd.ok) return cwd;
  const tool = requireString(value, 'tool_name', WHERE);
  if (!tool.ok) return tool;
  const input = value['tool_input'];
  if (!isRecord(input)) return { ok: false, message: `${WHERE} has no "tool_input" object` };
  const useId = optionalString(value, 'tool_use_id', WHERE);
  if (!useId.ok) return useId;
  return {
    ok: true,
    value: {
      session_id: session.value,
      cwd: cwd.value,
      hook_event_name: eventName.value,
      tool_name: tool.value,
      tool_input: input,
      tool_use_id: useId.value,
    },
  };
}

/**
 * The engine request for one tool call: Bash → execute_command, Read/Grep/Glob → read_file, the editing
 * tools → write_file, `mcp__<server>__<tool>` → mcp_tool_call, anything else → `claude_code.<tool>` (a
 * generic action, which the engine sends to review unless a pack says otherwise).
 */
export function mapClaudeCodeEvent(
  event: ClaudeCodeEvent,
  defaults: RequestDefaults,
): Mapped<DecisionRequest> {
  const base = {
    session_id: event.session_id,
    agent_id: CLAUDE_CODE_AGENT,
    cwd: event.cwd,
  } satisfies Partial<DecisionRequest>;
  const where = `${WHERE} (${event.tool_name})`;
  const input = event.tool_input;
  const tool = event.tool_name;
  const mapped = ((): Mapped<DecisionRequest> => {
    if (tool === 'Bash') {
      const command = requireString(input, 'command', `${where} tool_input`);
      if (!command.ok) return command;
      return { ok: true, value: { ...base, action_type: 'execute_command', target: command.value } };
    }
    if (tool === 'Read' || tool === 'Write' || tool === 'Edit' || tool === 'MultiEdit') {
      const path = requireString(input, 'file_path', `${where} tool_input`);
      if (!path.ok) return path;
      const actionType = tool === 'Read' ? 'read_file' : 'write_file';
      return {
        ok: true,
        value: { ...base, action_type: actionType, target: absolutePath(path.value, event.cwd) },
      };
    }
    if (tool === 'NotebookEdit') {
      const path = requireString(input, 'notebook_path', `${where} tool_input`);
      if (!path.ok) return path;
      return {
        ok: true,
        value: { ...base, action_type: 'write_file', target: absolutePath(path.value, event.cwd) },
      };
    }
    if (tool === 'Grep' || tool === 'Glob') {
      const path = optionalString(input, 'path', `${where} tool_input`);
      if (!path.ok) return path;
      const target = path.value === undefined || path.value === '' ? event.cwd : path.value;
      return {
        ok: true,
        value: { ...base, action_type: 'read_file', target: absolutePath(target, event.cwd) },
      };
    }
    const mcp = /^mcp__(.+?)__(.+)$/.exec(tool);
    if (mcp !== null) {
      const [, server = '', name = ''] = mcp;
      return {
        ok: true,
        value: { ...base, action_type: 'mcp_tool_call', target: server, server, tool: name },
      };
    }
    return { ok: true, value: genericRequest(base, tool, input) };
  })();
  return mapped.ok ? { ok: true, value: withDefaults(mapped.value, defaults) } : mapped;
}

function genericRequest(
  base: { session_id: string; agent_id: string; cwd: string },
  tool: string,
  input: Record<string, unknown>,
): DecisionRequest {
  const name = tool
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^\w-]+/g, '_')
    .toLowerCase();
  // The most telling text argument, so a reviewer sees what the tool was about to do.
  const target = ['url', 'query', 'description', 'prompt', 'command']
    .map((key) => input[key])
    .find((value): value is string => typeof value === 'string');
  const metadata: JsonObject = { system: CLAUDE_CODE_AGENT, tool_name: tool };
  return {
    ...base,
    action_type: `claude_code.${name}`,
    target: target === undefined ? tool : target.slice(0, 500),
    adapter_id: CLAUDE_CODE_AGENT,
    metadata,
  };
}

/** The PreToolUse answer Claude Code reads from stdout (exit 0). */
export type ClaudeCodeAnswer = {
  hookSpecificOutput: {
    hookEventName: 'PreToolUse';
    permissionDecision: HookVerdict['permission'];
    permissionDecisionReason: string;
  };
};

export function claudeCodeAnswer(verdict: HookVerdict): ClaudeCodeAnswer {
  return {
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision: verdict.permission,
      permissionDecisionReason: verdict.reason,
    },
  };
}
