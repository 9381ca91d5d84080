/**
 * `createApp(deps)`: the CAVRA HTTP API as a Hono app built from Web-standard APIs only, so the server
 * (src/server) and the in-browser sandbox run the same app. Every resource is its own sub-app, mounted under
 * `/api` with `.route()`; the OpenAPI 3.1 document is generated from the same zod schemas that validate.
 */
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { createApprovalService, type ApprovalService } from './approvals/approval-service';
import { limitBody } from './body-limit';
import type { ApiDeps } from './deps';
import { errorResponse, handleError } from './errors';
import { EvidenceService } from './evidence/evidence-service';
import type { ApiContext } from './router';
import { createIdentityServices } from './identity/services';
import { createRouter } from './router';
import { agentRoutes } from './routes/agents';
import { approvalRoutes } from './routes/approvals';
import { consoleRoutes } from './routes/console';
import { decisionRoutes } from './routes/decisions';
import { evidenceRoutes } from './routes/evidence';
import { healthRoutes } from './routes/health';
import { mcpRoutes } from './routes/mcp';
import { policyPackRoutes } from './routes/policy-packs';
import { sessionRoutes } from './routes/sessions';

/** Request bodies larger than this are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Where the API is mounted. */
export const API_PREFIX = '/api';

/**
 * The app, plus the services the server's timers (checkpoints, approval expiry), its shutdown and the demo seed
 * use.
 */
export class CavraApp extends Hono {
  readonly evidence: EvidenceService;
  readonly approvals: ApprovalService;

  constructor(evidence: EvidenceService, approvals: ApprovalService) {
    super();
    this.evidence = evidence;
    this.approvals = approvals;
  }
}

/** Builds the API. Nothing happens until a request arrives: no timers, no I/O at construction. */
export function createApp(deps: ApiDeps): CavraApp {
  const report = deps.onBackgroundError ?? (() => undefined);
  const evidence = new EvidenceService({
    store: deps.store,
    signer: deps.evidence,
    clock: deps.clock,
    bundleSigner: deps.config.bundleSigner ?? 'cavra-api',
    onBackgroundError: report,
  });
  // Agent tokens (`Bearer cavra_at_…`) are checked in front of the configured adapter for every route.
  const { auth, identity } = createIdentityServices(deps);
  const approvals = createApprovalService(deps, evidence, report);
  const ctx: ApiContext = { deps: { ...deps, auth }, evidence, identity, approvals };
  const api = createRouter();
  api.use('*', async (c, next) => {
    await next();
    c.header('x-cavra-auth-mode', deps.auth.mode);
    c.header('cache-control', 'no-store');
    c.header('x-content-type-options', 'nosniff');
  });
  const origins = deps.config.corsOrigins ?? [];
  if (origins.length > 0) {
    api.use(
      '*',
      cors({ origin: [...origins], allowMethods: ['GET', 'POST', 'OPTIONS'], credentials: false }),
    );
  }
  api.use(
    '*',
    limitBody({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => errorResponse(c, 413, 'body_too_large', 'the request body is larger than 1 MB'),
    }),
  );
  const routed = api
    .route('/', healthRoutes(ctx))
    .route('/', decisionRoutes(ctx))
    .route('/', sessionRoutes(ctx))
    .route('/', evidenceRoutes(ctx))
    .route('/', policyPackRoutes(ctx))
    .route('/', agentRoutes(ctx))
    .route('/', mcpRoutes(ctx))
    .route('/', approvalRoutes(ctx))
    .route('/', consoleRoutes(ctx));
  routed.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'CAVRA API',
      version: deps.config.version,
      description:
        'Runtime authority for AI coding agents: decide, explain, record. Errors are `{ "error": { "code", "message" }, "detail": message }`.',
    },
    servers: [{ url: deps.config.publicApiBaseUrl ?? API_PREFIX }],
  });
  const known = routed.routes
    .filter((route) => route.method !== 'ALL')
    .map((route) => ({ method: route.method, pattern: pathPattern(route.path) }));
  routed.all('*', (c) => {
    const allowed = known.filter((route) => route.pattern.test(c.req.path)).map((route) => route.method);
    if (allowed.length > 0 && !allowed.includes(c.req.method)) {
      c.header('allow', [...new Set(allowed)].join(', '));
      return errorResponse(c, 405, 'method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}`);
    }
    return errorResponse(
      c,
      404,
      'not_found',
      `no endpoint ${c.req.method} ${c.req.path}: the endpoints are listed in ${API_PREFIX}/openapi.json`,
    );
  });
  routed.onError((error, c) => handleError(error, c, report));
  const app = new CavraApp(evidence, approvals);
  app.route(API_PREFIX, routed);
  app.onError((error, c) => handleError(error, c, report));
  return app;
}

/** A Hono route path (`/decisions/:decision_id`) as a regular expression over request paths. */
function pathPattern(path: string): RegExp {
  const body = path
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${API_PREFIX}${body}/?$`);
}
