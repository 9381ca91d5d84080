/** Sessions (upstream §4, §5.2): summaries kept up to date by every stored decision; `POST` sets state. */
import { createRoute } from '@hono/zod-openapi';
import { errorResponse } from '../errors';
import { BEARER_SECURITY, failureResponse, requireCaller } from '../identity/caller';
import type { ApiContext } from '../router';
import { createRouter } from '../router';
import { errorResponses, jsonBody, jsonResponse, pageOf, pathParam } from '../schemas/common';
import {
  SessionInputSchema,
  SessionListQuery,
  SessionSchema,
  sessionView,
  toSessionInput,
} from '../schemas/session';

const SessionPage = pageOf(SessionSchema).openapi('SessionPage');

const listSessions = createRoute({
  method: 'get',
  path: '/sessions',
  tags: ['sessions'],
  summary: 'Sessions, most recently updated first',
  request: { query: SessionListQuery },
  responses: { 200: jsonResponse(SessionPage, 'A page of sessions'), ...errorResponses(400) },
});

const getSession = createRoute({
  method: 'get',
  path: '/sessions/{session_id}',
  tags: ['sessions'],
  summary: 'One session summary',
  request: { params: pathParam('session_id', 'sess_demo_001') },
  responses: { 200: jsonResponse(SessionSchema, 'The session'), ...errorResponses(404) },
});

const postSession = createRoute({
  method: 'post',
  path: '/sessions',
  tags: ['sessions'],
  summary: 'Create or update a session summary (and log the change)',
  description:
    "The only way to change `state`. Once a session has decisions, its counts and times are the decisions', whatever the body says.",
  request: { body: jsonBody(SessionInputSchema, 'The summary') },
  security: BEARER_SECURITY,
  responses: {
    200: jsonResponse(SessionSchema, 'The stored summary'),
    ...errorResponses(400, 401, 403, 413, 415),
  },
});

/** The sessions sub-app. */
export function sessionRoutes({ deps, evidence }: ApiContext) {
  const { auth } = deps;
  return createRouter()
    .openapi(listSessions, async (c) => {
      const { limit, offset, ...filter } = c.req.valid('query');
      const page = await deps.store.sessions.list(filter, { limit, offset });
      return c.json({ ...page, items: page.items.map(sessionView) }, 200);
    })
    .openapi(getSession, async (c) => {
      const { session_id: id } = c.req.valid('param');
      const session = await deps.store.sessions.get(id);
      if (session === null) return errorResponse(c, 404, 'session_not_found', `session '${id}' not found`);
      return c.json(sessionView(session), 200);
    })
    .openapi(postSession, async (c) => {
      const caller = await requireCaller(auth, c.req.raw, 'change a session');
      if (!caller.ok) return failureResponse(c, caller);
      const record = await evidence.recordSession(toSessionInput(c.req.valid('json')));
      return c.json(sessionView(record), 200);
    });
}
