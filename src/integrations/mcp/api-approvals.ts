/**
 * Approvals through the CAVRA API (`POST /api/approvals`, `GET /api/approvals/{id}`), for a gateway whose
 * approvers work in the console of a server: the API stores the approval and appends its evidence.
 */
import type { ApprovalRecord } from '../../store';
import type { ApprovalBroker } from './ports';

/** Where the API is and how to authenticate (`CAVRA_API_URL`, `CAVRA_API_TOKEN`). */
export type ApiTarget = { url: string; token?: string | undefined; fetch?: typeof fetch };

/** `http://host:8080` and `http://host:8080/api` both name the API root. */
export function apiEndpoint(base: string, path: string): string {
  const root = base.replace(/\/+$/, '');
  return `${root.endsWith('/api') ? root : `${root}/api`}${path}`;
}

/** The broker over the API. Every failure is an error naming the URL and the API's own message. */
export function apiApprovals(target: ApiTarget): ApprovalBroker {
  const doFetch = target.fetch ?? fetch;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.token !== undefined && target.token !== '') headers['authorization'] = `Bearer ${target.token}`;
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> => {
    const url = apiEndpoint(target.url, path);
    try {
      return await doFetch(url, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new Error(
        `cannot reach the CAVRA API at ${url}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  };
  return {
    label: apiEndpoint(target.url, '/approvals'),
    request: async (decision, context) => {
      // requested_by is left to the API: with OIDC it must be the authenticated caller (the token's subject).
      const response = await call('POST', '/approvals', { decision, ttl_hours: context.ttl_hours });
      return readApproval(response, 'create the approval');
    },
    get: async (approvalId) => {
      const response = await call('GET', `/approvals/${encodeURIComponent(approvalId)}`);
      if (response.status === 404) return null;
      return readApproval(response, `read approval ${approvalId}`);
    },
  };
}

async function readApproval(response: Response, what: string): Promise<ApprovalRecord> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
    const detail = typeof error === 'string' ? error : text.slice(0, 200);
    throw new Error(`the CAVRA API could not ${what} (HTTP ${response.status}): ${detail}`);
  }
  const record = body as Partial<ApprovalRecord> | undefined;
  if (typeof record?.approval_id !== 'string' || typeof record.state !== 'string') {
    throw new Error(`the CAVRA API answered without an approval_id and state when asked to ${what}`);
  }
  return record as ApprovalRecord;
}
