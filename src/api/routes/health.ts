/** Liveness and version (upstream §5.1). */
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponse } from '../errors';
import type { ApiContext } from '../router';
import { createRouter } from '../router';
import { errorResponses, jsonResponse } from '../schemas/common';

const HealthSchema = z
  .object({
    status: z.literal('ok'),
    product: z.literal('CAVRA'),
    checks: z.object({ database: z.literal('ok') }).openapi({ description: 'CAVRA addition' }),
  })
  .openapi('Health');

const VersionSchema = z
  .object({ version: z.string().openapi({ example: '0.1.0' }), name: z.literal('CAVRA Runtime Server') })
  .openapi('Version');

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['meta'],
  summary: 'Liveness, including a database round trip',
  responses: { 200: jsonResponse(HealthSchema, 'Healthy'), ...errorResponses(503) },
});

const version = createRoute({
  method: 'get',
  path: '/version',
  tags: ['meta'],
  summary: 'Server version',
  responses: { 200: jsonResponse(VersionSchema, 'The version') },
});

/** The health/version sub-app. */
export function healthRoutes({ deps }: ApiContext) {
  return createRouter()
    .openapi(health, async (c) => {
      try {
        await deps.store.evidence.head();
      } catch (error) {
        deps.onBackgroundError?.(error);
        return errorResponse(
          c,
          503,
          'database_unavailable',
          'the database did not answer; see the server log',
        );
      }
      return c.json(
        { status: 'ok' as const, product: 'CAVRA' as const, checks: { database: 'ok' as const } },
        200,
      );
    })
    .openapi(version, (c) =>
      c.json({ version: deps.config.version, name: 'CAVRA Runtime Server' as const }, 200),
    );
}
