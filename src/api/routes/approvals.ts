/**
 * Approvals (upstream §2, §5.4): list, create, read; approve, deny, expire; break-glass and its review;
 * attach-decision; deliver notifications. Reads are open (as upstream); every mutation acts as the
 * authenticated principal. Rules live in ApprovalService (docs/decisions/0012-approvals.md).
 */
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { actingPrincipal, type IdentityFields } from '../approvals/acting';
import type { Approval, ApprovalDecision } from '../approvals/approval-record';
import { approvalSummary } from '../approvals/approval-record';
import { BREAK_GLASS_GROUP } from '../approvals/permissions';
import { errorBody, errorResponse, type ErrorBody } from '../errors';
import type { ApiContext } from '../router';
import { createRouter } from '../router';
import {
  ApprovalDecisionSchema,
  ApprovalListQuery,
  ApprovalSchema,
  AttachedDecisionSchema,
  BreakGlassBody,
  CreateApprovalBody,
  DecideApprovalBody,
  DeliverBody,
  DeliveryRecordSchema,
  DeliveryResultSchema,
  ExpireApprovalBody,
} from '../schemas/approval';
import { errorResponses, jsonBody, jsonResponse, PageQuery, pageOf, pathParam } from '../schemas/common';

const ApprovalPage = pageOf(ApprovalSchema).openapi('ApprovalPage');
const DeliveryPage = pageOf(DeliveryRecordSchema).openapi('DeliveryPage');
const idParam = pathParam('approval_id', 'apr_5c6d7e8f9a0b');
const TAGS = ['approvals'];

const listApprovals = createRoute({
  method: 'get',
  path: '/approvals',
  tags: TAGS,
  summary: 'Approvals, newest request first',
  request: { query: ApprovalListQuery },
  responses: { 200: jsonResponse(ApprovalPage, 'A page of approvals'), ...errorResponses(400) },
});

