import { parseShell } from '../shell/parse';
import type { Command, Pipeline, Redirect, Script, SimpleCommand, Word } from '../shell/ast';
import { fileAccesses, type FileAccess } from './files';
import { programName, SHELLS, unwrap } from './unwrap';
import { evaluateWord, substitutionsOf, type EvaluatedWord } from './words';

/** One simple command found anywhere in a command line, after unwrapping. */
export type AnalyzedCommand = {
  /** Final argv (program first) after wrappers; texts are quote-removed. */
  words: string[];
  /** Program name, or null when it cannot be known statically. */
  program: string | null;
  /** Where it was found (`top level`, `pipeline`, `command substitution`, `bash -c` …). */
  context: string;
  files: FileAccess[];
  /** True for a command that only exists to hold redirections of a compound command. */
  redirectOnly: boolean;
  /** Whether an output redirection is attached (echo/printf are neutral only without one). */
  hasOutputRedirect: boolean;
  /** A script passed as text that could not be known statically (`sh -c "$X"`, `eval "$(…)"`). */
  dynamicScript: boolean;
};

export type RemoteExecution = {
  interpreter: string;
  downloader: string;
  via: 'pipe' | 'process substitution' | 'command substitution' | 'here-string';
};

export type Analysis =
  | { ok: true; commands: AnalyzedCommand[]; remoteExecutions: RemoteExecution[] }
  | { ok: false; message: string; offset: number };

const DOWNLOADERS = new Set([
  'curl',
  'wget',
  'fetch',
  'aria2c',
  'http',
  'https',
  'lwp-request',
  'GET',
  'iwr',
  'Invoke-WebRequest',
  'ftp',
  'tftp',
  'nc',
  'ncat',
]);
const INTERPRETERS = new Set([
  ...SHELLS,
  'source',
  '.',
  'python',
  'python2',
  'python3',
  'perl',
  'ruby',
  'node',
  'php',
  'pwsh',
  'powershell',
  'lua',
  'tclsh',
  'osascript',
  'deno',
  'bun',
]);
const OUTPUT_OPS = new Set(['>', '>>', '>|', '<>', '&>', '&>>']);
const MAX_DEPTH = 8;

type Walk = {
  commands: AnalyzedCommand[];
  remote: RemoteExecution[];
  variables: Map<string, string>;
  depth: number;
};

/** Parses a command line and finds every simple command in it, with the files each touches. */
export function analyzeCommand(source: string): Analysis {
  const parsed = parseShell(source);
  if (!parsed.ok) return { ok: false, message: parsed.error.message, offset: parsed.error.offset };
  const walk: Walk = { commands: [], remote: [], variables: new Map(), depth: 0 };
  walkScript(parsed.script, 'top level', walk);
  return { ok: true, commands: walk.commands, remoteExecutions: walk.remote };
}

function walkScript(script: Script, context: string, walk: Walk): void {
  for (const statement of script.statements) {
    walkPipeline(statement.first, context, walk);
    for (const { pipeline } of statement.rest) walkPipeline(pipeline, context, walk);
  }
}

function walkPipeline(pipeline: Pipeline, context: string, walk: Walk): void {
  const inPipe = pipeline.commands.length > 1;
  const programs: (string | null)[] = [];
  pipeline.commands.forEach((command, index) => {
    const before = walk.commands.length;
    walkCommand(command, inPipe ? `${context} › pipeline` : context, walk, inPipe);
    const first = walk.commands[before];
    programs.push(first === undefined ? null : first.program);
    const stdinInterpreter =
      command.type === 'SimpleCommand' ? readsScriptFromStdin(walk.commands.slice(before)) : undefined;
    const downloader = programs
      .slice(0, index)
      .find((program) => program !== null && DOWNLOADERS.has(program));
    if (stdinInterpreter !== undefined && downloader !== undefined && downloader !== null) {
      walk.remote.push({ interpreter: stdinInterpreter, downloader, via: 'pipe' });
    }
  });
}

/** The interpreter of a command that would read a program from standard input, if any. */
function readsScriptFromStdin(commands: AnalyzedCommand[]): string | undefined {
  const command = commands[0];
  if (command?.program === null || command === undefined || !INTERPRETERS.has(command.program))
    return undefined;
  const operands = command.words.slice(1).filter((word) => !word.startsWith('-') || word === '-');
  const reads =
    operands.length === 0 ||
    operands[0] === '-' ||
    command.words.includes('-s') ||
    command.program === 'source' ||
    command.program === '.';
  return reads ? command.program : undefined;
}

