/**
 * The Cedar side of the benchmark: a CAVRA pack translated to an equivalent Cedar policy set, and each
 * benchmark request turned into the Cedar authorization calls an integrator would make.
 *
 * Cedar cannot parse shell or normalise paths, so it gets the work done for it, outside the timed region:
 * a command line arrives pre-split into its normalised simple commands (wrappers such as `sudo … bash -c`
 * already unwrapped) and the files they touch, one `statefulIsAuthorized` call each; a path arrives
 * normalised. Patterns become `like` conditions on a context string (`context.command like "tool7 deploy*"`,
 * `context.path like "*\/secret-7.*"`); gitignore semantics are spelled out as several `like` alternatives.
 * We use the fastest API cedar-wasm offers: `preparsePolicySet` once, then `statefulIsAuthorized`, which
 * reuses the parsed policies instead of re-parsing them on every call as `isAuthorized` does.
 */
import {
  getCedarVersion,
  isAuthorized,
  preparsePolicySet,
  statefulIsAuthorized,
  type AuthorizationAnswer,
  type Context,
  type StatefulAuthorizationCall,
} from '@cedar-policy/cedar-wasm/nodejs';
import { analyzeCommand, normalizePath, type CompiledPack, type DecisionRequest } from '../src/engine';
import { normalizeWords } from '../src/engine/guards/command';

export { getCedarVersion };

/** Policy id → Cedar policy text. */
export type CedarPolicies = Record<string, string>;

/** The engine's neutral builtins (guards/command.ts); `echo`/`printf` are neutral only without redirection. */
const NEUTRAL_BUILTINS = ['cd', 'pushd', 'popd', 'true', 'false', ':', 'pwd'];

const PRINCIPAL = { type: 'Agent', id: 'coding-agent' };
const RESOURCE = { type: 'Workspace', id: 'repo' };

function cedarString(text: string): string {
  return JSON.stringify(text);
}

/** A `like` pattern literal: our `*` stays a wildcard, everything else is literal. */
function likeLiteral(pattern: string): string {
  return cedarString(pattern.replace(/\*+/g, '*'));
}

/**
 * The `like` patterns that together match what a CAVRA path pattern matches: upstream semantics (every `*`
 * crosses `/`), plus gitignore's "a name matches at any depth", "`**\/` may match no directory" and
 * "a matched directory covers what lies below". Cedar's `*` always crosses `/`, so it is never narrower.
 */
