/**
 * The hooks' client of the CAVRA API (`CAVRA_API_URL`, agent token `CAVRA_API_TOKEN`): `POST /api/decisions`
 * decides and records in one call, `POST /api/approvals` opens an approval and `GET /api/approvals/{id}` is
 * polled until a person settles it or the wait runs out. Every failure is a value; callers fail closed.
 */
import type { Decision, DecisionRequest } from '../../engine';
import { isRecord, type Mapped } from './event';

/** Where the API is and how to authenticate. */
export type RemoteApi = {
  /** The server's base URL (`http://host:port`); a trailing `/api` is accepted. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` when set. */
  token?: string | undefined;
  /** How long one HTTP request may take. */
  requestTimeoutMs?: number;
};

/** How an approval ended for the hook: a settled state, or `timeout` when nobody decided in time. */
export type ApprovalOutcome = {
  approvalId: string;
  state: string;
  actor?: string | undefined;
  reason?: string | undefined;
};

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Approval states that let the action run (every state but `pending` ends the wait). */
const GRANTED = new Set(['approved', 'break_glass']);

/** Whether an approval in this state lets the action run (approved, or approved through break glass). */
export function isGranted(state: string): boolean {
  return GRANTED.has(state);
}

type Answer = { body: unknown; headers: Headers };

/** `http://host:port/api/<path>` from a base URL with or without `/api`. */
export function apiUrl(api: RemoteApi, path: string): string {
  const base = api.baseUrl.replace(/\/+$/, '');
  return `${base.endsWith('/api') ? base : `${base}/api`}${path}`;
}

async function call(
  api: RemoteApi,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Mapped<Answer>> {
  const url = apiUrl(api, path);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (api.token !== undefined && api.token !== '') headers['authorization'] = `Bearer ${api.token}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(api.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return {
      ok: false,
      message: `${method} ${url} failed (${error instanceof Error ? error.message : String(error)}${cause})`,
    };
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    return {
      ok: false,
      message: `${method} ${url} answered ${response.status} with a body that is not JSON`,
    };
  }
  if (!response.ok) {
    const detail = isRecord(parsed) ? (parsed['message'] ?? parsed['detail'] ?? parsed['error']) : undefined;
    const said = typeof detail === 'string' ? `: ${detail}` : '';
    return { ok: false, message: `${method} ${url} answered ${response.status}${said}` };
  }
  return { ok: true, value: { body: parsed, headers: response.headers } };
}

/** Whether a JSON value has the fields a hook acts on; the API's own schema vouches for the rest. */
export function isDecision(value: unknown): value is Decision {
  return (
    isRecord(value) &&
    typeof value['decision'] === 'string' &&
    typeof value['rule_id'] === 'string' &&
    typeof value['decision_id'] === 'string' &&
    typeof value['reason'] === 'string'
  );
}

/** A decision the API stored; `approvalId` when the API opened its approval (`x-cavra-approval-id`). */
export type PostedDecision = { decision: Decision; approvalId?: string | undefined };

/**
 * `POST /api/decisions`: the server decides with its packs, records the decision as evidence and, for
 * require_approval, opens the approval itself.
 */
export async function postDecision(
  api: RemoteApi,
  request: DecisionRequest,
): Promise<Mapped<PostedDecision>> {
  const answer = await call(api, 'POST', '/decisions', request);
  if (!answer.ok) return answer;
  if (!isDecision(answer.value.body))
    return { ok: false, message: 'POST /api/decisions did not answer a decision' };
  const approvalId = answer.value.headers.get('x-cavra-approval-id') ?? undefined;
  return { ok: true, value: { decision: answer.value.body, approvalId } };
}

/**
 * Opens an approval for `decision` and waits up to `waitMs` for a person to settle it, polling every
 * `pollMs`. Resolves `{state: 'timeout'}` when the wait runs out; failures to reach the API are errors.
 */
export async function awaitApproval(
  api: RemoteApi,
  decision: Decision,
  options: {
    waitMs: number;
    pollMs: number;
    requestedBy: string;
    /** An approval the API already opened for this decision (then none is created). */
    approvalId?: string | undefined;
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<Mapped<ApprovalOutcome>> {
  const created =
    options.approvalId === undefined
      ? await call(api, 'POST', '/approvals', { decision, requested_by: options.requestedBy })
      : await call(api, 'GET', `/approvals/${encodeURIComponent(options.approvalId)}`);
  if (!created.ok) return created;
  const first = readApproval(created.value.body);
  if (first === undefined) return { ok: false, message: 'the API did not answer an approval' };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const deadline = Date.now() + options.waitMs;
  let current = first;
  while (current.state === 'pending') {
    const left = deadline - Date.now();
    if (left <= 0) return { ok: true, value: { approvalId: current.approvalId, state: 'timeout' } };
    await sleep(Math.min(options.pollMs, left));
    const read = await call(api, 'GET', `/approvals/${encodeURIComponent(current.approvalId)}`);
    if (!read.ok) return read;
    const next = readApproval(read.value.body);
    if (next === undefined)
      return { ok: false, message: 'GET /api/approvals/{id} did not answer an approval' };
    current = next;
  }
  return { ok: true, value: current };
}

/** The approval id, state and (once decided) who decided and why, from an approval record. */
function readApproval(value: unknown): ApprovalOutcome | undefined {
  const record = isRecord(value) && isRecord(value['approval']) ? value['approval'] : value;
  if (!isRecord(record)) return undefined;
  const id = record['approval_id'];
  const state = record['state'];
  if (typeof id !== 'string' || typeof state !== 'string') return undefined;
  const text = (key: string): string | undefined => {
    const field = record[key];
    return typeof field === 'string' ? field : undefined;
  };
  return {
    approvalId: id,
    state,
    actor: text('decided_by') ?? text('approved_by') ?? text('denied_by'),
    reason: text('decision_reason') ?? text('reason'),
  };
}