const createApproval = createRoute({
  method: 'post',
  path: '/approvals',
  tags: TAGS,
  summary: 'Request approval for a decision (routed to an approver group)',
  description:
    'Give `decision_id` (a stored decision) or `decision` (the object). `require_approval` decisions stored through `POST /decisions` get their approval automatically.',
  request: { body: jsonBody(CreateApprovalBody, 'The decision and routing overrides') },
  responses: {
    201: jsonResponse(ApprovalSchema, 'The pending approval'),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

const breakGlass = createRoute({
  method: 'post',
  path: '/approvals/break-glass',
  tags: TAGS,
  summary: 'Break glass: an immediate emergency approval (Change Advisory Board only)',
  description:
    'Needs a reason and an external reference; the TTL is at most 4 hours. Logged as a `break_glass` evidence entry and followed by a review (`POST /approvals/{approval_id}/review`).',
  request: { body: jsonBody(BreakGlassBody, 'The decision, reason and ticket') },
  responses: {
    201: jsonResponse(
      ApprovalSchema,
      'The break-glass approval (`state: break_glass`, `review_state: review_pending`)',
    ),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

const getApproval = createRoute({
  method: 'get',
  path: '/approvals/{approval_id}',
  tags: TAGS,
  summary: 'One approval with its history (the audit view)',
  request: { params: idParam },
  responses: { 200: jsonResponse(ApprovalSchema, 'The approval'), ...errorResponses(404) },
});

function decideRoute<const A extends 'approve' | 'deny'>(action: A, summary: string) {
  return createRoute({
    method: 'post',
    path: `/approvals/{approval_id}/${action}` as const,
    tags: TAGS,
    summary,
    request: { params: idParam, body: jsonBody(DecideApprovalBody, 'The reason (required)') },
    responses: {
      200: jsonResponse(ApprovalSchema, 'The approval after the transition'),
      ...errorResponses(400, 401, 403, 404, 409, 413, 415),
    },
  });
}

const approve = decideRoute(
  'approve',
  'Approve a pending approval (N distinct approvers when its route requires them; never the requester)',
);
const deny = decideRoute('deny', 'Deny a pending approval');

const expire = createRoute({
  method: 'post',
  path: '/approvals/{approval_id}/expire',
  tags: TAGS,
  summary: 'Expire a pending approval (the body is optional)',
  request: {
    params: idParam,
    body: {
      description: 'Optional reason',
      required: false,
      content: { 'application/json': { schema: ExpireApprovalBody } },
    },
  },
  responses: {
    200: jsonResponse(ApprovalSchema, 'The expired approval'),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

const review = createRoute({
  method: 'post',
  path: '/approvals/{approval_id}/review',
  tags: TAGS,
  summary: 'Review a break-glass afterwards (Change Advisory Board or Platform Security, not its actor)',
  request: { params: idParam, body: jsonBody(DecideApprovalBody, 'The review finding (required)') },
  responses: {
    200: jsonResponse(ApprovalSchema, 'The break-glass with `review_state: reviewed`'),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

const attachDecision = createRoute({
  method: 'post',
  path: '/approvals/{approval_id}/attach-decision',
  tags: TAGS,
  summary: 'The decision with this approval attached (for bundles and PR attestations)',
  description: "The body is optional: without it, the approval's own decision is used.",
  request: {
    params: idParam,
    body: {
      description: 'The decision',
      required: false,
      content: { 'application/json': { schema: ApprovalDecisionSchema } },
    },
  },
  responses: {
    200: jsonResponse(AttachedDecisionSchema, 'The decision with `approval` and merged `evidence_refs`'),
    ...errorResponses(400, 404, 413, 415),
  },
});

const deliver = createRoute({
  method: 'post',
  path: '/approvals/{approval_id}/deliver',
  tags: TAGS,
  summary: 'Send the approval to the configured notification providers now, and wait for the outcome',
  request: {
    params: idParam,
    body: {
      description: 'Provider and limits',
      required: false,
      content: { 'application/json': { schema: DeliverBody } },
    },
  },
  responses: {
    200: jsonResponse(DeliveryResultSchema, '`cavra.approval.delivery.v1`'),
    ...errorResponses(400, 401, 404, 413, 415),
  },
});

const listDeliveries = createRoute({
  method: 'get',
  path: '/approvals/{approval_id}/deliveries',
  tags: TAGS,
  summary: "The approval's notification deliveries and their attempts, newest first",
  request: { params: idParam, query: PageQuery },
  responses: { 200: jsonResponse(DeliveryPage, 'A page of deliveries'), ...errorResponses(400, 404) },
});

/** The approvals sub-app. */
export function approvalRoutes({ deps, approvals }: ApiContext) {
  const acting = (c: Context, body: IdentityFields) => actingPrincipal(deps.auth, c.req.raw, body);
  /** The stored decision with this id, else the object the request carried; an error body when neither. */
  const resolveDecision = async (body: {
    decision?: ApprovalDecision | undefined;
    decision_id?: string | undefined;
  }): Promise<
    { ok: true; decision: ApprovalDecision } | { ok: false; status: 400 | 404; body: ErrorBody }
  > => {
    const id = body.decision_id ?? body.decision?.decision_id;
    if (id === undefined) {
      return {
        ok: false,
        status: 400,
        body: errorBody('invalid_request', "give 'decision_id' (a stored decision) or 'decision'", {
          field: 'decision_id',
        }),
      };
    }
    if (
      body.decision_id !== undefined &&
      body.decision !== undefined &&
      body.decision.decision_id !== body.decision_id
    ) {
      return {
        ok: false,
        status: 400,
        body: errorBody('invalid_request', "'decision_id' and 'decision.decision_id' differ", {
          field: 'decision_id',
        }),
      };
    }
    const stored = await deps.store.decisions.get(id);
    if (stored !== null) return { ok: true, decision: stored as unknown as ApprovalDecision };
    if (body.decision !== undefined) return { ok: true, decision: body.decision };
    return {
      ok: false,
      status: 404,
      body: errorBody('decision_not_found', `decision '${id}' not found`, { field: 'decision_id' }),
    };
  };

  return createRouter()
    .openapi(listApprovals, async (c) => {
      const { limit, offset, ...filter } = c.req.valid('query');
      const page = await deps.store.approvals.list(filter, { limit, offset });
      // The store returns payloads as this API wrote them.
      return c.json({ ...page, items: page.items as Approval[] }, 200);
    })
    .openapi(createApproval, async (c) => {
      const body = c.req.valid('json');
      const who = await acting(c, body);
      if (!who.ok) return c.json(who.body, who.status);
      const requester = body.requested_by ?? who.principal.actor.actor;
      if (deps.auth.mode !== 'demo' && requester !== who.principal.actor.actor) {
        return errorResponse(
          c,
          403,
          'actor_mismatch',
          `requested_by must be the caller (${who.principal.actor.actor})`,
          { field: 'requested_by' },
        );
      }
      const decision = await resolveDecision(body);
      if (!decision.ok) return c.json(decision.body, decision.status);
      const approval = await approvals.create({
        decision: decision.decision,
        requestedBy: requester,
        ...(body.approver_group !== undefined && { approverGroup: body.approver_group }),
        ...(body.ttl_hours !== undefined && { ttlHours: body.ttl_hours }),
      });
      return c.json(approval, 201);
    })
    .openapi(breakGlass, async (c) => {
      const body = c.req.valid('json');
      const who = await acting(c, body);
      if (!who.ok) return c.json(who.body, who.status);
      if (body.approver_group !== undefined && body.approver_group !== BREAK_GLASS_GROUP) {
        return errorResponse(
          c,
          400,
          'invalid_request',
          `approver_group of a break-glass must be '${BREAK_GLASS_GROUP}'`,
          { field: 'approver_group' },
        );
      }
      const decision = await resolveDecision(body);
      if (!decision.ok) return c.json(decision.body, decision.status);
      const approval = await approvals.breakGlass(who.principal, {
        decision: decision.decision,
        reason: body.reason,
        externalRef: body.external_ref,
        ...(body.ttl_hours !== undefined && { ttlHours: body.ttl_hours }),
      });
      return c.json(approval, 201);
    })
    .openapi(getApproval, async (c) => {
      const { approval_id: id } = c.req.valid('param');
      const approval = await approvals.get(id);
      if (approval === null) return errorResponse(c, 404, 'approval_not_found', `approval '${id}' not found`);
      return c.json(approval, 200);
    })
    .openapi(approve, async (c) => {
      const body = c.req.valid('json');
      const who = await acting(c, body);
      if (!who.ok) return c.json(who.body, who.status);
      const { approval_id: id } = c.req.valid('param');
      return c.json(await approvals.decide(id, 'approve', who.principal, reasonInput(body)), 200);
    })
    .openapi(deny, async (c) => {
      const body = c.req.valid('json');
      const who = await acting(c, body);
      if (!who.ok) return c.json(who.body, who.status);
      const { approval_id: id } = c.req.valid('param');
      return c.json(await approvals.decide(id, 'deny', who.principal, reasonInput(body)), 200);
    })
    .openapi(expire, async (c) => {
      const body = c.req.valid('json');
      const who = await acting(c, body);
      if (!who.ok) return c.json(who.body, who.status);
      const { approval_id: id } = c.req.valid('param');
      return c.json(
        await approvals.decide(id, 'expire', who.principal, { reason: body.reason ?? 'approval expired' }),
        200,
      );
    })
    .openapi(review, async (c) => {
      const body = c.req.valid('json');
      const who = await acting(c, body);
      if (!who.ok) return c.json(who.body, who.status);
      const { approval_id: id } = c.req.valid('param');
      return c.json(await approvals.review(id, who.principal, reasonInput(body)), 200);
    })
    .openapi(attachDecision, async (c) => {
      const { approval_id: id } = c.req.valid('param');
      const approval = await approvals.get(id);
      if (approval === null) return errorResponse(c, 404, 'approval_not_found', `approval '${id}' not found`);
      const given = c.req.valid('json') as Partial<ApprovalDecision>;
      const decision: ApprovalDecision =
        given.decision_id === undefined ? approval.decision : (given as ApprovalDecision);
      if (decision.decision_id !== approval.decision_id) {
        return errorResponse(
          c,
          400,
          'decision_mismatch',
          `approval '${id}' is for decision '${approval.decision_id}', not '${decision.decision_id}'`,
          { field: 'decision_id' },
        );
      }
      const refs = Array.isArray(decision['evidence_refs']) ? (decision['evidence_refs'] as string[]) : [];
      return c.json(
        {
          ...decision,
          evidence_refs: [...new Set([...refs, ...approval.evidence_refs])],
          approval: approvalSummary(approval),
        },
        200,
      );
    })
    .openapi(deliver, async (c) => {
      const body = c.req.valid('json');
      const who = await acting(c, {});
      if (!who.ok && who.status !== 403) return c.json(who.body, who.status);
      const { approval_id: id } = c.req.valid('param');
      const result = await approvals.deliver(id, {
        ...(body.provider !== undefined && { provider: body.provider }),
        ...(body.retries !== undefined && { retries: body.retries }),
        ...(body.timeout_seconds !== undefined && { timeoutMs: Math.round(body.timeout_seconds * 1000) }),
      });
      return c.json(result, 200);
    })
    .openapi(listDeliveries, async (c) => {
      const { approval_id: id } = c.req.valid('param');
      if ((await approvals.get(id)) === null) {
        return errorResponse(c, 404, 'approval_not_found', `approval '${id}' not found`);
      }
      const { limit, offset } = c.req.valid('query');
      const page = await deps.store.operations.deliveries.list(
        { subject_kind: 'approval', subject_id: id },
        { limit, offset },
      );
      return c.json(page, 200);
    });
}

/** The reason (and optional external reference) of an approve, deny or review body, as the service takes it. */
function reasonInput(body: { reason: string; external_ref?: string | undefined }) {
  return { reason: body.reason, ...(body.external_ref !== undefined && { externalRef: body.external_ref }) };
}
