/**
 * Test support for the MCP integration tests: the real `cavra` launcher spawned by the SDK's stdio client
 * (the bundle is built by test/global-setup.ts), and the fixture downstream server.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { buildSync } from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BIN = join(ROOT, 'bin', 'cavra.mjs');
const DOWNSTREAM_SOURCE = join(ROOT, 'test', 'integrations', 'mcp', 'downstream-server.ts');
let downstreamBundle: string | undefined;

/**
 * The fixture downstream MCP server (downstream-server.ts) bundled into one .mjs file that `node` runs
 * directly: a TypeScript loader would add most of a second to each of the many server starts.
 */
export function downstreamServer(): string {
  if (downstreamBundle === undefined) {
    const outfile = join(mkdtempSync(join(tmpdir(), 'cavra-mcp-fixture-')), 'downstream-server.mjs');
    buildSync({
      entryPoints: [DOWNSTREAM_SOURCE],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    downstreamBundle = outfile;
  }
  return downstreamBundle;
}

/** The caller's environment without CAVRA settings that would change what the spawned CLI does. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('CAVRA_') && key !== 'NO_COLOR') env[key] = value;
  }
  return { ...env, ...extra };
}

/** A connected client and the stderr the server printed so far (for failure messages). */
export type Session = { client: Client; stderr: () => string; close: () => Promise<void> };

/** Spawns `cavra <args>` as an MCP server and connects the SDK client to it over stdio. */
export async function connect(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<Session> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, ...args],
    cwd,
    env: cleanEnv(env),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'cavra-test-client', version: '1.0.0' });
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`could not connect to cavra ${args.join(' ')}: ${String(error)}\n${stderr}`, {
      cause: error,
    });
  }
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** Calls a tool and returns the result as the CallToolResult it is. */
export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The text of a result's first content item. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

/** Runs the CLI to completion (for `cavra evidence verify`). */
export function cavra(
  args: string[],
  cwd: string,
): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: cleanEnv() });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The calls the fixture downstream servers received, in order. */
export function downstreamCalls(
  file: string,
): { server: string; tool: string; arguments: Record<string, unknown> }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { server: string; tool: string; arguments: Record<string, unknown> });
}