function walkCommand(command: Command, context: string, walk: Walk, inPipe: boolean): void {
  switch (command.type) {
    case 'SimpleCommand':
      walkSimple(command, context, walk, inPipe);
      return;
    case 'Subshell':
    case 'BraceGroup':
      walkScript(command.body, `${context} › ${command.type === 'Subshell' ? 'subshell' : 'group'}`, walk);
      break;
    case 'IfClause':
      for (const branch of command.branches) {
        walkScript(branch.condition, `${context} › if`, walk);
        walkScript(branch.body, `${context} › if`, walk);
      }
      if (command.elseBody !== null) walkScript(command.elseBody, `${context} › else`, walk);
      break;
    case 'ForClause':
      for (const item of command.items ?? []) walkWordSubstitutions(item, context, walk);
      if (command.arithmetic !== null)
        walkSubstitutions(
          substitutionsOf(command.arithmetic.parts, walk.variables),
          context,
          walk,
          undefined,
        );
      walkScript(command.body, `${context} › ${command.keyword} loop`, walk);
      break;
    case 'WhileClause':
      walkScript(command.condition, `${context} › ${command.until ? 'until' : 'while'}`, walk);
      walkScript(command.body, `${context} › ${command.until ? 'until' : 'while'} loop`, walk);
      break;
    case 'CaseClause':
      walkWordSubstitutions(command.word, context, walk);
      for (const item of command.items) {
        for (const pattern of item.patterns) walkWordSubstitutions(pattern, context, walk);
        walkScript(item.body, `${context} › case`, walk);
      }
      break;
    case 'FunctionDef':
      walkCommand(command.body, `${context} › function ${command.name}`, walk, false);
      break;
    case 'TestClause':
      for (const word of command.words) walkWordSubstitutions(word, context, walk);
      break;
    case 'ArithCommand':
      walkSubstitutions(substitutionsOf(command.arithmetic.parts, walk.variables), context, walk, undefined);
      break;
  }
  // Redirections of compound commands (`{ …; } > file`) touch files too.
  const redirectFiles = redirectAccesses(command.redirects, context, walk);
  if (redirectFiles.files.length > 0) {
    walk.commands.push({
      words: [],
      program: null,
      context,
      files: redirectFiles.files,
      redirectOnly: true,
      hasOutputRedirect: redirectFiles.output,
      dynamicScript: false,
    });
  }
}

function walkWordSubstitutions(word: Word, context: string, walk: Walk): void {
  for (const evaluated of evaluateWord(word, walk.variables))
    walkSubstitutions(evaluated.substitutions, context, walk, undefined);
}

function walkSubstitutions(
  subs: EvaluatedWord['substitutions'],
  context: string,
  walk: Walk,
  interpreter: string | undefined,
): void {
  for (const sub of subs) {
    const before = walk.commands.length;
    walkScript(sub.script, `${context} › ${sub.kind} substitution`, walk);
    const downloader = walk.commands
      .slice(before)
      .find((c) => c.program !== null && DOWNLOADERS.has(c.program))?.program;
    if (interpreter !== undefined && downloader !== undefined && downloader !== null) {
      walk.remote.push({
        interpreter,
        downloader,
        via: sub.kind === 'process' ? 'process substitution' : 'command substitution',
      });
    }
  }
}

const NO_REDIRECTS: { files: FileAccess[]; output: boolean } = { files: [], output: false };

function redirectAccesses(
  redirects: readonly Redirect[],
  context: string,
  walk: Walk,
): { files: FileAccess[]; output: boolean } {
  if (redirects.length === 0) return NO_REDIRECTS;
  const files: FileAccess[] = [];
  let output = false;
  for (const redirect of redirects) {
    const targets = evaluateWord(redirect.target, walk.variables);
    for (const target of targets) walkSubstitutions(target.substitutions, context, walk, undefined);
    if (redirect.heredoc !== null) walkWordSubstitutions(redirect.heredoc, context, walk);
    const first = targets[0];
    if (first === undefined || redirect.op === '<<' || redirect.op === '<<-' || redirect.op === '<<<')
      continue;
    if ((redirect.op === '>&' || redirect.op === '<&') && /^(\d+|-)$/.test(first.text)) continue;
    if (OUTPUT_OPS.has(redirect.op) || redirect.op === '>&') {
      output = true;
      files.push({ path: first.text, access: 'write', recursive: false, glob: first.hasGlob });
    }
    if (redirect.op === '<' || redirect.op === '<>' || redirect.op === '<&')
      files.push({ path: first.text, access: 'read', recursive: false, glob: first.hasGlob });
  }
  return {
    files: files.filter((file) => !/^\/dev\/(null|stdout|stderr|stdin|tty|fd\/\d+)$/.test(file.path)),
    output,
  };
}

