import { GRAM_INDEX_THRESHOLD, GramIndex, pathLiterals } from './gram-index';
import { gitignoreRegex, globIntersectsPattern, isLiteral, upstreamRegex } from './pattern';

/** A pattern as declared, with the pack that declared it (after inheritance). */
export type SourcedPattern = { pattern: string; pack: string };

/** `matcher` is one regex: upstream semantics OR gitignore semantics. */
type CompiledPathPattern = SourcedPattern & { order: number; matcher: RegExp };

/**
 * An indexed list of path patterns. `firstMatch` returns the earliest pattern (in list order) that matches
 * under upstream or gitignore semantics. Patterns are bucketed by what a matching path must contain,
 * so lookups stay flat as packs grow to thousands of rules:
 * - `name`: the last segment is literal (`.env`, `**\/id_rsa`) → a path segment equals it;
 * - `ext`: the last segment is `*.ext` → a path segment ends with `.ext`;
 * - `head`: the first segment is literal (`iam/**`) → the path starts with it (or an ancestor is matched);
 * - `segment`: `**\/name/…` → some path segment equals `name`;
 * - everything else is checked for every path.
 */
export class PathRuleList {
  readonly patterns: readonly SourcedPattern[];
  private readonly byName = new Map<string, CompiledPathPattern[]>();
  private readonly byExt = new Map<string, CompiledPathPattern[]>();
  private readonly byHead = new Map<string, CompiledPathPattern[]>();
  private readonly bySegment = new Map<string, CompiledPathPattern[]>();
  private readonly generic: CompiledPathPattern[] = [];
  private readonly indexes = new Map<CompiledPathPattern[], GramIndex<CompiledPathPattern>>();

  constructor(patterns: readonly SourcedPattern[]) {
    this.patterns = patterns;
    patterns.forEach((source, order) => {
      const upstream = upstreamRegex(source.pattern).source;
      const gitignore = gitignoreRegex(source.pattern).source;
      const matcher = new RegExp(`(?:${upstream})|(?:${gitignore})`, 's');
      this.bucketFor(source.pattern).push({ ...source, order, matcher });
    });
    for (const map of [this.byName, this.byExt, this.byHead, this.bySegment]) {
      for (const list of map.values()) this.indexLong(list);
    }
    this.indexLong(this.generic);
  }

  private indexLong(list: CompiledPathPattern[]): void {
    if (list.length <= GRAM_INDEX_THRESHOLD) return;
    this.indexes.set(
      list,
      new GramIndex(list.map((item) => ({ item, literals: pathLiterals(item.pattern) }))),
    );
  }

  private bucketFor(pattern: string): CompiledPathPattern[] {
    const trimmed = pattern.replace(/\/+$/, '');
    const segments = trimmed.replace(/^\//, '').split('/');
    const last = segments[segments.length - 1] ?? '';
    if (last !== '' && isLiteral(last)) return push(this.byName, last);
    const ext = /^\*(\.[^*?/]+)$/.exec(last);
    if (ext?.[1] !== undefined) return push(this.byExt, ext[1]);
    const first = segments[0] ?? '';
    if (segments.length > 1 && first !== '' && isLiteral(first)) return push(this.byHead, first);
    const second = segments[1];
    if (first === '**' && second !== undefined && segments.length > 2 && isLiteral(second)) {
      return push(this.bySegment, second);
    }
    return this.generic;
  }

  /** The first pattern that matches any of the given forms of one path, or undefined. */
  firstMatch(forms: readonly string[]): SourcedPattern | undefined {
    const index = this.firstMatchIndex(forms);
    return index === -1 ? undefined : this.patterns[index];
  }

  private firstMatchIndex(forms: readonly string[]): number {
    let best: CompiledPathPattern | undefined;
    const test = (candidate: CompiledPathPattern): void => {
      if (best !== undefined && candidate.order >= best.order) return;
      for (const form of forms) {
        if (candidate.matcher.test(form)) {
          best = candidate;
          return;
        }
      }
    };
    const consider = (candidates: CompiledPathPattern[] | undefined): void => {
      if (candidates === undefined) return;
      const index = this.indexes.get(candidates);
      if (index !== undefined) index.candidates(forms, test);
      else for (const candidate of candidates) test(candidate);
    };
    for (const form of forms) {
      const segments = form.split('/');
      consider(this.byHead.get(segments[0] ?? ''));
      for (const segment of segments) {
        consider(this.byName.get(segment));
        consider(this.bySegment.get(segment));
        for (let dot = segment.indexOf('.'); dot !== -1; dot = segment.indexOf('.', dot + 1)) {
          consider(this.byExt.get(segment.slice(dot)));
        }
      }
    }
    consider(this.generic);
    return best === undefined ? -1 : best.order;
  }

  /**
   * The first pattern that could name the same path as an unexpanded glob operand (`.e*` and `.env`).
   * Unanchored patterns may sit at any depth, so they are also tried below any directory.
   */
  firstIntersecting(glob: string): SourcedPattern | undefined {
    return this.patterns.find(({ pattern }) => {
      const bare = pattern.startsWith('**/') ? pattern.slice(3) : pattern;
      const anyDepth = !bare.replace(/\/+$/, '').includes('/');
      return (
        globIntersectsPattern(glob, pattern) ||
        globIntersectsPattern(glob, bare) ||
        (anyDepth && globIntersectsPattern(glob, `*/${bare}`))
      );
    });
  }

  /**
   * The first pattern met by a recursive delete or copy of directory `directory`: the directory itself,
   * a `D/**`-style pattern, or a `…/**` pattern whose literal head lies inside D (`rm -rf .github` meets
   * `.github/workflows/**`). Name patterns such as `**\/main.tf` are not met: the engine does no I/O and
   * cannot know what lies beneath (a documented limit).
   */
  firstCoveringDirectory(directory: string): SourcedPattern | undefined {
    let best = this.firstMatchIndex([directory, `${directory}/**`]);
    const inside = directory === '.' || directory === '/' ? '' : `${directory}/`;
    this.patterns.forEach((source, order) => {
      if (best !== -1 && order >= best) return;
      const head = literalHead(source.pattern);
      if (head !== undefined && head.startsWith(inside)) best = order;
    });
    return best === -1 ? undefined : this.patterns[best];
  }
}

function push<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (list === undefined) {
    list = [];
    map.set(key, list);
  }
  return list;
}

/** For `a/b/**` the literal directory `a/b/`; undefined when the pattern is not a subtree pattern. */
function literalHead(pattern: string): string | undefined {
  if (!pattern.endsWith('/**')) return undefined;
  const head = pattern.slice(0, -2);
  return isLiteral(head) && !head.startsWith('/') ? head : undefined;
}
