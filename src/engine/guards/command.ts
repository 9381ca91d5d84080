import { analyzeCommand, type AnalyzedCommand, type RemoteExecution } from '../command/analyze';
import { commandForms } from '../command-rules';
import { normalizePath } from '../path';
import type { CompiledPack } from '../policy/compile';
import type { CommandSegment, MatchedRule, Outcome } from '../types';
import { APPROVER, OUTCOME_RANK, type Verdict } from '../verdict';
import { judgePath, pathForms, type PathScope } from './file';
import { judgePush, refspecDestination, type PushDestination } from './git';

/** Side-effect-free builtins: they never allow a command line by themselves. */
const NEUTRAL = new Set(['cd', 'pushd', 'popd', 'true', 'false', ':', 'pwd']);
const QUIET_PRINTERS = new Set(['echo', 'printf']);

/** Git options placed before the subcommand; the valued ones consume the next word. */
const GIT_VALUED_GLOBALS = new Set([
  '-C',
  '-c',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '--exec-path',
  '--config-env',
]);

/** Order in which rule sources are reported when several reach the same outcome (issue §2.8). */
const SOURCE_ORDER: readonly string[] = [
  'commands.block',
  'commands.require_approval',
  'filesystem',
  'git',
  'builtin',
  'default',
];

/** A rule that fired, and which kind of source produced it (for the reporting order). */
type Finding = { rule: MatchedRule; source: string };

/** Reduces a word list to the normalised simple command matched against patterns. */
export function normalizeWords(words: readonly string[]): string[] {
  const [first, ...rest] = words;
  if (first === undefined) return [];
  const program = first.includes('/') ? first.slice(first.lastIndexOf('/') + 1) : first;
  let args = rest.map(normalizeOperand);
  if (program === 'git') args = stripGitGlobals(args);
  return [program, ...args];
}

/**
 * Spellings of a command with its leading options (`kubectl --context prod apply`, `terraform -chdir=x apply`)
 * moved behind the subcommand, so patterns written for `kubectl apply*--context*prod*` meet them. Whether an
 * option takes a value is unknown, so both readings are produced; they are used only for block and
 * approval patterns (more spellings can only make those stricter), never for allow patterns.
 */
export function reorderedVariants(words: readonly string[]): string[][] {
  const [program, ...rest] = words;
  if (program === undefined || !(rest[0] ?? '').startsWith('-') || rest[0] === '--') return [];
  const known = KNOWN_VALUED_OPTIONS[program];
  const leadingOptions = rest.slice(
    0,
    Math.max(
      0,
      rest.findIndex((word) => !word.startsWith('-')),
    ),
  );
  // When every leading option is known to take a value (or carries it after `=`), one reading suffices.
  const certain =
    known !== undefined && leadingOptions.every((option) => option.includes('=') || known.has(option));
  const variants: string[][] = [];
  for (const valued of certain ? [true] : [false, true]) {
    const leading: string[] = [];
    let index = 0;
    while (index < rest.length && (rest[index] ?? '').startsWith('-') && rest[index] !== '--') {
      const option = rest[index] ?? '';
      leading.push(option);
      index += 1;
      if (valued && !option.includes('=') && index < rest.length) {
        leading.push(rest[index] ?? '');
        index += 1;
      }
    }
    if (index < rest.length) variants.push([program, ...rest.slice(index), ...leading]);
  }
  return variants;
}

/** Leading options of common CLIs that take a value (`kubectl -n default get pods`). */
const KNOWN_VALUED_OPTIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  kubectl: new Set([
    '-n',
    '--namespace',
    '--context',
    '--kubeconfig',
    '--cluster',
    '--user',
    '-s',
    '--server',
    '--as',
  ]),
  oc: new Set(['-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-s', '--server']),
  helm: new Set(['-n', '--namespace', '--kube-context', '--kubeconfig']),
  aws: new Set(['--profile', '--region', '--endpoint-url', '--output']),
  gcloud: new Set(['--project', '--account', '--configuration']),
  az: new Set(['--subscription']),
  docker: new Set(['-H', '--host', '--context', '--config']),
};

