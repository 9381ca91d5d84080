import { expect, test } from 'vitest';
import { cursorAnswer, mapCursorEvent } from './cursor';

const ROOTS = { conversation_id: 'c1', workspace_roots: ['/w'] };

test('beforeReadFile cannot ask: a read that needs approval is denied, with the reason for both audiences', () => {
  const answer = cursorAnswer('beforeReadFile', { permission: 'ask', reason: 'needs IAM' });
  expect(answer).toEqual({
    permission: 'deny',
    user_message: 'needs IAM',
    agent_message: 'needs IAM',
    userMessage: 'needs IAM',
    agentMessage: 'needs IAM',
  });
  expect(cursorAnswer('beforeShellExecution', { permission: 'ask', reason: 'r' }).permission).toBe('ask');
});

test('MCP servers are named by server, the MCP:<server>: prefix, the URL host, then the command', () => {
  const server = (extra: Record<string, unknown>) => {
    const mapped = mapCursorEvent(
      { ...ROOTS, hook_event_name: 'beforeMCPExecution', tool_name: 'q', ...extra },
      {},
    );
    if (!mapped.ok) throw new Error(mapped.message);
    return [mapped.value.request.server, mapped.value.request.tool];
  };
  expect(server({ server: 'db', url: 'https://x.example/mcp' })).toEqual(['db', 'q']);
  expect(server({ tool_name: 'MCP:github:create_issue' })).toEqual(['github', 'create_issue']);
  expect(server({ url: 'https://mcp.example.com:8443/mcp' })).toEqual(['mcp.example.com:8443', 'q']);
  expect(server({ command: ' npx server-x ' })).toEqual(['npx server-x', 'q']);
  const none = mapCursorEvent({ ...ROOTS, hook_event_name: 'beforeMCPExecution', tool_name: 'q' }, {});
  expect(none).toEqual({ ok: false, message: expect.stringMatching(/names no MCP server/) as unknown });
});

test('the file content of beforeReadFile never reaches the request; relative paths resolve against the root', () => {
  const mapped = mapCursorEvent(
    { ...ROOTS, hook_event_name: 'beforeReadFile', file_path: 'src/a.ts', content: 'SECRET=1' },
    { policy_pack: 'p' },
  );
  expect(mapped).toEqual({
    ok: true,
    value: {
      event: 'beforeReadFile',
      request: {
        session_id: 'c1',
        agent_id: 'cursor',
        cwd: '/w',
        action_type: 'read_file',
        target: '/w/src/a.ts',
        policy_pack: 'p',
      },
    },
  });
  expect(JSON.stringify(mapped)).not.toContain('SECRET');
});
