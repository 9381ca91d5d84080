/**
 * The console's only way to the API: a typed client over an injected `fetch` and base URL (the transport seam).
 * Live, `fetch` is the browser's and the base URL is the server's `/api`; the sandbox passes a `fetch` that
 * answers from the API app running in the page. Features never know which.
 */
import type { AuthAdapter } from './auth';

/** The transport: a Web `fetch` and where the API lives. */
export type Transport = { fetch: typeof fetch; baseUrl: string };

/** An API answer that was not 2xx, or an API that could not be reached (`status` 0). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path: string,
  ) {
    super(message);
  }

  /** The API is down, unreachable, or answered with something that is not the API. */
  get isUnreachable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }

  /** The endpoint does not exist on this server (a feature it does not serve yet). */
  get isNotServed(): boolean {
    return this.status === 404 && (this.code === 'not_found' || this.code === 'http_404');
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

/** The typed client. Every request carries the auth adapter's token; a 401 asks the adapter to log in. */
export class ApiClient {
  constructor(
    private readonly transport: Transport,
    private readonly auth: AuthAdapter,
  ) {}

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { query, signal });
  }

  post<T>(path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return this.request<T>('POST', path, { body: body ?? {}, signal });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }

  /** A binary download (bundles): the body and the file name the server suggests. */
  async download(path: string): Promise<{ blob: Blob; fileName: string | null }> {
    const response = await this.send('GET', path, {});
    const disposition = response.headers.get('content-disposition') ?? '';
    const match = /filename="?([^";]+)"?/i.exec(disposition);
    return { blob: await response.blob(), fileName: match?.[1] ?? null };
  }

  /** The absolute URL of an API path (for display and links). */
  url(path: string, query?: Query): string {
    const base = this.transport.baseUrl.replace(/\/+$/, '');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
    }
    const search = params.toString();
    return `${base}${path}${search ? `?${search}` : ''}`;
  }

  private async request<T>(
    method: string,
    path: string,
    options: { query?: Query | undefined; body?: unknown; signal?: AbortSignal | undefined },
  ): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  private async send(
    method: string,
    path: string,
    options: { query?: Query | undefined; body?: unknown; signal?: AbortSignal | undefined },
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = await this.auth.getAccessToken();
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.transport.fetch(this.url(path, options.query), {
        method,
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: options.signal ?? null,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'unreachable', `the API at ${this.transport.baseUrl} could not be reached`, path);
    }
    if (response.ok) return response;
    const failure = await readError(response, path);
    if (response.status === 401) this.auth.onUnauthorized(failure.message);
    throw failure;
  }
}

async function readError(response: Response, path: string): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string }; detail?: unknown };
    const message = body.error?.message ?? (typeof body.detail === 'string' ? body.detail : undefined);
    if (message)
      return new ApiError(response.status, body.error?.code ?? `http_${response.status}`, message, path);
  } catch {
    // Not JSON: a proxy's error page or a server that is not CAVRA.
  }
  const message =
    response.status >= 502 && response.status <= 504
      ? `the API at ${path} is unavailable (HTTP ${response.status})`
      : `HTTP ${response.status} from ${path}`;
  return new ApiError(response.status, `http_${response.status}`, message, path);
}

/** A message for any error a query or mutation can end with. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
