/**
 * Schemas shared by every resource: the error body, paging and the list envelope. One definition serves
 * validation at the edge and the OpenAPI document (`GET /api/openapi.json`).
 */
import { z } from '@hono/zod-openapi';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../../store';
import type { ErrorStatus } from '../errors';

/** `{ "error": { "code", "message", … }, "detail": message }`. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_request' }),
      message: z.string().openapi({ example: "invalid field 'target': expected string, received number" }),
      field: z.string().optional(),
      issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
      choices: z.array(z.string()).optional(),
    }),
    detail: z
      .string()
      .openapi({ description: 'The message again, for upstream clients that read `detail`.' }),
  })
  .openapi('Error');

const ERROR_DESCRIPTIONS: Readonly<Record<ErrorStatus, string>> = {
  400: 'Invalid input; `error.field` names the offending field',
  401: 'Not authenticated',
  403: 'Not authorised',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflicts with the current state',
  413: 'Body larger than 1 MB',
  415: 'Body is not JSON',
  500: 'Server failure',
  503: 'Not available in this deployment',
};

/** OpenAPI `responses` entries for error statuses, all with the {@link ErrorSchema} body. */
export function errorResponses<const S extends ErrorStatus>(
  ...statuses: S[]
): Record<S, { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } }> {
  const entries = statuses.map((status) => [
    status,
    { description: ERROR_DESCRIPTIONS[status], content: { 'application/json': { schema: ErrorSchema } } },
  ]);
  return Object.fromEntries(entries) as Record<
    S,
    { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } }
  >;
}

/** A JSON response entry for OpenAPI `responses`. */
export function jsonResponse<T extends z.ZodType>(
  schema: T,
  description: string,
): { description: string; content: { 'application/json': { schema: T } } } {
  return { description, content: { 'application/json': { schema } } };
}

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(
  schema: T,
  description: string,
): { description: string; required: true; content: { 'application/json': { schema: T } } } {
  return { description, required: true, content: { 'application/json': { schema } } };
}

/** `limit` and `offset` query parameters: integers; out-of-range values are clamped (upstream §5). */
export const PageQuery = z.object({
  limit: z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .optional()
    .openapi({
      type: 'integer',
      description: `Page size, clamped to 1..${MAX_PAGE_LIMIT}`,
      example: DEFAULT_PAGE_LIMIT,
    }),
  offset: z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .optional()
    .openapi({ type: 'integer', description: 'Items to skip, at least 0', example: 0 }),
});

/** Upstream's paged list envelope `{items, total, limit, offset}`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().openapi({ description: 'Items matching the filters, over all pages' }),
    limit: z.number().int(),
    offset: z.number().int(),
  });
}

/** Upstream's unpaged list envelope `{items, total}`. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}

/** A path parameter named `name` (a non-empty string). */
export function pathParam<const N extends string>(name: N, example: string) {
  const shape = {
    [name]: z
      .string()
      .min(1)
      .openapi({ param: { name, in: 'path' }, example }),
  } as Record<N, z.ZodString>;
  return z.object(shape);
}