function normalizeOperand(word: string): string {
  if (word.startsWith('-') || word.includes('://') || word === '/') return word;
  const pathLike =
    word.startsWith('./') ||
    word.startsWith('../') ||
    word.includes('//') ||
    word.includes('/./') ||
    (word.endsWith('/') && word.length > 1);
  return pathLike ? normalizePath(word) : word;
}

function stripGitGlobals(args: string[]): string[] {
  let index = 0;
  while (index < args.length && (args[index] ?? '').startsWith('-')) {
    index += GIT_VALUED_GLOBALS.has(args[index] ?? '') ? 2 : 1;
  }
  return args.slice(index);
}

/** Destinations of `git push` (words after `git`, global options removed), or undefined if not a push. */
function pushDestinations(
  words: readonly string[],
): { destinations: PushDestination[]; force: boolean } | undefined {
  if (words[0] !== 'git' || words[1] !== 'push') return undefined;
  const positional: string[] = [];
  let force = false;
  let everything = false;
  let tagsOnly = false;
  let repository: string | undefined;
  for (let index = 2; index < words.length; index += 1) {
    const word = words[index] ?? '';
    if (word === '--') {
      positional.push(...words.slice(index + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      positional.push(word);
      continue;
    }
    if (word === '--repo') repository = words[index + 1];
    if (word.startsWith('--repo=')) repository = word.slice('--repo='.length);
    if (['-o', '--push-option', '--repo', '--receive-pack', '--exec'].includes(word)) index += 1;
    if (
      word === '--force' ||
      word.startsWith('--force-with-lease') ||
      (/^-[A-Za-z]+$/.test(word) && word.includes('f'))
    )
      force = true;
    if (word === '--all' || word === '--mirror' || word === '--branches') everything = true;
    if (word === '--tags') tagsOnly = true;
  }
  // With `--repo`, every positional word is a refspec; otherwise the first names the remote.
  const refspecs = repository === undefined ? positional.slice(1) : positional;
  if (refspecs.length === 0) {
    if (tagsOnly && !everything) return { destinations: [], force };
    return { destinations: [{ ref: null, force, text: words.join(' ') }], force };
  }
  const destinations: PushDestination[] = refspecs.map((refspec) => ({
    ...refspecDestination(refspec, force),
    remoteKnown: true,
  }));
  if (everything) destinations.push({ ref: null, force, text: words.join(' ') });
  return { destinations, force: force || destinations.some((d) => d.force) };
}

function isNeutral(command: AnalyzedCommand): boolean {
  if (command.program === null) return false;
  if (NEUTRAL.has(command.program)) return true;
  return QUIET_PRINTERS.has(command.program) && !command.hasOutputRedirect;
}

function severityOfBlock(text: string): 'critical' | 'high' {
  // INVARIANT: upstream's heuristic, kept for compatibility (reference §3.2).
  return text.includes('apply') || text.includes('delete') ? 'critical' : 'high';
}

/** The `execute_command` guard. */
export function commandGuard(pack: CompiledPack, commandText: string, scope: PathScope): Verdict {
  const text = commandText.trim();
  const findings: Finding[] = [];
  const wholeBlock = pack.commands.block.firstMatchText(text);
  if (wholeBlock !== undefined) {
    findings.push({
      rule: blockRule(wholeBlock.pattern, wholeBlock.pack, text, undefined),
      source: 'commands.block',
    });
  }
  const analysis = analyzeCommand(text);
  if (!analysis.ok) {
    findings.push({
      rule: {
        rule_id: 'commands.parse_error',
        decision: 'require_approval',
        severity: 'medium',
        reason: `The command could not be parsed (${analysis.message} at offset ${analysis.offset}); review required.`,
      },
      source: 'builtin',
    });
    return combine(findings, []);
  }
  const segments: CommandSegment[] = [];
  let allowedSegments = 0;
  let firstAllow: MatchedRule | undefined;
  for (const command of analysis.commands) {
    const result = judgeSegment(pack, command, text, scope);
    findings.push(...result.findings);
    if (result.segment !== undefined) segments.push(result.segment);
    if (result.allow !== undefined) {
      allowedSegments += 1;
      firstAllow ??= result.allow;
    }
  }
  if (pack.commands.blockRemoteCodeExecution) findings.push(...analysis.remoteExecutions.map(remoteRule));
  const judged = segments.filter((segment) => segment.rule_id !== 'commands.neutral');
  if (findings.length === 0 && firstAllow !== undefined && allowedSegments === judged.length) {
    return verdictOf(firstAllow, [firstAllow], segments);
  }
  if (findings.length === 0) {
    findings.push({
      rule: {
        rule_id: 'commands.default.require_approval',
        decision: 'require_approval',
        severity: 'medium',
        reason: 'No allow rule matched; review required.',
      },
      source: 'default',
    });
  }
  return combine(findings, segments);
}

function blockRule(pattern: string, pack: string, text: string, segment: string | undefined): MatchedRule {
  const rule: MatchedRule = {
    rule_id: 'commands.block',
    decision: 'block',
    severity: severityOfBlock(text),
    pattern,
    reason: `Matched blocked command policy: ${pattern}`,
    pack,
  };
  if (segment !== undefined) rule.segment = segment;
  return rule;
}

function remoteRule(remote: RemoteExecution): Finding {
  const rule: MatchedRule = {
    rule_id: 'commands.remote_code_execution',
    decision: 'block',
    severity: 'critical',
    pattern: `${remote.downloader} → ${remote.interpreter} (${remote.via})`,
    reason: `Remote code execution: ${remote.interpreter} would run code downloaded by ${remote.downloader} through a ${remote.via}.`,
  };
  return { rule, source: 'builtin' };
}

type SegmentResult = {
  findings: Finding[];
  segment: CommandSegment | undefined;
  allow: MatchedRule | undefined;
};

function judgeSegment(
  pack: CompiledPack,
  command: AnalyzedCommand,
  text: string,
  scope: PathScope,
): SegmentResult {
  const findings: Finding[] = [];
  for (const file of command.files) {
    const rule = judgePath(pack, file.access, pathForms(file.path, scope), file.recursive);
    if (rule.decision !== 'allow') findings.push({ rule, source: 'filesystem' });
    if (file.glob === true && rule.decision === 'allow') {
      const risky = globRule(pack, file.access, file.path);
      if (risky !== undefined) findings.push({ rule: risky, source: 'filesystem' });
    }
    if (file.recursive && rule.decision === 'allow') {
      const direct = judgePath(pack, file.access, pathForms(file.path, scope));
      if (direct.decision !== 'allow') findings.push({ rule: direct, source: 'filesystem' });
    }
  }
  if (command.redirectOnly) return { findings, segment: undefined, allow: undefined };
  const words = normalizeWords(command.words);
  const normalized = words.join(' ');
  const context = command.context;
  const segmentOf = (decision: Outcome, rule_id: string): CommandSegment => ({
    command: normalized,
    program: command.program,
    decision,
    rule_id,
    context,
  });
  if (command.program === null) {
    findings.push({
      rule: {
        rule_id: 'commands.dynamic_command',
        decision: 'require_approval',
        severity: 'medium',
        reason: command.dynamicScript
          ? 'The script given to a shell or eval is only known at run time; review required.'
          : 'The program name is only known at run time; review required.',
        segment: normalized,
      },
      source: 'builtin',
    });
    return { findings, segment: segmentOf('require_approval', 'commands.dynamic_command'), allow: undefined };
  }
  const push = pushDestinations(words);
  const extraFlags = push?.force === true ? ['--force'] : [];
  const forms = commandForms(words, extraFlags);
  const strictForms = [
    forms,
    ...reorderedVariants(words).map((variant) => commandForms(variant, extraFlags)),
  ];
  const firstStrict = (list: CompiledPack['commands']['block']) =>
    strictForms.reduce<ReturnType<typeof list.firstMatch>>(
      (found, form) => found ?? list.firstMatch(form),
      undefined,
    );
  const blocked = firstStrict(pack.commands.block);
  if (blocked !== undefined) {
    findings.unshift({
      rule: blockRule(blocked.pattern, blocked.pack, text, normalized),
      source: 'commands.block',
    });
  }
  if (push !== undefined)
    findings.push(...judgePush(pack, push.destinations, normalized).map((rule) => ({ rule, source: 'git' })));
  // `forms.text` is the normalised segment, so this also covers matching the segment's text literally.
  const approval = firstStrict(pack.commands.approval);
  if (approval !== undefined) {
    findings.push({
      rule: {
        rule_id: 'commands.require_approval',
        decision: 'require_approval',
        severity: 'medium',
        pattern: approval.pattern,
        pack: approval.pack,
        reason: `Matched approval-required command policy: ${approval.pattern}`,
        segment: normalized,
      },
      source: 'commands.require_approval',
    });
  }
  const worst = strictest(findings);
  if (worst !== undefined)
    return { findings, segment: segmentOf(worst.rule.decision, worst.rule.rule_id), allow: undefined };
  if (isNeutral(command))
    return { findings, segment: segmentOf('allow', 'commands.neutral'), allow: undefined };
  // An allow must hold for the command as written, or for every reading of its reordered options.
  const variants = strictForms.slice(1);
  const allowed =
    pack.commands.allow.firstMatch(forms) ??
    (variants.length > 0 && variants.every((form) => pack.commands.allow.firstMatch(form) !== undefined)
      ? pack.commands.allow.firstMatch(variants[0] ?? forms)
      : undefined);
  if (allowed === undefined)
    return {
      findings,
      segment: segmentOf('require_approval', 'commands.default.require_approval'),
      allow: undefined,
    };
  const rule: MatchedRule = {
    rule_id: 'commands.allow',
    decision: 'allow',
    severity: 'low',
    pattern: allowed.pattern,
    pack: allowed.pack,
    segment: normalized,
    reason: `Matched allowed command policy: ${allowed.pattern}`,
  };
  return { findings, segment: segmentOf('allow', 'commands.allow'), allow: rule };
}

/** An unexpanded glob operand that may name a protected path cannot be cleared statically: review it. */
function globRule(pack: CompiledPack, access: 'read' | 'write', glob: string): MatchedRule | undefined {
  const lists =
    access === 'read'
      ? [pack.filesystem.blockRead]
      : [pack.filesystem.blockWrite, pack.filesystem.approvalWrite];
  for (const list of lists) {
    const hit = list.firstIntersecting(glob);
    if (hit === undefined) continue;
    return {
      rule_id: `filesystem.${access}.glob`,
      decision: 'require_approval',
      severity: 'high',
      pattern: hit.pattern,
      pack: hit.pack,
      path: glob,
      access,
      reason: `The glob ${glob} may expand to a path matching ${hit.pattern}; review required.`,
    };
  }
  return undefined;
}

function strictest(findings: readonly Finding[]): Finding | undefined {
  let best: Finding | undefined;
  for (const finding of findings) {
    if (best === undefined) best = finding;
    else {
      const byOutcome = OUTCOME_RANK[finding.rule.decision] - OUTCOME_RANK[best.rule.decision];
      const bySource = SOURCE_ORDER.indexOf(best.source) - SOURCE_ORDER.indexOf(finding.source);
      if (byOutcome > 0 || (byOutcome === 0 && bySource > 0)) best = finding;
    }
  }
  return best;
}

function approverFor(rule: MatchedRule): string | null {
  if (rule.decision !== 'require_approval') return null;
  return rule.rule_id.startsWith('filesystem.') ? APPROVER.platformSecurity : APPROVER.repositoryOwners;
}

function verdictOf(rule: MatchedRule, matched: MatchedRule[], segments: CommandSegment[]): Verdict {
  return {
    decision: rule.decision,
    rule_id: rule.rule_id,
    severity: rule.severity,
    reason: rule.reason,
    approver_group: approverFor(rule),
    matched_rules: matched,
    segments,
  };
}

function sameRule(a: MatchedRule, b: MatchedRule): boolean {
  return a.rule_id === b.rule_id && a.pattern === b.pattern && a.segment === b.segment && a.path === b.path;
}

/** The verdict of several findings: the strictest is reported; every distinct rule is listed once. */
function combine(findings: Finding[], segments: CommandSegment[]): Verdict {
  const reported = strictest(findings);
  if (reported === undefined) throw new Error('combine() needs at least one finding');
  const matched: MatchedRule[] = [reported.rule];
  for (const finding of findings) {
    if (!matched.some((rule) => sameRule(rule, finding.rule))) matched.push(finding.rule);
  }
  return verdictOf(reported.rule, matched, segments);
}
