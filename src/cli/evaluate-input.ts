import { resolve } from 'node:path';
import { decide, type Decision, type DecisionRequest, type PolicyMode } from '../engine';
import { parseJsonText, readTextFile, type Outcome } from './context';
import { renderBatch, renderDecision } from './decision-view';
import { describeEngineError, setupEngine, type EngineSetup } from './engine-setup';
import type { DecisionFlags } from './evaluate';
import { EXIT, printJson, shouldColor, usageError, type CliIo } from './io';
import { toDecisionRequest, type RequestDefaults } from './requests';

/** One output slot: a decision, or the error that kept a request from being decided. */
type Slot = { decision: Decision } | { error: { code: string; message: string } };

/** Errors listed on stderr before the rest are summarised as "… and N more". */
const MAX_LISTED_ERRORS = 10;

/**
 * `cavra evaluate --input <file|->`: one request object or an array of them in, one decision (or an array of
 * decisions, in the same order) out, all in one process with the packs loaded once.
 * A request that cannot be decided (malformed, unknown pack …) gets `{"error":{"code","message"}}` in its
 * slot, so positions always line up with the input; the run then exits 2 after printing everything.
 */
export async function evaluateInput(
  io: CliIo,
  input: string,
  flags: Omit<DecisionFlags, 'policy-mode'> & { 'policy-mode'?: PolicyMode | undefined },
  decided?: Decision[],
): Promise<number> {
  const document = await readInput(io, input);
  if (!document.ok) return usageError(io, document.message, 'evaluate');
  if (typeof document.value !== 'object' || document.value === null) {
    return usageError(
      io,
      `${inputName(input)} must hold a request object or an array of requests`,
      'evaluate',
    );
  }
  const defaults: RequestDefaults = {
    ...(flags['policy-pack'] !== undefined && { policy_pack: flags['policy-pack'] }),
    ...(flags['policy-mode'] !== undefined && { policy_mode: flags['policy-mode'] }),
    ...(flags['break-glass-actor'] !== undefined && { break_glass_actor: flags['break-glass-actor'] }),
    ...(flags['break-glass-reason'] !== undefined && { break_glass_reason: flags['break-glass-reason'] }),
  };
  const isBatch = Array.isArray(document.value);
  const items: unknown[] = Array.isArray(document.value) ? document.value : [document.value];
  const requests = items.map((item) => toDecisionRequest(item, defaults));
  const packs = requests.map((request) => (typeof request === 'string' ? undefined : request.policy_pack));
  const setup = setupEngine(io, flags, packs);
  if (!setup.ok) return usageError(io, setup.message);
  const slots = requests.map((request) => decideItem(io, request, setup.value));
  for (const slot of slots) if ('decision' in slot) decided?.push(slot.decision);
  const color = shouldColor(io);
  if (flags.json === true) {
    printJson(io, isBatch ? slots.map(toJson) : toJson(slots[0] as Slot));
  } else if (isBatch) {
    io.stdout(renderBatch(slots, { color }));
  } else if ('decision' in (slots[0] as Slot)) {
    io.stdout(renderDecision((slots[0] as { decision: Decision }).decision, { color }));
  }
  return reportErrors(io, slots, isBatch);
}

async function readInput(io: CliIo, input: string): Promise<Outcome<unknown>> {
  let text: string;
  if (input === '-') {
    text = await io.stdin();
  } else {
    const read = readTextFile(io, input, 'input file');
    if (!read.ok) return read;
    text = read.value;
  }
  if (text.trim() === '')
    return {
      ok: false,
      message: `${inputName(input)} is empty: give a request object or an array of requests`,
    };
  return parseJsonText(text, inputName(input));
}

function inputName(input: string): string {
  return input === '-' ? 'standard input' : `input file '${input}'`;
}

function decideItem(io: CliIo, request: DecisionRequest | string, setup: EngineSetup): Slot {
  if (typeof request === 'string') return { error: { code: 'invalid_request', message: request } };
  if (request.cwd !== undefined) request.cwd = resolve(io.cwd, request.cwd);
  const result = decide(request, setup.set, setup.options);
  if (result.ok) return { decision: result.value };
  return {
    error: {
      code: result.error.code,
      message: describeEngineError(result.error, request.policy_pack, setup),
    },
  };
}

function toJson(slot: Slot): Decision | { error: { code: string; message: string } } {
  return 'decision' in slot ? slot.decision : { error: slot.error };
}

/** Lists the requests that were not decided on stderr; exit 2 when there are any. */
function reportErrors(io: CliIo, slots: readonly Slot[], isBatch: boolean): number {
  const failed = slots.flatMap((slot, index) => ('error' in slot ? [{ index, error: slot.error }] : []));
  if (failed.length === 0) return EXIT.ok;
  for (const { index, error } of failed.slice(0, MAX_LISTED_ERRORS)) {
    io.stderr(`cavra: ${isBatch ? `request ${index}: ` : ''}${error.message}\n`);
  }
  if (failed.length > MAX_LISTED_ERRORS)
    io.stderr(`cavra: … and ${failed.length - MAX_LISTED_ERRORS} more\n`);
  if (isBatch)
    io.stderr(
      `cavra: ${failed.length} of ${slots.length} requests were not evaluated (see their "error" slots)\n`,
    );
  return EXIT.usage;
}
