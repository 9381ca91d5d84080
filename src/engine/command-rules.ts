import type { SourcedPattern } from './path-rules';
import { commandLiterals, GRAM_INDEX_THRESHOLD, GramIndex } from './gram-index';
import { upstreamRegex } from './pattern';

/**
 * A simple command as the matcher sees it: its normalised text, its words with flags removed, and its
 * flag set (combined short flags split, aliases mapped to one long name).
 */
export type CommandForms = {
  /** The normalised simple command, words joined by single spaces. */
  text: string;
  /** The same words with flag tokens removed. */
  flagless: string;
  /** Every flag present, in canonical spelling. */
  flags: ReadonlySet<string>;
  /** First word (the program name), used to find candidate patterns. */
  program: string;
};

type CompiledCommandPattern = {
  source: SourcedPattern;
  pattern: string;
  order: number;
  raw: RegExp;
  /** Present when the pattern names flags: the flagless regex and the flags it requires. */
  semantic: { regex: RegExp; flags: string[] } | null;
};

/** Short-flag aliases per program (and `program subcommand`), mapped to the long spelling. */
const FLAG_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  rm: { '-r': '--recursive', '-R': '--recursive', '-f': '--force', '-d': '--dir', '-v': '--verbose' },
  cp: { '-r': '--recursive', '-R': '--recursive', '-f': '--force', '-a': '--archive' },
  mv: { '-f': '--force', '-v': '--verbose' },
  ln: { '-s': '--symbolic', '-f': '--force' },
  chmod: { '-R': '--recursive' },
  chown: { '-R': '--recursive' },
  'git push': { '-f': '--force', '-d': '--delete', '-u': '--set-upstream', '-n': '--dry-run' },
  'git clean': { '-f': '--force', '-d': '--dirs', '-x': '--ignored' },
  'git reset': {},
  kubectl: { '-A': '--all-namespaces', '-f': '--filename', '-n': '--namespace' },
};

const COMBINED_SHORT = /^-[A-Za-z]{2,}$/;

/** Canonical flags of one token (a token that is not a flag yields nothing). */
export function tokenFlags(token: string, program: string, subcommand: string | undefined): string[] {
  if (!token.startsWith('-') || token === '-' || token === '--') return [];
  const aliases = { ...FLAG_ALIASES[program], ...FLAG_ALIASES[`${program} ${subcommand ?? ''}`] };
  const eq = token.indexOf('=');
  if (token.startsWith('--')) return eq === -1 ? [token] : [token, token.slice(0, eq)];
  if (!COMBINED_SHORT.test(token)) return [aliases[token] ?? token];
  // `-rf` is `-r -f` for POSIX tools; keep the whole token too for single-dash long options (`find -name`).
  return [token, ...Array.from(token.slice(1)).map((letter) => aliases[`-${letter}`] ?? `-${letter}`)];
}

/** Builds the matcher forms for a list of words (program first). */
export function commandForms(words: readonly string[], extraFlags: readonly string[] = []): CommandForms {
  const program = words[0] ?? '';
  const subcommand = words.slice(1).find((word) => !word.startsWith('-'));
  const flags = new Set<string>(extraFlags);
  const plain: string[] = [];
  let optionsEnded = false;
  for (const word of words) {
    const found = optionsEnded ? [] : tokenFlags(word, program, subcommand);
    if (word === '--') optionsEnded = true;
    if (found.length === 0) plain.push(word);
    for (const flag of found) flags.add(flag);
  }
  return { text: words.join(' '), flagless: plain.join(' '), flags, program };
}