export function pathLikes(pattern: string): string[] {
  const body = pattern.replace(/\/+$/, '').replace(/^\//, '');
  const forms = new Set<string>([body]);
  if (body.startsWith('**/')) forms.add(body.slice(3));
  else if (!body.includes('/')) forms.add(`*/${body}`);
  for (const form of [...forms]) if (!form.endsWith('*')) forms.add(`${form}/*`);
  return [...forms];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function section(document: CompiledPack['document'], key: string): Record<string, unknown> {
  const value = document[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

/** Translates a compiled pack into an equivalent Cedar policy set (see the module doc). */
export function cedarPolicies(pack: CompiledPack): CedarPolicies {
  const policies: CedarPolicies = {};
  let next = 0;
  const add = (text: string): void => {
    policies[`p${next}`] = text;
    next += 1;
  };
  const filesystem = section(pack.document, 'filesystem');
  const commands = section(pack.document, 'commands');
  const mcp = section(pack.document, 'mcp');
  // Defaults: file access and git operations are allowed unless a rule says otherwise.
  add(
    'permit (principal, action in [Action::"read_file", Action::"write_file", Action::"git_push"], resource);',
  );
  const fileRule = (effect: string, outcome: string, action: string, pattern: string): void => {
    const test = pathLikes(pattern)
      .map((form) => `context.path like ${likeLiteral(form)}`)
      .join(' || ');
    add(
      `@cavra(${cedarString(outcome)})\n${effect} (principal, action == Action::"${action}", resource)\nwhen { ${test} };`,
    );
  };
  for (const pattern of strings(filesystem['block_read'])) fileRule('forbid', 'block', 'read_file', pattern);
  for (const pattern of strings(filesystem['block_write']))
    fileRule('forbid', 'block', 'write_file', pattern);
  for (const pattern of strings(filesystem['require_approval_write']))
    fileRule('forbid', 'require_approval', 'write_file', pattern);
  const commandRule = (effect: string, outcome: string, pattern: string): void => {
    add(
      `@cavra(${cedarString(outcome)})\n${effect} (principal, action == Action::"execute_command", resource)\nwhen { context.command like ${likeLiteral(pattern)} };`,
    );
  };
  for (const pattern of strings(commands['block'])) commandRule('forbid', 'block', pattern);
  for (const pattern of strings(commands['require_approval']))
    commandRule('forbid', 'require_approval', pattern);
  for (const pattern of strings(commands['allow'])) commandRule('permit', 'allow', pattern);
  // Side-effect-free builtins (`cd`, `pwd` …) never block a command line; per segment, Cedar permits them.
  const neutral = NEUTRAL_BUILTINS.flatMap((name) => [
    `context.command == ${cedarString(name)}`,
    `context.command like ${likeLiteral(`${name} *`)}`,
  ]);
  add(
    `@cavra("neutral")\npermit (principal, action == Action::"execute_command", resource)\nwhen { ${neutral.join(' || ')} };`,
  );
  // The git guard: pushes to protected branches, as a `git_operation` and inside a command.
  for (const branch of pack.git.protectedBranches) {
    add(
      `@cavra("block")\nforbid (principal, action == Action::"git_push", resource)\nwhen { context.branch like ${likeLiteral(branch)} };`,
    );
    const pushes = [`git push * ${branch}`, `git push *:${branch}`, `git push *:refs/heads/${branch}`];
    add(
      `@cavra("block")\nforbid (principal, action == Action::"execute_command", resource)\nwhen { ${pushes.map((p) => `context.command like ${likeLiteral(p)}`).join(' || ')} };`,
    );
  }
  for (const server of strings(mcp['allowed_servers']))
    add(
      `permit (principal, action == Action::"mcp_tool_call", resource)\nwhen { context.server == ${cedarString(server)} };`,
    );
  for (const server of strings(mcp['blocked_servers']))
    add(
      `@cavra("block")\nforbid (principal, action == Action::"mcp_tool_call", resource)\nwhen { context.server == ${cedarString(server)} };`,
    );
  return policies;
}

/** Parses and caches a policy set inside cedar-wasm under `id`; throws on a parse error. */
export function preparse(id: string, policies: CedarPolicies): void {
  const answer = preparsePolicySet(id, { staticPolicies: policies });
  if (answer.type !== 'success') {
    throw new Error(`cedar: ${answer.errors.map((error) => error.message).join('; ')}`);
  }
}

function call(policySetId: string, action: string, context: Context): StatefulAuthorizationCall {
  return {
    principal: PRINCIPAL,
    action: { type: 'Action', id: action },
    resource: RESOURCE,
    context,
    entities: [],
    preparsedPolicySetId: policySetId,
    validateRequest: false,
  };
}

/**
 * The Cedar calls that stand for one CAVRA request, built once before timing. Commands are split and
 * normalised by our analyser here, so Cedar is not charged for shell parsing.
 */
export function cedarCalls(
  request: DecisionRequest,
  policySetId: string,
  workspaceRoot: string,
): StatefulAuthorizationCall[] {
  const root = request.cwd ?? workspaceRoot;
  const target = request.target ?? '';
  switch (request.action_type) {
    case 'read_file':
    case 'write_file':
      return [call(policySetId, request.action_type, { path: normalizePath(target, root) })];
    case 'git_operation':
      return [call(policySetId, 'git_push', { branch: target })];
    case 'mcp_tool_call':
      return [call(policySetId, 'mcp_tool_call', { server: request.server ?? '', tool: request.tool ?? '' })];
    case 'execute_command': {
      const analysis = analyzeCommand(target);
      if (!analysis.ok) throw new Error(`cannot split ${target}: ${analysis.message}`);
      const calls: StatefulAuthorizationCall[] = [];
      for (const command of analysis.commands) {
        if (!command.redirectOnly && command.program !== null)
          calls.push(
            call(policySetId, 'execute_command', { command: normalizeWords(command.words).join(' ') }),
          );
        for (const file of command.files)
          calls.push(
            call(policySetId, file.access === 'read' ? 'read_file' : 'write_file', {
              path: normalizePath(file.path, root),
            }),
          );
      }
      return calls;
    }
    default:
      throw new Error(`no Cedar translation for ${request.action_type}`);
  }
}

/** Runs the calls; true when every one is allowed (CAVRA's "allow" corresponds to all-allowed). */
export function runCedar(calls: readonly StatefulAuthorizationCall[]): boolean {
  let allowed = true;
  for (const item of calls) {
    const answer: AuthorizationAnswer = statefulIsAuthorized(item);
    if (answer.type !== 'success' || answer.response.decision !== 'allow') allowed = false;
  }
  return allowed;
}

/** The ids of the policies that decided each call (for checking the translation, not timed). */
export function cedarReasons(calls: readonly StatefulAuthorizationCall[]): string[][] {
  return calls.map((item) => {
    const answer = statefulIsAuthorized(item);
    if (answer.type !== 'success') throw new Error(answer.errors.map((error) => error.message).join('; '));
    if (answer.response.diagnostics.errors.length > 0)
      throw new Error(`cedar evaluation errors: ${JSON.stringify(answer.response.diagnostics.errors)}`);
    return answer.response.diagnostics.reason;
  });
}

/** The stateless API (re-parses the whole policy set on every call), for reference only. */
export function runCedarStateless(
  calls: readonly StatefulAuthorizationCall[],
  policies: CedarPolicies,
): boolean {
  let allowed = true;
  for (const item of calls) {
    const answer = isAuthorized({
      principal: item.principal,
      action: item.action,
      resource: item.resource,
      context: item.context,
      entities: item.entities,
      policies: { staticPolicies: policies },
    });
    if (answer.type !== 'success' || answer.response.decision !== 'allow') allowed = false;
  }
  return allowed;
}
