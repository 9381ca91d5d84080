/**
 * One error shape for every failure: `{ "error": { "code", "message", … }, "detail": message }`. `detail`
 * repeats the message because upstream's FastAPI clients read `detail`; new clients read `error.code`.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';

/** Status codes the API answers errors with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 500 | 503;

/** One field problem of a rejected input. */
export type FieldIssue = { field: string; message: string };

/** The body of every error response. */
export type ErrorBody = {
  error: {
    /** Stable, snake_case (`invalid_request`, `decision_not_found`, `unknown_policy_pack` …). */
    code: string;
    /** Lowercase, names the input and says what to do (STYLE.md §5). */
    message: string;
    /** The first offending field of a validation error (`target`, `limit`, `body`). */
    field?: string;
    /** Every offending field of a validation error. */
    issues?: FieldIssue[];
    /** Valid choices, when the error is about picking one (packs, action types, modes). */
    choices?: string[];
  };
  detail: string;
};

/** Extra members of an error. */
export type ErrorExtra = { field?: string; issues?: FieldIssue[]; choices?: string[] };

/** Builds an error body. */
export function errorBody(code: string, message: string, extra: ErrorExtra = {}): ErrorBody {
  return { error: { code, message, ...extra }, detail: message };
}

/**
 * An expected failure thrown from deep inside a request (the evidence service, the store): the app's error
 * handler turns it into the error body. Route handlers return their errors as values instead.
 */
export class ApiError extends Error {
  readonly status: ErrorStatus;
  readonly code: string;
  readonly extra: ErrorExtra;

  constructor(status: ErrorStatus, code: string, message: string, extra: ErrorExtra = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

/** Responds with an error body (typed, so a route's declared error responses check it). */
export function errorResponse<S extends ErrorStatus>(
  c: Context,
  status: S,
  code: string,
  message: string,
  extra: ErrorExtra = {},
) {
  return c.json(errorBody(code, message, extra), status);
}

/** Dotted path of a zod issue (`decisions.0.target`), or what the input as a whole is called. */
function issuePath(path: readonly PropertyKey[], whole: string): string {
  return path.length === 0 ? whole : path.map(String).join('.');
}

const TARGET_NAMES: Readonly<Record<string, string>> = {
  json: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
};

/**
 * A zod failure as a 400 naming the fields: `invalid field 'target': expected string, received number`.
 * `target` is what was validated (`json`, `query`, `param`).
 */
export function validationError(error: ZodError, target: string): ErrorBody {
  const whole = TARGET_NAMES[target] ?? target;
  const issues = error.issues.flatMap((issue): FieldIssue[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          field: issuePath([...issue.path, key], whole),
          message: 'is not a known field (check its spelling; the fields are in /api/openapi.json)',
        }))
      : [{ field: issuePath(issue.path, whole), message: readable(issue.message) }],
  );
  const [first] = issues;
  const message =
    first === undefined
      ? `invalid ${whole}`
      : first.field === whole
        ? `invalid ${whole}: ${first.message}`
        : `invalid ${target === 'json' ? 'field' : `${whole} parameter`} '${first.field}': ${first.message}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more: see error.issues)` : '';
  return errorBody('invalid_request', message + more, { ...(first && { field: first.field }), issues });
}

/** zod's message, lowercase, without its generic prefix; a missing value reads "is required". */
function readable(message: string): string {
  if (/received undefined$/.test(message)) return 'is required';
  const text = message.replace(/^Invalid input: /, '').replace('expected record', 'expected object');
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The app-wide error handler: expected errors keep their status; anything else is a 500 without internals. */
export function handleError(error: Error, c: Context, report: (error: unknown) => void): Response {
  if (error instanceof ApiError)
    return errorResponse(c, error.status, error.code, error.message, error.extra);
  if (error instanceof HTTPException) return fromHttpException(error, c);
  report(error);
  return errorResponse(
    c,
    500,
    'internal_error',
    'the server failed while handling this request; it has been logged',
  );
}

function fromHttpException(error: HTTPException, c: Context): Response {
  const status = error.status;
  switch (status) {
    case 400:
      return errorResponse(c, 400, 'invalid_json', 'the request body is not valid JSON', {
        field: 'body',
      });
    case 413:
      return errorResponse(c, 413, 'body_too_large', 'the request body is larger than 1 MB');
    case 415:
      return errorResponse(
        c,
        415,
        'unsupported_media_type',
        "send the body as JSON with 'content-type: application/json'",
      );
    default:
      return c.json(errorBody('http_error', error.message.toLowerCase()), status);
  }
}
