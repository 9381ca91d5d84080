/**
 * The agent registry (upstream §3.1, §3.2, §5.5) and agent API tokens. Reads are open, as upstream; writes
 * need the `registry_write` permission (Platform Security or AI Governance by default; the demo operator has
 * it) and are logged as `operations` evidence entries. Tokens are shown once and stored hashed.
 */
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { BEARER_SCHEME, BEARER_SECURITY, failureResponse, requirePermission } from '../identity/caller';
import { tokenView } from '../identity/agent-tokens';
import { AGENT_PROFILES } from '../identity/registry-catalog';
import { agentFromInput, agentView, agentWithUpdate, unknownProfile } from '../identity/registry-records';
import { toJson, writeRegistry } from '../identity/services';
import { errorResponse } from '../errors';
import type { ApiContext } from '../router';
import { createRouter } from '../router';
import { errorResponses, jsonBody, jsonResponse, listOf, pathParam } from '../schemas/common';
import {
  AgentCreateSchema,
  AgentListQuery,
  AgentProfileSchema,
  AgentSchema,
  AgentTokenSchema,
  AgentUpdateSchema,
  CreatedTokenSchema,
  TokenCreateSchema,
} from '../schemas/registry';

const AgentParam = pathParam('agent_id', 'claude-code');
const TokenParams = AgentParam.extend(pathParam('token_id', 'tok_3cec71622d12').shape);
const writeErrors = errorResponses(400, 401, 403, 404, 503);

const listProfiles = createRoute({
  method: 'get',
  path: '/agents/profiles',
  tags: ['registry'],
  summary: 'The predefined agent profiles',
  responses: { 200: jsonResponse(listOf(AgentProfileSchema), 'The six profiles') },
});

const listAgents = createRoute({
  method: 'get',
  path: '/agents',
  tags: ['registry'],
  summary: 'Registered agents, by id',
  request: { query: AgentListQuery },
  responses: { 200: jsonResponse(listOf(AgentSchema), 'The agents'), ...errorResponses(400) },
});

const createAgent = createRoute({
  security: BEARER_SECURITY,
  method: 'post',
  path: '/agents',
  tags: ['registry'],
  summary: 'Register an agent (or replace its registration)',
  request: { body: jsonBody(AgentCreateSchema, 'The agent (`cavra.agent.v1`)') },
  responses: {
    201: jsonResponse(AgentSchema, 'Registered'),
    200: jsonResponse(AgentSchema, 'Replaced'),
    ...errorResponses(400, 401, 403, 413, 415, 503),
  },
});

const getAgent = createRoute({
  method: 'get',
  path: '/agents/{agent_id}',
  tags: ['registry'],
  summary: 'One agent',
  request: { params: AgentParam },
  responses: { 200: jsonResponse(AgentSchema, 'The agent'), ...errorResponses(404) },
});

const updateAgent = createRoute({
  security: BEARER_SECURITY,
  method: 'patch',
  path: '/agents/{agent_id}',
  tags: ['registry'],
  summary: 'Change an agent: status (active, disabled, retired), owner, scopes, profile',
  request: { params: AgentParam, body: jsonBody(AgentUpdateSchema, 'The fields to change') },
  responses: { 200: jsonResponse(AgentSchema, 'The agent'), ...writeErrors },
});

const listTokens = createRoute({
  security: BEARER_SECURITY,
  method: 'get',
  path: '/agents/{agent_id}/tokens',
  tags: ['registry'],
  summary: "An agent's API tokens (never the secrets)",
  request: { params: AgentParam },
  responses: { 200: jsonResponse(listOf(AgentTokenSchema), 'The tokens, oldest first'), ...writeErrors },
});

const createToken = createRoute({
  security: BEARER_SECURITY,
  method: 'post',
  path: '/agents/{agent_id}/tokens',
  tags: ['registry'],
  summary: 'Create an API token for an agent (the secret is in this response only)',
  request: { params: AgentParam, body: jsonBody(TokenCreateSchema, 'Label and optional expiry') },
  responses: {
    201: jsonResponse(CreatedTokenSchema, 'The token, with its secret'),
    ...errorResponses(400, 401, 403, 404, 409, 503),
  },
});

const revokeToken = createRoute({
  security: BEARER_SECURITY,
  method: 'post',
  path: '/agents/{agent_id}/tokens/{token_id}/revoke',
  tags: ['registry'],
  summary: 'Revoke an agent API token (immediately)',
  request: { params: TokenParams },
  responses: {
    200: jsonResponse(AgentTokenSchema, 'The revoked token'),
    ...errorResponses(400, 401, 403, 404, 409, 503),
  },
});

