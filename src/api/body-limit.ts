/**
 * The request body limit, checked without touching the body when the request says how long it is.
 *
 * Hono's `bodyLimit` reads `request.body` to learn whether there is one. On the Node adapter
 * (`@hono/node-server`) that getter turns the lightweight request into a full WHATWG `Request` (URL parsing, an
 * `AbortSignal`, a `ReadableStream` over the socket), and the JSON body is then read through that stream instead
 * of the adapter's direct buffer: about a tenth of a `POST /decisions` (docs/decisions/0026-api-decision-path.md).
 * A `Content-Length` without `Transfer-Encoding` is what Node's HTTP parser holds the body to, so it decides
 * alone; a chunked body still goes through Hono's streaming limit.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** Options of {@link limitBody}. */
export type BodyLimitOptions = {
  maxSize: number;
  /** The 413 response. */
  onError: (c: Context) => Response | Promise<Response>;
};

/** Refuses request bodies larger than `maxSize` bytes with `onError`. */
export function limitBody(options: BodyLimitOptions): MiddlewareHandler {
  const { maxSize, onError } = options;
  const streaming = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    const headers = c.req.raw.headers;
    const length = headers.get('content-length');
    if (length !== null && !headers.has('transfer-encoding')) {
      if (Number.parseInt(length, 10) > maxSize) return onError(c);
      return next();
    }
    return streaming(c, next);
  };
}