function walkSimple(command: SimpleCommand, context: string, walk: Walk, inPipe: boolean): void {
  const assignments = command.assignments.map((assignment) => ({
    name: assignment.name,
    // `a[i]=x` and `a=(…)` are arrays: not remembered as a plain value — except `a[0]`, which `$a` reads.
    isArray:
      assignment.array !== null || (assignment.subscript !== null && assignment.subscript.raw.trim() !== '0'),
    values: assignment.value === null ? [] : evaluateWord(assignment.value, walk.variables),
  }));
  for (const assignment of command.assignments) {
    // Substitutions run in array elements (`a=($(…))`) and subscripts (`a[$(…)]=1`) too.
    for (const element of assignment.array ?? []) walkWordSubstitutions(element, context, walk);
    if (assignment.subscript !== null) {
      walkSubstitutions(
        substitutionsOf(assignment.subscript.parts, walk.variables),
        context,
        walk,
        undefined,
      );
    }
  }
  for (const assignment of assignments) {
    for (const value of assignment.values) walkSubstitutions(value.substitutions, context, walk, undefined);
  }
  const argv = command.words.flatMap((word) => evaluateWord(word, walk.variables));
  const redirects = redirectAccesses(command.redirects, context, walk);
  if (argv.length === 0) {
    // A bare assignment: remember static values so `F=.env; cat $F` is seen through.
    for (const { name, values, isArray } of assignments) {
      const value = values[0];
      if (value?.isStatic === true && values.length === 1 && !inPipe && !isArray)
        walk.variables.set(name, value.text);
      else walk.variables.delete(name);
    }
    if (redirects.files.length > 0) {
      walk.commands.push({
        words: [],
        program: null,
        context,
        files: redirects.files,
        redirectOnly: true,
        hasOutputRedirect: redirects.output,
        dynamicScript: false,
      });
    }
    return;
  }
  analyzeArgv(argv, context, walk, redirects.files, redirects.output, command.redirects);
}

function analyzeArgv(
  argv: EvaluatedWord[],
  context: string,
  walk: Walk,
  redirectFiles: FileAccess[],
  hasOutputRedirect: boolean,
  redirects: readonly Redirect[],
): void {
  const unwrapped = unwrap(argv);
  const program = programName(unwrapped.argv[0]);
  const script = unwrapped.script;
  // A script given as text (`sh -c`, `eval`, `env -S`) runs whatever its substitutions produce.
  const runsCode = program !== null && (INTERPRETERS.has(program) || script !== undefined);
  const interpreter = runsCode ? program : undefined;
  for (const word of unwrapped.argv) walkSubstitutions(word.substitutions, context, walk, interpreter);
  hereStringExecution(redirects, interpreter, walk);
  const dynamicScript = script !== undefined && !script.source.isStatic;
  if (script !== undefined && script.source.isStatic && walk.depth < MAX_DEPTH) {
    const nested = parseShell(script.source.text);
    if (nested.ok) {
      walk.depth += 1;
      walkScript(nested.script, `${context} › ${script.via}`, walk);
      walk.depth -= 1;
    } else {
      walk.commands.push({
        words: [script.source.text],
        program: null,
        context: `${context} › ${script.via}`,
        files: [],
        redirectOnly: false,
        hasOutputRedirect: false,
        dynamicScript: true,
      });
    }
  }
  const words = unwrapped.argv.map((word) => word.text);
  const wrapperFiles = unwrapped.wrapperArgv.flatMap((wrapper) =>
    fileAccesses(programName(wrapper[0]) ?? '', wrapper),
  );
  const globs = new Set(unwrapped.argv.filter((word) => word.hasGlob).map((word) => word.text));
  const files = [
    ...redirectFiles,
    ...wrapperFiles,
    ...(program === null ? [] : fileAccesses(program, unwrapped.argv)),
  ].map((file) => (globs.has(file.path) ? { ...file, glob: true } : file));
  if (script === undefined || dynamicScript || files.length > 0) {
    walk.commands.push({
      words: script !== undefined && !dynamicScript ? [] : words,
      program: dynamicScript ? null : program,
      context,
      files,
      redirectOnly: script !== undefined && !dynamicScript,
      hasOutputRedirect,
      dynamicScript,
    });
  }
  for (const nested of unwrapped.nested) {
    if (nested.length > 0) analyzeArgv(nested, `${context} › ${program ?? 'exec'}`, walk, [], false, []);
  }
}

/** `bash <<< "$(curl …)"`: an interpreter fed a here-string built from a download. */
function hereStringExecution(
  redirects: readonly Redirect[],
  interpreter: string | undefined,
  walk: Walk,
): void {
  if (interpreter === undefined) return;
  for (const redirect of redirects) {
    if (redirect.op !== '<<<' && redirect.op !== '<') continue;
    for (const word of evaluateWord(redirect.target, walk.variables)) {
      for (const sub of word.substitutions) {
        const inner = analyzeNested(sub.script, walk);
        const downloader = inner.find((c) => c.program !== null && DOWNLOADERS.has(c.program))?.program;
        if (downloader !== undefined && downloader !== null) {
          walk.remote.push({
            interpreter,
            downloader,
            via: redirect.op === '<' ? 'process substitution' : 'here-string',
          });
        }
      }
    }
  }
}

function analyzeNested(script: Script, walk: Walk): AnalyzedCommand[] {
  const inner: Walk = { commands: [], remote: [], variables: new Map(walk.variables), depth: walk.depth + 1 };
  walkScript(script, 'nested', inner);
  return inner.commands;
}
