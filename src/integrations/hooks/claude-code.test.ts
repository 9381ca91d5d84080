import { expect, test } from 'vitest';
import { mapClaudeCodeEvent, parseClaudeCodeEvent, type ClaudeCodeEvent } from './claude-code';

function event(tool: string, input: Record<string, unknown>): ClaudeCodeEvent {
  const parsed = parseClaudeCodeEvent({
    session_id: 's',
    cwd: '/w',
    hook_event_name: 'PreToolUse',
    tool_name: tool,
    tool_input: input,
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

function request(tool: string, input: Record<string, unknown>) {
  const mapped = mapClaudeCodeEvent(event(tool, input), {});
  if (!mapped.ok) throw new Error(mapped.message);
  return mapped.value;
}

test('relative paths are resolved against the session cwd; Grep and Glob default to it', () => {
  expect(request('Edit', { file_path: 'src/a.ts' })).toMatchObject({
    action_type: 'write_file',
    target: '/w/src/a.ts',
  });
  expect(request('Glob', { pattern: '**/*.ts' })).toMatchObject({ action_type: 'read_file', target: '/w' });
  expect(request('Grep', { pattern: 'x', path: 'secrets' })).toMatchObject({ target: '/w/secrets' });
});

test('mcp__<server>__<tool> splits at the first separator; other tools become claude_code.<tool>', () => {
  expect(request('mcp__my_server__list__all', {})).toMatchObject({
    action_type: 'mcp_tool_call',
    server: 'my_server',
    tool: 'list__all',
  });
  expect(request('WebSearch', { query: 'cavra' })).toMatchObject({
    action_type: 'claude_code.web_search',
    target: 'cavra',
    adapter_id: 'claude-code',
    agent_id: 'claude-code',
  });
});

test('the pack and mode flags become request defaults', () => {
  const mapped = mapClaudeCodeEvent(event('Bash', { command: 'ls' }), {
    policy_pack: 'p',
    policy_mode: 'strict',
  });
  expect(mapped).toMatchObject({
    ok: true,
    value: { policy_pack: 'p', policy_mode: 'strict', target: 'ls' },
  });
});
