/** The engine in the hook's own process: the fallback when neither the API nor a daemon decides. */
import { decide, type Decision, type DecisionRequest } from '../engine';
import type { Outcome } from './context';
import { describeEngineError, setupEngine, type SetupFlags } from './engine-setup';
import type { CliIo } from './io';

/** Loads only the packs the request needs (and their parents), then decides. */
export function decideLocally(request: DecisionRequest, io: CliIo, flags: SetupFlags): Outcome<Decision> {
  const setup = setupEngine(io, flags, [request.policy_pack]);
  if (!setup.ok) return setup;
  const result = decide(request, setup.value.set, setup.value.options);
  if (!result.ok) {
    return { ok: false, message: describeEngineError(result.error, request.policy_pack, setup.value) };
  }
  return { ok: true, value: result.value };
}
