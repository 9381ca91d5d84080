/**
 * A prefilter for long candidate lists. Every pattern is filed under one 4-character gram of a literal run
 * that any string it matches must contain — the rarest such gram in its list — and a lookup slides over the
 * strings' grams, visiting only the patterns filed under grams that occur. Patterns without a literal run of
 * 4 characters are always visited. Hash collisions only add candidates; the caller still runs the real test.
 *
 * This keeps matching flat as packs grow: a bucket with thousands of `services/svc-<n>/**` or
 * `kubectl --context prod-<n>*` patterns costs a handful of map lookups instead of a regex per pattern.
 */
const GRAM = 4;

/** Lists at most this long are scanned directly; longer ones get a gram index. */
export const GRAM_INDEX_THRESHOLD = 16;

function gramAt(text: string, index: number): number {
  return (
    (((text.charCodeAt(index) * 31 + text.charCodeAt(index + 1)) * 31 + text.charCodeAt(index + 2)) * 31 +
      text.charCodeAt(index + 3)) |
    0
  );
}

export class GramIndex<T> {
  private readonly byGram = new Map<number, number[]>();
  /** One bit per (gram & 0xffff): most grams of a text are in no pattern, and a bit test is cheaper than a map lookup. */
  private readonly present = new Uint8Array(8192);
  private readonly always: number[] = [];
  private readonly items: readonly T[];
  /** Per-item stamp of the last lookup that visited it, so each item is visited once per lookup. */
  private readonly seen: Uint32Array;
  private epoch = 0;

  constructor(entries: readonly { item: T; literals: readonly string[] }[]) {
    this.items = entries.map((entry) => entry.item);
    this.seen = new Uint32Array(entries.length);
    const frequency = new Map<number, number>();
    const gramsOf = entries.map(({ literals }) => {
      const grams = new Set<number>();
      for (const literal of literals) {
        for (let index = 0; index + GRAM <= literal.length; index += 1) grams.add(gramAt(literal, index));
      }
      for (const gram of grams) frequency.set(gram, (frequency.get(gram) ?? 0) + 1);
      return grams;
    });
    gramsOf.forEach((grams, position) => {
      let best: number | undefined;
      for (const gram of grams) {
        if (best === undefined || (frequency.get(gram) ?? 0) < (frequency.get(best) ?? 0)) best = gram;
      }
      if (best === undefined) this.always.push(position);
      else {
        const slot = (best & 0xffff) >>> 3;
        this.present[slot] = (this.present[slot] ?? 0) | (1 << (best & 7));
        const list = this.byGram.get(best);
        if (list === undefined) this.byGram.set(best, [position]);
        else list.push(position);
      }
    });
  }

  /** Calls `visit` once for each item that may match one of `texts` (in no particular order). */
  candidates(texts: readonly string[], visit: (item: T) => void): void {
    this.epoch = (this.epoch + 1) >>> 0;
    if (this.epoch === 0) {
      this.seen.fill(0);
      this.epoch = 1;
    }
    const epoch = this.epoch;
    const mark = (position: number): void => {
      if (this.seen[position] === epoch) return;
      this.seen[position] = epoch;
      const item = this.items[position];
      if (item !== undefined) visit(item);
    };
    for (const position of this.always) mark(position);
    const present = this.present;
    for (const text of texts) {
      for (let index = 0; index + GRAM <= text.length; index += 1) {
        const gram = gramAt(text, index);
        if ((present[(gram & 0xffff) >>> 3] ?? 0) & (1 << (gram & 7))) {
          const list = this.byGram.get(gram);
          if (list !== undefined) for (const position of list) mark(position);
        }
      }
    }
  }
}

/** Literal runs every path matched by a path pattern contains, under both semantics. */
export function pathLiterals(pattern: string): string[] {
  const body = pattern
    .replace(/\/+$/, '')
    .replace(/^\/+/, '')
    .replace(/^(\*\*\/)+/, '');
  return body.split(/[*?]+/).filter((run) => run.length > 0);
}

/**
 * Literal runs every simple command matched by a command pattern contains: the non-flag runs (flags may be
 * spelled differently, `-rf` vs `-r -f`, so they cannot be required verbatim).
 */
export function commandLiterals(pattern: string): string[] {
  return pattern
    .trim()
    .split(/\s+/)
    .flatMap((token) => token.split(/[*?]+/))
    .filter((run) => run.length > 0 && !run.startsWith('-'));
}
