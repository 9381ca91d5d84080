/**
 * The gateway's configuration file (`cavra mcp gateway --config gateway.json`), checked with zod at the trust
 * boundary. Relative paths in it are resolved by the caller against the file's folder.
 */
import { z } from 'zod';
import { POLICY_MODES } from '../../engine';

const TRUST_TIERS = ['trusted', 'approved', 'experimental', 'blocked', 'unknown'] as const;
const APPROVAL_STATES = ['approved', 'pending', 'denied', 'not_required'] as const;

/**
 * A server name becomes the prefix of its tools (`<server>__<tool>`): letters, digits, `-` and single `_`,
 * so the first `__` of a namespaced tool always ends the server name.
 */
const SERVER_NAME = /^[A-Za-z0-9-]+(?:_[A-Za-z0-9-]+)*$/;

/** A second decision made from one argument of a tool call (e.g. the path a read_file tool reads). */
const ArgumentCheck = z.strictObject({
  action_type: z.enum(['read_file', 'write_file', 'execute_command', 'git_operation']),
  /** The argument holding the target (a path, a command line, a ref). */
  argument: z.string().min(1),
  operation: z.string().min(1).optional(),
});

const ToolConfig = z.strictObject({
  /** The capability the trust registry checks for this tool (overrides the server's). */
  capability: z.string().min(1).optional(),
  checks: z.array(ArgumentCheck).optional(),
});

/** Inline trust record (`cavra.mcp_server.v1` fields); the server's name is its id. */
const TrustConfig = z.strictObject({
  trust_tier: z.enum(TRUST_TIERS),
  approval_state: z.enum(APPROVAL_STATES).optional(),
  capabilities: z.array(z.string()).optional(),
  allowed_tools: z.array(z.string()).optional(),
  owner: z.string().optional(),
});

const ServerConfig = z
  .strictObject({
    name: z
      .string()
      .regex(SERVER_NAME, 'use letters, digits, "-" and single "_" (a "__" separates server and tool)'),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().min(1).optional(),
    url: z.url().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    /** The capability of every tool of this server, unless a tool says otherwise. */
    capability: z.string().min(1).optional(),
    tools: z.record(z.string(), ToolConfig).optional(),
    trust: TrustConfig.optional(),
    /** How long one forwarded call may take. */
    timeout_seconds: z.number().positive().max(3600).optional(),
  })
  .refine((server) => (server.command === undefined) !== (server.url === undefined), {
    message: 'give either "command" (a stdio server) or "url" (a Streamable HTTP server)',
  });

export const GatewayConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  servers: z.array(ServerConfig).min(1, 'list at least one downstream server'),
  policy: z
    .strictObject({
      pack: z.string().min(1).optional(),
      file: z.string().min(1).optional(),
      mode: z.enum(POLICY_MODES as [string, ...string[]]).optional(),
    })
    .optional(),
  /** The MCP trust registry: a registry file (`{"mcp_servers": […]}`) or the store's registry. */
  registry: z
    .strictObject({ file: z.string().min(1).optional(), store: z.boolean().optional() })
    .refine((r) => !(r.file !== undefined && r.store === true), {
      message: 'give either "file" or "store": true, not both',
    })
    .optional(),
  approvals: z
    .strictObject({
      mode: z.enum(['pending', 'wait']).optional(),
      timeout_seconds: z.number().positive().max(86_400).optional(),
      poll_interval_ms: z.number().int().min(50).max(60_000).optional(),
      ttl_hours: z.number().positive().optional(),
      /** The CAVRA API (else $CAVRA_API_URL; without either, approvals are kept in the local store). */
      api_url: z.url().optional(),
      /** The environment variable holding the API token (default CAVRA_API_TOKEN). */
      token_env: z.string().min(1).optional(),
    })
    .optional(),
  evidence: z.strictObject({ db: z.string().min(1).optional() }).optional(),
  session_id: z.string().min(1).optional(),
  agent_id: z.string().min(1).optional(),
  actor: z.string().min(1).optional(),
  repository: z.string().min(1).optional(),
});

export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
export type DownstreamConfig = GatewayConfig['servers'][number];

/** The checked configuration, or every problem as `path: message` lines. */
export function parseGatewayConfig(
  data: unknown,
): { ok: true; value: GatewayConfig } | { ok: false; problems: string[] } {
  const parsed = GatewayConfigSchema.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`,
      ),
    };
  }
  const names = new Set<string>();
  for (const server of parsed.data.servers) {
    if (names.has(server.name))
      return { ok: false, problems: [`servers: the name '${server.name}' is used twice`] };
    names.add(server.name);
  }
  return { ok: true, value: parsed.data };
}
