/**
 * `cavra mcp serve | gateway`: MCP servers over stdio (src/integrations/mcp). Loaded on demand, so other
 * commands never load the MCP SDK. stdout carries the protocol: messages for people go to stderr only.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { MCP_GATEWAY_HELP, MCP_HELP, MCP_SERVE_HELP } from './help';
import { EXIT, usageError, type CliIo } from './io';

/** A server the stdio transport can drive (the SDK's McpServer and Server both are). */
type Connectable = { connect(transport: Transport): Promise<void>; close(): Promise<void> };

export async function runMcp(args: string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = args;
  switch (subcommand) {
    case undefined:
      io.stderr(MCP_HELP);
      return EXIT.usage;
    case '-h':
    case '--help':
    case 'help':
      io.stdout(MCP_HELP);
      return EXIT.ok;
    case 'serve':
      if (rest.includes('--help') || rest.includes('-h')) return help(io, MCP_SERVE_HELP);
      return (await import('./mcp-serve')).runMcpServe(rest, io);
    case 'gateway':
      if (rest.includes('--help') || rest.includes('-h')) return help(io, MCP_GATEWAY_HELP);
      return (await import('./mcp-gateway')).runMcpGateway(rest, io);
    default:
      return usageError(io, `unknown subcommand 'mcp ${subcommand}': use serve or gateway`, 'mcp');
  }
}

function help(io: CliIo, text: string): number {
  io.stdout(text);
  return EXIT.ok;
}

/**
 * Serves `server` on this process's stdin/stdout until the client goes away (stdin ends) or a signal
 * arrives, then runs `cleanup`. Resolves when everything is closed.
 */
export async function serveStdio(server: Connectable, cleanup: () => Promise<void>): Promise<void> {
  const transport = new StdioServerTransport();
  let isClosing = false;
  const closed = new Promise<void>((resolve) => {
    const close = async (): Promise<void> => {
      // INVARIANT: set before server.close(), which closes the transport, which calls close() again.
      if (isClosing) return;
      isClosing = true;
      await server.close().catch(() => undefined);
      await cleanup();
      resolve();
    };
    transport.onclose = () => void close();
    process.stdin.once('end', () => void close());
    process.once('SIGINT', () => void close());
    process.once('SIGTERM', () => void close());
  });
  await server.connect(transport);
  await closed;
  process.stdin.pause();
}