/** The agents sub-app. */
export function agentRoutes({ deps, identity }: ApiContext) {
  const { store } = deps;
  const notFound = (c: Context, agentId: string) =>
    errorResponse(c, 404, 'agent_not_found', `agent '${agentId}' is not registered`);
  const router = createRouter();
  router.openAPIRegistry.registerComponent('securitySchemes', 'bearer', BEARER_SCHEME);
  return router
    .openapi(listProfiles, (c) => c.json({ items: [...AGENT_PROFILES], total: AGENT_PROFILES.length }, 200))
    .openapi(listAgents, async (c) => {
      const { items, total } = await store.registry.agents.list(c.req.valid('query'));
      return c.json({ items: items.map(agentView), total }, 200);
    })
    .openapi(createAgent, async (c) => {
      const caller = await requirePermission(deps.auth, c.req.raw, 'registry_write');
      if (!caller.ok) return failureResponse(c, caller);
      const input = c.req.valid('json');
      const profileError = unknownProfile(input.profile);
      if (profileError !== null)
        return errorResponse(c, 400, 'unknown_profile', profileError, { field: 'profile' });
      const agentId = input.agent_id ?? input.id ?? '';
      const { agent, isNew } = await writeRegistry(
        deps,
        identity,
        { kind: 'agent_registered', actor: caller.principal.actor.actor, subject: agentId },
        async (tx) => {
          const previous = await tx.registry.agents.get(agentId);
          const record = agentFromInput(input, previous, deps.clock());
          await tx.registry.agents.upsert(record);
          return { result: { agent: record, isNew: previous === null }, record: toJson(record) };
        },
      );
      return isNew ? c.json(agent, 201) : c.json(agent, 200);
    })
    .openapi(getAgent, async (c) => {
      const { agent_id: agentId } = c.req.valid('param');
      const agent = await store.registry.agents.get(agentId);
      return agent === null ? notFound(c, agentId) : c.json(agentView(agent), 200);
    })
    .openapi(updateAgent, async (c) => {
      const caller = await requirePermission(deps.auth, c.req.raw, 'registry_write');
      if (!caller.ok) return failureResponse(c, caller);
      const { agent_id: agentId } = c.req.valid('param');
      const update = c.req.valid('json');
      const profileError = unknownProfile(update.profile);
      if (profileError !== null)
        return errorResponse(c, 400, 'unknown_profile', profileError, { field: 'profile' });
      const agent = await store.registry.agents.get(agentId);
      if (agent === null) return notFound(c, agentId);
      const updated = agentView(agentWithUpdate(agent, update, deps.clock()));
      await writeRegistry(
        deps,
        identity,
        { kind: 'agent_updated', actor: caller.principal.actor.actor, subject: agentId },
        async (tx) => {
          await tx.registry.agents.upsert(updated);
          return { result: null, record: toJson({ ...updated, changed: Object.keys(update) }) };
        },
      );
      return c.json(updated, 200);
    })
    .openapi(listTokens, async (c) => {
      const caller = await requirePermission(deps.auth, c.req.raw, 'registry_write');
      if (!caller.ok) return failureResponse(c, caller);
      const { agent_id: agentId } = c.req.valid('param');
      if ((await store.registry.agents.get(agentId)) === null) return notFound(c, agentId);
      const now = deps.clock();
      const tokens = await store.registry.tokens.listForAgent(agentId);
      return c.json({ items: tokens.map((token) => tokenView(token, now)), total: tokens.length }, 200);
    })
    .openapi(createToken, async (c) => {
      const caller = await requirePermission(deps.auth, c.req.raw, 'registry_write');
      if (!caller.ok) return failureResponse(c, caller);
      const { agent_id: agentId } = c.req.valid('param');
      const body = c.req.valid('json');
      const agent = await store.registry.agents.get(agentId);
      if (agent === null) return notFound(c, agentId);
      if (agent.status !== 'active') {
        return errorResponse(
          c,
          409,
          'agent_not_active',
          `agent '${agentId}' is ${agent.status}: set its status to active before issuing tokens`,
        );
      }
      const now = deps.clock();
      if (body.expires_at !== undefined && Date.parse(body.expires_at) <= now.getTime()) {
        return errorResponse(c, 400, 'invalid_request', "field 'expires_at' must be in the future", {
          field: 'expires_at',
        });
      }
      const issued = await identity.tokens.issue(agentId, {
        token_id: `tok_${deps.randomHex12()}`,
        label: body.label ?? null,
        expires_at: body.expires_at === undefined ? null : new Date(body.expires_at).toISOString(),
      });
      const view = tokenView(issued.record, now);
      await writeRegistry(
        deps,
        identity,
        { kind: 'agent_token_created', actor: caller.principal.actor.actor, subject: agentId },
        async (tx) => {
          await tx.registry.tokens.create(issued.record);
          // INVARIANT: the log records the token's id and label, never the secret or its hash.
          return { result: null, record: toJson(view) };
        },
      );
      return c.json({ ...view, token: issued.token }, 201);
    })
    .openapi(revokeToken, async (c) => {
      const caller = await requirePermission(deps.auth, c.req.raw, 'registry_write');
      if (!caller.ok) return failureResponse(c, caller);
      const { agent_id: agentId, token_id: tokenId } = c.req.valid('param');
      const tokens = await store.registry.tokens.listForAgent(agentId);
      const token = tokens.find((t) => t.token_id === tokenId);
      if (token === undefined) {
        return errorResponse(c, 404, 'agent_token_not_found', `agent '${agentId}' has no token '${tokenId}'`);
      }
      if (token.revoked_at !== null) {
        return errorResponse(c, 409, 'agent_token_already_revoked', `token '${tokenId}' was already revoked`);
      }
      const now = deps.clock();
      const revoked = { ...token, revoked_at: now.toISOString() };
      await writeRegistry(
        deps,
        identity,
        { kind: 'agent_token_revoked', actor: caller.principal.actor.actor, subject: agentId },
        async (tx) => {
          await tx.registry.tokens.revoke(tokenId, now.toISOString());
          return { result: null, record: toJson(tokenView(revoked, now)) };
        },
      );
      identity.tokens.forget();
      return c.json(tokenView(revoked, now), 200);
    });
}
