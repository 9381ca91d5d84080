/**
 * The MCP trust registry (upstream §3.3–§3.5, §5.5): servers with trust tiers and approval states, capability
 * classifications, and `GET /mcp/trust`, which evaluates a server and tool in upstream's registry order with
 * the same engine code `POST /decisions` uses. Writes need `registry_write` and are logged as evidence.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { decide } from '../../engine';
import { errorResponse } from '../errors';
import { BEARER_SCHEME, BEARER_SECURITY, failureResponse, requirePermission } from '../identity/caller';
import { TOOL_CLASSIFICATIONS } from '../identity/registry-catalog';
import { serverFromInput, serverView, serverWithUpdate } from '../identity/registry-records';
import { toJson, writeRegistry } from '../identity/services';
import type { ApiContext } from '../router';
import { createRouter } from '../router';
import { errorResponses, jsonBody, jsonResponse, listOf, pathParam } from '../schemas/common';
import {
  McpServerCreateSchema,
  McpServerListQuery,
  McpServerSchema,
  McpServerUpdateSchema,
  ToolClassificationSchema,
  TrustQuery,
  TrustResultSchema,
} from '../schemas/registry';

const ServerParam = pathParam('server_id', 'github-enterprise');

const listServers = createRoute({
  method: 'get',
  path: '/mcp/servers',
  tags: ['registry'],
  summary: 'Registered MCP servers, by id',
  request: { query: McpServerListQuery },
  responses: { 200: jsonResponse(listOf(McpServerSchema), 'The servers'), ...errorResponses(400) },
});

const createServer = createRoute({
  security: BEARER_SECURITY,
  method: 'post',
  path: '/mcp/servers',
  tags: ['registry'],
  summary: 'Register an MCP server (or replace its registration)',
  request: { body: jsonBody(McpServerCreateSchema, 'The server (`cavra.mcp_server.v1`)') },
  responses: {
    201: jsonResponse(McpServerSchema, 'Registered'),
    200: jsonResponse(McpServerSchema, 'Replaced'),
    ...errorResponses(400, 401, 403, 413, 415, 503),
  },
});

const getServer = createRoute({
  method: 'get',
  path: '/mcp/servers/{server_id}',
  tags: ['registry'],
  summary: 'One MCP server, by id or name',
  request: { params: ServerParam },
  responses: { 200: jsonResponse(McpServerSchema, 'The server'), ...errorResponses(404) },
});

const updateServer = createRoute({
  security: BEARER_SECURITY,
  method: 'patch',
  path: '/mcp/servers/{server_id}',
  tags: ['registry'],
  summary: 'Change an MCP server: trust tier, approval state, tools, capabilities, owner',
  request: { params: ServerParam, body: jsonBody(McpServerUpdateSchema, 'The fields to change') },
  responses: {
    200: jsonResponse(McpServerSchema, 'The server'),
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

const listClassifications = createRoute({
  method: 'get',
  path: '/mcp/tool-classifications',
  tags: ['registry'],
  summary: 'MCP capability classifications (all, or one with `capability`)',
  request: { query: z.object({ capability: z.string().optional() }) },
  responses: {
    200: jsonResponse(
      z.union([listOf(ToolClassificationSchema), ToolClassificationSchema]),
      'The list, or the one classification asked for',
    ),
    ...errorResponses(404),
  },
});

const evaluateTrust = createRoute({
  method: 'get',
  path: '/mcp/trust',
  tags: ['registry'],
  summary: 'Evaluate an MCP server and tool against the trust registry',
  request: { query: TrustQuery },
  responses: { 200: jsonResponse(TrustResultSchema, 'The trust evaluation'), ...errorResponses(400) },
});

/** The MCP registry sub-app. */
export function mcpRoutes({ deps, identity }: ApiContext) {
  const { store } = deps;
  const notFound = (c: Context, serverId: string) =>
    errorResponse(c, 404, 'mcp_server_not_found', `MCP server '${serverId}' is not registered`);
  const router = createRouter();
  router.openAPIRegistry.registerComponent('securitySchemes', 'bearer', BEARER_SCHEME);
  return router
    .openapi(listServers, async (c) => {
      const { items, total } = await store.registry.mcpServers.list(c.req.valid('query'));
      return c.json({ items: items.map(serverView), total }, 200);
    })
    .openapi(createServer, async (c) => {
      const caller = await requirePermission(deps.auth, c.req.raw, 'registry_write');
      if (!caller.ok) return failureResponse(c, caller);
      const input = c.req.valid('json');
      const serverId = input.server_id ?? input.id ?? input.name ?? '';
      const { server, isNew } = await writeRegistry(
        deps,
        identity,
        { kind: 'mcp_server_registered', actor: caller.principal.actor.actor, subject: serverId },
        async (tx) => {
          const stored = await tx.registry.mcpServers.get(serverId);
          const previous = stored?.server_id === serverId ? stored : null;
          const record = serverFromInput(input, previous, deps.clock());
          await tx.registry.mcpServers.upsert(record);
          return { result: { server: record, isNew: previous === null }, record: toJson(record) };
        },
      );
      return isNew ? c.json(server, 201) : c.json(server, 200);
    })
    .openapi(getServer, async (c) => {
      const { server_id: serverId } = c.req.valid('param');
      const server = await store.registry.mcpServers.get(serverId);
      return server === null ? notFound(c, serverId) : c.json(serverView(server), 200);
    })
    .openapi(updateServer, async (c) => {
      const caller = await requirePermission(deps.auth, c.req.raw, 'registry_write');
      if (!caller.ok) return failureResponse(c, caller);
      const { server_id: serverId } = c.req.valid('param');
      const update = c.req.valid('json');
      const server = await store.registry.mcpServers.get(serverId);
      if (server === null) return notFound(c, serverId);
      const updated = serverView(serverWithUpdate(server, update, deps.clock()));
      await writeRegistry(
        deps,
        identity,
        { kind: 'mcp_server_updated', actor: caller.principal.actor.actor, subject: updated.server_id },
        async (tx) => {
          await tx.registry.mcpServers.upsert(updated);
          return { result: null, record: toJson({ ...updated, changed: Object.keys(update) }) };
        },
      );
      return c.json(updated, 200);
    })
    .openapi(listClassifications, (c) => {
      const { capability } = c.req.valid('query');
      if (capability === undefined) {
        return c.json({ items: [...TOOL_CLASSIFICATIONS], total: TOOL_CLASSIFICATIONS.length }, 200);
      }
      const wanted = capability.trim().toLowerCase();
      const found = TOOL_CLASSIFICATIONS.find((item) => item.capability === wanted);
      if (found === undefined) {
        return errorResponse(
          c,
          404,
          'mcp_capability_not_found',
          `MCP capability classification '${wanted}' not found: use one of ${TOOL_CLASSIFICATIONS.map((item) => item.capability).join(', ')}`,
        );
      }
      return c.json(found, 200);
    })
    .openapi(evaluateTrust, async (c) => {
      const { server, tool = 'unknown', capability } = c.req.valid('query');
      const snapshot = await identity.registry.snapshot();
      // As upstream's API: an empty registry still evaluates (and blocks the unknown server).
      const decided = decide(
        { action_type: 'mcp_tool_call', server, tool, ...(capability !== undefined && { capability }) },
        deps.policies,
        {
          now: () => new Date(0),
          randomHex12: () => '000000000000',
          registry: snapshot.mcp ?? { mcp_servers: [] },
        },
      );
      if (!decided.ok) throw new Error(decided.error.message);
      const { decision, reason, rule_id, severity, approver_group } = decided.value;
      const outcome = decision === 'allow' || decision === 'block' ? decision : ('require_approval' as const);
      return c.json(
        {
          decision: outcome,
          reason,
          rule_id,
          severity,
          approver_group,
          server,
          tool,
          capability: capability ?? null,
        },
        200,
      );
    });
}
