import {
  decide,
  POLICY_MODES,
  RUNTIME_ACTION_TYPES,
  summarizePolicyMode,
  type Decision,
  type DecisionRequest,
  type PolicyMode,
} from '../engine';
import { HELP_OPTION, parseCommandArgs, type OptionSpec, type ParsedArgs } from './args';
import { renderDecision, renderExplanation } from './decision-view';
import { describeEngineError, setupEngine } from './engine-setup';
import { evaluateInput } from './evaluate-input';
import { EVALUATE_HELP, EXPLAIN_HELP } from './help';
import { EXIT, printJson, shouldColor, usageError, type CliIo } from './io';
import { isOneOf } from './registry';

/** Flags shared by `evaluate` and `policy explain`. */
const DECISION_OPTIONS = {
  ...HELP_OPTION,
  'policy-pack': { type: 'string', short: 'p' },
  'policy-mode': { type: 'string', short: 'm' },
  'break-glass-actor': { type: 'string' },
  'break-glass-reason': { type: 'string' },
  operation: { type: 'string' },
  server: { type: 'string' },
  tool: { type: 'string' },
  capability: { type: 'string' },
  registry: { type: 'string' },
  policy: { type: 'string' },
  cwd: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies OptionSpec;

const EVALUATE_OPTIONS = {
  ...DECISION_OPTIONS,
  input: { type: 'string', short: 'i' },
  record: { type: 'boolean' },
  db: { type: 'string' },
  daemon: { type: 'boolean' },
  socket: { type: 'string' },
} as const;

/** The parsed flags of `evaluate`/`explain` (those of `--input` batches too). */
export type DecisionFlags = Extract<ParsedArgs<typeof DECISION_OPTIONS>, { ok: true }>['values'];

/** Flags that only make sense for one action type of the positional form. */
const MCP_ONLY = ['server', 'tool', 'capability'] as const;

/**
 * `cavra evaluate <action_type> <target> …` or `cavra evaluate --input <file|-> …`; with `--record`, the
 * decisions are then stored as evidence (exit 3 when that fails: the output stands, the evidence is missing).
 */
export async function runEvaluate(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(args, EVALUATE_OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, 'evaluate');
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(EVALUATE_HELP);
    return EXIT.ok;
  }
  if (values.db !== undefined && values.record !== true) {
    return usageError(io, `option '--db' says where --record writes: add --record`, 'evaluate');
  }
  // With --record, the decisions made are collected here and recorded after the output is printed.
  const decided: Decision[] | undefined = values.record === true ? [] : undefined;
  const code =
    values.daemon === true
      ? await (await import('./daemon-evaluate')).evaluateViaDaemon(io, values, positionals, decided)
      : await evaluate(io, values, positionals, decided);
  if (decided === undefined || decided.length === 0) return code;
  const { recordDecisions } = await import('./evidence-record');
  const { recorded } = await recordDecisions(io, decided, { db: values.db, json: values.json === true });
  return recorded ? code : EXIT.unrecorded;
}

async function evaluate(
  io: CliIo,
  values: Extract<ParsedArgs<typeof EVALUATE_OPTIONS>, { ok: true }>['values'],
  positionals: string[],
  decided: Decision[] | undefined,
): Promise<number> {
  if (values.input !== undefined) {
    if (positionals.length > 0) {
      return usageError(
        io,
        `give either --input or <action_type> <target>, not both (got '${positionals.join(' ')}')`,
        'evaluate',
      );
    }
    const positionalOnly = (['operation', ...MCP_ONLY] as const).find((key) => values[key] !== undefined);
    if (positionalOnly !== undefined) {
      return usageError(
        io,
        `option '--${positionalOnly}' does not apply to --input: set "${positionalOnly}" in each request`,
        'evaluate',
      );
    }
    const mode = checkMode(io, values['policy-mode'], 'evaluate');
    if (typeof mode === 'number') return mode;
    return evaluateInput(io, values.input, { ...values, 'policy-mode': mode }, decided);
  }
  return decideOne(io, positionals, values, 'evaluate', decided);
}

/** `cavra policy explain <action_type> <target> …`: the decision with every rule that contributed. */
export function runExplain(args: string[], io: CliIo): number {
  const parsed = parseCommandArgs(args, DECISION_OPTIONS);
  if (!parsed.ok) return usageError(io, parsed.message, 'policy explain');
  if (parsed.values.help === true) {
    io.stdout(EXPLAIN_HELP);
    return EXIT.ok;
  }
  return decideOne(io, parsed.positionals, parsed.values, 'policy explain');
}