/** Compiles a pattern's flag-aware form: `rm -rf .git` → regex `rm .git` + flags {--recursive, --force}. */
function semanticForm(pattern: string): { regex: RegExp; flags: string[] } | null {
  const tokens = pattern.trim().split(/\s+/);
  const program = tokens[0] ?? '';
  const subcommand = tokens.slice(1).find((token) => !token.startsWith('-'));
  const kept: string[] = [];
  const flags: string[] = [];
  for (const token of tokens.slice(1)) {
    const flag = /^(-[^*]+?)(\*?)$/.exec(token);
    if (flag?.[1] === undefined || token === '--') {
      kept.push(token);
      continue;
    }
    const found = tokenFlags(flag[1], program, subcommand);
    // `-rf` also yields `-rf` itself; require the letters, not the combined token.
    flags.push(...(COMBINED_SHORT.test(flag[1]) ? found.slice(1) : found.slice(0, 1)));
    // A trailing `*` on a removed flag (`--force*`) still allows anything after it.
    if (flag[2] === '*') kept.push('*');
  }
  if (flags.length === 0) return null;
  const source = [program, ...kept].join(' ').replace(/ \*/g, '*');
  return { regex: upstreamRegex(source), flags };
}

/**
 * An indexed list of command patterns. Candidates are found by the program name (the pattern's first word),
 * by the first letter for patterns whose first word ends in `*` (`git*`), and a short list of patterns that
 * start with a wildcard is always checked.
 */
export class CommandRuleList {
  readonly patterns: readonly SourcedPattern[];
  private readonly byProgram = new Map<string, CompiledCommandPattern[]>();
  private readonly byInitial = new Map<string, CompiledCommandPattern[]>();
  private readonly generic: CompiledCommandPattern[] = [];
  private readonly indexes = new Map<CompiledCommandPattern[], GramIndex<CompiledCommandPattern>>();

  constructor(patterns: readonly SourcedPattern[]) {
    this.patterns = patterns;
    patterns.forEach((source, order) => {
      const compiled: CompiledCommandPattern = {
        source,
        pattern: source.pattern,
        order,
        raw: upstreamRegex(source.pattern),
        semantic: semanticForm(source.pattern),
      };
      const firstWord = /^\S*/.exec(source.pattern)?.[0] ?? '';
      const star = firstWord.indexOf('*');
      if (star === -1) add(this.byProgram, firstWord, compiled);
      else if (star > 0) add(this.byInitial, firstWord.charAt(0), compiled);
      else this.generic.push(compiled);
    });
    for (const list of [...this.byProgram.values(), ...this.byInitial.values(), this.generic]) {
      if (list.length <= GRAM_INDEX_THRESHOLD) continue;
      this.indexes.set(
        list,
        new GramIndex(list.map((item) => ({ item, literals: commandLiterals(item.pattern) }))),
      );
    }
  }

  /** The first pattern matching a simple command (as written or flag-insensitively). */
  firstMatch(forms: CommandForms): SourcedPattern | undefined {
    return this.search(forms.program, forms.text, (candidate) => {
      if (candidate.raw.test(forms.text)) return true;
      const semantic = candidate.semantic;
      return (
        semantic !== null &&
        semantic.flags.every((flag) => forms.flags.has(flag)) &&
        semantic.regex.test(forms.flagless)
      );
    });
  }

  /** The first pattern matching a whole command text literally (upstream semantics). */
  firstMatchText(text: string): SourcedPattern | undefined {
    const program = /^\S*/.exec(text)?.[0] ?? '';
    return this.search(program, text, (candidate) => candidate.raw.test(text));
  }

  private search(
    program: string,
    text: string,
    test: (p: CompiledCommandPattern) => boolean,
  ): SourcedPattern | undefined {
    let best: CompiledCommandPattern | undefined;
    const visit = (candidate: CompiledCommandPattern): void => {
      if ((best === undefined || candidate.order < best.order) && test(candidate)) best = candidate;
    };
    const texts = [text];
    for (const list of [this.byProgram.get(program), this.byInitial.get(program.charAt(0)), this.generic]) {
      if (list === undefined) continue;
      const index = this.indexes.get(list);
      if (index !== undefined) {
        index.candidates(texts, visit);
        continue;
      }
      for (const candidate of list) {
        if (best !== undefined && candidate.order >= best.order) break;
        if (test(candidate)) best = candidate;
      }
    }
    return best?.source;
  }
}

function add(map: Map<string, CompiledCommandPattern[]>, key: string, value: CompiledCommandPattern): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
