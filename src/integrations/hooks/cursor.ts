/**
 * Cursor agent hooks (`.cursor/hooks.json`, version 1): beforeShellExecution, beforeMCPExecution and
 * beforeReadFile become one engine request each; the verdict becomes Cursor's
 * `{permission, user_message, agent_message}` answer. Wire format: https://cursor.com/docs/agent/hooks.
 */
import type { DecisionRequest } from '../../engine';
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

/** The agent id decisions made through this hook carry. */
export const CURSOR_AGENT = 'cursor';

/** The events `cavra hook cursor` handles (and `cavra init cursor` registers). */
export const CURSOR_EVENTS = ['beforeShellExecution', 'beforeMCPExecution', 'beforeReadFile'] as const;
export type CursorEventName = (typeof CURSOR_EVENTS)[number];

/** One mapped Cursor event: its name (the answer depends on it) and the request. */
export type CursorCall = { event: CursorEventName; request: DecisionRequest };

const WHERE = 'the Cursor event';

/**
 * Maps a Cursor hook event. The file content beforeReadFile carries is never read or recorded: the path
 * decides. MCP servers are named by the `server` field when present, else the tool name's `MCP:<server>:`
 * prefix, else the server URL's host, else its launch command.
 */
export function mapCursorEvent(value: unknown, defaults: RequestDefaults): Mapped<CursorCall> {
  if (!isRecord(value)) return { ok: false, message: `${WHERE} must be a JSON object` };
  const name = requireString(value, 'hook_event_name', WHERE);
  if (!name.ok) return name;
  const event = CURSOR_EVENTS.find((known) => known === name.value);
  if (event === undefined) {
    return {
      ok: false,
      message: `'cavra hook cursor' handles ${CURSOR_EVENTS.join(', ')}, got '${name.value}'`,
    };
  }
  const conversation = optionalString(value, 'conversation_id', WHERE);
  if (!conversation.ok) return conversation;
  const roots = value['workspace_roots'];
  const root = Array.isArray(roots) && typeof roots[0] === 'string' ? roots[0] : undefined;
  const cwdField = optionalString(value, 'cwd', WHERE);
  if (!cwdField.ok) return cwdField;
  const cwd = cwdField.value ?? root;
  if (cwd === undefined) return { ok: false, message: `${WHERE} has neither "cwd" nor "workspace_roots"` };
  const base = {
    session_id: conversation.value ?? 'cursor',
    agent_id: CURSOR_AGENT,
    cwd: root ?? cwd,
  } satisfies Partial<DecisionRequest>;
  const request = ((): Mapped<DecisionRequest> => {
    switch (event) {
      case 'beforeShellExecution': {
        const command = requireString(value, 'command', `${WHERE} (${event})`);
        if (!command.ok) return command;
        return { ok: true, value: { ...base, cwd, action_type: 'execute_command', target: command.value } };
      }
      case 'beforeReadFile': {
        const path = requireString(value, 'file_path', `${WHERE} (${event})`);
        if (!path.ok) return path;
        return {
          ok: true,
          value: { ...base, action_type: 'read_file', target: absolutePath(path.value, cwd) },
        };
      }
      case 'beforeMCPExecution':
        return mcpRequest(value, base);
    }
  })();
  return request.ok
    ? { ok: true, value: { event, request: withDefaults(request.value, defaults) } }
    : request;
}

function mcpRequest(
  value: Record<string, unknown>,
  base: { session_id: string; agent_id: string; cwd: string },
): Mapped<DecisionRequest> {
  const where = `${WHERE} (beforeMCPExecution)`;
  const toolName = requireString(value, 'tool_name', where);
  if (!toolName.ok) return toolName;
  const prefixed = /^MCP:([^:]+):(.+)$/.exec(toolName.value);
  const fields = ['server', 'url', 'command'].map((key) => optionalString(value, key, where));
  for (const field of fields) if (!field.ok) return field;
  const [server, url, command] = fields.map((field) => (field.ok ? field.value : undefined));
  const serverId = server ?? prefixed?.[1] ?? hostOf(url) ?? command?.trim();
  if (serverId === undefined || serverId === '') {
    return { ok: false, message: `${where} names no MCP server ("server", "url" or "command")` };
  }
  const tool = prefixed?.[2] ?? toolName.value;
  return {
    ok: true,
    value: { ...base, action_type: 'mcp_tool_call', target: serverId, server: serverId, tool },
  };
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/**
 * Cursor's answer. Both spellings of the message fields are written: Cursor documented camelCase
 * (`userMessage`, `agentMessage`) when hooks shipped and snake_case later; unknown keys are ignored.
 * beforeReadFile cannot ask, so a read that needs approval is denied with the reason.
 */
export type CursorAnswer = {
  permission: HookVerdict['permission'];
  user_message: string;
  agent_message: string;
  userMessage: string;
  agentMessage: string;
};

export function cursorAnswer(event: CursorEventName | undefined, verdict: HookVerdict): CursorAnswer {
  const permission = event === 'beforeReadFile' && verdict.permission === 'ask' ? 'deny' : verdict.permission;
  const userMessage = permission === 'allow' ? '' : verdict.reason;
  return {
    permission,
    user_message: userMessage,
    agent_message: verdict.reason,
    userMessage,
    agentMessage: verdict.reason,
  };
}