function decideOne(
  io: CliIo,
  positionals: string[],
  flags: DecisionFlags,
  command: 'evaluate' | 'policy explain',
  decided?: Decision[],
): number {
  const request = positionalRequest(positionals, flags);
  if (typeof request === 'string') return usageError(io, request, command);
  const mode = checkMode(io, flags['policy-mode'], command);
  if (typeof mode === 'number') return mode;
  const setup = setupEngine(io, flags, [request.policy_pack]);
  if (!setup.ok) return usageError(io, setup.message);
  const result = decide(
    { ...request, ...(mode !== undefined && { policy_mode: mode }) },
    setup.value.set,
    setup.value.options,
  );
  if (!result.ok) {
    return usageError(io, describeEngineError(result.error, request.policy_pack, setup.value));
  }
  const decision = result.value;
  decided?.push(decision);
  const color = shouldColor(io);
  if (command === 'policy explain') {
    if (flags.json === true) printJson(io, decision);
    else io.stdout(renderExplanation(decision, { color }));
  } else if (flags.json === true) {
    printJson(
      io,
      decision.mode === 'enforce'
        ? decision
        : summarizePolicyMode(decision, {
            actor: flags['break-glass-actor'],
            reason: flags['break-glass-reason'],
          }),
    );
  } else {
    io.stdout(renderDecision(decision, { color }));
  }
  return EXIT.ok;
}

function checkMode(io: CliIo, mode: string | undefined, command: string): PolicyMode | undefined | number {
  if (mode === undefined || isOneOf(POLICY_MODES, mode)) return mode;
  return usageError(io, `unknown policy mode '${mode}': use one of ${POLICY_MODES.join(', ')}`, command);
}

/** Builds the request of the positional form the way upstream's CLI does (reference §7), or says what is wrong. */
export function positionalRequest(positionals: string[], flags: DecisionFlags): DecisionRequest | string {
  const [actionType, target, ...extra] = positionals;
  if (actionType === undefined) {
    return `missing <action_type>: use one of ${RUNTIME_ACTION_TYPES.join(', ')}, or a dotted generic type such as crm.update_record`;
  }
  if (!isOneOf(RUNTIME_ACTION_TYPES, actionType) && !/^[\w-]+(\.[\w-]+)+$/.test(actionType)) {
    return `unknown action type '${actionType}': use one of ${RUNTIME_ACTION_TYPES.join(', ')}, or a dotted generic type such as crm.update_record`;
  }
  if (extra.length > 0) {
    return `unexpected argument '${extra[0] ?? ''}': quote a target that contains spaces, e.g. cavra evaluate execute_command 'terraform plan'`;
  }
  const misplaced = MCP_ONLY.find((key) => flags[key] !== undefined && actionType !== 'mcp_tool_call');
  if (misplaced !== undefined) return `option '--${misplaced}' applies only to mcp_tool_call`;
  if (flags.operation !== undefined && actionType !== 'git_operation') {
    return `option '--operation' applies only to git_operation`;
  }
  const common = {
    ...(flags['policy-pack'] !== undefined && { policy_pack: flags['policy-pack'] }),
    ...(flags['break-glass-actor'] !== undefined && { break_glass_actor: flags['break-glass-actor'] }),
    ...(flags['break-glass-reason'] !== undefined && { break_glass_reason: flags['break-glass-reason'] }),
  };
  if (actionType === 'mcp_tool_call') {
    const server = flags.server ?? target;
    if (server === undefined || server.trim() === '')
      return `missing MCP server: cavra evaluate mcp_tool_call <server> [--tool T] [--capability C]`;
    if (flags.server !== undefined && target !== undefined && target !== flags.server) {
      return `the MCP server is given twice ('${target}' and --server '${flags.server}'): keep one`;
    }
    return {
      ...common,
      action_type: actionType,
      server,
      tool: flags.tool ?? 'unknown',
      capability: flags.capability ?? 'filesystem',
    };
  }
  if (target === undefined)
    return `missing <target> for ${actionType}: cavra evaluate ${actionType} ${targetHint(actionType)}`;
  if (target.trim() === '') {
    return `empty <target> for ${actionType} (an unset shell variable?): cavra evaluate ${actionType} ${targetHint(actionType)}`;
  }
  if (actionType === 'git_operation') {
    return { ...common, action_type: actionType, target, operation: flags.operation ?? 'push' };
  }
  return { ...common, action_type: actionType, target };
}

function targetHint(actionType: string): string {
  switch (actionType) {
    case 'read_file':
    case 'write_file':
      return '<path>';
    case 'execute_command':
      return "'<command>'";
    case 'git_operation':
      return '<ref> (e.g. origin/main)';
    default:
      return '<target>';
  }
}
