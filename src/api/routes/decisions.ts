/**
 * Decisions (upstream §5.2): `POST /decisions` decides, stores and logs in one unit of work; `POST /evaluate`
 * only decides (playgrounds, previews); `GET /decisions[/{decision_id}]` reads what was stored.
 */
import { createRoute } from '@hono/zod-openapi';
import type { DecisionSort } from '../../store';
import { errorResponse } from '../errors';
import { decideAs, decidedAsFailure } from '../identity/decide-as';
import type { ApiContext } from '../router';
import { createRouter } from '../router';
import { errorResponses, jsonBody, jsonResponse, pageOf, pathParam } from '../schemas/common';
import { DecisionListQuery, DecisionRequestSchema, DecisionSchema } from '../schemas/decision';

const DecisionPage = pageOf(DecisionSchema).openapi('DecisionPage');

const postDecision = createRoute({
  method: 'post',
  path: '/decisions',
  tags: ['decisions'],
  summary: 'Decide an agent action, store the decision and append it to the evidence log',
  request: { body: jsonBody(DecisionRequestSchema, 'The action to decide') },
  responses: {
    201: {
      ...jsonResponse(DecisionSchema, 'The stored decision (`cavra.decision.v1`)'),
      headers: {
        'x-cavra-approval-id': {
          description: 'For `require_approval`: the approval created for it (`GET /approvals/{approval_id}`)',
          schema: { type: 'string' },
        },
      },
    },
    ...errorResponses(400, 401, 403, 409, 413, 415, 500, 503),
  },
});

const evaluate = createRoute({
  method: 'post',
  path: '/evaluate',
  tags: ['decisions'],
  summary: 'Decide an agent action without storing anything (dry run)',
  description:
    'The decision a `POST /decisions` would store, from the same engine and packs. Nothing is stored or logged, so its `evidence_refs` point nowhere.',
  request: { body: jsonBody(DecisionRequestSchema, 'The action to decide') },
  responses: {
    200: jsonResponse(DecisionSchema, 'The decision (not stored)'),
    ...errorResponses(400, 401, 403, 413, 415, 503),
  },
});

const listDecisions = createRoute({
  method: 'get',
  path: '/decisions',
  tags: ['decisions'],
  summary: 'Stored decisions, newest first',
  request: { query: DecisionListQuery },
  responses: { 200: jsonResponse(DecisionPage, 'A page of decisions'), ...errorResponses(400) },
});

const getDecision = createRoute({
  method: 'get',
  path: '/decisions/{decision_id}',
  tags: ['decisions'],
  summary: 'One stored decision',
  request: { params: pathParam('decision_id', 'dec_3cec71622d12') },
  responses: { 200: jsonResponse(DecisionSchema, 'The decision'), ...errorResponses(404) },
});

/** The decisions sub-app. */
export function decisionRoutes({ deps, evidence, approvals, identity }: ApiContext) {
  return createRouter()
    .openapi(postDecision, async (c) => {
      // The caller's identity and the registry (docs/decisions/0014-identity-and-tokens.md).
      const decided = await decideAs({ deps, identity }, c.req.raw, c.req.valid('json'), { isStored: true });
      if (!decided.ok) return decidedAsFailure(c, decided);
      const { decision } = decided;
      if (decision.decision === 'require_approval') {
        // Stored with its approval, routed by the routing rules (docs/decisions/0012-approvals.md), in one
        // unit of work (docs/decisions/0026-api-decision-path.md).
        const approval = await approvals.recordDecision(decision);
        if (approval !== null) c.header('x-cavra-approval-id', approval.approval_id);
      } else {
        await evidence.recordDecision(decision);
      }
      return c.json(decision, 201);
    })
    .openapi(evaluate, async (c) => {
      const decided = await decideAs({ deps, identity }, c.req.raw, c.req.valid('json'), { isStored: false });
      if (!decided.ok) return decidedAsFailure(c, decided);
      c.header('x-cavra-dry-run', 'true');
      return c.json(decided.decision, 200);
    })
    .openapi(listDecisions, async (c) => {
      const { limit, offset, sort, ...filter } = c.req.valid('query');
      return c.json(await deps.store.decisions.list(filter, { limit, offset }, toSort(sort)), 200);
    })
    .openapi(getDecision, async (c) => {
      const { decision_id: id } = c.req.valid('param');
      const decision = await deps.store.decisions.get(id);
      if (decision === null) return errorResponse(c, 404, 'decision_not_found', `decision '${id}' not found`);
      return c.json(decision, 200);
    });
}

/** `-severity` → severity descending; `target` → target ascending. */
function toSort(sort: string | undefined): DecisionSort | undefined {
  if (sort === undefined) return undefined;
  const descending = sort.startsWith('-');
  return {
    by: (descending ? sort.slice(1) : sort) as DecisionSort['by'],
    direction: descending ? 'desc' : 'asc',
  };
}
