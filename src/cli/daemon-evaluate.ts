/**
 * `cavra evaluate --daemon`: the same requests and output as `evaluate`, decided by the running daemon
 * (packs already in memory) instead of this process. Requests are signed with the runner identity from
 * the environment when one is configured.
 */
import type { Decision, DecisionRequest } from '../engine';
import { askDaemon, DaemonUnavailable } from '../integrations/daemon/client';
import { isDecision } from '../integrations/hooks/remote';
import { parseJsonText, readTextFile } from './context';
import { daemonSocketPath, withRunnerAuth } from './daemon-client';
import { renderBatch, renderDecision } from './decision-view';
import { positionalRequest, type DecisionFlags } from './evaluate';
import { renderTable } from './format';
import { EXIT, printJson, shouldColor, usageError, type CliIo } from './io';
import { toDecisionRequest, type RequestDefaults } from './requests';

type Flags = DecisionFlags & { input?: string | undefined; socket?: string | undefined };

export async function evaluateViaDaemon(
  io: CliIo,
  flags: Flags,
  positionals: string[],
  decided: Decision[] | undefined,
): Promise<number> {
  if (flags.policy !== undefined || flags.registry !== undefined) {
    return usageError(
      io,
      "--policy and --registry are the daemon's: give them to 'cavra daemon start'",
      'evaluate',
    );
  }
  const built = await buildRequests(io, flags, positionals);
  if (typeof built === 'string') return usageError(io, built, 'evaluate');
  const { requests, isBatch } = built;
  const signed: Record<string, unknown>[] = [];
  for (const request of requests) {
    const withAuth = withRunnerAuth(io, { ...request });
    if (!withAuth.ok) return usageError(io, withAuth.message);
    signed.push(withAuth.value);
  }
  let answers: unknown[];
  try {
    answers = await askDaemon(daemonSocketPath(io, flags.socket), signed, 30_000);
  } catch (error) {
    if (error instanceof DaemonUnavailable) return usageError(io, error.message);
    throw error;
  }
  const decisions = answers.filter(isDecision);
  if (decisions.length !== answers.length) {
    io.stderr('cavra: the daemon answered something that is not a decision\n');
    return EXIT.failed;
  }
  // Block answers for requests the daemon could not decide carry an error; they are not recorded.
  for (const decision of decisions) if (!('error' in decision)) decided?.push(decision);
  const color = shouldColor(io);
  const refusals = decisions.filter((decision) => 'error' in decision);
  if (flags.json === true) printJson(io, isBatch ? decisions : decisions[0]);
  else if (refusals.length > 0) {
    // A request the daemon refused to decide (bad runner authentication, a malformed request) is a fail-closed
    // block without a policy evaluation behind it: say why, not a decision table with nothing in it.
    for (const refusal of refusals) io.stdout(renderRefusal(refusal, color));
    if (refusals.length < decisions.length) {
      io.stdout(
        renderBatch(
          decisions.filter((decision) => !('error' in decision)).map((decision) => ({ decision })),
          { color },
        ),
      );
    }
  } else if (isBatch)
    io.stdout(
      renderBatch(
        decisions.map((decision) => ({ decision })),
        { color },
      ),
    );
  else if (decisions[0] !== undefined) io.stdout(renderDecision(decisions[0], { color }));
  return EXIT.ok;
}

async function buildRequests(
  io: CliIo,
  flags: Flags,
  positionals: string[],
): Promise<{ requests: DecisionRequest[]; isBatch: boolean } | string> {
  if (flags.input === undefined) {
    const request = positionalRequest(positionals, flags);
    if (typeof request === 'string') return request;
    if (flags['policy-mode'] !== undefined)
      request.policy_mode = flags['policy-mode'] as DecisionRequest['policy_mode'];
    return { requests: [{ ...request, cwd: io.cwd }], isBatch: false };
  }
  if (positionals.length > 0) return `give either --input or <action_type> <target>, not both`;
  const text =
    flags.input === '-'
      ? { ok: true as const, value: await io.stdin() }
      : readTextFile(io, flags.input, 'input file');
  if (!text.ok) return text.message;
  const parsed = parseJsonText(
    text.value,
    flags.input === '-' ? 'standard input' : `input file '${flags.input}'`,
  );
  if (!parsed.ok) return parsed.message;
  const defaults: RequestDefaults = {
    ...(flags['policy-pack'] !== undefined && { policy_pack: flags['policy-pack'] }),
  };
  const items: unknown[] = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  const requests: DecisionRequest[] = [];
  for (const [index, item] of items.entries()) {
    const request = toDecisionRequest(item, defaults);
    if (typeof request === 'string') return `request ${index}: ${request}`;
    requests.push({ cwd: io.cwd, ...request });
  }
  return { requests, isBatch: Array.isArray(parsed.value) };
}

/** A daemon refusal: the block it answered, its rule and the reason it could not decide. */
function renderRefusal(decision: Decision, color: boolean): string {
  const error = (decision as Decision & { error: { code: string; message: string } }).error;
  return renderTable(
    [
      ['decision', { text: decision.decision, color: 'red' }],
      ['rule', decision.rule_id],
      ['reason', decision.reason],
      ['error', `${error.code}: ${error.message}`],
      ['action', `${decision.action_type} ${decision.target}`.trim() || '(none)'],
    ],
    { color },
  );
}
