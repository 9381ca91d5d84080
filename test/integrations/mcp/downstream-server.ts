// A downstream MCP server (stdio) for the gateway's tests and demos, built with the MCP SDK. Every call that
// reaches it is appended as one JSON line to $DOWNSTREAM_CALL_LOG, so a test can prove that a refused call
// never arrived. Its tools touch nothing real: read_file answers canned text, run_query canned rows.
// The tests bundle it with esbuild and run it with node (support.ts, downstreamServer()).
import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const name = process.env['DOWNSTREAM_NAME'] ?? 'downstream';
const callLog = process.env['DOWNSTREAM_CALL_LOG'];

function logCall(tool: string, args: Record<string, unknown>): void {
  if (callLog !== undefined && callLog !== '') {
    appendFileSync(callLog, `${JSON.stringify({ server: name, tool, arguments: args })}\n`);
  }
}

const server = new McpServer({ name: `fixture-${name}`, version: '1.0.0' });

server.registerTool(
  'read_file',
  { description: 'Read a file (canned contents).', inputSchema: { path: z.string() } },
  ({ path }) => {
    logCall('read_file', { path });
    return { content: [{ type: 'text', text: `contents of ${path}` }] };
  },
);

server.registerTool(
  'run_query',
  {
    description: 'Run a SQL query (canned rows).',
    inputSchema: { sql: z.string() },
    outputSchema: { rows: z.array(z.record(z.string(), z.unknown())), row_count: z.number() },
  },
  ({ sql }) => {
    logCall('run_query', { sql });
    const rows = [{ id: 1, sql }];
    return {
      content: [{ type: 'text', text: JSON.stringify(rows) }],
      structuredContent: { rows, row_count: rows.length },
    };
  },
);

server.registerTool(
  'delete_branch',
  { description: 'Delete a git branch.', inputSchema: { branch: z.string() } },
  ({ branch }) => {
    logCall('delete_branch', { branch });
    return { content: [{ type: 'text', text: `deleted ${branch}` }] };
  },
);

server.registerTool('list_branches', { description: 'List git branches.', inputSchema: {} }, () => {
  logCall('list_branches', {});
  return { content: [{ type: 'text', text: 'main\nfeature/x' }] };
});

server.registerTool(
  'crash',
  { description: 'Exit the process in the middle of a call (tests the gateway’s fail-closed path).' },
  () => {
    logCall('crash', {});
    process.exit(3);
  },
);

await server.connect(new StdioServerTransport());
process.stdin.on('end', () => {
  process.exit(0);
});
