/**
 * One decision for an agent-facing command (`hook`, `agent exec`), from the fastest authority at hand:
 * the API when `CAVRA_API_URL` is set (it decides with the server's packs and records the evidence),
 * else the daemon when its socket exists, else the engine in this process. Then, with
 * `--approvals remote`, a required approval is opened on the API and waited for. Every failure is a
 * message; callers turn it into deny (or ask), never allow.
 */
import type { Decision, DecisionRequest } from '../engine';
import { DaemonUnavailable, askDaemon } from '../integrations/daemon/client';
import {
  failureVerdict,
  verdictFor,
  approvalVerdict,
  type FailureAnswer,
} from '../integrations/hooks/verdict';
import type { HookVerdict } from '../integrations/hooks/event';
import { awaitApproval, isDecision, postDecision, type RemoteApi } from '../integrations/hooks/remote';
import type { Outcome } from './context';
import { daemonSocketPath, withRunnerAuth } from './daemon-client';
import type { SetupFlags } from './engine-setup';
import type { CliIo } from './io';

/** Flags every agent-facing command shares. */
export type AgentFlags = SetupFlags & {
  socket?: string | undefined;
  'no-daemon'?: boolean | undefined;
  approvals?: string | undefined;
  'approval-timeout'?: string | undefined;
  'on-error'?: string | undefined;
};

/** Where a decision came from (for evidence: the API records its own). */
export type DecisionSource = 'api' | 'daemon' | 'local';

/** A decision, where it came from, and the approval the API opened for it (if any). */
export type AgentDecision = { decision: Decision; source: DecisionSource; approvalId?: string | undefined };

/** Lets tests replace the in-process engine (e.g. one that throws). */
export type EngineFn = (
  request: DecisionRequest,
  io: CliIo,
  flags: SetupFlags,
) => Outcome<Decision> | Promise<Outcome<Decision>>;

/**
 * The default {@link EngineFn}: loads the packs the request needs and decides. Imported on demand, so a
 * hook answered by the API or the daemon never loads the engine and its packs.
 */
export const localEngine: EngineFn = async (request, io, flags) =>
  (await import('./hook-engine')).decideLocally(request, io, flags);

/** The API named by the environment, if any. */
export function remoteApi(io: CliIo): RemoteApi | undefined {
  const baseUrl = io.env['CAVRA_API_URL'];
  if (baseUrl === undefined || baseUrl === '') return undefined;
  return { baseUrl, token: io.env['CAVRA_API_TOKEN'] };
}

/** `--on-error` / `CAVRA_HOOK_ON_ERROR`: deny (default) or ask; anything else is a usage error. */
export function failureAnswer(io: CliIo, flag: string | undefined): Outcome<FailureAnswer> {
  const value = flag ?? io.env['CAVRA_HOOK_ON_ERROR'] ?? 'deny';
  if (value === 'deny' || value === 'ask') return { ok: true, value };
  return { ok: false, message: `--on-error (or CAVRA_HOOK_ON_ERROR) must be deny or ask, got '${value}'` };
}

/** Makes the decision; says where it came from. */
export async function decideForAgent(
  io: CliIo,
  request: DecisionRequest,
  flags: AgentFlags,
  engine: EngineFn = localEngine,
): Promise<Outcome<AgentDecision>> {
  const api = remoteApi(io);
  if (api !== undefined) {
    const posted = await postDecision(api, request);
    return posted.ok ? { ok: true, value: { ...posted.value, source: 'api' } } : posted;
  }
  if (flags['no-daemon'] !== true) {
    const fromDaemon = await askTheDaemon(io, request, flags.socket);
    if (fromDaemon !== undefined) return fromDaemon;
  }
  const local = await engine(request, io, flags);
  return local.ok ? { ok: true, value: { decision: local.value, source: 'local' } } : local;
}

/** The daemon's answer, or undefined when no daemon is there (then the engine in this process decides). */
async function askTheDaemon(
  io: CliIo,
  request: DecisionRequest,
  socketFlag: string | undefined,
): Promise<Outcome<AgentDecision> | undefined> {
  const signed = withRunnerAuth(io, { ...request });
  if (!signed.ok) return signed;
  try {
    const [answer] = await askDaemon(daemonSocketPath(io, socketFlag), [signed.value], 5000);
    if (!isDecision(answer))
      return { ok: false, message: 'the daemon answered something that is not a decision' };
    return { ok: true, value: { decision: answer, source: 'daemon' } };
  } catch (error) {
    if (error instanceof DaemonUnavailable) return undefined;
    throw error;
  }
}

/**
 * The verdict for a decision: require_approval asks locally, or with `--approvals remote` opens an approval
 * on the API and waits (`--approval-timeout` seconds, default 300) for approved → allow, else deny.
 */
export async function verdictWithApprovals(
  io: CliIo,
  decided: AgentDecision,
  flags: AgentFlags,
  onError: FailureAnswer,
  requestedBy: string,
): Promise<HookVerdict> {
  const { decision } = decided;
  const verdict = verdictFor(decision);
  if (verdict.permission !== 'ask' || (flags.approvals ?? 'local') === 'local') return verdict;
  const api = remoteApi(io);
  if (api === undefined) {
    return failureVerdict('--approvals remote needs CAVRA_API_URL (and CAVRA_API_TOKEN)', onError);
  }
  const waitSeconds = Number(flags['approval-timeout'] ?? io.env['CAVRA_APPROVAL_TIMEOUT'] ?? '300');
  const pollMs = Number(io.env['CAVRA_APPROVAL_POLL_MS'] ?? '1000');
  const outcome = await awaitApproval(api, decision, {
    waitMs: waitSeconds * 1000,
    pollMs: Number.isFinite(pollMs) && pollMs > 0 ? pollMs : 1000,
    requestedBy,
    approvalId: decided.approvalId,
  });
  if (!outcome.ok) return failureVerdict(outcome.message, onError);
  return approvalVerdict(decision, outcome.value);
}

/** Checks the flags shared by the agent-facing commands (before any event is read). */
export function checkAgentFlags(flags: AgentFlags): string | undefined {
  if (flags.approvals !== undefined && flags.approvals !== 'local' && flags.approvals !== 'remote') {
    return `--approvals must be local or remote, got '${flags.approvals}'`;
  }
  const timeout = flags['approval-timeout'];
  if (timeout !== undefined && !(Number(timeout) >= 0)) {
    return `--approval-timeout must be a number of seconds, got '${timeout}'`;
  }
  return undefined;
}
