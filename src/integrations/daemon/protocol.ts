/**
 * The daemon's wire protocol over its Unix socket: newline-delimited JSON. Each line a client sends is one
 * request and gets exactly one answer line, in order. A request is an evaluate request (upstream's
 * `EvaluateRequest`: the decision request fields plus optional `runner_auth`) answered with the decision
 * (`cavra.decision.v1`), or `{"op": "status"}` answered with the daemon's status. Anything the daemon cannot
 * decide is answered with a block decision (rule `daemon.request.invalid`, `daemon.runner_auth.failed` or
 * `runtime.error.fail_closed`): never an allow.
 */
import type { Decision } from '../../engine';

/** Default socket path, relative to the project: `.cavra/daemon.sock`. */
export const DEFAULT_SOCKET = '.cavra/daemon.sock';
/** Default pid file, next to the socket. */
export const DEFAULT_PID_FILE = '.cavra/daemon.pid';
/** Default evidence stream file. */
export const DEFAULT_EVIDENCE_LOG = '.cavra/daemon-evidence.jsonl';
/** A request line longer than this is refused (block answer) and the connection closed. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** `{"op":"status"}`'s answer. */
export type DaemonStatus = {
  schema_version: 'cavra.daemon.status.v1';
  pid: number;
  socket: string;
  started_at: string;
  decisions: number;
  evidence_log: string | null;
  evidence_records: number | null;
  evidence_signed: boolean;
  runner_auth: string[];
  policy_packs: string[];
  default_pack: string;
};

/** The answer to a request the daemon could not decide: a block, shaped like a decision. */
export type BlockAnswer = Pick<
  Decision,
  | 'schema_version'
  | 'decision_id'
  | 'session_id'
  | 'agent_id'
  | 'actor'
  | 'action_type'
  | 'target'
  | 'policy_pack'
  | 'rule_id'
  | 'decision'
  | 'severity'
  | 'reason'
  | 'evidence_refs'
  | 'approver_group'
  | 'timestamp'
> & { error: { code: string; message: string } };

export type FailRule = 'daemon.request.invalid' | 'daemon.runner_auth.failed' | 'runtime.error.fail_closed';

/** Builds a block answer; the fields the request did carry are echoed so the caller can match it up. */
export function blockAnswer(
  request: unknown,
  rule: FailRule,
  code: string,
  message: string,
  context: { now: Date; id: string },
): BlockAnswer {
  const fields = typeof request === 'object' && request !== null ? (request as Record<string, unknown>) : {};
  const text = (key: string, fallback: string): string => {
    const value = fields[key];
    return typeof value === 'string' ? value : fallback;
  };
  const sessionId = text('session_id', 'local');
  const decisionId = `dec_${context.id}`;
  return {
    schema_version: 'cavra.decision.v1',
    decision_id: decisionId,
    session_id: sessionId,
    agent_id: text('agent_id', 'unknown-agent'),
    actor: text('actor', 'ai-agent'),
    action_type: text('action_type', ''),
    target: text('target', ''),
    policy_pack: text('policy_pack', ''),
    rule_id: rule,
    decision: 'block',
    severity: 'high',
    reason: `the daemon refused the request (fail closed): ${message}`,
    evidence_refs: [`evidence://${sessionId}/${decisionId}`],
    approver_group: null,
    timestamp: context.now.toISOString(),
    error: { code, message },
  };
}
