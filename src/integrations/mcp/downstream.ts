/**
 * One downstream MCP server of the gateway: a child process over stdio or a Streamable HTTP endpoint, driven by
 * the SDK's client. Its tools are listed once at start; when it exits, it stays down (calls fail closed).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { DownstreamConfig } from './gateway-config';

/** Where a downstream's diagnostics go (the gateway's stderr: its stdout carries the protocol). */
export type Log = (line: string) => void;

/** Default time one forwarded call may take. */
const DEFAULT_CALL_TIMEOUT_MS = 60_000;

/** A connected (or failed) downstream server. */
export class Downstream {
  readonly name: string;
  readonly config: DownstreamConfig;
  /** Its tools by (un-namespaced) name, as it listed them. */
  readonly tools = new Map<string, Tool>();
  /** Why it is down, or null while it is up. */
  downReason: string | null = 'not started';
  private client: Client | null = null;
  private readonly log: Log;

  constructor(config: DownstreamConfig, log: Log) {
    this.name = config.name;
    this.config = config;
    this.log = log;
  }

  /** Starts (or dials) the server and lists its tools. Failures leave it down, with the reason. */
  async connect(clientVersion: string): Promise<void> {
    const client = new Client({ name: 'cavra-gateway', version: clientVersion });
    const transport = this.transport();
    client.onclose = () => {
      if (this.downReason === null) {
        this.downReason = 'the server closed the connection (it exited or crashed)';
        this.log(`downstream '${this.name}' is down: ${this.downReason}`);
      }
    };
    try {
      await client.connect(transport);
      this.client = client;
      for (let cursor: string | undefined, first = true; first || cursor !== undefined; first = false) {
        const page = await client.listTools(cursor === undefined ? {} : { cursor });
        for (const tool of page.tools) this.tools.set(tool.name, tool);
        cursor = page.nextCursor;
      }
      this.downReason = null;
    } catch (error) {
      this.downReason = `could not start: ${errorText(error)}`;
      this.log(`downstream '${this.name}' ${this.downReason}`);
      await client.close().catch(() => undefined);
    }
  }

  /** Forwards one call; throws when the server is down, times out or breaks the protocol. */
  async call(tool: string, args: Record<string, unknown> | undefined): Promise<CallToolResult> {
    const client = this.client;
    if (client === null || this.downReason !== null) {
      throw new Error(`downstream '${this.name}' is not available: ${this.downReason ?? 'not connected'}`);
    }
    const timeout = (this.config.timeout_seconds ?? DEFAULT_CALL_TIMEOUT_MS / 1000) * 1000;
    const result = await client.callTool({ name: tool, arguments: args ?? {} }, undefined, { timeout });
    return result as CallToolResult;
  }

  async close(): Promise<void> {
    this.downReason ??= 'closed';
    await this.client?.close().catch(() => undefined);
  }

  private transport(): Transport {
    const { config } = this;
    if (config.url !== undefined) {
      return new StreamableHTTPClientTransport(new URL(config.url), {
        requestInit: { headers: config.headers ?? {} },
      });
    }
    const transport = new StdioClientTransport({
      command: config.command ?? '',
      args: config.args ?? [],
      ...(config.env !== undefined && { env: config.env }),
      ...(config.cwd !== undefined && { cwd: config.cwd }),
      stderr: 'pipe',
    });
    // Its stderr is passed on line by line, prefixed, so several servers stay readable.
    let pending = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) this.log(`[${this.name}] ${line}`);
    });
    return transport;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
